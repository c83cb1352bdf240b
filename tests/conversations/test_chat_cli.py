"""`supportbot chat` with stdin piped: a scripted conversation, marked by audience."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.nlu import reuse_trained_nlu

SUPPORTBOT = Path(sys.executable).with_name("supportbot")


def chat(args: list[str], lines: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SUPPORTBOT_DATA_DIR": str(data_dir)}
    env.pop("REDIS_URL", None)
    env.pop("SUPPORTBOT_CONTACTS", None)
    return subprocess.run(
        [str(SUPPORTBOT), "chat", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_scripted_chat_creates_a_case_that_survives_a_restart(nlu_service, tmp_path) -> None:
    data_dir = tmp_path / "data"
    reuse_trained_nlu(data_dir)
    first = chat(
        ["--as", "U01AAA", "--now", "2026-11-20T16:30:00-06:00"],
        [
            "Reports in the analytics view load very slowly, but exports still work fine",
            "Supervisors wait minutes for each report every morning",
            "skip",
            "yes",
            "1",
            "/quit",
        ],
        data_dir,
    )
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "you> Reports in the analytics view" in out
    assert "bot> I'd suggest Severity" in out
    assert "[1] Confirm  [2] Edit  [3] Cancel" in out
    assert "bot> Opened CS-1001" in out and "Mon 23 Nov 2026" in out
    assert "[staff #C0STAFF] New case CS-1001" in out
    assert "Traceback" not in out + first.stderr

    again = chat(["--as", "U01AAA"], ["what's the status of CS-1001?"], data_dir)
    assert "bot> CS-1001" in again.stdout, again.stdout + again.stderr


def test_employee_chat_shows_the_notification(nlu_service, tmp_path) -> None:
    data_dir = tmp_path / "data"
    reuse_trained_nlu(data_dir)
    result = chat(
        ["--as", "U01CCC"],
        ["Reports in the analytics view load very slowly, but exports still work fine"],
        data_dir,
    )
    assert "[notify U01AAA, U01BBB]" in result.stdout, result.stdout + result.stderr
    assert "Ana Ruiz (primary) and Ben Cho (backup)" in result.stdout


def test_bad_arguments_are_one_line_errors(tmp_path) -> None:
    result = chat(["--as", "U01AAA", "--now", "2026-11-20T16:30"], [], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "supportbot chat: --now needs a time zone offset, e.g. 2026-11-20T16:30:00-06:00"
    )


def test_staff_verbs_in_the_terminal_record_restoration_and_deliver_the_rca(
    nlu_service, tmp_path
) -> None:
    data_dir = tmp_path / "data"
    reuse_trained_nlu(data_dir)
    opened = chat(
        ["--as", "U01AAA", "--now", "2026-11-20T16:30:00-06:00"],
        [
            "Reports in the analytics view load very slowly, but exports still work fine",
            "Supervisors wait minutes for each report every morning",
            "skip",
            "yes",
            "1",
            "/staff U0STAFF1 severity CS-1001 1 whole org affected",
            "/staff U01AAA restored CS-1001 platform",
            "/staff U0STAFF1 restored CS-1001 platform",
            "/staff U0STAFF1 rca CS-1001 Root cause: a bad deploy of the reporting service",
            "/staff U0STAFF1 priority CS-1001 sideways",
        ],
        data_dir,
    )
    out = opened.stdout
    assert "priority is now critical" in out, out + opened.stderr
    assert "Only support staff can do that; nothing was changed." in out
    assert "recorded that service is restored on CS-1001 (a platform-level incident)" in out
    assert "delivered the RCA for CS-1001" in out
    assert "Priority must be low, medium, high or critical." in out
    assert "Traceback" not in out + opened.stderr
