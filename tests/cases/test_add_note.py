"""Notes are a timeline on the case; the description is never appended to."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.errors import NotAllowedNow
from cases.operations import add_note
from cases.vocabulary import NoteKind
from tests.cases.conftest import OPENED, applied, make_case

LATER = OPENED + timedelta(hours=2)


def test_a_customer_update_is_a_note_and_leaves_the_description_alone() -> None:
    case = make_case()
    change = add_note(
        case, author_id="U01AAA", kind=NoteKind.CUSTOMER_UPDATE, text="EU too", now=LATER
    )
    assert "description" not in change.fields
    assert [note.text for note in applied(case, change).notes] == ["EU too"]


def test_notes_accumulate_in_order() -> None:
    case = make_case()
    for text in ("first", "second"):
        change = add_note(
            case, author_id="U01AAA", kind=NoteKind.CUSTOMER_UPDATE, text=text, now=LATER
        )
        case = applied(case, change)
    assert [note.text for note in case.notes] == ["first", "second"]


@pytest.mark.parametrize("status", ["waiting_on_customer", "resolution_proposed"])
def test_a_customer_update_opens_a_waiting_case_again(status: str) -> None:
    change = add_note(
        make_case(status=status),
        author_id="U01AAA",
        kind=NoteKind.CUSTOMER_UPDATE,
        text="still broken",
        now=LATER,
    )
    assert change.fields["status"] == "open"


def test_a_staff_reply_is_the_initial_response() -> None:
    change = add_note(
        make_case(), author_id="U0STAFF1", kind=NoteKind.STAFF_REPLY, text="On it", now=LATER
    )
    assert change.fields["acknowledged_at"] == LATER
    assert change.fields["last_update_by"] == "support"


def test_a_customer_cannot_add_to_a_closed_case() -> None:
    with pytest.raises(NotAllowedNow):
        add_note(
            make_case(status="closed"),
            author_id="U01AAA",
            kind=NoteKind.CUSTOMER_UPDATE,
            text="hello?",
            now=LATER,
        )
