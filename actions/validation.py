"""The intake form: what a case needs, asked for one at a time, each answer checked.

Bad answers are explained and asked again; nothing reaches the store until the designated
contact confirms the summary.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import INTAKE_FORM
from actions.replies import button, say
from actions.texts import severity_text
from nlu.entities import normalise_uuid
from nlu.impact_text import sentences
from policy.severity import Severity

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_UUID_GROUPS = (8, 4, 4, 4, 12)
# A conversation ID identifies one call, chat, email or recording: asked only when the
# problem is about such interactions ("error messages" or an export are not).
_INTERACTION_WORDS = re.compile(
    r"\b(calls?|callers?|calling|chats?|interactions?|e-?mails?|voicemails?|"
    r"transfer(?:s|red|ring)?|callbacks?|ivr|sms|recordings?)\b",
    re.IGNORECASE,
)
# "skip", "n/a", "there isn't one", "I don't have it", "not sure": no ID to give.
_NO_ID = re.compile(
    r"^(?:skip|none|no|nope|n/?a|na|not applicable|not available|unknown|no idea|not sure|"
    r"no id|no (?:conversation )?id|"
    r"(?:there(?:'s| is) (?:none|no(?:ne| id| one)?|not one))|"
    r"(?:there (?:isn'?t|is not|aren'?t) (?:one|any|an? id))|"
    r"(?:i )?(?:don'?t|do not) (?:have|know)(?: (?:one|it|an? id|the id))?)"
    r"[\s.!]*$",
    re.IGNORECASE,
)
_HEX_32 = re.compile(r"^\{?[0-9a-f]{32}\}?$|^\{[0-9a-f-]{36}\}$")
NOT_PROVIDED = "not provided"
MAX_FIELD_CHARS = 4000
_SEVERITY_WORDS = {
    "critical": 1,
    "code red": 1,
    "high": 2,
    "medium": 3,
    "low": 4,
}
_SEVERITY_NUMBER = re.compile(r"^(?:sev(?:erity)?\s*)?([1-4])$")


_NOTHING = re.compile(
    r"^(?:skip|no|nope|nothing|none|n/?a|na|not really|nothing yet|nothing to add|"
    r"no changes?|nothing changed|not that i know(?: of)?)[\s.!]*$",
    re.IGNORECASE,
)
# Sentences about something that changed, as opposed to what was tried.
_CHANGE = re.compile(
    r"\b(chang(?:e|ed|es)|updat(?:e|ed|es)|upgrad(?:e|ed)|install(?:ed)?|migrat(?:e|ed)|"
    r"deploy(?:ed)?|new (?:version|release|firmware|router|firewall)|switched|moved)\b",
    re.IGNORECASE,
)


def says_nothing(text: str) -> bool:
    """Nothing to add to an optional question ("skip", "no", "nothing changed")."""
    return bool(_NOTHING.match(text.strip())) or text.strip() == NOT_PROVIDED


def split_background(text: str) -> tuple[str | None, str | None]:
    """(troubleshooting done, recent changes) from one answer, sentence by sentence."""
    if not text or says_nothing(text):
        return None, None
    parts = sentences(text)
    changes = [sentence for sentence in parts if _CHANGE.search(sentence)]
    tried = [sentence for sentence in parts if sentence not in changes]
    return (" ".join(tried) or None), (" ".join(changes) or None)


def says_no_id(text: str) -> bool:
    """The person has no conversation ID to give ("there isn't one", "n/a", "skip")."""
    return bool(_NO_ID.match(text.strip())) or text.strip() == NOT_PROVIDED


def canonical_conversation_id(text: str) -> str | None:
    """The UUID in its usual spelling, whether typed with dashes, without, or in braces."""
    value = text.strip().lower()
    if _UUID.match(value):
        return value
    if _HEX_32.match(value):
        return normalise_uuid(value)
    return None


def conversation_id_problem(text: str) -> str | None:
    """None for a well-formed conversation ID (a UUID), else what is wrong with it."""
    value = text.strip().lower()
    if canonical_conversation_id(value):
        return None
    if not value:
        return "it is empty"
    if any(c.isspace() for c in value):
        return "it reads like a sentence; a conversation ID is a single code with no spaces"
    bad = sorted({c for c in value if c not in "0123456789abcdef-"})
    if bad:
        shown = ", ".join(f"“{c}”" for c in bad[:5])
        return f"it contains characters a conversation ID never has ({shown})"
    digits = value.replace("-", "")
    if len(digits) != 32:
        return f"it has {len(digits)} hexadecimal digits; a conversation ID has 32"
    groups = tuple(len(g) for g in value.split("-"))
    if groups != _UUID_GROUPS:
        return "its dashes are misplaced; the groups should be 8-4-4-4-12 characters long"
    return "it is not a valid conversation ID"


def concerns_interaction(*texts: str | None) -> bool:
    return any(t and _INTERACTION_WORDS.search(t) for t in texts)


def parse_severity(text: str) -> int | None:
    """1-4 from "High", "sev 2", "3", "medium"…; None when it names no severity."""
    value = " ".join(text.lower().replace("-", " ").split())
    number = _SEVERITY_NUMBER.match(value)
    if number:
        return int(number.group(1))
    for word, level in _SEVERITY_WORDS.items():
        if re.search(rf"\b{word}\b", value):
            return level
    return None


class ValidateCaseIntakeForm(FormValidationAction):
    def name(self) -> str:
        return f"validate_{INTAKE_FORM}"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """A conversation ID is only asked for when the problem concerns an interaction."""
        needs_id = concerns_interaction(
            tracker.get_slot("description"), tracker.get_slot("business_impact")
        )
        return [s for s in domain_slots if s != "conversation_id" or needs_id]

    def validate_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if len(text.split()) < 4 or len(text) < 15:
            say(
                dispatcher,
                "That's a bit short for support to work with.",
                kind="validation_error",
                data={"slot": "description"},
            )
            return {"description": None}
        return {"description": text[:MAX_FIELD_CHARS]}

    def validate_business_impact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if len(text.split()) < 3:
            say(
                dispatcher,
                "Please say a little more about the impact: who is affected and how.",
                kind="validation_error",
                data={"slot": "business_impact"},
            )
            return {"business_impact": None}
        return {"business_impact": text[:MAX_FIELD_CHARS]}

    def validate_background(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Optional: troubleshooting done and recent changes, or "skip"."""
        text = str(value or "").strip()
        if says_nothing(text):
            return {"background": NOT_PROVIDED}
        return {"background": text[:MAX_FIELD_CHARS]}

    def validate_conversation_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if says_no_id(text):
            return {"conversation_id": NOT_PROVIDED}
        # Only what the message labels a conversation ID, never its org ID.
        labelled = [
            entity["value"]
            for entity in tracker.latest_message.get("entities", []) or []
            if entity.get("entity") == "conversation_id" and isinstance(entity.get("value"), str)
        ]
        for candidate in [*labelled, text]:
            if (canonical := canonical_conversation_id(candidate)) is not None:
                return {"conversation_id": canonical}
        shown = text if len(text) <= 60 else text[:60] + "…"
        say(
            dispatcher,
            f"“{shown}” isn't a conversation ID: {conversation_id_problem(text)}. "
            "A conversation ID looks like 3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6b; if there isn't "
            "one, say “skip”.",
            kind="validation_error",
            data={"slot": "conversation_id", "problem": conversation_id_problem(text)},
        )
        return {"conversation_id": None}

    def validate_severity(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        suggested = tracker.get_slot("suggested_severity")
        entity = next(
            (
                e["value"]
                for e in tracker.latest_message.get("entities", []) or []
                if e.get("entity") == "severity"
            ),
            None,
        )
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = str(value or "")
        chosen = parse_severity(str(entity)) if entity else parse_severity(text)
        if (
            chosen is None
            and suggested
            and (intent == "affirm" or text.strip().lower() in {"yes", "y", "ok", "sure", "yep"})
        ):
            chosen = int(suggested)
        if chosen == 1:
            say(
                dispatcher,
                "I can't open a case as Critical in chat: Critical must be raised by phone. "
                "Choose High (then call to raise it to Critical, quoting the case number), "
                "Medium or Low.",
                kind="validation_error",
                data={"slot": "severity"},
            )
            return {"severity": None}
        if chosen is None:
            say(
                dispatcher,
                "I didn't catch a severity there.",
                kind="validation_error",
                data={"slot": "severity"},
            )
            return {"severity": None}
        return {"severity": str(chosen)}


class ActionAskSeverity(Action):
    """Asks to confirm the suggested severity or pick another one."""

    def name(self) -> str:
        return "action_ask_severity"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        suggested = tracker.get_slot("suggested_severity")
        levels = (Severity.HIGH, Severity.MEDIUM, Severity.LOW)
        buttons = [
            button(
                "change_severity",
                severity_text(level),
                f'/change_severity{{"severity": "{int(level)}"}}',
            )
            for level in levels
        ]
        if suggested and int(suggested) != 1:
            text = (
                f"Shall I use {severity_text(int(suggested))}? Say yes, or pick High, "
                "Medium or Low."
            )
            buttons.insert(0, button("answer_yes", "Yes", "/affirm"))
        else:
            text = "Which severity fits: High, Medium or Low?"
        say(dispatcher, text, kind="ask_severity", buttons=buttons)
        return []
