"""Only clear answers count at a yes/no step."""

from __future__ import annotations

import pytest

from nlu.yes_no import asks_about_the_step, read_yes_no


@pytest.mark.parametrize(
    "text", ["yes", "Yes!", "y", "yep", "confirm", "open it", "👍", ":+1:", "yes, create the case"]
)
def test_clear_yes(text: str) -> None:
    assert read_yes_no(text) == "yes"


@pytest.mark.parametrize(
    "text", ["no", "No.", "nope", "cancel", "don't", "👎", "no thanks", "no, drop it"]
)
def test_clear_no(text: str) -> None:
    assert read_yes_no(text) == "no"


@pytest.mark.parametrize(
    "text",
    [
        "maybe",
        "ok",
        "sure",
        "looks good",
        "wait",
        "skip",
        "hmm not sure",
        "yes and no",
        "yes but change the impact first",
        "yes?",
    ],
)
def test_anything_else_is_no_answer(text: str) -> None:
    assert read_yes_no(text) is None


def test_a_question_about_the_step_is_recognised() -> None:
    assert asks_about_the_step("what does edit do?")
    assert not asks_about_the_step("edit")
    assert not asks_about_the_step("is the dialer down?")
