"""A message in a case's conversation is an answer or update on that case.

The engine reads it as `case_reply` (bot/engine/case_reply.py) after support wrote to the
requester, or in a Slack thread that holds a case; a long report there is `ask_which_case`,
answered by the buttons "Add it to CS-n" / "It's a new problem".
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.case_access import open_case_for
from actions.case_actions import add_customer_note, note_from
from actions.common import requester
from actions.replies import button, quote, say
from actions.runtime import current
from actions.triage import triage_or_ask
from actions.understanding import read, to_parse_data
from policy.contacts import ContactAction


def written_text(tracker: Tracker) -> str:
    """The person's own words: a button press ("/case_reply…") stands for the message before."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        text = str(event.get("text") or "").strip()
        if text and not text.startswith("/"):
            return text
    return ""


class ActionCaseReply(Action):
    def name(self) -> str:
        return "action_case_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        number = read(tracker.latest_message).entity("case_number")
        access = open_case_for(dispatcher, tracker, ContactAction.UPDATE, number=number)
        if access is None:
            return []
        if not access.case.is_active:
            say(
                dispatcher,
                f"{access.case.number} is closed, so I can't add to it. Ask support to reopen "
                "it, or describe the problem again to open a new case.",
                kind="case_closed",
                case_number=access.case.number,
            )
            return []
        text = note_from(written_text(tracker), access.case.number) or written_text(tracker)
        updated = add_customer_note(access, text, dispatcher)
        say(
            dispatcher,
            f"Added your answer to {updated.number} and passed it to support.",
            kind="case_updated",
            case_number=updated.number,
        )
        return [SlotSet("last_case_number", updated.number)]


class ActionAskWhichCase(Action):
    def name(self) -> str:
        return "action_ask_which_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        number = read(tracker.latest_message).entity("case_number") or ""
        case = current().store.cases.get_case(number) if number else None
        title = f" (“{quote(case.title, limit=80)}”)" if case else ""
        say(
            dispatcher,
            f"Is this about {number}{title}, or a new problem?",
            kind="ask_which_case",
            case_number=number or None,
            buttons=(
                button(
                    "add_to_case",
                    f"Add it to {number}",
                    f'/case_reply{{"case_number": "{number}"}}',
                ),
                button("new_problem", "It's a new problem", "/new_problem"),
            ),
        )
        return []


class ActionNewProblem(Action):
    """The message was a new problem after all: triage it like any report."""

    def name(self) -> str:
        return "action_new_problem"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        person = requester(tracker, dispatcher)
        text = written_text(tracker)
        if person is None or not text:
            return []
        understanding = read(to_parse_data(current().nlu.parse(text)))
        return triage_or_ask(dispatcher, person, understanding)
