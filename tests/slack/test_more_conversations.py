"""The rest of PRODUCT.md's conversations through Slack: several problems, how-to, status,
update, priority change, closing with confirmation, RCA."""

from __future__ import annotations

from tests.slack.conftest import STAFF_CHANNEL, button_labels, last_post, open_case, text_of

TWO_PROBLEMS = (
    "The wallboard shows wrong numbers for queue stats. "
    "Also, agents cannot log in to the softphone since this morning."
)


def test_several_problems_are_taken_one_at_a_time(slack, fake_slack) -> None:
    slack.dm("U01AAA", TWO_PROBLEMS)
    split = last_post(slack, channel="D01AAA", containing="separate problems")
    assert "one at a time" in split["text"] and "softphone" in split["text"]
    # The wallboard's impact is open, so the first question comes before a suggestion.
    assert last_post(slack, channel="D01AAA", containing="Before I suggest a severity")


def test_how_to_question_is_answered_from_the_knowledge_base(slack, fake_slack, store) -> None:
    slack.dm("U01CCC", "how do I reset my password")
    answer = last_post(slack, channel="D01CCC", containing="password")
    labels = [
        e["text"]["text"] for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert labels[:2] == ["Yes", "No"]  # "did that solve it?"
    slack.click(answer, "U01CCC", label="No")
    assert last_post(slack, channel="D01CCC", containing="problem")
    assert store.cases.list_cases() == []


def test_status_update_priority_and_rca_in_the_requesters_thread(slack, fake_slack, store) -> None:
    number, card = open_case(slack)

    slack.dm("U01AAA", f"status of {number}")
    status = last_post(slack, channel="D01AAA", containing=f"{number} ·")
    assert "Severity 3 – Medium" in status["text"]

    slack.dm("U01AAA", f"update {number}: the problem also affects the Berlin queue since noon")
    assert last_post(slack, channel="D01AAA", containing=f"Added your update to {number}")
    relayed = last_post(slack, channel=STAFF_CHANNEL, containing="Berlin queue")
    assert relayed["thread_ts"] == card.response["ts"]
    assert "Berlin queue" in store.cases.get_case(number).notes[-1].text

    slack.dm("U01AAA", f"please raise the priority of {number} to high")
    assert last_post(slack, channel="D01AAA", containing="priority")

    slack.dm("U01AAA", f"we need an RCA for {number}")
    assert last_post(slack, channel="D01AAA", containing="RCA")


def test_closing_needs_a_confirmation_from_a_designated_contact(slack, fake_slack, store) -> None:
    number, _card = open_case(slack)
    slack.dm("U01AAA", f"close {number}")
    question = last_post(slack, channel="D01AAA", containing="close")
    assert store.cases.get_case(number).status != "closed"
    slack.click(question, "U01AAA", label="Yes")
    closed = fake_slack.wait_for(
        "chat.postMessage", lambda c: c["channel"] == "D01AAA" and "closed" in text_of(c).lower()
    )
    assert closed
    assert store.cases.get_case(number).status == "closed"
    # Both cards show it closed; the staff card can only reopen it.
    staff_updates = fake_slack.wait_for(
        "chat.update", lambda c: c["channel"] == STAFF_CHANNEL and "Closed" in text_of(c)
    )
    assert staff_updates
    assert button_labels(staff_updates[-1]) == ["Reopen", "Deliver RCA", "Deliver summary"]


def test_an_employee_cannot_close_a_case(slack, fake_slack, store) -> None:
    number, _card = open_case(slack)
    slack.dm("U01CCC", f"close {number}")
    answer = last_post(slack, channel="D01CCC", containing="")
    assert "designated contact" in answer["text"]
    assert store.cases.get_case(number).status == "open"


def test_asking_for_a_person_opens_a_two_way_staff_thread(slack, fake_slack, store) -> None:
    slack.dm("U01AAA", "I want to talk to a human")
    assert last_post(slack, channel="D01AAA", containing="a person will reply here")
    request = last_post(slack, channel=STAFF_CHANNEL, containing="needs a person")

    slack.click(request, "U01CCC", label="Join")  # not staff
    assert fake_slack.wait_for(
        "chat.postEphemeral", lambda c: c["user"] == "U01CCC" and "Only support staff" in text_of(c)
    )
    slack.click(request, "U0STAFF1", label="Join")
    assert last_post(slack, channel="D01AAA", containing="Support (Sam Support): I've joined")

    slack.channel_message(
        "U0STAFF1", STAFF_CHANNEL, "Which queue is affected?", thread_ts=request.response["ts"]
    )
    assert last_post(slack, channel="D01AAA", containing="Which queue is affected?")
    slack.dm("U01AAA", "thanks, the Chicago sales queue")
    back = last_post(slack, channel=STAFF_CHANNEL, containing="Chicago sales queue")
    assert back["thread_ts"] == request.response["ts"] and "Ana Ruiz wrote" in back["text"]
