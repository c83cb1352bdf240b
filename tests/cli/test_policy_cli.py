"""`supportbot policy show|due|escalation` as a support admin runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli.main import main

CASE: dict[str, Any] = {
    "status": "open",
    "priority": "high",
    "severity": 2,
    "last_update_at": "2026-03-10T15:00:00+00:00",
    "last_update_by": "customer",
    "awaiting_customer": False,
    "reason": "no_progress",
    "restored_at": None,
    "business_impact_ongoing": True,
    "tz": "America/New_York",
}
VALID_DUE_ARGS = ["--severity", "2", "--opened", "2026-03-06T16:59Z", "--tz", "UTC"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["policy", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out, err = run(capsys, *argv, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def write_case(tmp_path: Path, **changes: Any) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({**CASE, **changes}), encoding="utf-8")
    return path


# --- show ------------------------------------------------------------------------------------


def test_show_lists_severities_targets_hours_and_phone_lines(capsys) -> None:
    code, out, err = run(capsys, "show")
    assert (code, err) == (0, "")
    for expected in (
        "1 Critical (Code Red)",
        "Profile genesys-cloud (default)",
        "Profile purecloud",
        "10 minutes (phone)",
        "2 business hours (portal)",
        "1 business day (web)",
        "mean 72 hours",
        "5 business days",
        "08:00-17:00",
        "+1-866-353-6587",
        "+81-3-5989-1106",
        "Mon-Fri 09:00-17:30 JST",
        "24x7",
    ):
        assert expected in out, expected
    assert "Mon-Fri 08:00-17:00 in the customer's own time zone" in out


def test_show_fits_a_terminal(capsys) -> None:
    _, out, _ = run(capsys, "show")
    assert max(len(line) for line in out.splitlines()) <= 100


# --- due -------------------------------------------------------------------------------------


def test_due_friday_1659_new_york(capsys) -> None:
    result = run_json(
        capsys, "due", "--severity", "2", "--opened", "2026-03-06T16:59-05:00",
        "--tz", "America/New_York",
    )  # fmt: skip
    assert result == {
        "initial_response_due": "2026-03-09T09:59:00-04:00",
        "restoration_due": "2026-03-10T16:59:00-04:00",
    }


def test_due_severity_1_saturday_0300(capsys) -> None:
    result = run_json(
        capsys, "due", "--severity", "1", "--opened", "2026-03-07T03:00-05:00",
        "--tz", "America/New_York",
    )  # fmt: skip
    assert result == {
        "initial_response_due": "2026-03-07T03:10:00-05:00",
        "restoration_due": "2026-03-07T07:00:00-05:00",
    }


def test_due_answers_in_the_given_zone_for_a_utc_opening(capsys) -> None:
    result = run_json(
        capsys, "due", "--severity", "3", "--opened", "2026-03-06T23:00Z", "--tz", "Asia/Tokyo"
    )
    assert result["initial_response_due"] == "2026-03-09T10:00:00+09:00"


def test_due_purecloud_low_has_no_restoration(capsys) -> None:
    result = run_json(
        capsys, "due", "--severity", "4", "--opened", "2026-10-23T16:00+02:00",
        "--tz", "Europe/Berlin", "--profile", "purecloud",
    )  # fmt: skip
    assert result == {"initial_response_due": "2026-10-26T16:00:00+01:00", "restoration_due": None}


def test_due_with_a_holiday(capsys) -> None:
    result = run_json(
        capsys, "due", "--severity", "2", "--opened", "2026-12-24T16:30-05:00",
        "--tz", "America/New_York", "--holiday", "2026-12-25",
    )  # fmt: skip
    assert result["initial_response_due"] == "2026-12-28T09:30:00-05:00"


def test_due_text_output_names_profile_and_targets(capsys) -> None:
    code, out, _ = run(
        capsys, "due", "--severity", "2", "--opened", "2026-03-06T16:59-05:00",
        "--tz", "America/New_York",
    )  # fmt: skip
    assert code == 0
    assert "Profile genesys-cloud" in out
    assert "2026-03-09T09:59:00-04:00" in out
    assert "2 business hours" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--severity", "7", "--opened", "2026-03-06T16:59-05:00", "--tz", "UTC"], "--severity"),
        (["--severity", "two", "--opened", "2026-03-06T16:59-05:00", "--tz", "UTC"], "--severity"),
        (["--severity", "2", "--opened", "2026-03-06T16:59", "--tz", "UTC"], "needs a UTC offset"),
        (["--severity", "2", "--opened", "Friday", "--tz", "UTC"], "not an ISO 8601 timestamp"),
        (["--severity", "2", "--opened", "2026-03-06T16:59Z", "--tz", "Mars/Olympus"], "--tz"),
        (
            ["--severity", "2", "--opened", "2026-03-06T16:59Z", "--tz", "UTC", "--profile", "x"],
            "--profile: unknown profile 'x'",
        ),
        (
            [*VALID_DUE_ARGS, "--holiday", "25/12"],
            "--holiday",
        ),
    ],
)
def test_due_bad_arguments_one_line_exit_2(capsys, argv: list[str], message: str) -> None:
    code, out, err = run(capsys, "due", *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


# --- escalation ------------------------------------------------------------------------------


def test_escalation_eligible_high_priority_case(capsys, tmp_path: Path) -> None:
    result = run_json(
        capsys, "escalation", "--case", str(write_case(tmp_path)), "--now", "2026-03-11T15:00Z"
    )
    assert result["eligible"] is True
    assert result["failed"] == []
    assert result["next_step"]


def test_escalation_too_early_for_high_priority(capsys, tmp_path: Path) -> None:
    result = run_json(
        capsys, "escalation", "--case", str(write_case(tmp_path)), "--now", "2026-03-11T14:59Z"
    )
    assert result["eligible"] is False
    assert result["failed"] == ["high_priority_wait_and_impact"]
    assert "Wed 11 Mar 2026, 11:00 EDT" in result["next_step"]


def test_escalation_closed_low_priority_lists_both_rules(capsys, tmp_path: Path) -> None:
    path = write_case(tmp_path, status="closed", priority="low", severity=4)
    result = run_json(capsys, "escalation", "--case", str(path), "--now", "2026-03-12T15:00Z")
    assert result["failed"] == ["case_is_active", "priority_eligible"]
    assert "Reopen" in result["next_step"]
    assert set(result) == {"eligible", "failed", "next_step"}


def test_escalation_rca_waits_five_business_days(capsys, tmp_path: Path) -> None:
    path = write_case(
        tmp_path, reason="rca", severity=1, priority="medium", restored_at="2026-03-06T16:59-05:00"
    )
    early = run_json(capsys, "escalation", "--case", str(path), "--now", "2026-03-13T16:58-04:00")
    assert early["failed"] == ["rca_window_elapsed"]
    ready = run_json(capsys, "escalation", "--case", str(path), "--now", "2026-03-13T16:59-04:00")
    assert ready["eligible"] is True


def test_escalation_text_output_shows_each_rule(capsys, tmp_path: Path) -> None:
    code, out, _ = run(
        capsys, "escalation", "--case", str(write_case(tmp_path, awaiting_customer=True)),
        "--now", "2026-03-12T15:00Z",
    )  # fmt: skip
    assert code == 0
    assert "Not eligible for escalation." in out
    assert "[FAIL] nothing_awaiting_customer" in out
    assert "[pass] case_is_active" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("{not json", "is not valid JSON"),
        (b"\xff\xfe\x00", "is not UTF-8 text"),
        (json.dumps({**CASE, "severity": 7}), "severity: must be a whole number 1-4"),
        (json.dumps({**CASE, "last_update_at": "2026-03-10T15:00"}), "needs a UTC offset"),
        (json.dumps({**CASE, "tz": "Nowhere/City"}), "tz: unknown time zone"),
        (json.dumps([CASE]), "must be a JSON object"),
    ],
)
def test_escalation_bad_case_file_one_line_exit_2(
    capsys, tmp_path: Path, content: str | bytes | None, message: str
) -> None:
    path = tmp_path / "case.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "escalation", "--case", str(path), "--now", "2026-03-12T15:00Z")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert message in err


def test_escalation_case_path_that_is_a_directory(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "escalation", "--case", str(tmp_path), "--now", "2026-03-12T15:00Z")
    assert code == 2
    assert "--case" in err


def test_escalation_now_without_offset_is_rejected(capsys, tmp_path: Path) -> None:
    path = write_case(tmp_path)
    code, _, err = run(capsys, "escalation", "--case", str(path), "--now", "2026-03-12T15:00")
    assert code == 2
    assert "--now: needs a UTC offset" in err


def test_installed_command_exits_2_with_one_line(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("supportbot")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli.main"]
    result = subprocess.run(
        [*command, "policy", "due", "--severity", "7", "--opened", "2026-03-06T16:59Z",
         "--tz", "UTC"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "supportbot policy: --severity: severity must be 1, 2, 3 or 4, got '7'"
    ]
