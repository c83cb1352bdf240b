"""Conversations about existing cases: status, update, priority, close, escalation, RCA."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.messages import Audience
from bot.store.models import CaseDraft
from tests.engine.conftest import Parse, by_kind, texts


def make_case(store, *, severity=2, priority="high", requester="U01AAA", key="k1", now=None):  # type: ignore[no-untyped-def]
    draft = CaseDraft(
        org_short_name="acme",
        org_id="0f8fad5b-d9cb-469f-a165-70867728950e",
        requester_id=requester,
        requester_name="Ana Ruiz",
        title="Calls drop after 30 seconds",
        description="Calls drop after 30 seconds on the Chicago queue",
        business_impact="40 agents call customers back",
        severity=severity,
        priority=priority,
        origin_thread="D-origin",
    )
    case, _ = store.cases.create_case(
        draft,
        idempotency_key=key,
        actor_id=requester,
        now=now or datetime(2026, 11, 16, 15, 0, tzinfo=UTC),
    )
    return case


def test_status_by_number_and_for_the_organization(nlu, talk, store) -> None:
    mine = make_case(store, key="a")
    make_case(store, requester="U01BBB", key="b")
    for text, intent in (
        (f"status of {mine.number}", "check_status"),
        ("show my cases", "check_status"),
        ("show my organization's cases", "check_status"),
    ):
        nlu.add(Parse(text=text, intent=intent))
    ana = talk("U01AAA")
    assert by_kind(ana.say(f"status of {mine.number}"), "status").case_number == mine.number
    assert by_kind(ana.say("show my cases"), "status").data["cases"] == ["CS-1001"]
    org = by_kind(ana.say("show my organization's cases"), "status")
    assert org.data["cases"] == ["CS-1001", "CS-1002"]


def test_another_organizations_case_is_not_shown(nlu, talk, store) -> None:
    case = make_case(store)
    text = f"status of {case.number}"
    nlu.add(Parse(text=text, intent="check_status"))
    replies = talk("U02AAA").say(text)  # Bergwerk's designated contact
    assert by_kind(replies, "case_not_found")
    assert "Calls drop" not in texts(replies)


def test_close_needs_confirmation_and_a_designated_contact(nlu, talk, store) -> None:
    case = make_case(store)
    text = f"please close {case.number}"
    nlu.add(Parse(text=text, intent="close_case"))
    nlu.add(Parse(text="yes", intent="affirm"))
    nlu.add(Parse(text="no", intent="deny"))

    denied = talk("U01CCC", key="D-cy").say(text)
    assert "Ana Ruiz (primary) and Ben Cho (backup)" in by_kind(denied, "permission_denied").text

    ana = talk("U01AAA")
    ask = by_kind(ana.say(text), "confirm_close")
    assert [b.action_id for b in ask.buttons] == ["answer_yes", "answer_no"]
    ana.say("no")
    assert store.cases.get_case(case.number).status == "open"
    ana.say(text)
    closed = ana.say("yes")
    assert by_kind(closed, "staff_case_closed").audience is Audience.STAFF
    assert store.cases.get_case(case.number).status == "closed"
    assert store.cases.audit_trail(case.number)[-1].action == "close"


def _asks_priority(nlu, talk, store, text: str):  # type: ignore[no-untyped-def]
    case = make_case(store, severity=3, priority="medium", key="m")
    said = text.format(number=case.number)
    nlu.add(Parse(text=said, intent="change_priority"))
    return case, talk("U01AAA").say(said)


def test_asking_for_high_priority_goes_to_staff_and_changes_nothing_yet(nlu, talk, store) -> None:  # type: ignore[no-untyped-def]
    case, replies = _asks_priority(nlu, talk, store, "raise the priority of {number} to high")
    assert "Nothing changes until they approve" in by_kind(replies, "priority_change").text
    assert "asks for high" in by_kind(replies, "staff_priority_request").text
    stored = store.cases.get_case(case.number)
    assert (stored.priority, stored.priority_requested) == ("medium", "high")


def test_asking_for_low_priority_sets_it_with_a_work_note(nlu, talk, store) -> None:  # type: ignore[no-untyped-def]
    case, replies = _asks_priority(nlu, talk, store, "change the priority of {number} to low")
    assert "now has low priority" in by_kind(replies, "priority_change").text
    assert "changed from medium to low" in by_kind(replies, "staff_priority_changed").text
    stored = store.cases.get_case(case.number)
    assert stored.priority == "low"
    assert [note.kind for note in stored.notes] == ["work_note"]


def test_asking_for_critical_priority_points_to_the_phone(nlu, talk, store) -> None:  # type: ignore[no-untyped-def]
    case, replies = _asks_priority(nlu, talk, store, "{number} priority critical")
    assert "call the outage line" in by_kind(replies, "priority_change").text
    assert store.cases.get_case(case.number).priority == "medium"


def test_escalation_not_eligible_explains_and_changes_nothing(nlu, talk, store, clock) -> None:
    case = make_case(store, priority="low", severity=4, key="low")
    text = f"escalate {case.number}, nobody is working on it"
    nlu.add(Parse(text=text, intent="escalate"))
    before = store.cases.audit_trail(case.number)
    answer = by_kind(talk("U01AAA").say(text), "escalation_answer")
    assert answer.data["eligible"] is False
    assert "priority_eligible" in answer.data["failed"]
    assert "What to do instead" in answer.text
    assert store.cases.audit_trail(case.number) == before


def test_eligible_escalation_is_recorded_and_routed_to_staff(nlu, talk, store, clock) -> None:
    last_update = clock() - timedelta(hours=30)
    case = make_case(store, priority="high", severity=2, key="hi", now=last_update)
    text = f"escalate {case.number}, still no progress and agents keep losing calls"
    nlu.add(Parse(text=text, intent="escalate"))
    replies = talk("U01AAA").say(text)
    assert by_kind(replies, "escalation_answer").data["eligible"] is True
    assert by_kind(replies, "staff_escalation").audience is Audience.STAFF
    trail = store.cases.audit_trail(case.number)
    assert trail[-1].action == "escalation_requested" and trail[-1].actor_id == "U01AAA"


def test_rca_plan_for_platform_and_isolated_incidents(nlu, talk, store, clock) -> None:
    platform = make_case(store, severity=1, priority="critical", key="p")
    isolated = make_case(store, severity=1, priority="critical", key="i")
    restored = datetime(2026, 11, 13, 15, 0, tzinfo=UTC)  # Friday 09:00 Chicago
    for case, flag in ((platform, True), (isolated, False)):
        store.cases.update_case(
            case.number,
            actor_id="U0STAFF1",
            now=restored,
            changes={"restored_at": restored, "platform_level": flag},
        )
        nlu.add(Parse(text=f"when is the RCA for {case.number}?", intent="request_rca"))
    ana = talk("U01AAA")
    rca = by_kind(ana.say(f"when is the RCA for {platform.number}?"), "rca_rca")
    assert "Fri 20 Nov 2026, 09:00 CST" in rca.text  # five business days later
    summary = ana.say(f"when is the RCA for {isolated.number}?")
    assert "case summary" in by_kind(summary, "rca_case_summary").text
