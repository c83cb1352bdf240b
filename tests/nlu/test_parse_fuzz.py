"""Property tests: no message makes the NLU raise, and what it returns keeps its shape.

Inputs mix random Unicode (lone surrogates included), long runs of blanks and punctuation,
deeply nested Slack markup and repeated keywords with real report phrases. The seed is fixed
(`derandomize`) and no example database is kept, so every run tries the same inputs. Speed is
the bench's job (bench/nlu_worst_case.py): parses here get an unlimited deadline, so a busy
machine cannot turn a slow parse into a failure.
"""

from __future__ import annotations

import functools

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.engine.inputs import MAX_MESSAGE_CHARS, clean
from nlu.budget import Deadline
from nlu.issues import split_issues
from nlu.markup import read_plain, slack_to_plain
from nlu.model import PROBLEM_INTENTS
from nlu.service import NluService

REPORT_PHRASES = (
    "the whole contact center is down, no agent can take any calls",
    "15 of our 120 agents hear one-way audio since this morning",
    "there is no workaround",
    "we can still answer, but it takes twice as long",
    "status of CS-1001",
    "also the wallboard shows the wrong totals",
    "two issues: ",
    "1) calls drop after 30 seconds 2) the IVR is silent",
    "org id 3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6b",
    "raise it to sev 1",
    "how do I format a chat message?",
)
KEYWORDS = (
    "case", "cs", "ticket", "#", "sev", "priority", "high", "also", "and", "plus", "no",
    "not", "of", "agents", "but", "workaround", "1)", "-", "•", "*", "about", "separately",
    "another issue", "org", "see", "dozen of our",
)  # fmt: skip
RUN_UNITS = (
    " ", "\t", "\n", "\r", "\xa0", "\u2003", "\u3000", "\x1c", "\u2028", "\u200b", "\n ",
    ", ", "- ", ". ", ".", "!", "?", ":", ";", "`", "*", "~", "_", ">", "<", "|", "&", "#",
    "'", "(", ")", "1", "a", "A-", ":a", "<@U1", "<http:", "1.", "e.",
)  # fmt: skip
WRAPPERS = (
    ("*", "*"), ("_", "_"), ("~", "~"), ("`", "`"), ("```", "```"), ("> ", ""),
    ("<@U123ABC|", ">"), ("<@W99>", ""), ("<http://example.com/a|", ">"), ("<!here>", ""),
    ("<!subteam^S1|", ">"), ("<#C123|", ">"), ("<mailto:a@b.c|", ">"), (":fire:", ":x:"),
    ("&lt;", "&gt;"), ("<", ">"), ("&amp;", ""),
)  # fmt: skip

unicode_text = st.text(st.characters(exclude_categories=()), max_size=300)
lone_surrogates = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=20)
runs = st.builds(lambda unit, n: unit * n, st.sampled_from(RUN_UNITS), st.integers(1, 4000))
repeated_keywords = st.builds(
    lambda word, sep, n: (word + sep) * n,
    st.sampled_from(KEYWORDS),
    st.sampled_from((" ", "  ", ", ", "\n", "\u2003", "")),
    st.integers(1, 600),
)
nested_markup = st.builds(
    lambda core, wrappers: functools.reduce(lambda text, w: w[0] + text + w[1], wrappers, core),
    st.sampled_from(REPORT_PHRASES + KEYWORDS),
    st.lists(st.sampled_from(WRAPPERS), max_size=300),
)
messages = st.lists(
    st.one_of(
        unicode_text,
        lone_surrogates,
        runs,
        repeated_keywords,
        nested_markup,
        st.sampled_from(REPORT_PHRASES),
    ),
    min_size=1,
    max_size=6,
).map(lambda parts: "".join(parts)[:MAX_MESSAGE_CHARS])

ADVERSARIAL = (
    "case" + " " * 3990 + "x",
    "broken" + "\u2003" * 3990 + "x",
    "open report R-1A2B3C" + "\xa0" * 3970 + "x",
    "\ud800 the edge is down \udfff\ud83d",
    "- calls are broken\n" * 210,
    "calls are broken " + "and " * 990,
)
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    # The autouse data-dir fixture only sets an environment variable: sharing it is fine.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


def _examples(test):  # type: ignore[no-untyped-def]
    for text in ADVERSARIAL:
        test = example(text)(test)
    return test


@settings(FUZZ, max_examples=300)
@_examples
@given(messages)
def test_any_message_parses_to_a_well_formed_result(service: NluService, text: str) -> None:
    result = service.parse(text, deadline=Deadline.unlimited())
    assert isinstance(result.intent, str) and result.intent
    assert 0.0 <= result.intent_confidence <= 1.0
    assert not result.timed_out
    if result.intent in PROBLEM_INTENTS:
        assert result.severity in (1, 2, 3, 4)
        assert result.issues == len(result.issue_spans) >= 1
    else:
        assert result.severity is None
    for entity in result.entities:
        assert 0 <= entity.start <= entity.end <= len(text)


@settings(FUZZ, max_examples=500)
@_examples
@given(messages)
def test_each_issue_is_made_of_the_messages_own_words(text: str) -> None:
    """Splitting cuts and rejoins the message; it never invents or garbles a word (it only
    drops a trailing comma or conjunction and adds the full stop a cut sentence lost)."""
    clean_text = read_plain(text).text
    for span in split_issues(clean_text):
        assert span == span.strip()
        for word in span.split():
            assert word.rstrip(".") in clean_text


@settings(FUZZ, max_examples=500)
@_examples
@given(messages)
def test_cleaned_markup_maps_every_character_back_to_the_message(text: str) -> None:
    """Both readings: the NLU's of plain text, and Slack's rules (the Slack adapter's and
    the corpus's)."""
    for cleaned in (read_plain(text), read_plain(slack_to_plain(text).text), slack_to_plain(text)):
        source = cleaned.original
        assert len(cleaned.source_index) == len(cleaned.text)
        assert all(0 <= index < len(source) for index in cleaned.source_index)
        assert list(cleaned.source_index) == sorted(cleaned.source_index)


@settings(FUZZ, max_examples=500)
@_examples
@given(messages)
def test_the_engines_cleaning_leaves_only_storable_text(text: str) -> None:
    cleaned = clean(text).text
    cleaned.encode("utf-8")  # a lone surrogate would raise here, and in every store
    assert len(cleaned) <= MAX_MESSAGE_CHARS
