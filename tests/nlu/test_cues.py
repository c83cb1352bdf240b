"""The cue grammar: the rubric's phrases found, negation respected, linear time on any input."""

from __future__ import annotations

import time

import pytest

from nlu.cues import grammar_from_mapping, load_grammar, share_of, tokenize
from nlu.training_data import CUES_FILE

GRAMMAR = load_grammar(CUES_FILE)


def cue_names(text: str) -> set[str]:
    return {match.cue for match in GRAMMAR.find(text)}


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("there's no way round it", "wk_none"),
        ("failover didn't help", "wk_none"),
        ("exporting to PDF instead does the job", "wk_works"),
        ("purely cosmetic", "trivial"),
        ("not holding anyone up", "trivial"),
        ("agents can still answer, but every transfer hangs", "still_but"),
        ("the rest are fine", "scope_share"),
        ("it's just me", "scope_few"),
        ("no calls have come in for an hour", "stopped"),
    ],
)
def test_rubric_phrases_are_found(text: str, cue: str) -> None:
    assert cue in cue_names(text)


def test_a_negator_before_a_scope_word_cancels_it() -> None:
    assert "scope_org" in cue_names("everyone is locked out")
    assert "scope_org" not in cue_names("not everyone is locked out")


def test_quoted_words_are_the_users_own_text() -> None:
    (match,) = [m for m in GRAMMAR.find("Sadly FAILOVER didn't help") if m.cue == "wk_none"][:1]
    assert "FAILOVER" in match.text


def test_n_of_m_is_read_as_a_share() -> None:
    assert [(n, m) for n, m, _, _ in share_of(tokenize("a dozen of our 250 agents"))] == [(12, 250)]
    assert share_of(tokenize("250 of 200 agents")) == []


def test_a_pattern_must_start_with_a_word() -> None:
    with pytest.raises(ValueError, match="must start"):
        grammar_from_mapping({"bad": ["..3 word"]})


def test_gaps_do_not_cross_a_clause_break() -> None:
    grammar = grammar_from_mapping({"x": ["tried ..6 still"]})
    assert grammar.find("tried a reboot, still fails")
    assert not grammar.find("tried a reboot. it is still early")


ADVERSARIAL = [
    "case" + " " * 100_000 + "x",
    "`" * 100_000,
    "no " * 33_000,
    "can still " * 10_000,
    "tried " * 16_000,
    "1 of " * 20_000,
    "<http:" * 16_000,
    "\u200b" * 100_000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda text: repr(text[:8]))
def test_grammar_is_linear_on_100_kb_adversarial_input(text: str) -> None:
    started = time.process_time()
    GRAMMAR.find(text)
    share_of(tokenize(text))
    # Generous: linear work on 100 KB takes well under a second; backtracking takes minutes.
    assert time.process_time() - started < 3.0
