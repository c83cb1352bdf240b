"""Cutting text to Slack's limits in Slack's units: UTF-16 code units, whole characters kept."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.slack import blocks, staff_blocks
from bot.slack.limits import cut, length
from bot.slack.mrkdwn import escape_literal
from tests.slack.test_card_fields import over_limits, texts

THUMB = "👍🏽"  # U+1F44D and a skin tone: 4 units
FAMILY = "👨\u200d👩\u200d👧"  # three people joined by ZWJs: 8 units
FLAGS = "🇫🇷🇩🇪"  # two flags of two regional indicators each: 8 units


@pytest.mark.parametrize(
    ("text", "units"),
    [("", 0), ("abc", 3), ("Grüße", 5), ("日本語", 3), ("🚀", 2), (THUMB, 4), (FAMILY, 8)],
)
def test_length_counts_utf16_code_units(text: str, units: int) -> None:
    assert length(text) == units


def test_text_that_fits_exactly_is_left_alone() -> None:
    assert cut("a🚀b", 4) == "a🚀b"


def test_longer_text_is_cut_with_an_ellipsis_inside_the_limit() -> None:
    assert cut("abcdefghij", 5) == "abcd…"


def test_an_emoji_that_would_straddle_the_limit_is_dropped_whole() -> None:
    assert cut("ab🚀cd", 4) == "ab…"  # "ab" + half of 🚀 would be 3 units


def test_an_emoji_keeps_its_skin_tone_or_goes() -> None:
    assert cut(THUMB * 2, 4) == "…"  # the thumb would fit, its tone would not
    assert cut(THUMB * 2, 5) == THUMB + "…"


def test_a_zwj_sequence_is_not_split() -> None:
    assert cut(FAMILY + "x" * 10, 8) == "…"  # room for 👨‍👩 but not the whole family
    assert cut(FAMILY + "x" * 10, 9) == FAMILY + "…"


def test_a_flag_is_not_split_into_its_letters() -> None:
    assert cut(FLAGS, 7) == "🇫🇷…"


def test_a_letter_keeps_its_combining_accent() -> None:
    assert cut("cafe\u0301 noir", 5) == "caf…"


@pytest.mark.parametrize("limit", range(1, 18))
def test_an_escape_sequence_is_never_left_half(limit: int) -> None:
    shown = cut("x&amp;y&lt;z&gt;w", limit)
    assert not re.search(r"&[a-z]{0,3}(…|$)", shown), shown


def test_a_mention_or_link_of_ours_is_never_left_half() -> None:
    assert cut("asked <@U0STAFF1> today", 12) == "asked…"
    assert cut("see <https://x.example/a|report.pdf>", 20) == "see…"


def test_a_limit_shorter_than_the_ellipsis_gives_nothing() -> None:
    assert cut("abc", 0) == ""


def test_a_cut_escaped_broadcast_can_not_become_live() -> None:
    escaped = escape_literal("@hereabouts", limit=6)
    assert "@here" not in escaped and escaped.endswith("…")


@given(st.text(), st.integers(min_value=1, max_value=60))
def test_any_cut_fits_and_is_the_start_of_the_text(text: str, limit: int) -> None:
    shown = cut(text, limit)
    assert length(shown) <= limit
    if length(text) <= limit:
        assert shown == text
    else:
        assert shown.endswith("…") and text.startswith(shown[:-1])


# ---- the cards, whatever people type ---------------------------------------------------

HUGE = ("*Severity*\n> <!here> & `x` ~y~ _z_ 🚀👍🏽 " * 400)[:12_000]


def hostile_case() -> SimpleNamespace:
    """A case where every field a person or the directory fills is far too long."""
    moment = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
    file = SimpleNamespace(label=HUGE, permalink="https://files.example/" + "a" * 900)
    return SimpleNamespace(
        number="CS-1001",
        severity=3,
        priority="medium",
        priority_requested="high",
        status="open",
        org_short_name=HUGE,
        org_id=HUGE,
        requester_id="U01AAA",
        requester_name=HUGE,
        response_due_at=moment,
        acknowledged_at=None,
        assignee_id=None,
        title=HUGE,
        description=HUGE,
        business_impact=HUGE,
        conversation_id=HUGE,
        troubleshooting=HUGE,
        environment_changes=HUGE,
        attachments=(file,) * 30,
        last_update_at=moment,
    )


def test_a_staff_card_of_oversized_answers_is_within_every_limit() -> None:
    card = staff_blocks.staff_card(hostile_case(), tz=ZoneInfo("UTC"), nlu_confidence=0.5)
    assert over_limits(card) == []
    # Slack also refuses too much text across all blocks (undocumented; bolt-js#2509).
    assert sum(length(t) for t in texts(card["blocks"])) < 10_000


def test_a_requester_card_of_oversized_answers_is_within_every_limit() -> None:
    assert over_limits(blocks.requester_card(hostile_case(), tz=ZoneInfo("UTC"))) == []


def test_an_app_home_of_oversized_answers_is_within_every_limit() -> None:
    cases = [hostile_case()] * 60
    view = blocks.home_view(
        sections=[("Open cases of " + HUGE, cases)], tz=ZoneInfo("UTC"), can_report=True
    )
    assert over_limits(view, view=True) == []


def test_a_prefilled_report_modal_is_within_every_limit() -> None:
    view = blocks.report_modal(initial_text=HUGE, metadata={"source": "", "user": "U01AAA"})
    assert over_limits(view, view=True) == []
