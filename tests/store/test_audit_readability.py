"""The audit trail says what changed in words a person can read."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store.changes import audit_changes
from cases.entity import Note
from tests.cases.conftest import make_case

LONG = "URGENT - nobody at acme can log in since the 9:00 deploy, " + "details " * 30


def test_a_long_text_change_shows_the_part_that_changed() -> None:
    case = make_case(description=LONG + "the end")
    recorded = audit_changes(case, {"description": LONG + "and the Berlin site too"})
    change = recorded["description"]
    assert change["old"].endswith("the end") and change["new"].endswith("Berlin site too")
    assert change["old"].startswith("…") and "URGENT" not in change["new"]


def test_short_text_is_kept_whole() -> None:
    recorded = audit_changes(make_case(title="Old title"), {"title": "New title"})
    assert recorded["title"] == {"old": "Old title", "new": "New title"}


def test_a_new_note_is_recorded_as_added_not_as_the_whole_timeline() -> None:
    first = Note(
        kind="customer_update", author_id="U1", at=datetime(2026, 1, 1, tzinfo=UTC), text="a"
    )
    second = Note(kind="staff_reply", author_id="S1", at=datetime(2026, 1, 2, tzinfo=UTC), text="b")
    recorded = audit_changes(make_case(notes=(first,)), {"notes": (first, second)})
    assert recorded["notes"] == {"added": [second.to_dict()]}
