"""Asking a yes/no step again, or explaining it, when the reply was not a clear answer.

The engine reads "maybe", "sure" or "hmm not sure" at a yes/no step as `unclear_answer` and
"what does edit do?" as `step_question` (bot/engine/pending_answer.py); these actions keep
the step open and say, with the same buttons, what each answer does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.edit_fields import field_buttons
from actions.replies import CONFIRM_BUTTONS, YES_NO_BUTTONS, button, say


@dataclass(frozen=True)
class _Step:
    question: str
    explanation: str
    buttons: tuple[dict[str, str], ...]


_STEPS: dict[str, _Step] = {
    "create_case": _Step(
        question="Shall I open the case as summarised above?",
        explanation=(
            "Confirm opens the case with the details above and passes it to support. Edit lets "
            "you change one detail (description, impact, severity, conversation ID, ...) and "
            "shows the summary again. Cancel drops it; nothing is sent to support."
        ),
        buttons=CONFIRM_BUTTONS,
    ),
    "open_as_high": _Step(
        question="Shall I open it as High now?",
        explanation=(
            "Yes opens the case now as High so support has it in writing; then call the outage "
            "line and ask to raise it to Critical, quoting the case number. No opens nothing. "
            "If it isn't Critical after all, we go through it normally."
        ),
        buttons=(
            *YES_NO_BUTTONS,
            button("not_critical", "It isn't Critical", "/change_severity"),
        ),
    ),
    "next_issue": _Step(
        question="Shall we go on with the next problem?",
        explanation="Yes goes through the next problem you described; no stops here.",
        buttons=YES_NO_BUTTONS,
    ),
    "kb_feedback": _Step(
        question="Did this solve it?",
        explanation=("Yes and we're done; no and I'll help you report the problem to support."),
        buttons=YES_NO_BUTTONS,
    ),
    "edit_field": _Step(
        question="Which detail do you want to change?",
        explanation=(
            "Pick the detail to change; I'll ask for its new value and show the summary again. "
            "Nothing is sent to support until you confirm."
        ),
        buttons=field_buttons(),
    ),
    "close_case": _Step(
        question="Shall I close the case?",
        explanation=("Yes closes the case and support stops working on it; no keeps it open."),
        buttons=YES_NO_BUTTONS,
    ),
}


_YES_OR_NO = "I need a clear yes or no before I do anything."
_NOT_CLEAR = {"edit_field": "I didn't catch which detail."}


def _step(tracker: Tracker) -> _Step | None:
    return _STEPS.get(str(tracker.get_slot("pending_confirmation") or ""))


def _question(step: _Step, tracker: Tracker) -> str:
    target = tracker.get_slot("close_target")
    if tracker.get_slot("pending_confirmation") == "close_case" and target:
        return f"Shall I close {target}?"
    return step.question


class _PendingStepAction:
    """Say something about the waiting step, with its buttons; the step stays open. (Not an
    Action itself: rasa-sdk registers every Action subclass it finds.)"""

    kind = ""

    def text(self, step: _Step, tracker: Tracker) -> str:
        raise NotImplementedError

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        step = _step(tracker)
        if step is not None:
            say(dispatcher, self.text(step, tracker), kind=self.kind, buttons=step.buttons)
        return []


class ActionReaskPending(_PendingStepAction, Action):
    kind = "reask_pending"

    def name(self) -> str:
        return "action_reask_pending"

    def text(self, step: _Step, tracker: Tracker) -> str:
        pending = str(tracker.get_slot("pending_confirmation"))
        return f"{_NOT_CLEAR.get(pending, _YES_OR_NO)} {_question(step, tracker)}"


class ActionExplainPending(_PendingStepAction, Action):
    kind = "explain_pending"

    def name(self) -> str:
        return "action_explain_pending"

    def text(self, step: _Step, tracker: Tracker) -> str:
        return f"{step.explanation}\n{_question(step, tracker)}"
