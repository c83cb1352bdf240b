"""What the intake form accepts, and what it tells people about what it refuses."""

from __future__ import annotations

import pytest

from actions.case_actions import note_from
from actions.validation import concerns_interaction, conversation_id_problem, parse_severity


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6b", None),
        (" 3F2B9C1E-8A4D-4E5F-9B6A-1C2D3E4F5A6B ", None),
        ("", "it is empty"),
        ("3f2b9c1e-8a4d", "it has 12 hexadecimal digits; a conversation ID has 32"),
        ("3f2b9c1e8a4d4e5f9b6a1c2d3e4f5a6b", None),  # no dashes: accepted, normalised
        ("{3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6b}", None),  # braces too
        ("3f2b9c1e8a4d-4e5f9b6a-1c2d3e4f5a6b", "its dashes are misplaced"),
        ("3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6g", "(“g”)"),
        ("ｃａｌｌ-１２３", "characters a conversation ID never has"),
        ("show my cases", "reads like a sentence"),
    ],
)
def test_conversation_id_problems(text: str, problem: str | None) -> None:
    found = conversation_id_problem(text)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("High", 2),
        ("sev 3", 3),
        ("4", 4),
        ("severity-2", 2),
        ("medium please", 3),
        ("critical", 1),
        ("yes", None),
        ("9", None),
    ],
)
def test_parse_severity(text: str, level: int | None) -> None:
    assert parse_severity(text) == level


def test_conversation_id_is_needed_only_for_interactions() -> None:
    assert concerns_interaction("Inbound calls drop after 30 seconds")
    assert concerns_interaction(None, "customers' chats are lost")
    assert not concerns_interaction("The wallboard report shows wrong totals", None)


@pytest.mark.parametrize(
    "text",
    [
        "update CS-1001: it also fails in the EU site",
        "add to case #1001 - it also fails in the EU site",
        "CS-1001 it also fails in the EU site",
        "please update cs 1001, it also fails in the EU site",
        "update case 1001 with: it also fails in the EU site",
    ],
)
def test_update_note_keeps_only_the_users_words(text: str) -> None:
    assert note_from(text, "CS-1001") == "it also fails in the EU site"


def test_update_note_keeps_other_case_numbers() -> None:
    assert note_from("update CS-1001: same as CS-10012", "CS-1001") == "same as CS-10012"
