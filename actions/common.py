"""Helpers every action needs: who is speaking and which slots make up an intake."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.ports import PersonView, find_person
from actions.replies import say

INTAKE_FORM = "case_intake_form"
INTAKE_SLOTS = (
    "description",
    "business_impact",
    "conversation_id",
    "background",
    "severity",
    "suggested_severity",
    "severity_reasons",
    "impact",
    "workaround",
    "critical_reported",
    "reported_by",
)


def requester_id(tracker: Tracker) -> str:
    """The Slack ID of the person who wrote the latest message."""
    metadata = tracker.latest_message.get("metadata") or {}
    return str(metadata.get("user_id") or tracker.sender_id)


def sender_tz(tracker: Tracker) -> str | None:
    """The speaker's time zone as their chat service reported it (Slack users.info `tz`)."""
    metadata = tracker.latest_message.get("metadata") or {}
    value = metadata.get("sender_tz")
    return value if isinstance(value, str) and value else None


def conversation_key(tracker: Tracker) -> str:
    metadata = tracker.latest_message.get("metadata") or {}
    return str(metadata.get("conversation_key") or tracker.sender_id)


def requester(tracker: Tracker, dispatcher: CollectingDispatcher) -> PersonView | None:
    """The speaker from the directory; tells them when they are unknown."""
    person = find_person(requester_id(tracker), sender_tz=sender_tz(tracker))
    if person is None or (not person.org_short_name and not person.is_staff):
        say(
            dispatcher,
            "I can't find you in the directory of organizations, so I can't open or look up "
            "cases for you. Please ask your Slack admin to add you to the support directory.",
            kind="unknown_person",
        )
        return None
    return person


def clear_intake() -> list[dict[str, Any]]:
    """Events that forget an intake (after a case is created or the intake is cancelled)."""
    events = [SlotSet(name, None) for name in INTAKE_SLOTS]
    events.append(SlotSet("pending_confirmation", None))
    return events
