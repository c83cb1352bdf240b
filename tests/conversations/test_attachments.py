"""Files shared in a conversation go on its case: at once, or when the intake opens it."""

from __future__ import annotations

from datetime import UTC, datetime

from freezegun import freeze_time

from bot.messages import Audience, Inbound, Outbound, SharedFile
from tests.conversations.conftest import Person, kinds, one, texts
from tests.conversations.test_case_conversations import open_case as open_shared_case

MONDAY_0900_CHICAGO = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
THREAD = "C0GENERAL:1763478000.000100"
REPORT_PDF = SharedFile(
    name="report.pdf",
    mimetype="application/pdf",
    size=12 * 1024,
    permalink="https://acme-support.slack.com/files/U01AAA/F0REPORT/report.pdf",
)
TRACE = SharedFile(
    name="trace.har",
    mimetype="application/json",
    size=2_200_000,
    permalink="https://acme-support.slack.com/files/U01AAA/F0TRACE/trace.har",
)


def share(someone: Person, *files: SharedFile, text: str = "") -> list[Outbound]:
    """What a chat surface sends for a message with files (Slack's "file_share")."""
    return someone.engine.handle(
        Inbound(
            sender_id=someone.slack_id,
            text=text,
            conversation_key=someone.key,
            received_at=someone.engine.clock(),
            channel="test",
            files=files,
        )
    )


def pending_files(store, key: str):  # type: ignore[no-untyped-def]
    """The files the conversation keeps for the case its intake will open."""
    events = store.trackers.load(key)
    kept = [e for e in events if e.get("event") == "slot" and e["name"] == "pending_attachments"]
    return kept[-1]["value"] if kept else None


def open_case(store, *, origin_thread: str = "D-U01AAA") -> str:  # type: ignore[no-untyped-def]
    """A Medium case opened from `origin_thread`."""
    return open_shared_case(
        store, priority="medium", severity=3, key=origin_thread, thread=origin_thread
    )


@freeze_time("2026-11-17T15:00:00+00:00")
def test_a_file_in_the_case_conversation_is_attached_and_staff_are_told(person, store) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store)
    replies = share(person("U01AAA"), REPORT_PDF)
    told = one(replies, "attached")
    assert told.audience is Audience.REQUESTER
    assert told.text == f"Attached report.pdf (12 KB) to {number}."
    staff = one(replies, "staff_attachment")
    assert staff.audience is Audience.STAFF and staff.recipients == ("C0STAFF",)
    assert staff.case_number == number and "report.pdf (12 KB)" in staff.text
    case = store.cases.get_case(number)
    (attachment,) = case.attachments
    assert (attachment.name, attachment.mimetype, attachment.size) == (
        "report.pdf",
        "application/pdf",
        12 * 1024,
    )
    assert attachment.permalink == REPORT_PDF.permalink and attachment.added_by == "U01AAA"
    entry = store.cases.audit_trail(number)[-1]
    assert entry.action == "attach" and entry.actor_id == "U01AAA"
    assert [a["name"] for a in entry.changes["attachments"]["added"]] == ["report.pdf"]


@freeze_time("2026-11-17T15:00:00+00:00")
def test_the_text_with_a_file_is_handled_as_usual_after_it(person, store, engine) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store)
    engine.staff_request_info(number, "U0STAFF1", "Can you send a browser trace?")
    replies = share(
        person("U01AAA"), TRACE, text="the trace is from the CHI-EDGE-01 agents this morning"
    )
    assert kinds(replies)[:2] == ["attached", "staff_attachment"], texts(replies)
    assert "trace.har (2.1 MB)" in replies[0].text
    assert one(replies, "case_updated").case_number == number  # the answer, as without a file
    case = store.cases.get_case(number)
    assert [a.name for a in case.attachments] == ["trace.har"]
    assert case.notes[-1].text == "the trace is from the CHI-EDGE-01 agents this morning"
    assert case.status == "open"


@freeze_time("2026-11-17T15:00:00+00:00")
def test_the_same_file_twice_is_attached_once(person, store) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store)
    ana = person("U01AAA")
    share(ana, REPORT_PDF)
    again = share(ana, REPORT_PDF)
    assert one(again, "already_attached").text == (
        f"report.pdf (12 KB) is already attached to {number}."
    )
    assert len(store.cases.get_case(number).attachments) == 1


@freeze_time("2026-11-17T15:00:00+00:00")
def test_files_shared_during_the_intake_go_on_the_case_it_opens(person, store) -> None:  # type: ignore[no-untyped-def]
    ana = person("U01AAA")
    first = share(
        ana,
        REPORT_PDF,
        text="Reports in the analytics view load very slowly, but exports still work fine",
    )
    assert one(first, "attachment_pending").text == (
        "I'll attach report.pdf (12 KB) to the case when it's opened."
    )
    assert "severity_suggestion" in kinds(first), texts(first)  # the report starts the intake
    during = share(ana, TRACE)
    assert "attachment_pending" in kinds(during) and "staff_attachment" not in kinds(during)
    assert store.cases.list_cases() == []
    ana.say("Supervisors wait minutes for each report every morning")
    ana.say("skip")
    summary = ana.say("yes")
    assert "case_summary" in kinds(summary), texts(summary)
    created = ana.say("confirm")
    number = one(created, "case_created").case_number
    assert one(created, "attached").text == (
        f"Attached report.pdf (12 KB) and trace.har (2.1 MB) to {number}."
    )
    assert "Attachments: report.pdf (12 KB), trace.har (2.1 MB)" in (
        one(created, "staff_handoff").text
    )
    case = store.cases.get_case(number)
    assert [a.name for a in case.attachments] == ["report.pdf", "trace.har"]
    assert case.description.startswith("Reports in the analytics view")
    assert pending_files(store, ana.key) is None  # used once: a next case starts without them


@freeze_time("2026-11-17T15:00:00+00:00")
def test_a_cancelled_intake_forgets_its_files(person, store) -> None:  # type: ignore[no-untyped-def]
    ana = person("U01AAA")
    ana.say("Reports in the analytics view load very slowly, but exports still work fine")
    share(ana, REPORT_PDF)
    ana.say("Supervisors wait minutes for each report every morning")
    ana.say("skip")
    ana.say("yes")
    assert len(pending_files(store, ana.key) or []) == 1
    cancelled = ana.say("cancel")
    assert "cancelled" in kinds(cancelled), texts(cancelled)
    assert pending_files(store, ana.key) is None


@freeze_time("2026-11-17T15:00:00+00:00")
def test_a_stranger_s_file_to_someone_else_s_case_is_refused(person, store) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store, origin_thread=THREAD)
    before = store.cases.get_case(number)
    trail = len(store.cases.audit_trail(number))
    for stranger in ("U02AAA", "U01CCC"):  # another organization; a non-designated colleague
        refused = share(person(stranger, key=THREAD), REPORT_PDF)
        assert kinds(refused) == ["permission_denied"], texts(refused)
        assert "haven't attached report.pdf" in refused[0].text
        assert not any(r.audience is Audience.STAFF for r in refused)
        assert "Calls drop" not in texts(refused) and number not in texts(refused)
    after = store.cases.get_case(number)
    assert after.attachments == () and after.version == before.version
    assert len(store.cases.audit_trail(number)) == trail
    # A designated contact of the case's organization may (the same rule as updating).
    ben = share(person("U01BBB", key=THREAD), REPORT_PDF)
    assert one(ben, "attached").case_number == number, texts(ben)
    assert "Ben Cho attached report.pdf" in one(ben, "staff_attachment").text


@freeze_time("2026-11-17T15:00:00+00:00")
def test_a_closed_case_takes_no_files(person, store, engine) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store)
    engine.staff_reply(number, "U0STAFF1", "The trunk configuration is fixed.")
    engine.staff.close(number, "U0STAFF1")
    replies = share(person("U01AAA"), REPORT_PDF)
    closed = one(replies, "case_closed")
    assert closed.text.startswith(f"{number} is closed, so I haven't attached report.pdf (12 KB).")
    assert "staff_attachment" not in kinds(replies)
    assert store.cases.get_case(number).attachments == ()


@freeze_time("2026-11-17T15:00:00+00:00")
def test_a_file_without_text_is_not_an_empty_message(person, store) -> None:  # type: ignore[no-untyped-def]
    replies = share(person("U01AAA"), REPORT_PDF)
    assert "empty_message" not in kinds(replies)
    assert one(replies, "attachment_pending").text.endswith(
        "Tell me what the problem is, and we'll open it."
    )
