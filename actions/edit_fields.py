"""The details of a case summary a person can change one at a time, and how they name them.

Edit on the summary asks which detail, then only that question of the intake form again,
then the summary: nothing else is asked twice.
"""

from __future__ import annotations

import re

from actions.replies import button

# Slot -> label, in the order the summary shows them.
EDITABLE: dict[str, str] = {
    "description": "Description",
    "business_impact": "Business impact",
    "conversation_id": "Conversation ID",
    "background": "What you tried / what changed",
    "severity": "Severity",
}
_NAMES = (
    ("business_impact", re.compile(r"\b(business\s+)?impact\b", re.I)),
    (
        "conversation_id",
        re.compile(r"\b(conversation|interaction|call)\s*id\b|\bconv\s*id\b", re.I),
    ),
    ("severity", re.compile(r"\bseverity\b|\bsev\b", re.I)),
    ("background", re.compile(r"\b(tried|troubleshoot\w*|changes?|changed)\b", re.I)),
    ("description", re.compile(r"\bdescription\b|\bdescribe\b|\bproblem\b|\bwhat happens\b", re.I)),
)


def field_named(text: str) -> str | None:
    """The editable detail a reply names ("the impact", "conversation id"), if exactly one."""
    found = {slot for slot, pattern in _NAMES if pattern.search(text)}
    return found.pop() if len(found) == 1 else None


def field_buttons() -> tuple[dict[str, str], ...]:
    choices = [
        button(f"edit_{slot}", label, f'/edit_case{{"field": "{slot}"}}')
        for slot, label in EDITABLE.items()
    ]
    return (*choices, button("edit_nothing", "Nothing, show the summary", "/affirm"))
