"""The rubric's clarifying questions, asked before a severity is suggested.

When the NLU cannot decide a report's severity from the message (`ask` in its reading), the
triage starts this form instead of suggesting one. Each question is asked with buttons (the
terminal shows them as numbered choices), free text is read too, and after every answer the
report is read again with the answers so far: a second question is asked only if the
severity is still open. Then the triage goes on as for any report, with the answers quoted in
the reasons.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import requester
from actions.question_form import ANSWER_SLOTS, QUESTIONS_FORM, REPORT_SLOT, answers_so_far
from actions.replies import button, say
from actions.runtime import current
from actions.triage import triage
from actions.understanding import read, to_parse_data
from nlu.answers import read_answer
from policy.loader import load_policy
from policy.questions import QuestionId


def still_to_ask(tracker: Tracker) -> list[str]:
    """The questions the report still needs, given the answers so far."""
    text = tracker.get_slot(REPORT_SLOT) or ""
    if not text:
        return []
    result = current().nlu.parse(text, answers=answers_so_far(tracker))
    return list(getattr(result, "ask", []) or [])


class ValidateSeverityQuestionsForm(FormValidationAction):
    def name(self) -> str:
        return f"validate_{QUESTIONS_FORM}"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Answered questions, then the first one the report still needs (if any)."""
        given = answers_so_far(tracker)
        answered = [ANSWER_SLOTS[QuestionId(question)] for question in given]
        remaining = [ANSWER_SLOTS[QuestionId(q)] for q in still_to_ask(tracker)]
        return answered + [slot for slot in remaining if slot not in answered][:1]

    def validate_answer_impact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return _validated(QuestionId.IMPACT, value, dispatcher)

    def validate_answer_workaround(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return _validated(QuestionId.WORKAROUND, value, dispatcher)


def _validated(
    question: QuestionId, value: Any, dispatcher: CollectingDispatcher
) -> dict[str, Any]:
    spec = load_policy().severity_questions[question]
    answer = read_answer(str(question), str(value or ""), values=spec.values)
    if answer is None:
        say(
            dispatcher,
            "Sorry, I didn't catch that. Please pick one of the answers.",
            kind="validation_error",
            data={"slot": ANSWER_SLOTS[question]},
        )
    return {ANSWER_SLOTS[question]: answer}


def ask_question(
    question: QuestionId, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]]:
    spec = load_policy().severity_questions[question]
    lead = "" if answers_so_far(tracker) else "Before I suggest a severity: "
    say(
        dispatcher,
        f"{lead}{spec.text}",
        kind="severity_question",
        buttons=tuple(
            button(f"answer_{answer.value}", answer.label, answer.value) for answer in spec.answers
        ),
        data={"question": str(question), "answers": list(spec.values)},
    )
    return []


class ActionAskAnswerImpact(Action):
    def name(self) -> str:
        return "action_ask_answer_impact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return ask_question(QuestionId.IMPACT, dispatcher, tracker)


class ActionAskAnswerWorkaround(Action):
    def name(self) -> str:
        return "action_ask_answer_workaround"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return ask_question(QuestionId.WORKAROUND, dispatcher, tracker)


class ActionSeverityAnswered(Action):
    """The questions are answered: triage the report with its answers."""

    def name(self) -> str:
        return "action_severity_answered"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        person = requester(tracker, dispatcher)
        text = tracker.get_slot(REPORT_SLOT) or ""
        if person is None or not text:
            return []
        parsed = current().nlu.parse(text, answers=answers_so_far(tracker))
        understanding = read(to_parse_data(parsed))
        return [SlotSet(REPORT_SLOT, None), *triage(dispatcher, person, understanding)]
