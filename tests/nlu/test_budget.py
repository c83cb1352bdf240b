"""The parse's time budget: past its deadline a parse stops and says so, it never raises.

No test here measures time: a zero budget, or a fake clock that jumps, forces the timeout.
"""

from __future__ import annotations

import pytest

from nlu.budget import CHECK_EVERY, PARSE_BUDGET_SECONDS, BudgetExceeded, Deadline
from nlu.cues import CueGrammar
from nlu.intervals import DisjointSpans
from nlu.issues import split_issues
from nlu.service import NluService

REPORT = "the whole contact center is down, no agent can take any calls"
LIST = "two issues: " + " ".join(f"{n}) queue {n} is broken, no workaround." for n in range(1, 9))


class JumpingClock:
    """Reads 0.0 until `reads` reads have been made, then an hour later."""

    def __init__(self, reads: int) -> None:
        self.left = reads

    def __call__(self) -> float:
        self.left -= 1
        return 0.0 if self.left >= 0 else 3600.0


def test_the_default_deadline_is_the_services_budget(service: NluService) -> None:
    assert service.deadline().seconds == service.budget_seconds == PARSE_BUDGET_SECONDS
    assert not service.parse(REPORT).timed_out


def test_a_parse_past_its_deadline_is_a_marked_fallback(service: NluService) -> None:
    result = service.parse(REPORT, deadline=Deadline(0.0))
    assert result.timed_out
    assert (result.intent, result.intent_confidence, result.severity) == ("nlu_fallback", 0.0, None)
    assert result.issues == 0 and result.entities == []
    assert result.text == REPORT


def test_a_deadline_passing_at_any_stage_gives_a_full_or_a_marked_result(
    service: NluService,
) -> None:
    full = service.parse(LIST, deadline=Deadline.unlimited())
    assert full.issues > 1
    outcomes = set()
    for reads in range(1, 30):
        result = service.parse(LIST, deadline=Deadline(1.0, clock=JumpingClock(reads)))
        if result.timed_out:
            assert result.intent == "nlu_fallback" and result.severity is None
        else:
            assert (result.intent, result.severity, result.issue_spans) == (
                full.intent,
                full.severity,
                full.issue_spans,
            )
        outcomes.add(result.timed_out)
    assert outcomes == {True, False}


def test_the_service_budget_and_clock_are_injectable(service: NluService) -> None:
    stalled = NluService(service._model, service.knowledge_base, clock=JumpingClock(1))
    assert stalled.parse(REPORT).timed_out
    assert not NluService(service._model, service.knowledge_base).parse(REPORT).timed_out


def test_long_loops_stop_at_the_deadline(service: NluService) -> None:
    expired = Deadline(0.0)
    many_tokens = "no workaround " * CHECK_EVERY
    many_pieces = "1) calls are broken. " * CHECK_EVERY
    grammar: CueGrammar = service._model.cues
    with pytest.raises(BudgetExceeded, match="cues"):
        grammar.find(many_tokens, deadline=expired)
    with pytest.raises(BudgetExceeded, match="issues"):
        split_issues(many_pieces, deadline=expired)
    assert grammar.find(many_tokens, deadline=Deadline.unlimited())
    assert len(split_issues(many_pieces, deadline=Deadline.unlimited())) == CHECK_EVERY


def test_a_lone_surrogate_is_read_as_a_replacement_character(service: NluService) -> None:
    result = service.parse("\ud800 " + REPORT)
    assert result.text == "\ufffd " + REPORT
    assert result.intent == "report_issue" and result.severity == 1


def test_disjoint_spans_keep_the_first_of_overlapping_ones() -> None:
    spans = DisjointSpans()
    kept = [s for s in [(5, 9), (0, 5), (8, 12), (9, 10), (3, 6), (20, 25)] if spans.take(*s)]
    assert kept == [(5, 9), (0, 5), (9, 10), (20, 25)]
