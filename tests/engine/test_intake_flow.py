"""The intake form through the engine: validation, confirmation, idempotency, store failures."""

from __future__ import annotations

import sqlite3

from bot.messages import Audience
from nlu.entities import Entity
from tests.engine.conftest import Parse, by_kind, texts

REPORT = (
    "Calls to our Chicago queue drop after 30 seconds, agents call customers back "
    "which takes twice as long for the whole billing team today"
)
GOOD_ID = "3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6b"


def script_report(nlu) -> None:  # type: ignore[no-untyped-def]
    nlu.add(
        Parse(
            text=REPORT,
            intent="report_issue",
            impact="degraded",
            workaround="yes",
            severity=3,
            severity_reasons=["calls drop after 30 seconds", "agents call customers back"],
        )
    )
    nlu.add(Parse(text="yes", intent="affirm"))
    nlu.add(Parse(text="no", intent="deny"))


def test_malformed_conversation_id_is_explained_and_asked_again(nlu, talk, store) -> None:
    script_report(nlu)
    ana = talk("U01AAA")
    first = ana.say(REPORT)
    assert by_kind(first, "severity_suggestion").data["severity"] == 3
    assert "conversation ID" in first[-1].text

    bad = ana.say("3f2b9c1e-8a4d-4e5f-9b6a")
    assert "isn't a conversation ID" in texts(bad)
    assert "20 hexadecimal digits; a conversation ID has 32" in texts(bad)
    assert "conversation ID" in bad[-1].text  # asked again
    assert store.cases.list_cases() == []

    worse = ana.say("3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5zzz")
    assert "characters a conversation ID never has (“z”)" in texts(worse)

    ok = ana.say(GOOD_ID)
    assert by_kind(ok, "utter_ask_background")  # the ID is taken: the next question
    asked = ana.say("skip")
    assert by_kind(asked, "ask_severity").text.startswith("Shall I use Severity 3 – Medium?")


def test_a_case_is_created_once_after_explicit_confirmation(nlu, talk, store) -> None:
    script_report(nlu)
    ana = talk("U01AAA")
    ana.say(REPORT)
    ana.say(GOOD_ID)
    ana.say("skip")  # nothing to add to the background
    summary = by_kind(ana.say("yes"), "case_summary")
    assert f"Conversation ID: {GOOD_ID}" in summary.text
    assert store.cases.list_cases() == []  # nothing before the confirmation

    created = ana.press(summary, "confirm_case")
    case_created = by_kind(created, "case_created")
    handoff = by_kind(created, "staff_handoff")
    assert handoff.audience is Audience.STAFF and handoff.recipients == ("C0STAFF",)
    assert case_created.case_number == "CS-1001"
    # Friday 16:30 Chicago + 2 business hours (genesys-cloud S3) = Monday 09:30 local.
    assert "Mon 23 Nov 2026, 09:30 CST (your time)" in case_created.text

    again = ana.say("yes")
    assert by_kind(again, "utter_nothing_pending")
    cases = store.cases.list_cases()
    assert [c.number for c in cases] == ["CS-1001"]
    assert cases[0].conversation_id == GOOD_ID and cases[0].severity == 3
    assert cases[0].requester_id == "U01AAA" and cases[0].org_short_name == "acme"


def test_store_failure_at_creation_changes_nothing_and_a_retry_creates_one_case(
    nlu, talk, store, data_dir
) -> None:
    script_report(nlu)
    ana = talk("U01AAA")
    ana.say(REPORT)
    ana.say("skip")
    ana.say("skip")  # nothing to add to the background
    ana.say("yes")
    breaker = sqlite3.connect(data_dir / "supportbot.sqlite3")
    breaker.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON cases BEGIN SELECT RAISE(ABORT, 'disk'); END"
    )
    breaker.commit()

    down = ana.say("yes")
    assert [r.kind for r in down] == ["store_unavailable"]
    assert "couldn't reach the case store" in down[0].text
    assert store.cases.list_cases() == []

    breaker.execute("DROP TRIGGER refuse")
    breaker.commit()
    breaker.close()
    retried = ana.say("yes")  # the summary is still waiting for confirmation
    assert by_kind(retried, "case_created").case_number == "CS-1001"
    assert len(store.cases.list_cases()) == 1


def test_cancel_creates_nothing(nlu, talk, store) -> None:
    script_report(nlu)
    ana = talk("U01AAA")
    ana.say(REPORT)
    ana.say("skip")
    ana.say("skip")  # nothing to add to the background
    summary = by_kind(ana.say("yes"), "case_summary")
    cancelled = ana.press(summary, "cancel_case")
    assert "Nothing was created" in texts(cancelled)
    assert store.cases.list_cases() == []


def test_changing_severity_on_the_summary(nlu, talk, store) -> None:
    script_report(nlu)
    ana = talk("U01AAA")
    ana.say(REPORT)
    ana.say("skip")
    ana.say("skip")  # nothing to add to the background
    ana.say("yes")
    nlu.add(
        Parse(
            text="make it high",
            intent="change_severity",
            entities=[Entity("severity", "high", 8, 12)],
        )
    )
    summary = by_kind(ana.say("make it high"), "case_summary")
    assert "Severity: Severity 2 – High" in summary.text
    ana.say("yes")
    assert store.cases.list_cases()[0].severity == 2


def test_a_retried_delivery_is_handled_once(nlu, talk, store) -> None:
    script_report(nlu)
    ana = talk("U01AAA")
    ana.say(REPORT)
    ana.say("skip")
    ana.say("skip")  # nothing to add to the background
    ana.say("yes")
    assert by_kind(ana.say("yes", event_id="Ev1"), "case_created")
    assert ana.say("yes", event_id="Ev1") == []
    assert len(store.cases.list_cases()) == 1


def test_conversation_resumes_after_a_restart(nlu, talk, data_dir, clock) -> None:
    from bot.directory import load_directory
    from bot.engine import Engine
    from bot.store.factory import open_store
    from tests.engine.conftest import Conversation

    script_report(nlu)
    ana = talk("U01AAA")
    ana.say(REPORT)
    ana.say("skip")
    ana.say("skip")  # nothing to add to the background
    ana.say("yes")  # summary shown, waiting for confirmation
    reopened = open_store(data_dir=data_dir)
    try:
        engine = Engine(store=reopened, directory=load_directory(), nlu=nlu, clock=clock)
        created = Conversation(engine, "U01AAA", ana.key, clock).say("yes")
        assert by_kind(created, "case_created").case_number == "CS-1001"
        assert reopened.cases.get_case("CS-1001") is not None
    finally:
        reopened.close()


def test_staff_get_the_handoff_when_the_creating_turn_failed_after_writing(
    nlu, talk, store, data_dir
) -> None:
    script_report(nlu)
    ana = talk("U01AAA")
    ana.say(REPORT)
    ana.say("skip")
    ana.say("skip")  # nothing to add to the background
    ana.say("yes")
    breaker = sqlite3.connect(data_dir / "supportbot.sqlite3")
    breaker.execute(  # the case is written, then saving the conversation fails
        "CREATE TRIGGER refuse BEFORE INSERT ON tracker_events "
        "BEGIN SELECT RAISE(ABORT, 'disk'); END"
    )
    breaker.commit()
    assert [r.kind for r in ana.say("yes")] == ["store_unavailable"]
    assert len(store.cases.list_cases()) == 1
    breaker.execute("DROP TRIGGER refuse")
    breaker.commit()
    breaker.close()

    retried = ana.say("yes")
    assert "already open: CS-1001" in by_kind(retried, "case_created").text
    assert by_kind(retried, "staff_handoff").case_number == "CS-1001"
    assert len(store.cases.list_cases()) == 1
