"""Which case a message answers when it is written in a case's conversation.

After support asks the requester something (or replies, or proposes a fix), the requester's
next plain message is their answer: it goes on that case's timeline, not into a new intake.
In a Slack thread that holds a case, every later plain message is about that case. Commands
(status, close, escalate, ...) keep their meaning; a long new problem report gets the question
"this case, or a new one?".
"""

from __future__ import annotations

from typing import Any

CASE_REPLY = "case_reply"
WHICH_CASE = "ask_which_case"
# Messages support sends into a requester's conversation (bot/engine/staff.py kinds).
STAFF_KINDS = frozenset(
    {
        "staff_info_request",
        "staff_reply",
        "staff_resolution",
        "staff_took_case",
        "staff_severity_change",
        "staff_priority_change",
        "staff_restored",
        "staff_rca",
        "staff_case_summary",
    }
)
# Readings that are not a command of their own: an answer in the case's conversation.
_ANSWER_LIKE = frozenset({"report_issue", "nlu_fallback", "affirm", "deny", "ask_howto", "thanks"})
# A report this long is maybe a new problem: ask rather than guess.
NEW_PROBLEM_WORDS = 15


def replied_case(events: list[dict[str, Any]], *, conversation_key: str) -> str | None:
    """The case this conversation's next plain message is about, if any.

    The latest support message decides in any conversation; in a thread (key "C…:ts"), the
    case created in it does too.
    """
    in_thread = ":" in conversation_key
    for event in reversed(events):
        if event.get("event") == "user" and not in_thread:
            return None  # the requester already spoke after support's last message
        if event.get("event") != "bot":
            continue
        custom = (event.get("data") or {}).get("custom") or {}
        number = custom.get("case_number")
        kind = custom.get("kind")
        if number and kind in STAFF_KINDS:
            return str(number)
        if number and in_thread and kind == "case_created":
            return str(number)
    return None


def gate_case_reply(
    parse_data: dict[str, Any], *, case_number: str | None, busy: bool
) -> dict[str, Any]:
    """The parse as a reply to `case_number` when the message is an answer, not a command."""
    if case_number is None or busy:
        return parse_data
    intent = str((parse_data.get("intent") or {}).get("name") or "")
    if intent not in _ANSWER_LIKE:
        return parse_data
    named = [e for e in parse_data.get("entities") or [] if e.get("entity") == "case_number"]
    if named and str(named[0].get("value", "")).upper() != case_number:
        return parse_data  # about another case: the usual rules
    words = len(str(parse_data.get("text") or "").split())
    decided = WHICH_CASE if intent == "report_issue" and words >= NEW_PROBLEM_WORDS else CASE_REPLY
    entity = {"entity": "case_number", "value": case_number}
    others = [e for e in parse_data.get("entities") or [] if e.get("entity") != "case_number"]
    return {
        **parse_data,
        "intent": {"name": decided, "confidence": 1.0},
        "entities": [*others, entity],
    }
