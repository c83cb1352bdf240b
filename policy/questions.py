"""The rubric's two clarifying questions and how their answers decide a severity.

SEVERITY_RUBRIC.md section 3: when a message leaves the severity open, the assistant asks at
most two questions with fixed ids (`impact`, `workaround`) and fixed answer values. Each
answer stands for an impact or workaround value of the policy matrix, so the answers decide
by the same `severity_matrix` as the message's own reading; a question not asked is filled by
what the message said.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from policy.levels import Impact, Severity, Workaround


class QuestionId(StrEnum):
    IMPACT = "impact"
    WORKAROUND = "workaround"


@dataclass(frozen=True)
class AnswerChoice:
    value: str  # the fixed answer id, e.g. "stopped"
    label: str  # the button text
    means: str  # the matrix value it stands for (an Impact or a Workaround value)


@dataclass(frozen=True)
class SeverityQuestion:
    id: QuestionId
    text: str
    answers: tuple[AnswerChoice, ...]

    def choice(self, value: str) -> AnswerChoice | None:
        """The answer with this id (case-insensitive), or None."""
        wanted = value.strip().lower()
        return next((answer for answer in self.answers if answer.value == wanted), None)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(answer.value for answer in self.answers)


def answered_impact(question: SeverityQuestion, value: str) -> Impact:
    """The matrix impact an `impact` answer stands for; ValueError for an unknown answer."""
    choice = question.choice(value)
    if choice is None:
        raise ValueError(f"impact answer must be one of {', '.join(question.values)}")
    return Impact(choice.means)


def answered_workaround(question: SeverityQuestion, value: str) -> Workaround:
    """The matrix workaround a `workaround` answer stands for; ValueError when unknown."""
    choice = question.choice(value)
    if choice is None:
        raise ValueError(f"workaround answer must be one of {', '.join(question.values)}")
    return Workaround(choice.means)


def severity_with_answers(
    *,
    matrix: Mapping[tuple[Impact, Workaround], Severity],
    questions: Mapping[QuestionId, SeverityQuestion],
    answers: Mapping[str, str],
    message_impact: Impact,
    message_workaround: Workaround,
) -> tuple[Severity, Impact, Workaround]:
    """Section 3's table: answers given override the message's reading of that factor."""
    impact, workaround = message_impact, message_workaround
    if QuestionId.IMPACT in answers:
        impact = answered_impact(questions[QuestionId.IMPACT], answers[QuestionId.IMPACT])
    if QuestionId.WORKAROUND in answers:
        workaround = answered_workaround(
            questions[QuestionId.WORKAROUND], answers[QuestionId.WORKAROUND]
        )
    return matrix[(impact, workaround)], impact, workaround
