"""`supportbot report` on a real SQLite store seeded through the store API.

Every figure asserted below is worked out by hand from the seeded cases (see `seeded`).
The sample directory: acme is America/Chicago (genesys-cloud, US holidays), bergwerk is
Europe/Berlin (default profile genesys-cloud, DE holidays); none fall in March 2-16 2026.
Genesys Cloud targets: S1 10 minutes around the clock, S2-S4 2 business hours.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.cli import cmd_report
from bot.cli.main import main
from bot.directory import load_directory
from bot.reports.figures import CaseContext, first_response_minutes, p90
from bot.store.factory import open_store
from bot.store.models import CaseDraft
from policy.case_targets import OrganizationTargets
from policy.loader import load_policy

ACME_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
BERGWERK_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
CHICAGO = ZoneInfo("America/Chicago")
BERLIN = ZoneInfo("Europe/Berlin")
REPORT_TIME = datetime(2026, 3, 13, 12, 0, tzinfo=UTC)
STAFF = "U0STAFF1"


def z(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _draft(org: str, severity: int, opened: datetime, *, platform: bool = False) -> CaseDraft:
    """A draft with the due times case creation gives it (actions/case_creation.py)."""
    directory = load_directory()
    found = directory.organization(org)
    assert found is not None and found.tz is not None
    targets = OrganizationTargets.of(
        found.tz, profile=found.support_profile, holidays=found.holiday_dates(opened.date())
    )
    return CaseDraft(
        org_short_name=org,
        org_id=ACME_ID if org == "acme" else BERGWERK_ID,
        requester_id="U01AAA" if org == "acme" else "U02AAA",
        requester_name="Ana Ruiz" if org == "acme" else "Jonas Weber",
        title=f"S{severity} problem",
        description="Something is broken.",
        business_impact="Agents are slowed down.",
        severity=severity,
        priority={1: "critical", 2: "high", 3: "medium", 4: "low"}[severity],
        platform_level=platform,
        response_due_at=targets.response_due(severity=severity, start=opened),
        restoration_due_at=targets.restoration_due(
            severity=severity, start=opened, platform_level=platform
        ),
    )


@pytest.fixture
def data_dir(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI tests' empty store directory, with the report made at REPORT_TIME."""
    monkeypatch.setattr(cmd_report, "_now", lambda: REPORT_TIME)
    return data_dir


@pytest.fixture
def seeded(data_dir: Path) -> Path:
    """Seven cases, five of them in [2026-03-02, 2026-03-16):

    CS-1001 outside: 2026-03-01 23:59 UTC, the day before --from.
    CS-1002 A acme S2, Fri 6 Mar 16:59 CST; taken Mon 9 Mar 08:01 CDT (DST began Sunday):
            1 business minute on Friday + 1 on Monday = 2; due Mon 09:59 CDT: met. Priority
            high -> medium.
    CS-1003 B acme S1 platform-level, Tue 3 Mar 10:00 UTC; taken 10:25: 25 clock minutes,
            due 10:10: missed. Restored 13:00, due 14:00: met. Escalated.
    CS-1004 C acme S3, Wed 4 Mar 09:00 CST; taken 10:00 CST: 60 business minutes, met.
            Closed for inactivity, reopened, closed after Resolution Proposed.
    CS-1005 D bergwerk S2 platform-level, Tue 10 Mar 09:00 CET; never taken, due 11:00 CET:
            missed at report time (13 Mar). Restoration due Thu 12 Mar 09:00 CET, not
            restored: missed.
    CS-1006 E bergwerk S4, Fri 13 Mar 12:00 CET (11:00 UTC); not taken, due 14:00 CET, the
            report is made at 13:00 CET: pending.
    CS-1007 outside: 2026-03-16 00:00 UTC, exactly --to (exclusive).
    """
    a_opened = datetime(2026, 3, 6, 16, 59, tzinfo=CHICAGO)
    b_opened = z("2026-03-03T10:00:00+00:00")
    c_opened = datetime(2026, 3, 4, 9, 0, tzinfo=CHICAGO)
    d_opened = datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN)
    e_opened = datetime(2026, 3, 13, 12, 0, tzinfo=BERLIN)
    store = open_store(data_dir=data_dir)
    try:
        cases = store.cases

        def create(key: str, draft: CaseDraft, at: datetime) -> str:
            case, created = cases.create_case(
                draft, idempotency_key=key, actor_id=draft.requester_id, now=at
            )
            assert created
            return case.number

        def update(number: str, at: datetime, action: str, **changes: Any) -> None:
            cases.update_case(number, actor_id=STAFF, now=at, changes=changes, action=action)

        create("early", _draft("acme", 3, z("2026-03-01T23:59:00+00:00")), z("2026-03-01T23:59Z"))
        a = create("a", _draft("acme", 2, a_opened), a_opened)
        b = create("b", _draft("acme", 1, b_opened, platform=True), b_opened)
        c = create("c", _draft("acme", 3, c_opened), c_opened)
        d = create("d", _draft("bergwerk", 2, d_opened, platform=True), d_opened)
        create("e", _draft("bergwerk", 4, e_opened), e_opened)
        create("late", _draft("acme", 3, z("2026-03-16T00:00Z")), z("2026-03-16T00:00Z"))

        a_taken = datetime(2026, 3, 9, 8, 1, tzinfo=CHICAGO)
        update(a, a_taken, "take", assignee_id=STAFF, acknowledged_at=a_taken)
        update(a, a_taken + timedelta(hours=1), "change_priority", priority="medium")

        b_taken = b_opened + timedelta(minutes=25)
        update(b, b_taken, "take", assignee_id=STAFF, acknowledged_at=b_taken)
        escalated = b_opened + timedelta(hours=1)
        update(b, escalated, "escalation_requested", escalated_at=escalated)
        restored = b_opened + timedelta(hours=3)
        update(b, restored, "record_restoration", restored_at=restored)

        c_taken = c_opened + timedelta(hours=1)
        update(c, c_taken, "take", assignee_id=STAFF, acknowledged_at=c_taken)
        closed = c_opened + timedelta(days=5)
        update(c, closed, "inactivity_close", status="closed", closed_at=closed)
        update(c, closed + timedelta(hours=1), "reopen", status="open", closed_at=None)
        update(c, closed + timedelta(hours=2), "propose_resolution", status="resolution_proposed")
        closed_again = closed + timedelta(days=3)
        update(c, closed_again, "resolution_close", status="closed", closed_at=closed_again)
        assert d
    finally:
        store.close()
    return data_dir


def report(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["report", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


WINDOW = ("--from", "2026-03-02", "--to", "2026-03-16")


def _targets(met: int, missed: int, pending: int, share: float | None) -> dict[str, Any]:
    return {"met": met, "missed": missed, "pending": pending, "no_target": 0, "share_within": share}


def _group(
    opened: int,
    response: tuple[int, float | None, float | None, str | None],
    target: dict[str, Any],
    restoration: tuple[int, int, int, float | None],
    **events: int,
) -> dict[str, Any]:
    acknowledged, median, p90_value, basis = response
    platform, met, missed, share = restoration
    counts = {
        "priority_changes": 0,
        "severity_changes": 0,
        "reopened": 0,
        "closed_for_inactivity": 0,
        "closed_after_resolution_proposed": 0,
    }
    counts.update(events)
    escalated = counts.pop("escalated", 0)
    return {
        "opened": opened,
        "first_response": {
            "acknowledged": acknowledged,
            "median_minutes": median,
            "p90_minutes": p90_value,
            "basis": basis,
        },
        "response_target": target,
        "restoration": {
            "platform_level": platform,
            "met": met,
            "missed": missed,
            "pending": 0,
            "no_target": 0,
            "share_within": share,
        },
        "escalations": {"escalated": escalated},
        **counts,
    }


ACME = _group(
    3,
    (3, 25.0, 60.0, "mixed"),
    _targets(2, 1, 0, 0.6667),
    (1, 1, 0, 1.0),
    escalated=1,
    priority_changes=1,
    reopened=1,
    closed_for_inactivity=1,
    closed_after_resolution_proposed=1,
)
BERGWERK = _group(2, (0, None, None, None), _targets(0, 1, 1, 0.0), (1, 0, 1, 0.0))


def test_json_figures_are_the_hand_computed_ones(seeded: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "charts"
    code, stdout, err = report(capsys, *WINDOW, "--format", "json", "--out", str(out))
    assert code == 0, err
    figures = json.loads(stdout)
    assert figures["window"] == {
        "from": "2026-03-02",
        "to": "2026-03-16",
        "to_exclusive": True,
        "zone": "UTC",
    }
    assert figures["generated_at"] == "2026-03-13T12:00:00+00:00"
    assert figures["total"] == _group(
        5,
        (3, 25.0, 60.0, "mixed"),  # [2, 25, 60]: median 25, nearest-rank p90 the 3rd
        _targets(2, 2, 1, 0.5),
        (2, 1, 1, 0.5),
        escalated=1,
        priority_changes=1,
        reopened=1,
        closed_for_inactivity=1,
        closed_after_resolution_proposed=1,
    )
    assert figures["by_severity"] == {
        "1": _group(
            1, (1, 25.0, 25.0, "clock"), _targets(0, 1, 0, 0.0), (1, 1, 0, 1.0), escalated=1
        ),
        "2": _group(
            2,
            (1, 2.0, 2.0, "business"),  # Friday 16:59 -> Monday 08:01: two business minutes
            _targets(1, 1, 0, 0.5),
            (1, 0, 1, 0.0),
            priority_changes=1,
        ),
        "3": _group(
            1,
            (1, 60.0, 60.0, "business"),
            _targets(1, 0, 0, 1.0),
            (0, 0, 0, None),
            reopened=1,
            closed_for_inactivity=1,
            closed_after_resolution_proposed=1,
        ),
        "4": _group(1, (0, None, None, None), _targets(0, 0, 1, None), (0, 0, 0, None)),
    }
    assert figures["by_organization"] == {"acme": ACME, "bergwerk": BERGWERK}
    assert figures["weekly_volume"] == [
        {"week": "2026-03-02", "1": 1, "2": 1, "3": 1, "4": 0},
        {"week": "2026-03-09", "1": 0, "2": 1, "3": 0, "4": 1},
    ]
    assert figures["response_targets"]["1"] == [
        {
            "profile": "genesys-cloud",
            "target": "10 minutes (phone)",
            "minutes": 10.0,
            "basis": "clock",
        }
    ]
    assert figures["response_targets"]["2"][0]["minutes"] == 120.0
    assert figures["zones"] == {"organization": 5}
    assert "not stored" in figures["escalation_note"]
    assert sorted(p.name for p in out.iterdir()) == [
        "first_response.png",
        "weekly_volume.png",
        "within_target.png",
    ]
    assert err == f"charts written to {out}/\n"


def test_one_organization(seeded: Path, tmp_path: Path, capsys) -> None:
    code, stdout, _ = report(
        capsys, *WINDOW, "--org", "ACME", "--format", "json", "--out", str(tmp_path / "o")
    )
    assert code == 0
    figures = json.loads(stdout)
    assert figures["organization"] == "acme"
    assert figures["by_organization"] == {"acme": ACME}
    assert figures["total"] == ACME


def test_text_report_key_lines(seeded: Path, tmp_path: Path, capsys) -> None:
    code, stdout, _ = report(capsys, *WINDOW, "--out", str(tmp_path / "t"))
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0] == (
        "Support report: cases opened from 2026-03-02 (inclusive) to 2026-03-16 (exclusive), UTC"
    )
    assert lines[1] == "Generated Fri 13 Mar 2026, 12:00 UTC"  # REPORT_TIME, as people read it
    assert "All cases" in lines
    assert "Severity 2: High" in lines
    assert "Organization bergwerk" in lines
    for line in (
        "  Cases opened:                     5",
        "  First response median / p90:      25 min / 60 min (mixed time), 3 acknowledged",
        "  Response within target:           50.0% (2 met, 2 missed, 1 pending)",
        "  Restoration within target:        50.0% (1 met, 1 missed, 0 pending, of 2 "
        "platform-level)",
        "  First response median / p90:      2 min / 2 min (business time), 1 acknowledged",
        "  Closed after Resolution Proposed: 1",
        "  2026-03-02  1 1 1 0",
    ):
        assert line in lines, line
    note = " ".join(lines[lines.index("Weekly volume (week from Monday, UTC): S1 S2 S3 S4") + 4 :])
    assert note.startswith("Escalations: cases with a recorded escalation. Eligibility is not")
    assert note.endswith("Every recorded escalation met all criteria when it was asked.")


def test_html_file_embeds_three_png_charts(seeded: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "html"
    code, stdout, err = report(capsys, *WINDOW, "--format", "html", "--out", str(out))
    assert code == 0 and stdout == ""
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,iVBORw0KGgo') == 3  # the PNG signature
    assert "<h2>Organization acme</h2>" in page
    assert f"report written to {out / 'report.html'}" in err


def test_default_out_dir_is_named_after_the_window(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = report(capsys, *WINDOW)
    assert code == 0
    assert (tmp_path / "report-2026-03-02-2026-03-16" / "weekly_volume.png").is_file()
    assert err == "charts written to report-2026-03-02-2026-03-16/\n"


def test_empty_window_still_reports(data_dir: Path, tmp_path: Path, capsys) -> None:
    code, stdout, _ = report(capsys, *WINDOW, "--format", "json", "--out", str(tmp_path / "e"))
    assert code == 0
    figures = json.loads(stdout)
    assert figures["total"]["opened"] == 0
    assert figures["total"]["response_target"]["share_within"] is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("--from", "2026-03-16", "--to", "2026-03-16"),
            "supportbot report: --to (2026-03-16) must be later than --from (2026-03-16)\n",
        ),
        (
            (*WINDOW, "--org", "nope"),
            "supportbot report: unknown organization 'nope' (known: acme, bergwerk, wattle)\n",
        ),
    ],
)
def test_bad_arguments_are_one_line_exit_2(
    data_dir: Path, capsys, argv: tuple[str, ...], message: str
) -> None:
    code, out, err = report(capsys, *argv)
    assert (code, out, err) == (2, "", message)
    assert not data_dir.exists()  # refused before the store is opened


@pytest.mark.parametrize(
    "argv",
    [
        ("--from", "March", "--to", "2026-03-16"),
        ("--from", "2026-03-02"),
        (*WINDOW, "--format", "pdf"),
    ],
)
def test_malformed_arguments_exit_2(data_dir: Path, capsys, argv: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["report", *argv])
    assert exit_.value.code == 2
    assert "usage: supportbot report" in capsys.readouterr().err


def test_store_that_cannot_open_is_one_line_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    monkeypatch.setenv("SUPPORTBOT_DATA_DIR", str(not_a_dir / "data"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    code, out, err = report(capsys, *WINDOW, "--out", str(tmp_path / "x"))
    assert code == 1 and out == ""
    assert err.startswith("supportbot report: cannot use the data directory")
    assert err.count("\n") == 1


def test_help_says_to_is_exclusive(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "UTC, exclusive" in capsys.readouterr().out


def test_parser_does_not_import_matplotlib_or_the_report() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from bot.cli.main import build_parser; build_parser(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib' "
            "or m.startswith('bot.reports')))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_progress_bar_only_on_a_terminal() -> None:
    class Tty:
        def __init__(self, tty: bool) -> None:
            self.tty, self.text = tty, ""

        def isatty(self) -> bool:
            return self.tty

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

    for tty in (True, False):
        stream = Tty(tty)
        progress = cmd_report._Progress(1000, stream)  # type: ignore[arg-type]
        progress.step(500)
        progress.finish()
        assert ("500/1000" in stream.text) is tty


# --- the figures module, directly ----------------------------------------------------------


def test_business_time_is_the_inverse_of_the_due_time() -> None:
    """The report's business minutes and the due time case creation sets agree: a case
    answered exactly at response_due_at took exactly the target in business time."""
    policy = load_policy()
    opened = datetime(2026, 3, 6, 16, 59, tzinfo=CHICAGO)
    draft = _draft("acme", 2, opened)
    assert draft.response_due_at == datetime(2026, 3, 9, 9, 59, tzinfo=CHICAGO)
    case = _case(opened, draft.response_due_at, severity=2)
    context = CaseContext(tz=CHICAGO, profile="genesys-cloud")
    assert first_response_minutes(case, context, policy=policy) == (120.0, "business")
    case = _case(opened, datetime(2026, 3, 9, 9, 1, tzinfo=CHICAGO), severity=2)
    assert first_response_minutes(case, context, policy=policy) == (62.0, "business")
    case = _case(opened, datetime(2026, 3, 9, 9, 1, tzinfo=CHICAGO), severity=1)
    # Severity 1 runs around the clock: the weekend counts, and Sunday 8 March (DST) has
    # 23 hours: 64 h 02 min on the wall clock, 63 h 02 min elapsed.
    assert first_response_minutes(case, context, policy=policy) == (63 * 60 + 2.0, "clock")


def test_p90_is_nearest_rank() -> None:
    assert p90([5.0]) == 5.0
    assert p90([float(n) for n in range(1, 11)]) == 9.0
    assert p90([float(n) for n in range(1, 12)]) == 10.0
    assert p90([]) is None


def _case(opened: datetime, acknowledged: datetime | None, *, severity: int) -> Any:
    from bot.store.models import Case

    return Case(
        number="CS-1001",
        org_short_name="acme",
        org_id=ACME_ID,
        requester_id="U01AAA",
        requester_name="Ana Ruiz",
        title="t",
        description="d",
        business_impact="b",
        severity=severity,
        priority="high",
        status="open",
        conversation_id=None,
        environment_changes=None,
        troubleshooting=None,
        created_at=opened,
        updated_at=opened,
        last_update_by="customer",
        last_update_at=opened,
        acknowledged_at=acknowledged,
        response_due_at=None,
        restored_at=None,
        platform_level=False,
        origin_thread=None,
        staff_thread=None,
        assignee_id=None,
        closed_at=None,
        idempotency_key="k",
    )
