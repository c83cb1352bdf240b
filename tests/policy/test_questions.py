"""The rubric's clarifying questions as policy data, and the table their answers decide by."""

from __future__ import annotations

import pytest

from policy.loader import PolicyError, load_policy, parse_policy
from policy.questions import QuestionId, severity_with_answers
from policy.severity import Impact, Severity, Workaround

POLICY = load_policy()


def decide(answers: dict[str, str], *, impact=Impact.MINOR, workaround=Workaround.UNKNOWN):
    severity, _, _ = severity_with_answers(
        matrix=POLICY.severity_matrix,
        questions=POLICY.severity_questions,
        answers=answers,
        message_impact=impact,
        message_workaround=workaround,
    )
    return severity


@pytest.mark.parametrize(
    ("impact", "workaround", "expected"),
    [
        ("stopped", "none", 1),
        ("stopped", "partial", 2),
        ("stopped", "works", 3),
        ("degraded", "none", 2),
        ("degraded", "partial", 2),
        ("degraded", "works", 3),
        ("unaffected", "none", 3),
        ("unaffected", "works", 3),
        ("trivial", "none", 4),
        ("trivial", "works", 4),
    ],
)
def test_answers_decide_by_the_rubric_table(impact: str, workaround: str, expected: int) -> None:
    assert decide({"impact": impact, "workaround": workaround}) is Severity(expected)


def test_a_question_not_asked_is_filled_by_the_message() -> None:
    assert decide({"workaround": "none"}, impact=Impact.BLOCKED) is Severity.CRITICAL
    assert decide({"impact": "stopped"}, workaround=Workaround.YES) is Severity.MEDIUM


def test_an_answer_the_rubric_does_not_have_is_refused() -> None:
    with pytest.raises(ValueError, match="stopped, degraded, unaffected, trivial"):
        decide({"impact": "maybe"})


def test_question_ids_texts_and_buttons_come_from_the_policy_file() -> None:
    impact = POLICY.severity_questions[QuestionId.IMPACT]
    assert impact.text == "Can your organization still serve customers and do this work?"
    assert impact.values == ("stopped", "degraded", "unaffected", "trivial")
    workaround = POLICY.severity_questions[QuestionId.WORKAROUND]
    assert [a.label for a in workaround.answers] == [
        "No",
        "Partly, still degraded",
        "Yes, work goes on normally",
    ]


def test_an_answer_that_means_no_matrix_value_fails_with_its_path() -> None:
    import copy

    import yaml

    from policy.loader import default_policy_path

    raw = yaml.safe_load(default_policy_path().read_text(encoding="utf-8"))
    broken = copy.deepcopy(raw)
    broken["severity_questions"]["impact"]["answers"]["stopped"]["means"] = "gone"
    with pytest.raises(PolicyError, match=r"severity_questions.impact.answers.stopped.means"):
        parse_policy(broken)
