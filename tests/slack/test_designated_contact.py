"""Conversation 1 and the staff side through Slack: report, confirm, hand off, take, reply."""

from __future__ import annotations

from tests.slack.conftest import (
    IMPACT,
    REPORT,
    STAFF_CHANNEL,
    button_labels,
    last_post,
    open_case,
    text_of,
)


def test_report_to_case_to_staff_card_with_due_time(slack, fake_slack, store, nlu) -> None:
    response = slack.dm("U01AAA", REPORT)
    assert response.status == 200

    suggestion = last_post(slack, channel="D01AAA", containing="suggest Severity 3")
    assert "largely unaffected" in text_of(suggestion)
    last_post(slack, channel="D01AAA", containing="business impact")
    slack.dm("U01AAA", IMPACT)
    last_post(slack, channel="D01AAA", containing="Anything support should know")
    slack.dm("U01AAA", "skip")
    question = last_post(slack, channel="D01AAA", containing="Shall I use Severity 3")
    assert "Severity 2 – High" in text_of(question)  # a way to change the suggestion
    slack.click(question, "U01AAA", label="Yes")

    summary = last_post(slack, channel="D01AAA", containing="ready to open")
    assert store.cases.list_cases() == []  # nothing before the explicit confirmation
    labels = [
        e["text"]["text"]
        for b in summary["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["type"] == "button"
    ]
    assert labels == ["Confirm", "Edit", "Cancel"]
    slack.click(summary, "U01AAA", label="Confirm")

    created = last_post(slack, channel="D01AAA", containing="Opened CS-1001")
    # Wednesday 09:00 Chicago + 2 business hours (genesys-cloud S3).
    assert "Wed 18 Nov 2026, 11:00 CST (your time)" in created["text"]
    card = last_post(slack, channel=STAFF_CHANNEL, containing="New case CS-1001")
    card_text = text_of(card)
    for fact in (
        "Severity 3 – Medium",
        "Business impact",
        "supervisors",
        f"NLU confidence: {nlu.parse(REPORT).intent_confidence:.0%}",
        "Wed 18 Nov 2026, 11:00 CST",
    ):
        assert fact in card_text, fact
    assert button_labels(card) == [
        "Take",
        "Request info",
        "Propose resolution",
        "Change severity",
        "Change priority",
        "Restored",
        "Deliver RCA",
        "Deliver summary",
        "Close",
    ]
    # The summary's buttons were replaced by who answered, so it can't be confirmed twice.
    answered = fake_slack.wait_for("chat.update", lambda c: "chose" in text_of(c), count=2)
    assert any("Confirm" in text_of(c) for c in answered)
    assert [c.number for c in store.cases.list_cases()] == ["CS-1001"]


def test_confirming_twice_creates_one_case(slack, fake_slack, store) -> None:
    number, _card = open_case(slack)
    summary = last_post(slack, channel="D01AAA", containing="ready to open")
    slack.click(summary, "U01AAA", label="Confirm")  # a second press of the same button
    slack.posted_to("D01AAA", containing="nothing", timeout=3)
    assert [c.number for c in store.cases.list_cases()] == [number]
    assert (
        len(slack.fake.wait_for("chat.postMessage", lambda c: "New case" in text_of(c), timeout=1))
        == 1
    )


def test_take_stops_the_clock_and_reaches_the_requester(slack, fake_slack, store, clock) -> None:
    number, card = open_case(slack)
    assert store.cases.get_case(number).acknowledged_at is None

    slack.click(card, "U0STAFF1", label="Take")

    told = last_post(slack, channel="D01AAA", containing="has taken")
    assert "Sam Support" in told["text"]
    receipt = last_post(slack, channel=STAFF_CHANNEL, containing="Done:")
    assert receipt["thread_ts"] == card.response["ts"]  # in the case's thread
    case = store.cases.get_case(number)
    assert case.acknowledged_at == clock() and case.assignee_id == "U0STAFF1"
    # Both cards now show the acknowledgement (updated in place).
    updates = fake_slack.wait_for("chat.update", lambda c: "(acknowledged)" in text_of(c), count=2)
    assert {c["channel"] for c in updates} == {STAFF_CHANNEL, "D01AAA"}
    assert any(c["ts"] == card.response["ts"] for c in updates)


def test_staff_and_requester_talk_through_their_threads(slack, fake_slack, store) -> None:
    number, card = open_case(slack)

    slack.channel_message(
        "U0STAFF1",
        STAFF_CHANNEL,
        "We found a cache problem, fixing now",
        thread_ts=card.response["ts"],
    )
    relayed = last_post(slack, channel="D01AAA", containing="cache problem")
    assert relayed["text"].startswith(f"Support (Sam Support) on {number}")
    assert store.cases.get_case(number).acknowledged_at is not None  # a human replied

    slack.dm("U01AAA", "thanks, same in the other dashboard")
    back = last_post(slack, channel=STAFF_CHANNEL, containing="other dashboard")
    assert back["thread_ts"] == card.response["ts"]
    assert f"Update on {number} from Ana Ruiz" in back["text"]
    assert store.cases.get_case(number).notes[-1].text == "thanks, same in the other dashboard"


def test_staff_modals_request_info_propose_and_change_severity(slack, fake_slack, store) -> None:
    number, card = open_case(slack)

    slack.click(card, "U0STAFF1", label="Request info")
    modal = fake_slack.wait_for("views.open")[-1]
    assert modal["view"]["callback_id"] == "staff_text"
    empty = slack.submit(modal, "U0STAFF1", {"text": "   "})
    assert empty.status == 200 and '"response_action": "errors"' in empty.body
    slack.submit(modal, "U0STAFF1", {"text": "Which browser do the supervisors use?"})
    asked = last_post(slack, channel="D01AAA", containing="Which browser")
    assert "needs more information" in asked["text"]
    assert store.cases.get_case(number).status == "waiting_on_customer"

    slack.click(card, "U0STAFF1", label="Change severity")
    modal = fake_slack.wait_for("views.open", count=2)[-1]
    assert modal["view"]["callback_id"] == "staff_severity"
    slack.submit(modal, "U0STAFF1", {"severity": "2", "reason": "40 supervisors affected"})
    changed = last_post(slack, channel="D01AAA", containing="changed the severity")
    assert "to Severity 2 – High" in changed["text"]
    assert store.cases.get_case(number).severity == 2

    slack.click(card, "U0STAFF1", label="Propose resolution")
    modal = fake_slack.wait_for("views.open", count=3)[-1]
    slack.submit(modal, "U0STAFF1", {"text": "Clear the wallboard cache in Admin > Displays"})
    proposed = last_post(slack, channel="D01AAA", containing="proposes a resolution")
    assert "Clear the wallboard cache in Admin &gt; Displays" in proposed["text"]  # escaped
    assert store.cases.get_case(number).status == "resolution_proposed"
    assert fake_slack.wait_for(
        "chat.update",
        lambda c: c["channel"] == STAFF_CHANNEL and "Resolution proposed" in text_of(c),
    )


def test_mention_keeps_the_conversation_in_its_thread(slack, fake_slack, store) -> None:
    _response, ts = slack.mention("U01AAA", "C0GENERAL", REPORT)
    suggestion = last_post(slack, channel="C0GENERAL", containing="suggest Severity 3")
    assert suggestion["thread_ts"] == ts

    slack.channel_message("U01AAA", "C0GENERAL", IMPACT, thread_ts=ts)  # no mention needed
    background = last_post(slack, channel="C0GENERAL", containing="Anything support should know")
    assert background["thread_ts"] == ts
    slack.channel_message("U01AAA", "C0GENERAL", "skip", thread_ts=ts)
    question = last_post(slack, channel="C0GENERAL", containing="Shall I use Severity 3")
    assert question["thread_ts"] == ts

    # A thread the assistant isn't part of is left alone.
    slack.channel_message("U01AAA", "C0GENERAL", "lunch?", thread_ts="1763000000.000001")
    slack.channel_message("U01AAA", "C0GENERAL", "top-level chatter", thread_ts=None)
    slack.click(question, "U01AAA", label="Yes")
    summary = last_post(slack, channel="C0GENERAL", containing="ready to open")
    slack.click(summary, "U01AAA", label="Confirm")
    created = last_post(slack, channel="C0GENERAL", containing="Opened CS-1001")
    assert created["thread_ts"] == ts
    assert store.cases.get_case("CS-1001").origin_thread == f"C0GENERAL:{ts}"
    assert not [
        c
        for c in fake_slack.calls_to("chat.postMessage")
        if c.get("thread_ts") == "1763000000.000001" or "chatter" in text_of(c)
    ]


def test_escalation_answer_lands_in_the_requester_thread(slack, fake_slack, store) -> None:
    number, card = open_case(slack)
    _response, ts = slack.mention("U01AAA", "C0GENERAL", f"please escalate {number}")
    answer = last_post(slack, channel="C0GENERAL", containing="escalation")
    assert answer["thread_ts"] == ts
    assert f"{number} meets every escalation criterion" in answer["text"]
    routed = last_post(slack, channel=STAFF_CHANNEL, containing="Escalation request")
    assert routed["thread_ts"] == card.response["ts"] and routed["reply_broadcast"] in (True, "1")


def test_escalating_a_closed_case_explains_why_not(slack, fake_slack, store, clock) -> None:
    number, _card = open_case(slack)
    store.cases.update_case(
        number,
        actor_id="U0STAFF1",
        now=clock(),
        changes={"status": "closed", "closed_at": clock()},
        action="close",
    )
    slack.dm("U01AAA", f"please escalate {number}")
    answer = last_post(slack, channel="D01AAA", containing="can't be escalated")
    assert "What to do instead" in answer["text"]
    assert not slack.fake.wait_for(
        "chat.postMessage", lambda c: "Escalation request" in text_of(c), timeout=1
    )


def test_a_new_problem_in_the_same_dm_is_not_relayed_to_the_old_case(slack, fake_slack) -> None:
    _number, card = open_case(slack)
    slack.dm(
        "U01AAA", "Agents can't log in to the softphone since this morning, we use desk phones"
    )
    last_post(slack, channel="D01AAA", containing="Before I suggest a severity")
    assert not fake_slack.wait_for(
        "chat.postMessage",
        lambda c: c.get("thread_ts") == card.response["ts"] and "softphone" in text_of(c),
        timeout=1,
    )


def test_answers_to_a_new_intake_are_not_relayed_to_the_old_case(slack, fake_slack) -> None:
    _number, card = open_case(slack)
    slack.dm("U01AAA", REPORT)  # the same problem again, or another like it
    slack.posted_to("D01AAA", containing="business impact", count=2)
    slack.dm("U01AAA", "Forty supervisors cannot trust the mobiles figures")
    slack.posted_to("D01AAA", containing="Anything support should know", count=2)
    assert not fake_slack.wait_for(
        "chat.postMessage",
        lambda c: c.get("thread_ts") == card.response["ts"] and "mobiles" in text_of(c),
        timeout=1,
    )
