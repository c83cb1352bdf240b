"""Files go on the case by reference, once each; a closed case takes none."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store.changes import audit_changes, validate_changes
from bot.store.codec import case_from_dict, case_to_dict
from bot.store.errors import InvalidChange
from cases.entity import Attachment, size_text
from cases.errors import NotAllowedNow
from cases.operations import EventKind, attach
from tests.cases.conftest import OPENED, applied, make_case

LATER = OPENED + timedelta(hours=2)


def report(name: str = "report.pdf", *, size: int = 12 * 1024, link: str = "") -> Attachment:
    return Attachment(
        name=name,
        mimetype="application/pdf",
        size=size,
        permalink=link or f"https://acme.slack.com/files/U01AAA/F0{len(name)}/{name}",
        added_by="U01AAA",
        at=LATER,
    )


def test_an_attachment_goes_on_the_case_with_an_attached_event() -> None:
    case = make_case()
    change = attach(case, attachments=[report()], author_id="U01AAA", now=LATER)
    assert change.action == "attach"
    assert [a.name for a in applied(case, change).attachments] == ["report.pdf"]
    (event,) = change.events
    assert event.kind is EventKind.ATTACHED and event.actor_id == "U01AAA"
    assert [a.label for a in event.details["attachments"]] == ["report.pdf (12 KB)"]
    assert "description" not in change.fields and "notes" not in change.fields


def test_attachments_accumulate_and_the_same_file_is_not_attached_twice() -> None:
    case = applied(
        make_case(), attach(make_case(), attachments=[report()], author_id="U01AAA", now=LATER)
    )
    both = attach(case, attachments=[report(), report("trace.log")], author_id="U01AAA", now=LATER)
    assert [a.name for a in applied(case, both).attachments] == ["report.pdf", "trace.log"]
    assert [a.name for a in both.events[0].details["attachments"]] == ["trace.log"]
    with pytest.raises(NotAllowedNow, match="already attached to CS-1001"):
        attach(case, attachments=[report()], author_id="U01AAA", now=LATER)


def test_a_file_from_the_customer_is_the_customer_speaking() -> None:
    change = attach(
        make_case(status="waiting_on_customer"),
        attachments=[report()],
        author_id="U01AAA",
        now=LATER,
    )
    assert change.fields["status"] == "open"
    assert change.fields["last_update_by"] == "customer"
    assert change.fields["last_update_at"] == LATER


def test_a_closed_case_takes_no_files() -> None:
    with pytest.raises(NotAllowedNow, match="closed"):
        attach(make_case(status="closed"), attachments=[report()], author_id="U01AAA", now=LATER)


def test_nothing_to_attach_is_refused() -> None:
    with pytest.raises(NotAllowedNow):
        attach(make_case(), attachments=[], author_id="U01AAA", now=LATER)


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (900, "900 bytes"),
        (12 * 1024, "12 KB"),
        (2_200_000, "2.1 MB"),
    ],
)
def test_sizes_read_as_people_say_them(size: int, shown: str) -> None:
    assert size_text(size) == shown


def test_attachments_survive_the_store_codec_and_are_audited_as_added() -> None:
    case = make_case()
    change = attach(case, attachments=[report()], author_id="U01AAA", now=LATER)
    checked = validate_changes(dict(change.fields))
    stored = case_from_dict(case_to_dict(applied(case, change)))
    assert stored.attachments == (report(),)
    recorded = audit_changes(case, checked)["attachments"]
    assert recorded == {"added": [report().to_dict()]}
    assert recorded["added"][0]["size"] == 12 * 1024


@pytest.mark.parametrize(
    "bad",
    [
        report(name=""),
        report(link=" "),
        Attachment(
            name="a.log",
            mimetype="text/plain",
            size=-1,
            permalink="/tmp/a",
            added_by="U1",
            at=LATER,
        ),
    ],
)
def test_the_store_refuses_a_bad_attachment(bad: Attachment) -> None:
    with pytest.raises(InvalidChange):
        validate_changes({"attachments": (bad,)})
