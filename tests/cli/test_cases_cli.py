"""`supportbot cases list|show` as an admin uses them, on a real SQLite store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.store.models import CaseDraft
from bot.store.sqlite import SqliteStore

NOW = datetime(2026, 3, 6, 15, 30, tzinfo=UTC)
ACME_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
BERGWERK_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


def draft(**overrides: object) -> CaseDraft:
    values: dict[str, object] = {
        "org_short_name": "acme",
        "org_id": ACME_ID,
        "requester_id": "U01AAA",
        "requester_name": "Ana Ruiz",
        "title": "Agents cannot log in",
        "description": "Since 9am agents get 'login failed'.\nOnly the Dallas site.",
        "business_impact": "Half of the agents cannot take calls.",
        "severity": 2,
        "priority": "high",
    }
    values.update(overrides)
    return CaseDraft(**values)  # type: ignore[arg-type]


@pytest.fixture
def stored_cases(data_dir: Path) -> Path:
    with SqliteStore(data_dir / "supportbot.sqlite3") as store:
        store.cases.create_case(draft(), idempotency_key="a", actor_id="U01AAA", now=NOW)
        store.cases.create_case(
            draft(
                org_short_name="bergwerk",
                org_id=BERGWERK_ID,
                requester_id="U02AAA",
                requester_name="Jonas Weber",
                title="Reports \x1b[2Jshow no data",
                severity=3,
                priority="medium",
            ),
            idempotency_key="b",
            actor_id="U02AAA",
            now=NOW + timedelta(minutes=1),
        )
        store.cases.update_case(
            "CS-1001",
            actor_id="U0STAFF1",
            now=NOW + timedelta(hours=1),
            changes={"assignee_id": "U0STAFF1", "status": "waiting_on_customer"},
            action="take",
        )
    return data_dir


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["cases", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_without_cases_says_so(data_dir: Path, capsys) -> None:
    assert run(capsys, "list") == (0, "No cases.\n", "")


def test_list_shows_every_case_oldest_first(stored_cases: Path, capsys) -> None:
    code, out, err = run(capsys, "list")
    assert code == 0 and err == ""
    header, first, second = out.splitlines()
    assert header.split()[:4] == ["NUMBER", "SEV", "PRIORITY", "STATUS"]
    assert first.split()[:5] == ["CS-1001", "2", "high", "waiting_on_customer", "acme"]
    assert "Ana Ruiz" in first and "Agents cannot log in" in first
    assert second.startswith("CS-1002") and "bergwerk" in second
    assert "\x1b" not in out  # stored control characters never reach the terminal


def test_list_filters_by_organization_and_status(stored_cases: Path, capsys) -> None:
    code, out, _ = run(capsys, "list", "--org", "bergwerk")
    assert code == 0 and [line.split()[0] for line in out.splitlines()[1:]] == ["CS-1002"]
    code, out, _ = run(capsys, "list", "--status", "waiting_on_customer")
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["CS-1001"]
    assert run(capsys, "list", "--org", "wattle") == (0, "No cases for wattle.\n", "")


def test_list_json_carries_every_field(stored_cases: Path, capsys) -> None:
    code, out, _ = run(capsys, "list", "--org", "acme", "--json")
    [case] = json.loads(out)
    assert code == 0
    assert case["number"] == "CS-1001" and case["org_id"] == ACME_ID
    assert case["assignee_id"] == "U0STAFF1" and case["status"] == "waiting_on_customer"
    assert case["created_at"] == "2026-03-06T15:30:00+00:00"
    assert case["version"] == 2


def test_unknown_organization_is_a_usage_error(stored_cases: Path, capsys) -> None:
    code, out, err = run(capsys, "list", "--org", "globex")
    assert code == 2 and out == ""
    assert err == (
        "supportbot cases: unknown organization 'globex' (known: acme, bergwerk, wattle)\n"
    )


def test_organization_is_checked_against_the_contacts_file(
    stored_cases: Path, tmp_path: Path, capsys
) -> None:
    contacts = tmp_path / "contacts.yaml"
    contacts.write_text(
        "organizations:\n"
        "  - short_name: globex\n"
        "    name: Globex\n"
        "    id: 5d1f6a2e-8c3b-4f7a-9e0d-1b2c3d4e5f60\n"
        "    timezone: America/New_York\n"
        "    country: US\n"
        "staff: {channel: C0STAFF}\n"
    )
    assert run(capsys, "list", "--org", "globex", "--contacts", str(contacts)) == (
        0,
        "No cases for globex.\n",
        "",
    )


def test_show_prints_the_case_and_who_changed_what(stored_cases: Path, capsys) -> None:
    code, out, err = run(capsys, "show", "cs-1001")
    assert code == 0 and err == ""
    assert out.startswith("CS-1001: Agents cannot log in\n")
    assert "Severity:         2 High" in out
    assert "Status:           waiting_on_customer" in out
    assert "Created:          2026-03-06 15:30 UTC" in out
    assert "  Only the Dallas site." in out
    audit = out.split("Audit trail:\n")[1].splitlines()
    assert audit == [
        "  2026-03-06 15:30  U01AAA  create: opened the case",
        "  2026-03-06 16:30  U0STAFF1  take: assignee_id: - -> U0STAFF1; "
        "status: open -> waiting_on_customer",
    ]


def test_show_json_has_fields_and_audit_trail(stored_cases: Path, capsys) -> None:
    code, out, _ = run(capsys, "show", "CS-1002", "--json")
    document = json.loads(out)
    assert code == 0
    assert document["title"] == "Reports \x1b[2Jshow no data"  # JSON keeps data exact
    assert document["org_short_name"] == "bergwerk" and document["severity"] == 3
    [created] = document["audit_trail"]
    assert created["action"] == "create" and created["actor_id"] == "U02AAA"
    assert created["changes"]["severity"] == {"old": None, "new": 3}

    code, out, _ = run(capsys, "show", "CS-1001", "--json")
    take = json.loads(out)["audit_trail"][1]
    assert take["actor_id"] == "U0STAFF1" and take["at"] == "2026-03-06T16:30:00+00:00"
    assert take["changes"]["status"] == {"old": "open", "new": "waiting_on_customer"}


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("CS-9999", "supportbot cases: there is no case CS-9999\n"),
        ("1001", "supportbot cases: a case number looks like CS-1001, got '1001'\n"),
        ("CS-10x1", "supportbot cases: a case number looks like CS-1001, got 'CS-10x1'\n"),
    ],
)
def test_unknown_or_malformed_number_is_one_line_exit_2(
    stored_cases: Path, capsys, number: str, message: str
) -> None:
    before = (stored_cases / "supportbot.sqlite3").read_bytes()
    assert run(capsys, "show", number) == (2, "", message)
    assert (stored_cases / "supportbot.sqlite3").read_bytes() == before


def test_malformed_number_does_not_create_a_store(data_dir: Path, capsys) -> None:
    assert run(capsys, "show", "nope")[0] == 2
    assert not (data_dir / "supportbot.sqlite3").exists()


def test_store_that_cannot_open_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    monkeypatch.setenv("SUPPORTBOT_DATA_DIR", str(not_a_dir / "data"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    code, out, err = run(capsys, "list")
    assert code == 1 and out == ""
    assert err.startswith("supportbot cases: cannot use the data directory")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_installed_command_exits_2_with_one_line(stored_cases: Path) -> None:
    script = Path(sys.executable).with_name("supportbot")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli.main"]
    result = subprocess.run(
        [*command, "cases", "show", "CS-424242"],
        capture_output=True,
        text=True,
        env={**os.environ, "SUPPORTBOT_DATA_DIR": str(stored_cases)},
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr == "supportbot cases: there is no case CS-424242\n"


# --- streaming, --limit and --status (issue 13) ---------------------------------------------


@pytest.fixture
def many_cases(data_dir: Path) -> Path:
    """Seven acme cases, CS-1003 and CS-1006 closed, CS-1004 waiting on the customer."""
    with SqliteStore(data_dir / "supportbot.sqlite3") as store:
        for i in range(7):
            store.cases.create_case(
                draft(title=f"Problem {i}"), idempotency_key=f"k{i}", actor_id="U01AAA", now=NOW
            )
        for number, status in (
            ("CS-1003", "closed"),
            ("CS-1006", "closed"),
            ("CS-1004", "waiting_on_customer"),
        ):
            store.cases.update_case(
                number, actor_id="U0STAFF1", now=NOW, changes={"status": status}
            )
    return data_dir


def listed_numbers(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines()[1:]]


@pytest.mark.parametrize("page", [2, 500])
def test_limit_and_newest_first_pick_the_first_or_last_cases(
    many_cases: Path, capsys, monkeypatch: pytest.MonkeyPatch, page: int
) -> None:
    from bot.cli import cmd_cases

    monkeypatch.setattr(cmd_cases, "PAGE", page)
    assert listed_numbers(run(capsys, "list", "--limit", "3")[1]) == [
        "CS-1001",
        "CS-1002",
        "CS-1003",
    ]
    code, out, _ = run(capsys, "list", "--limit", "3", "--newest-first")
    assert code == 0 and listed_numbers(out) == ["CS-1007", "CS-1006", "CS-1005"]
    assert len(listed_numbers(run(capsys, "list")[1])) == 7
    code, out, _ = run(capsys, "list", "--status", "active", "--limit", "4")
    assert listed_numbers(out) == ["CS-1001", "CS-1002", "CS-1004", "CS-1005"]


def test_status_is_repeatable_or_a_comma_list(many_cases: Path, capsys) -> None:
    wanted = ["CS-1003", "CS-1004", "CS-1006"]
    assert (
        listed_numbers(run(capsys, "list", "--status", "closed,waiting_on_customer")[1]) == wanted
    )
    code, out, _ = run(capsys, "list", "--status", "closed", "--status", "WAITING_ON_CUSTOMER")
    assert code == 0 and listed_numbers(out) == wanted
    active = listed_numbers(run(capsys, "list", "--status", "active")[1])
    assert active == ["CS-1001", "CS-1002", "CS-1004", "CS-1005", "CS-1007"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--status", "done"), "unknown status 'done'"),
        (("--status", "open,"), "unknown status ''"),
        (("--limit", "0"), "expected a number of cases (1 or more), got '0'"),
        (("--limit", "lots"), "expected a number of cases"),
    ],
)
def test_bad_limit_or_status_is_a_usage_error(
    many_cases: Path, capsys, argv: tuple[str, ...], message: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["cases", "list", *argv])
    assert exited.value.code == 2 and message in capsys.readouterr().err


def test_json_is_streamed_as_the_same_array(
    many_cases: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import cmd_cases
    from bot.store.codec import case_to_dict

    monkeypatch.setattr(cmd_cases, "PAGE", 2)
    with SqliteStore(many_cases / "supportbot.sqlite3") as store:
        everything = [case_to_dict(c) for c in store.cases.list_cases()]
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0 and out == json.dumps(everything, indent=2, ensure_ascii=False) + "\n"
    _, out, _ = run(capsys, "list", "--json", "--limit", "1", "--status", "closed")
    assert [c["number"] for c in json.loads(out)] == ["CS-1003"]


def test_rows_are_printed_page_by_page_never_all_at_once(
    many_cases: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each read asks for one page, and the first page is out before the second is read."""
    from bot.cli import cmd_cases
    from bot.store.sqlite import SqliteCaseStore

    monkeypatch.setattr(cmd_cases, "PAGE", 3)
    reads: list[tuple[int | None, str]] = []
    original = SqliteCaseStore.list_cases

    def spy(self: SqliteCaseStore, **query: object) -> list:
        reads.append((query.get("limit"), capsys.readouterr().out))  # type: ignore[arg-type]
        return original(self, **query)  # type: ignore[arg-type]

    monkeypatch.setattr(SqliteCaseStore, "list_cases", spy)
    code, rest, _ = run(capsys, "list")
    out = "".join(printed for _, printed in reads) + rest
    assert code == 0 and listed_numbers(out) == [f"CS-{n}" for n in range(1001, 1008)]
    assert [limit for limit, _ in reads] == [3, 3, 3]
    assert listed_numbers(reads[1][1]) == ["CS-1001", "CS-1002", "CS-1003"]
