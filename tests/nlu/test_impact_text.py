"""The impact of a long report is taken from what it says apart from the problem."""

from __future__ import annotations

from nlu.impact_text import impact_statement


def test_the_impact_sentence_after_the_problem_is_taken() -> None:
    text = (
        "Calls to the billing queue drop after 30 seconds since this morning. Forty agents "
        "have to call customers back and the queue is backing up."
    )
    assert impact_statement(text) == (
        "Forty agents have to call customers back and the queue is backing up."
    )


def test_a_single_sentence_states_no_separate_impact() -> None:
    assert impact_statement("Reports in the analytics view load very slowly for everyone") is None


def test_later_sentences_without_an_impact_are_not_taken() -> None:
    assert impact_statement("The wallboard shows the wrong queue name. It started Monday.") is None


def test_in_one_sentence_the_clause_after_the_problem_is_taken() -> None:
    text = (
        "Calls to our Chicago queue drop after 30 seconds, agents call customers back "
        "which takes twice as long for the whole billing team today"
    )
    assert impact_statement(text) == (
        "agents call customers back which takes twice as long for the whole billing team today"
    )
