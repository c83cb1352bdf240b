"""The clarifying-questions form's names and how a report starts it.

Apart from `actions.severity_questions` (which asks), so the triage can start the form and
the form can hand back to the triage without the two modules importing each other.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet

from policy.loader import load_policy
from policy.questions import QuestionId

QUESTIONS_FORM = "severity_questions_form"
REPORT_SLOT = "report_text"
ANSWER_SLOTS = {QuestionId.IMPACT: "answer_impact", QuestionId.WORKAROUND: "answer_workaround"}


def answers_so_far(tracker: Tracker) -> dict[str, str]:
    """Valid answers only: before validation a slot can still hold the raw text ("3")."""
    questions = load_policy().severity_questions
    found = {}
    for question, slot in ANSWER_SLOTS.items():
        value = tracker.get_slot(slot)
        if value and str(value) in questions[question].values:
            found[str(question)] = str(value)
    return found


def start_questions(text: str) -> list[dict[str, Any]]:
    """Events that keep the report and start the questions form."""
    return [
        SlotSet(REPORT_SLOT, text),
        *[SlotSet(slot, None) for slot in ANSWER_SLOTS.values()],
        FollowupAction(QUESTIONS_FORM),
    ]
