"""Free-text answers to the rubric's two questions."""

from __future__ import annotations

import pytest

from nlu.answers import read_answer

IMPACT = ("stopped", "degraded", "unaffected", "trivial")
WORKAROUND = ("none", "partial", "works")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stopped", "stopped"),
        ("1", "stopped"),
        ("4", "trivial"),
        ("no, nothing gets through", "stopped"),
        ("partly, it's slower", "degraded"),
        ("it's just cosmetic", "trivial"),
    ],
)
def test_impact_answers(text: str, expected: str) -> None:
    assert read_answer("impact", text, values=IMPACT) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("no", "none"), ("partly", "partial"), ("yes, work goes on", "works"), ("3", "works")],
)
def test_workaround_answers(text: str, expected: str) -> None:
    assert read_answer("workaround", text, values=WORKAROUND) == expected


@pytest.mark.parametrize("text", ["maybe", "9", "what does this mean?", ""])
def test_unclear_text_is_no_answer(text: str) -> None:
    assert read_answer("workaround", text, values=WORKAROUND) is None
