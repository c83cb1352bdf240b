"""`/attach PATH` in `supportbot chat`, and the attachments in `supportbot cases show`."""

from __future__ import annotations

import json
import os
import subprocess

from tests.conversations.test_chat_cli import SUPPORTBOT, chat, reuse_trained_nlu

INTAKE = [
    "Reports in the analytics view load very slowly, but exports still work fine",
    "Supervisors wait minutes for each report every morning",
    "skip",
    "yes",
    "confirm",
]


def cases_show(data_dir, *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = {**os.environ, "SUPPORTBOT_DATA_DIR": str(data_dir)}
    env.pop("REDIS_URL", None)
    env.pop("SUPPORTBOT_CONTACTS", None)
    return subprocess.run(
        [str(SUPPORTBOT), "cases", "show", "CS-1001", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_attach_a_local_file_to_the_case_and_see_it_in_cases_show(nlu_service, tmp_path) -> None:
    data_dir = tmp_path / "data"
    reuse_trained_nlu(data_dir)
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.7\n" + b"0" * (12 * 1024 - 9))
    missing = tmp_path / "nope" / "missing.log"

    result = chat(
        ["--as", "U01AAA", "--now", "2026-11-20T10:30:00-06:00"],
        [*INTAKE, f"/attach {report}", f"/attach {missing}", "/attach", "/quit"],
        data_dir,
    )

    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "bot> Opened CS-1001" in out, out
    assert "bot> Attached report.pdf (12 KB) to CS-1001." in out
    assert "[staff #C0STAFF] Ana Ruiz (requester) attached report.pdf (12 KB) to CS-1001." in out
    assert f"\nThere's no file at {missing}, so nothing was attached.\n" in out
    assert "Usage: /attach PATH" in out
    assert "Traceback" not in out + result.stderr

    shown = cases_show(data_dir)
    assert shown.returncode == 0, shown.stderr
    section = shown.stdout.split("\nAttachments:\n", 1)[1]
    first, link = section.splitlines()[:2]
    assert first.startswith("  report.pdf (12 KB)  application/pdf  added by U01AAA at 2026-11-20")
    assert link.strip() == str(report.resolve())
    assert "U01AAA  attach: attached report.pdf" in shown.stdout  # the audit trail

    as_json = json.loads(cases_show(data_dir, "--json").stdout)
    (attachment,) = as_json["attachments"]
    assert attachment["name"] == "report.pdf" and attachment["size"] == 12 * 1024
    assert attachment["mimetype"] == "application/pdf"
    assert attachment["permalink"] == str(report.resolve())


def test_a_file_attached_during_the_intake_waits_for_the_case(nlu_service, tmp_path) -> None:
    data_dir = tmp_path / "data"
    reuse_trained_nlu(data_dir)
    trace = tmp_path / "trace.har"
    trace.write_text("{}", encoding="utf-8")

    result = chat(
        ["--as", "U01AAA", "--now", "2026-11-20T10:30:00-06:00"],
        [INTAKE[0], f"/attach '{trace}'", *INTAKE[1:]],
        data_dir,
    )

    out = result.stdout
    assert "bot> I'll attach trace.har (2 bytes) to the case when it's opened." in out, out
    assert "bot> Attached trace.har (2 bytes) to CS-1001." in out
    assert "Attachments: trace.har (2 bytes)" in out  # in the staff handoff
