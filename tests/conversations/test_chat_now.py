"""`supportbot chat --now` on the default data dir: a throwaway copy, real cases untouched.

The user's "real" data dir is the default one (XDG_DATA_HOME/supportbot, with neither
--data-dir nor SUPPORTBOT_DATA_DIR), holding CS-1001 with a proposed resolution that closes
on Wed 25 Nov 2026 unless the customer answers (set by the staff verbs, which are kept
because that chat names the data dir). A chat pinned a month later fires that
closure, which must happen in the copy only.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.store.factory import open_store
from bot.store.models import CaseDraft
from tests.conversations.test_chat_cli import SUPPORTBOT, reuse_trained_nlu

FRIDAY_1630_CHICAGO = "2026-11-20T16:30:00-06:00"
A_MONTH_LATER = "2026-12-21T10:00:00-06:00"  # long after the closure on Wed 25 Nov
NOTICE = (
    "supportbot chat: --now works on a throwaway copy of the case store{source}; nothing done "
    "in this chat is kept (name a store with --data-dir or SUPPORTBOT_DATA_DIR to keep it)."
)


def environment(home: Path, **extra: str) -> dict[str, str]:
    """A user with no SUPPORTBOT_DATA_DIR, whose default data dir is under `home`."""
    env = {**os.environ, "XDG_DATA_HOME": str(home / "xdg"), "TMPDIR": str(home / "tmp")}
    for name in ("SUPPORTBOT_DATA_DIR", "REDIS_URL", "SUPPORTBOT_CONTACTS"):
        env.pop(name, None)
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    return {**env, **extra}


def supportbot(
    args: list[str], env: dict[str, str], lines: list[str] | tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SUPPORTBOT), *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture
def home(nlu_service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default data dir holds the trained NLU (as after a first start) and no store."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    reuse_trained_nlu(tmp_path / "xdg" / "supportbot")
    return tmp_path


def open_case_in(data_dir: Path) -> None:
    """CS-1001 for Ana Ruiz (acme), opened on Friday 20 Nov 2026."""
    with open_store(data_dir=data_dir) as store:
        store.cases.create_case(
            CaseDraft(
                org_short_name="acme",
                org_id="0f8fad5b-d9cb-469f-a165-70867728950e",
                requester_id="U01AAA",
                requester_name="Ana Ruiz",
                title="Reports load slowly",
                description="Reports in the analytics view load very slowly",
                business_impact="Supervisors wait minutes for each report every morning",
                severity=3,
                priority="medium",
                origin_thread="D-U01AAA",
            ),
            idempotency_key="seed",
            actor_id="U01AAA",
            now=datetime.fromisoformat(FRIDAY_1630_CHICAGO),
        )


@pytest.fixture
def real_case(home: Path) -> Path:
    """CS-1001 in the default store, its resolution proposed on Friday (kept: dir named)."""
    real = home / "xdg" / "supportbot"
    open_case_in(real)
    seeded = supportbot(
        ["chat", "--as", "U01AAA", "--now", FRIDAY_1630_CHICAGO],
        environment(home, SUPPORTBOT_DATA_DIR=str(real)),
        [
            "/staff U0STAFF1 take CS-1001",
            "/staff U0STAFF1 propose CS-1001 Clear the report cache",
        ],
    )
    assert "It closes at Wed 25 Nov 2026" in seeded.stdout, seeded.stdout + seeded.stderr
    return real


def real_case_json(home: Path, number: str, *options: str) -> dict[str, Any]:
    shown = supportbot(["cases", "show", number, "--json", *options], environment(home))
    assert shown.returncode == 0, shown.stderr
    found: dict[str, Any] = json.loads(shown.stdout)
    return found


def test_chat_now_in_the_future_leaves_the_real_case_open(home: Path, real_case: Path) -> None:
    later = supportbot(
        ["chat", "--as", "U01AAA", "--now", A_MONTH_LATER],
        environment(home),
        ["what's the status of CS-1001?"],
    )
    assert later.returncode == 0, later.stderr
    assert real_case_json(home, "CS-1001")["status"] == "resolution_proposed"


def test_chat_now_works_on_a_copy_of_the_real_cases(home: Path, real_case: Path) -> None:
    later = supportbot(
        ["chat", "--as", "U01AAA", "--now", A_MONTH_LATER],
        environment(home),
        ["what's the status of CS-1001?"],
    )
    # The copy has the real case, and its closure fires there as of --now.
    assert "bot> CS-1001 was closed because the proposed resolution" in later.stdout, (
        later.stdout + later.stderr
    )


def test_chat_now_says_first_that_nothing_is_kept(home: Path, real_case: Path) -> None:
    later = supportbot(["chat", "--as", "U01AAA", "--now", A_MONTH_LATER], environment(home))
    source = f" ({real_case / 'supportbot.sqlite3'})"
    assert later.stderr.splitlines()[0] == NOTICE.format(source=source), later.stderr


def test_a_change_made_in_a_chat_with_now_is_not_kept(home: Path) -> None:
    open_case_in(home / "xdg" / "supportbot")
    taken = supportbot(
        ["chat", "--as", "U01AAA", "--now", FRIDAY_1630_CHICAGO],
        environment(home),
        ["/staff U0STAFF1 take CS-1001"],
    )
    assert "has taken CS-1001" in taken.stdout, taken.stdout + taken.stderr
    assert real_case_json(home, "CS-1001")["assignee_id"] is None


def test_without_a_store_yet_chat_now_starts_empty_and_creates_none(home: Path) -> None:
    later = supportbot(
        ["chat", "--as", "U01AAA", "--now", A_MONTH_LATER],
        environment(home),
        ["what's the status of CS-1001?"],
    )
    assert "(empty: there is no store yet)" in later.stderr.splitlines()[0], later.stderr
    assert not (home / "xdg" / "supportbot" / "supportbot.sqlite3").exists()


def test_the_throwaway_copy_leaves_no_files_behind(home: Path) -> None:
    open_case_in(home / "xdg" / "supportbot")
    taken = supportbot(
        ["chat", "--as", "U01AAA", "--now", FRIDAY_1630_CHICAGO],
        environment(home),
        ["/staff U0STAFF1 take CS-1001"],
    )
    assert "has taken CS-1001" in taken.stdout, taken.stdout + taken.stderr
    assert list((home / "tmp").iterdir()) == []


def test_chat_now_reuses_the_trained_nlu_of_the_real_data_dir(home: Path) -> None:
    verbose = supportbot(
        ["-v", "chat", "--as", "U01AAA", "--now", FRIDAY_1630_CHICAGO],
        environment(home),
        ["what's the status of CS-1001?"],
    )
    assert "bot> I can't find case CS-1001" in verbose.stdout, verbose.stdout + verbose.stderr
    assert "NLU model built" not in verbose.stderr  # logged (with -v) whenever it trains


def test_chat_now_with_a_named_data_dir_keeps_what_it_does(home: Path) -> None:
    named = home / "named"
    reuse_trained_nlu(named)
    open_case_in(named)
    taken = supportbot(
        ["chat", "--as", "U01AAA", "--now", FRIDAY_1630_CHICAGO, "--data-dir", str(named)],
        environment(home),
        ["/staff U0STAFF1 take CS-1001"],
    )
    assert "throwaway" not in taken.stderr
    kept = real_case_json(home, "CS-1001", "--data-dir", str(named))
    assert kept["assignee_id"] == "U0STAFF1", taken.stdout + taken.stderr


def test_chat_now_with_redis_configured_starts_empty_and_never_reaches_redis(home: Path) -> None:
    # Nothing listens on port 9: a store opened there would fail to start the chat.
    env = environment(home, REDIS_URL="redis://127.0.0.1:9/0")
    later = supportbot(
        ["chat", "--as", "U01AAA", "--now", A_MONTH_LATER], env, ["what's the status of CS-1001?"]
    )
    assert later.returncode == 0, later.stderr
    assert "(empty: the cases in Redis are not copied)" in later.stderr.splitlines()[0]
    assert "bot> I can't find case CS-1001" in later.stdout, later.stdout + later.stderr
