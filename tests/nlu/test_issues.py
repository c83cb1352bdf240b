"""Several problems in one message are told apart; one long description stays one."""

from __future__ import annotations

import pytest

from nlu.issues import split_issues


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("1) agents can't log in via sso 2) recordings from yesterday are missing", 2),
        ("- hold music is silent\n- reports show wrong handle times\n- sso asks twice", 3),
        ("two issues: emails are delayed by an hour, and the dashboard shows nothing", 2),
        ("webrtc phones drop calls. Separately, the salesforce screen pop stopped working.", 2),
        ("our trunk has echo on most calls, plus the api returns 500s since this morning", 2),
        (
            "Since 08:15 agents can't receive calls. The calls ring but never alert. "
            "We restarted the edge, nothing changed. All 85 agents are idle.",
            1,
        ),
        ("hi there", 0),
    ],
)
def test_issue_count(text: str, count: int) -> None:
    assert len(split_issues(text)) == count


def test_each_span_is_the_text_of_one_problem() -> None:
    spans = split_issues("1) the ivr plays the wrong prompt 2) the wfm schedule did not publish")
    assert spans == ["1) the ivr plays the wrong prompt", "2) the wfm schedule did not publish"]


def test_no_problem_keeps_a_dangling_conjunction() -> None:
    spans = split_issues("Calls drop after 30 seconds, and also the wallboard is blank and")
    assert spans[0] == "Calls drop after 30 seconds"
    assert not spans[-1].endswith(" and")


def test_a_statement_about_both_problems_goes_with_each() -> None:
    spans = split_issues(
        "Two problems: the wallboard shows wrong totals and the IVR drops callers. "
        "We can still work around both."
    )
    assert spans == [
        "the wallboard shows wrong totals. We can still work around both.",
        "the IVR drops callers. We can still work around both.",
    ]


@pytest.mark.parametrize("text", [" " * 100_000 + "x", ", " * 50_000, " \n" * 50_000 + "x"])
def test_100_kb_of_blanks_splits_into_nothing(text: str) -> None:
    # Quadratic patterns take minutes on these; the split must stay linear.
    assert split_issues(text) == []
