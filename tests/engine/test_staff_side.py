"""Staff actions reach the requester's thread; only staff may use them; all are audited."""

from __future__ import annotations

from bot.messages import Audience
from tests.engine.conftest import by_kind
from tests.engine.test_intake_flow import REPORT, script_report


def open_case(nlu, talk) -> str:  # type: ignore[no-untyped-def]
    script_report(nlu)
    ana = talk("U01AAA", key="D-ana")
    ana.say(REPORT)
    ana.say("skip")
    ana.say("skip")  # nothing to add to the background
    ana.say("yes")
    return by_kind(ana.say("yes"), "case_created").case_number or ""


def test_staff_take_acknowledges_and_tells_the_requester(nlu, talk, engine, store) -> None:
    number = open_case(nlu, talk)
    replies = engine.staff_take(number, "U0STAFF1")
    to_requester = by_kind(replies, "staff_took_case")
    assert to_requester.audience is Audience.REQUESTER
    assert to_requester.recipients == ("U01AAA",)
    assert to_requester.data["conversation_key"] == "D-ana"
    case = store.cases.get_case(number)
    assert case.assignee_id == "U0STAFF1" and case.acknowledged_at is not None
    assert store.cases.audit_trail(number)[-1].actor_id == "U0STAFF1"
    thread = store.trackers.load("D-ana")
    assert thread[-1]["event"] == "bot" and "has taken" in thread[-1]["text"]


def test_non_staff_cannot_use_staff_actions(nlu, talk, engine, store) -> None:
    number = open_case(nlu, talk)
    before = store.cases.get_case(number)
    for replies in (
        engine.staff_take(number, "U01AAA"),
        engine.staff_change_severity(number, "U01CCC", 1),
        engine.staff_reply(number, "UNKNOWN", "hello"),
    ):
        assert [r.kind for r in replies] == ["permission_denied"]
    assert store.cases.get_case(number) == before


def test_request_info_then_requester_update_reopens(nlu, talk, engine, store) -> None:
    from tests.engine.conftest import Parse

    number = open_case(nlu, talk)
    asked = by_kind(
        engine.staff_request_info(number, "U0STAFF2", "Which site?"), "staff_info_request"
    )
    assert "Which site?" in asked.text
    assert store.cases.get_case(number).status == "waiting_on_customer"
    update = f"update {number}: only the Chicago site, since 9am"
    nlu.add(Parse(text=update, intent="update_case"))
    replies = talk("U01AAA", key="D-ana").say(update)
    assert by_kind(replies, "case_updated")
    assert by_kind(replies, "staff_case_update").audience is Audience.STAFF
    case = store.cases.get_case(number)
    assert case.status == "open"
    assert case.notes[-1].text == "only the Chicago site, since 9am"
    assert "Chicago site, since 9am" not in case.description


def test_propose_resolution_and_change_severity(nlu, talk, engine, store) -> None:
    number = open_case(nlu, talk)
    engine.staff_propose_resolution(number, "U0STAFF1", "Fixed the trunk config.")
    assert store.cases.get_case(number).status == "resolution_proposed"
    changed = by_kind(
        engine.staff_change_severity(number, "U0STAFF1", 2, "wider impact"), "staff_severity_change"
    )
    assert "from Severity 3 – Medium to Severity 2 – High" in changed.text
    assert store.cases.get_case(number).severity == 2
    assert [r.kind for r in engine.staff_take("CS-x1", "U0STAFF1")] == ["invalid_case_number"]
