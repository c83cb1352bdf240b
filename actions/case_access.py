"""Finding the case a message is about, and checking the speaker may act on it.

A person only ever sees cases of their own organization; an unknown number and another
organization's case get the same answer, so nothing leaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import requester
from actions.ports import PersonView, designated_contacts
from actions.replies import say
from actions.runtime import current
from actions.texts import people_list
from actions.understanding import read
from cases.entity import normalize_case_number
from cases.errors import InvalidCaseNumber
from policy.contacts import ContactAction, may_perform

# `\s*(?:[-#:]\s*)?`, not `\s*[-#:]?\s*`: two blank runs side by side split "case" + 4,000
# spaces 4,000 ways before failing (0.3 s).
_CASE_MENTION = re.compile(r"\b(?:cs|case)\s*(?:[-#:]\s*)?([0-9][0-9a-z]*)\b", re.IGNORECASE)
_CASE_LIKE = re.compile(r"\bcs[-\s]?\S+", re.IGNORECASE)

ACTION_VERBS = {
    ContactAction.UPDATE: "update",
    ContactAction.CLOSE: "close",
    ContactAction.ESCALATE: "escalate",
    ContactAction.REQUEST_RCA: "request an RCA for",
    ContactAction.VIEW: "look at",
}


@dataclass(frozen=True)
class CaseAccess:
    person: PersonView
    case: Any  # cases.entity.Case


def mentioned_case_number(tracker: Tracker) -> str | None:
    """The case number as written (entity first, then a CS-… looking word), unvalidated."""
    entity = read(tracker.latest_message).entity("case_number")
    if entity:
        return entity
    text = str(tracker.latest_message.get("text") or "")
    match = _CASE_MENTION.search(text)
    if match:
        return f"CS-{match.group(1)}"
    loose = _CASE_LIKE.search(text)
    return loose.group(0) if loose else None


def open_case_for(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    action: ContactAction,
    *,
    number: str | None = None,
) -> CaseAccess | None:
    """The case the speaker may `action`, or None after telling them why not."""
    person = requester(tracker, dispatcher)
    if person is None:
        return None
    written = number or mentioned_case_number(tracker) or tracker.get_slot("last_case_number")
    verb = ACTION_VERBS[action]
    if not written:
        say(
            dispatcher,
            f"Which case do you want to {verb}? Give me its number, like CS-1001.",
            kind="ask_case_number",
        )
        return None
    try:
        canonical = normalize_case_number(written)
    except InvalidCaseNumber:
        shown = written if len(written) <= 40 else written[:40] + "…"
        say(
            dispatcher,
            f"“{shown}” isn't a case number: case numbers look like CS-1001. Nothing changed.",
            kind="invalid_case_number",
        )
        return None
    case = current().store.cases.get_case(canonical)
    same_org = case is not None and case.org_short_name == person.org_short_name
    if case is None or not (same_org or person.is_staff):
        say(
            dispatcher,
            f"I can't find case {canonical} for your organization. Check the number, or ask "
            "me for “my organization's cases”. Nothing changed.",
            kind="case_not_found",
            case_number=canonical,
        )
        return None
    if not may_perform(action, is_designated_contact=person.is_designated or person.is_staff):
        contacts = designated_contacts(person.org_short_name or "")
        named = f" Your designated contacts are {people_list(contacts)}." if contacts else ""
        say(
            dispatcher,
            f"Only your organization's designated contacts may {verb} a case, so I haven't "
            f"changed {canonical}.{named}",
            kind="permission_denied",
            case_number=canonical,
        )
        return None
    return CaseAccess(person=person, case=case)
