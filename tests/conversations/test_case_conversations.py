"""PRODUCT.md conversations 6-10 and the restart guarantee, end to end."""

from __future__ import annotations

from datetime import UTC, datetime

from freezegun import freeze_time

from bot.directory import load_directory
from bot.engine import Engine
from bot.messages import Audience
from bot.store.factory import open_store
from bot.store.models import CaseDraft
from tests.conversations.conftest import Person, kinds, one, texts

MONDAY_0900_CHICAGO = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)


def open_case(  # type: ignore[no-untyped-def]
    store, *, priority: str = "high", severity: int = 2, key: str = "k", thread: str = "D-U01AAA"
) -> str:
    draft = CaseDraft(
        org_short_name="acme",
        org_id="0f8fad5b-d9cb-469f-a165-70867728950e",
        requester_id="U01AAA",
        requester_name="Ana Ruiz",
        title="Calls drop after 30 seconds",
        description="Inbound calls on the billing queue drop after 30 seconds",
        business_impact="Agents call customers back; the team is much slower",
        severity=severity,
        priority=priority,
        origin_thread=thread,
    )
    case, _ = store.cases.create_case(
        draft, idempotency_key=key, actor_id="U01AAA", now=MONDAY_0900_CHICAGO
    )
    return case.number


@freeze_time("2026-11-17T15:00:00+00:00")
def test_6_status_by_number_mine_and_my_organizations(person, store) -> None:
    mine = open_case(store, key="a")
    ana = person("U01AAA")
    status = one(ana.say(f"what's the status of {mine}?"), "status")
    assert mine in status.text and "Open" in status.text
    listed = one(ana.say("show me my open cases"), "status")
    assert listed.data["cases"] == [mine]
    other = person("U01BBB").say(f"what's the status of {mine}?")
    assert one(other, "status").case_number == mine  # same organization may look
    outsider = person("U02AAA").say(f"what's the status of {mine}?")
    assert "case_not_found" in kinds(outsider) and "billing" not in texts(outsider)


@freeze_time("2026-11-17T15:00:00+00:00")
def test_7_update_and_priority_change(person, store) -> None:
    number = open_case(store, priority="medium", severity=3)
    ana = person("U01AAA")
    updated = ana.say(f"update {number}: it now also happens at our Dallas site")
    assert one(updated, "case_updated").case_number == number, texts(updated)
    assert one(updated, "staff_case_update").audience is Audience.STAFF
    assert "Dallas site" in store.cases.get_case(number).notes[-1].text
    raise_it = ana.say(f"can you raise the priority of {number} to high?")
    assert "Nothing changes until they approve" in one(raise_it, "priority_change").text
    denied = person("U01CCC").say(f"update {number}: it now also happens at our Dallas site")
    assert "permission_denied" in kinds(denied)


@freeze_time("2026-11-17T15:00:00+00:00")
def test_8_close_with_confirmation(person, store) -> None:
    number = open_case(store)
    ana = person("U01AAA")
    ask = one(ana.say(f"please close {number}, it's fixed"), "confirm_close")
    assert number in ask.text and store.cases.get_case(number).status == "open"
    closed = ana.say("yes")
    assert one(closed, "case_closed").case_number == number
    assert store.cases.get_case(number).status == "closed"
    assert store.cases.audit_trail(number)[-1].actor_id == "U01AAA"


def test_9_escalation_eligible_or_not_with_reasons(person, store) -> None:
    high = open_case(store, key="h")
    low = open_case(store, priority="low", severity=4, key="l")
    ana = person("U01AAA")
    with freeze_time("2026-11-16T20:00:00+00:00"):  # 5 hours after the last update
        early = ana.say(f"I want to escalate {high}, there is no progress")
        early = one(early, "escalation_answer")
        assert early.data["eligible"] is False and "24 hours" in early.text
    with freeze_time("2026-11-17T16:00:00+00:00"):  # 25 hours later
        ok = ana.say(f"I want to escalate {high}, there is no progress")
        assert one(ok, "escalation_answer").data["eligible"] is True, texts(ok)
        assert one(ok, "staff_escalation").audience is Audience.STAFF
        assert store.cases.audit_trail(high)[-1].action == "escalation_requested"
        refused = one(
            ana.say(f"I want to escalate {low}, there is no progress"), "escalation_answer"
        )
        assert refused.data["eligible"] is False and "What to do instead" in refused.text


@freeze_time("2026-11-18T15:00:00+00:00")
def test_10_rca_due_date_or_case_summary(person, store) -> None:
    platform = open_case(store, priority="critical", severity=1, key="p")
    isolated = open_case(store, priority="critical", severity=1, key="i")
    restored = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)  # Monday 12:00 Chicago
    for number, flag in ((platform, True), (isolated, False)):
        store.cases.update_case(
            number,
            actor_id="U0STAFF1",
            now=restored,
            changes={"restored_at": restored, "platform_level": flag},
        )
    ana = person("U01AAA")
    rca = ana.say(f"when will we get the RCA for {platform}?")
    assert "Mon 23 Nov 2026, 12:00 CST" in one(rca, "rca_rca").text
    summary = ana.say(f"when will we get the RCA for {isolated}?")
    assert "case summary" in one(summary, "rca_case_summary").text


def test_a_confirmed_case_is_still_there_after_a_restart(person, store, data_dir, nlu_service):  # type: ignore[no-untyped-def]
    ana = person("U01AAA")
    ana.say("Reports in the analytics view load very slowly, but exports still work fine")
    for answer in (
        "Supervisors wait minutes for each report every morning",
        "skip",
        "yes please",
        "yes, create the case",
    ):
        replies = ana.say(answer)
    assert one(replies, "case_created").case_number == "CS-1001", texts(replies)
    store.close()
    reopened = open_store(data_dir=data_dir)
    try:
        assert reopened.cases.get_case("CS-1001").requester_id == "U01AAA"
        engine = Engine(store=reopened, directory=load_directory(), nlu=nlu_service)
        status = Person(engine, "U01AAA", "D-other").say("what's the status of CS-1001?")
        assert one(status, "status").case_number == "CS-1001"
    finally:
        reopened.close()
