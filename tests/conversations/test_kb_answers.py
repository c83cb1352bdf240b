"""A how-to question, answered from the knowledge base, as the requester sees it."""

from __future__ import annotations

from bot.messages import Inbound
from tests.conversations.conftest import one, texts

# Answered by the FAQ entry "How do I get the conversation ID?", whose answer ends with the
# pointer "See Get a conversation ID for Support" (a page the chat cannot link to).
HOWTO = "How do I find the conversation ID of a call?"


def test_the_answer_asks_if_it_solved_it_with_yes_and_no_buttons(person) -> None:
    answer = one(person("U01AAA").say(HOWTO), "kb_answer")
    assert answer.text.endswith("Did this solve it?")
    assert [(b.label, b.value) for b in answer.buttons] == [("Yes", "/affirm"), ("No", "/deny")]


def test_the_answer_keeps_the_faq_text_without_the_see_pointer(person) -> None:
    replies = person("U01AAA").say(HOWTO)
    answer = one(replies, "kb_answer")
    assert (
        "The conversation ID is a unique identifier for each interaction in PureCloud. This ID "
        "is required by PureCloud Support for most Severity 1 tickets.\n\nDid this solve it?"
    ) in answer.text, texts(replies)
    assert "See Get a conversation ID" not in answer.text


def test_pressing_the_yes_button_closes_the_question_without_a_case(person, store) -> None:
    ana = person("U01AAA")
    yes = next(b for b in one(ana.say(HOWTO), "kb_answer").buttons if b.label == "Yes")
    press = Inbound(
        sender_id="U01AAA",
        text="",
        conversation_key=ana.key,
        received_at=ana.engine.clock(),
        channel="test",
        action=yes.action_id,
        action_value=yes.value,
    )
    replies = ana.engine.handle(press)
    assert [r.text for r in replies] == ["Glad that solved it! Ask me any time."], texts(replies)
    assert store.cases.list_cases() == []
