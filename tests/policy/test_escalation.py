"""Escalation eligibility: each seed criterion as a named rule, with what to do instead."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from policy.escalation import (
    RULE_NAMES,
    CaseDataError,
    CaseStatus,
    EscalationCase,
    EscalationReason,
    UpdatedBy,
    check_escalation,
)
from policy.priority import Priority
from policy.severity import Severity
from tests.policy.conftest import at

NOW = "2026-03-12T15:00:00+00:00"  # Thursday 11:00 in New York


def case(**changes: Any) -> EscalationCase:
    """A medium-priority case that is eligible unless a test changes something."""
    raw: dict[str, Any] = {
        "status": "open",
        "priority": "medium",
        "severity": 3,
        "last_update_at": "2026-03-10T15:00:00+00:00",
        "last_update_by": "customer",
        "awaiting_customer": False,
        "reason": "no_progress",
        "restored_at": None,
        "business_impact_ongoing": True,
        "tz": "America/New_York",
    }
    raw.update(changes)
    return EscalationCase.from_mapping(raw)


def decide(escalation_case: EscalationCase, now: str = NOW):
    return check_escalation(escalation_case, now=at(now))


def test_rules_have_stable_names_in_seed_order() -> None:
    assert RULE_NAMES == (
        "case_is_active",
        "nothing_awaiting_customer",
        "not_an_impact_change",
        "rca_window_elapsed",
        "high_priority_wait_and_impact",
        "priority_eligible",
    )


def test_open_medium_case_without_progress_is_eligible() -> None:
    decision = decide(case())
    assert decision.eligible is True
    assert decision.failed == ()
    assert "routed to Product Support" in decision.next_step
    assert len(decision.explanations) == len(RULE_NAMES)


# --- criterion 1 ------------------------------------------------------------------------------


def test_closed_case_cannot_be_escalated_reopen_instead() -> None:
    decision = decide(case(status="closed"))
    assert decision.eligible is False
    assert decision.failed == ("case_is_active",)
    assert "Reopen the case" in decision.next_step


def test_resolution_proposed_case_is_still_active() -> None:
    assert decide(case(status="resolution_proposed")).eligible is True


# --- criterion 2 ------------------------------------------------------------------------------


def test_support_waiting_for_customer_information_blocks_escalation() -> None:
    decision = decide(case(awaiting_customer=True))
    assert decision.failed == ("nothing_awaiting_customer",)
    assert "Send the information" in decision.next_step


@pytest.mark.parametrize(
    ("last_update_at", "eligible"),
    [
        ("2026-03-12T12:00:00+00:00", False),  # 3 hours ago
        ("2026-03-11T15:00:01+00:00", False),  # a second under 24 hours
        ("2026-03-11T15:00:00+00:00", True),  # exactly 24 hours: no longer recent
        ("2026-03-09T15:00:00+00:00", True),
    ],
)
def test_unanswered_support_update_is_recent_for_24_hours(last_update_at, eligible) -> None:
    decision = decide(case(last_update_by="support", last_update_at=last_update_at))
    assert decision.eligible is eligible
    if not eligible:
        assert decision.failed == ("nothing_awaiting_customer",)
        assert "reply to it" in decision.next_step


def test_recent_update_by_the_customer_does_not_block() -> None:
    decision = decide(case(last_update_by="customer", last_update_at="2026-03-12T14:00+00:00"))
    assert decision.eligible is True


# --- criterion 3 ------------------------------------------------------------------------------


def test_impact_change_is_a_priority_change_not_an_escalation() -> None:
    decision = decide(case(reason="impact_change"))
    assert decision.failed == ("not_an_impact_change",)
    assert "to high, contact Product Support" in decision.next_step


def test_impact_change_on_high_case_points_to_the_phone() -> None:
    decision = decide(
        case(reason="impact_change", priority="high", last_update_at="2026-03-10T15:00+00:00")
    )
    assert decision.failed == ("not_an_impact_change",)
    assert "to critical, call the phone line" in decision.next_step


# --- criterion 4 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "eligible"),
    [
        ("2026-03-09T17:59:00+00:00", False),  # Monday 13:59 EDT, one minute early
        ("2026-03-09T18:00:00+00:00", True),  # Monday 14:00 EDT, five business days later
    ],
)
def test_rca_escalation_waits_five_business_days(now: str, eligible: bool) -> None:
    rca_case = case(
        reason="rca", severity=1, priority="medium", restored_at="2026-03-02T14:00:00-05:00"
    )
    decision = decide(rca_case, now=now)
    assert decision.eligible is eligible
    if not eligible:
        assert decision.failed == ("rca_window_elapsed",)
        assert "Mon 09 Mar 2026, 14:00 EDT" in decision.next_step


def test_rca_escalation_before_restoration_is_not_eligible() -> None:
    decision = decide(case(reason="rca", severity=1, restored_at=None))
    assert decision.failed == ("rca_window_elapsed",)
    assert "restored" in decision.next_step


# --- criterion 5 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_update_at", "impact", "failed"),
    [
        ("2026-03-11T15:00:00+00:00", True, ()),  # exactly 24 hours, impact ongoing
        ("2026-03-11T15:01:00+00:00", True, ("high_priority_wait_and_impact",)),  # 23h59
        ("2026-03-10T15:00:00+00:00", False, ("high_priority_wait_and_impact",)),  # no impact
    ],
)
def test_high_priority_needs_24_hours_and_ongoing_impact(last_update_at, impact, failed) -> None:
    decision = decide(
        case(priority="high", last_update_at=last_update_at, business_impact_ongoing=impact)
    )
    assert decision.failed == failed


def test_high_priority_too_early_says_when_to_come_back_in_local_time() -> None:
    decision = decide(case(priority="high", last_update_at="2026-03-12T12:00:00+00:00"))
    assert "Wait until Fri 13 Mar 2026, 08:00 EDT" in decision.next_step


def test_medium_priority_has_no_24_hour_wait() -> None:
    decision = decide(case(priority="medium", last_update_at="2026-03-12T14:00+00:00"))
    assert decision.eligible is True


# --- criterion 6 ------------------------------------------------------------------------------


def test_low_priority_is_not_eligible_and_explains_how_to_raise_it() -> None:
    decision = decide(case(priority="low", severity=4))
    assert decision.failed == ("priority_eligible",)
    assert "to medium, request it in a work note on the case" in decision.next_step
    assert "to high, contact Product Support" in decision.next_step


# --- several failures, "now" and bad input -----------------------------------------------


def test_all_failed_rules_are_listed_in_order_with_their_steps() -> None:
    decision = decide(case(status="closed", priority="low", awaiting_customer=True))
    assert decision.failed == ("case_is_active", "nothing_awaiting_customer", "priority_eligible")
    assert decision.next_step.index("Reopen") < decision.next_step.index("work note")


@freeze_time("2026-03-11T15:00:00Z")  # exactly 24 hours after the last update
def test_check_uses_the_current_time_when_now_is_not_given() -> None:
    decision = check_escalation(case(priority="high", last_update_at="2026-03-10T15:00+00:00"))
    assert decision.eligible is True


@freeze_time("2026-03-11T14:59:59Z")  # one second short of 24 hours
def test_check_uses_the_current_time_one_second_early() -> None:
    decision = check_escalation(case(priority="high", last_update_at="2026-03-10T15:00+00:00"))
    assert decision.failed == ("high_priority_wait_and_impact",)


def test_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError, match="offset"):
        check_escalation(case(), now=datetime(2026, 3, 12, 15))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"status": "pending"},
            "status: must be one of open, waiting_on_customer, resolution_proposed, closed",
        ),
        ({"priority": "urgent"}, "priority: must be one of low, medium, high, critical"),
        ({"severity": 7}, "severity: must be a whole number 1-4"),
        ({"severity": "2"}, "severity: must be a whole number 1-4"),
        ({"last_update_at": "2026-03-10T15:00:00"}, "last_update_at: needs a UTC offset"),
        ({"last_update_at": "yesterday"}, "last_update_at: not an ISO 8601 timestamp"),
        ({"restored_at": "2026-03-02T14:00"}, "restored_at: needs a UTC offset"),
        ({"last_update_by": "bot"}, "last_update_by: must be one of support, customer"),
        ({"awaiting_customer": "no"}, "awaiting_customer: must be true or false"),
        ({"reason": "angry"}, "reason: must be one of no_progress, impact_change, rca"),
        ({"tz": "Mars/Olympus"}, "tz: unknown time zone"),
        ({"colour": "red"}, "colour: unknown field"),
    ],
)
def test_bad_case_fields_are_named(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(CaseDataError) as caught:
        case(**changes)
    assert message in str(caught.value)


def test_missing_field_is_named() -> None:
    with pytest.raises(CaseDataError, match="business_impact_ongoing: is missing"):
        EscalationCase.from_mapping(
            {
                "status": "open",
                "priority": "medium",
                "severity": 3,
                "last_update_at": "2026-03-10T15:00:00+00:00",
                "last_update_by": "customer",
                "awaiting_customer": False,
                "reason": "no_progress",
                "restored_at": None,
                "tz": "UTC",
            }
        )


def test_case_must_be_an_object() -> None:
    with pytest.raises(CaseDataError, match="JSON object"):
        EscalationCase.from_mapping([1, 2, 3])  # type: ignore[arg-type]


def test_case_built_in_code_accepts_a_zone_name_and_rejects_naive_times() -> None:
    built = EscalationCase(
        status=CaseStatus.OPEN,
        priority=Priority.HIGH,
        severity=Severity.HIGH,
        last_update_at=at("2026-03-10T15:00+00:00"),
        last_update_by=UpdatedBy.CUSTOMER,
        awaiting_customer=False,
        reason=EscalationReason.NO_PROGRESS,
        restored_at=None,
        business_impact_ongoing=True,
        tz="Asia/Tokyo",  # type: ignore[arg-type]
    )
    assert built.tz.key == "Asia/Tokyo"
    assert check_escalation(built, now=at("2026-03-12T15:00+00:00")).eligible is True
    with pytest.raises(ValueError, match="offset"):
        replace(built, last_update_at=datetime(2026, 3, 10, 15))


def test_24_hours_are_real_hours_across_spring_forward_with_zoned_times() -> None:
    new_york = ZoneInfo("America/New_York")
    last_update = datetime(2026, 3, 7, 12, 0, tzinfo=new_york)  # Saturday noon EST
    built = replace(case(priority="high"), last_update_at=last_update)
    # Sunday noon EDT is the same wall time a day later, but only 23 real hours have passed.
    decision = check_escalation(built, now=datetime(2026, 3, 8, 12, 0, tzinfo=new_york))
    assert decision.failed == ("high_priority_wait_and_impact",)
    assert "Sun 08 Mar 2026, 13:00 EDT" in decision.next_step
    later = check_escalation(built, now=datetime(2026, 3, 8, 13, 0, tzinfo=new_york))
    assert later.eligible is True
