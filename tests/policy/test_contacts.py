"""Designated-contact rules and organization configuration checks."""

from __future__ import annotations

import pytest

from policy.contacts import ContactAction, may_perform, organization_problems


@pytest.mark.parametrize(
    "action",
    [
        ContactAction.OPEN,
        ContactAction.UPDATE,
        ContactAction.CLOSE,
        ContactAction.ESCALATE,
        ContactAction.REQUEST_RCA,
    ],
)
def test_case_changes_need_a_designated_contact(action: ContactAction) -> None:
    assert may_perform(action, is_designated_contact=True) is True
    assert may_perform(action, is_designated_contact=False) is False


def test_anyone_may_view_their_cases() -> None:
    assert may_perform(ContactAction.VIEW, is_designated_contact=False) is True
    assert may_perform("view", is_designated_contact=True) is True


def test_unknown_action_is_rejected() -> None:
    with pytest.raises(ValueError):
        may_perform("delete", is_designated_contact=True)


def test_primary_and_backup_is_a_complete_setup() -> None:
    assert organization_problems([("U1", "primary"), ("U2", "backup")]) == []
    assert organization_problems([("U1", "primary"), ("U2", "backup"), ("U3", "backup")]) == []


def test_missing_primary_and_backup_are_both_reported() -> None:
    assert organization_problems([]) == [
        "no primary designated contact",
        "no backup designated contact",
    ]


def test_missing_backup_is_reported() -> None:
    assert organization_problems([("U1", "primary")]) == ["no backup designated contact"]


def test_missing_primary_is_reported() -> None:
    assert organization_problems([("U2", "backup")]) == ["no primary designated contact"]


def test_two_primaries_and_odd_roles_are_reported() -> None:
    problems = organization_problems(
        [("U1", "primary"), ("U2", "Primary"), ("U3", "backup"), ("U4", "boss")]
    )
    assert "more than one primary designated contact: U1, U2" in problems
    assert "contact U4 has unknown role 'boss'" in problems


def test_backup_cannot_be_the_primary_person() -> None:
    problems = organization_problems([("U1", "primary"), ("U1", "backup")])
    assert any("different person" in problem for problem in problems)
