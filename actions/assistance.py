"""Help that is not a case: knowledge-base answers, a person on request, honest fallback."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import conversation_key, requester, requester_id
from actions.ports import find_person, staff_channel
from actions.replies import STAFF, YES_NO_BUTTONS, button, quote, say
from actions.runtime import current
from actions.understanding import read, to_parse_data
from nlu.kb_text import readable_answer

MISUNDERSTANDINGS_BEFORE_HANDOFF = 2


class ActionKbAnswer(Action):
    def name(self) -> str:
        return "action_kb_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        question = str(tracker.latest_message.get("text") or "")
        match = current().nlu.answer(question)
        if match is None:
            text = "I don't know the answer to that, and I'd rather not guess."
            if not tracker.active_loop_name:  # in a report, its question follows instead
                text += (
                    " If something is broken, describe the problem and I'll help you open a "
                    "case; or ask for a person and I'll bring in support staff."
                )
            say(dispatcher, text, kind="kb_no_answer")
            return [SlotSet("kb_question", None)]
        # The FAQ's "See <page>." pointers name pages the chat cannot link to.
        answer = readable_answer(match.answer)
        if tracker.active_loop_name:
            # Asked in the middle of a report: answer, and let the report's question follow.
            say(
                dispatcher,
                f"From the knowledge base ({match.question}):\n{answer}",
                kind="kb_answer",
                data={"question": match.question, "score": float(match.score)},
            )
            return [SlotSet("kb_question", None)]
        say(
            dispatcher,
            f"From the knowledge base ({match.question}):\n{answer}\n\nDid this solve it?",
            kind="kb_answer",
            buttons=YES_NO_BUTTONS,
            data={"question": match.question, "score": float(match.score)},
        )
        return [SlotSet("pending_confirmation", "kb_feedback"), SlotSet("kb_question", question)]


class ActionKbNotSolved(Action):
    """The answer did not help: treat the question as a problem report."""

    def name(self) -> str:
        return "action_kb_not_solved"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        from actions.triage import triage

        events: list[dict[str, Any]] = [
            SlotSet("pending_confirmation", None),
            SlotSet("kb_question", None),
        ]
        person = requester(tracker, dispatcher)
        question = str(tracker.get_slot("kb_question") or "")
        if person is None:
            return events
        if not question.strip():
            say(dispatcher, "Sorry about that. Please describe the problem.", kind="kb_not_solved")
            return events
        say(
            dispatcher, "Sorry it didn't help. Let's look at it as a problem.", kind="kb_not_solved"
        )
        understanding = read(to_parse_data(current().nlu.parse(question)))
        return events + triage(dispatcher, person, understanding)


def hand_to_staff(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> None:
    person = find_person(requester_id(tracker))
    who = f"{person.name} ({person.org_short_name})" if person else requester_id(tracker)
    last = quote(str(tracker.latest_message.get("text") or ""), limit=300)
    say(
        dispatcher,
        "I've asked the support team to join; a person will reply here. Anything you add "
        "in this conversation reaches them.",
        kind="human_handoff",
    )
    say(
        dispatcher,
        f"{who} needs a person ({reason}). Conversation {conversation_key(tracker)}. "
        f"Last message: “{last}”",
        kind="staff_handoff_request",
        audience=STAFF,
        recipients=(staff_channel(),),
        buttons=(button("join_conversation", "Join", conversation_key(tracker)),),
        data={"reason": reason, "conversation_key": conversation_key(tracker)},
    )


class ActionHumanHandoff(Action):
    def name(self) -> str:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        hand_to_staff(dispatcher, tracker, "asked for a person")
        return [SlotSet("fallback_count", 0.0)]


class ActionDefaultFallback(Action):
    """Low confidence: say so; after repeated misunderstandings bring in a person."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        count = int(tracker.get_slot("fallback_count") or 0) + 1
        if count >= MISUNDERSTANDINGS_BEFORE_HANDOFF:
            say(
                dispatcher,
                "Sorry, I still don't understand.",
                kind="fallback",
            )
            hand_to_staff(dispatcher, tracker, f"I misunderstood {count} times in a row")
            return [SlotSet("fallback_count", 0.0)]
        if tracker.get_slot("pending_confirmation"):
            say(
                dispatcher,
                "Sorry, I didn't catch that. Please answer yes or no (or press a button).",
                kind="fallback",
            )
            return [SlotSet("fallback_count", float(count))]
        say(
            dispatcher,
            "Sorry, I didn't understand that. You can describe a problem, ask how to do "
            "something, or ask about a case (e.g. “status of CS-1001”). Say “agent” for a person.",
            kind="fallback",
        )
        return [SlotSet("fallback_count", float(count))]
