"""The few calls actions make into the directory and the policy, in one place.

Other packages own those contracts; keeping every call here means a renamed field is fixed
once, and actions read as conversation logic rather than plumbing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from actions.runtime import current

DESIGNATED_ROLES = frozenset({"designated_primary", "designated_backup"})


@dataclass(frozen=True)
class PersonView:
    """A person as the conversation needs them."""

    slack_id: str
    name: str
    role: str
    org_short_name: str | None
    org_id: str | None
    org_name: str | None
    tz: ZoneInfo
    country: str | None

    @property
    def is_designated(self) -> bool:
        return self.role in DESIGNATED_ROLES

    @property
    def is_staff(self) -> bool:
        return self.role == "staff"


def _attr(record: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = getattr(record, name, None)
        if value is not None:
            return value
    return default


def _org_of(person: Any) -> Any:
    org = _attr(person, "org", "organization")
    if org is None or isinstance(org, str):
        short = org if isinstance(org, str) else _attr(person, "org_short_name")
        finder = getattr(current().directory, "organization", None)
        return finder(short) if (finder and short) else None
    return org


def find_person(slack_id: str) -> PersonView | None:
    """The person behind a Slack ID, or None when the directory does not know them."""
    record = current().directory.person(slack_id)
    if record is None:
        return None
    org = _org_of(record)
    tz_value = _attr(org, "tz", "timezone", "time_zone", default="UTC") if org else "UTC"
    tz = tz_value if isinstance(tz_value, ZoneInfo) else ZoneInfo(str(tz_value))
    return PersonView(
        slack_id=slack_id,
        name=str(_attr(record, "name", "display_name", "real_name", default=slack_id)),
        role=str(_attr(record, "role", default="member")),
        org_short_name=_attr(org, "short_name", "org_short_name") if org else None,
        org_id=_attr(org, "org_id", "id") if org else None,
        org_name=_attr(org, "name", "display_name") if org else None,
        tz=tz,
        country=_attr(org, "country") if org else None,
    )


def designated_contacts(org_short_name: str) -> list[PersonView]:
    """The organization's designated contacts, primary first."""
    directory = current().directory
    people = directory.designated_contacts(org_short_name)
    views = [find_person(_attr(p, "slack_id", "user_id", "id")) for p in people]
    found = [v for v in views if v is not None]
    return sorted(found, key=lambda p: (p.role != "designated_primary", p.name))


def organization_problems(org_short_name: str | None) -> tuple[str, ...]:
    """Why an organization's designated-contact setup is incomplete (empty when fine)."""
    problems = getattr(current().directory, "problems", None) or {}
    return tuple(problems.get(org_short_name or "", ()))


def staff_channel() -> str:
    return str(_attr(current().directory, "staff_channel", default="C0STAFF"))


def now() -> datetime:
    return current().clock()


@dataclass(frozen=True)
class PhoneLine:
    region: str
    numbers: tuple[str, ...]
    hours: str
    critical_24x7: bool


def phone_line(country: str | None) -> PhoneLine:
    """The outage line for a country (policy.routing decides the region)."""
    from policy.routing import phone_route

    route = phone_route(country=country or "US")
    numbers = _attr(route, "numbers", default=())
    if isinstance(numbers, str):
        numbers = (numbers,)
    rendered = tuple(
        n
        if isinstance(n, str)
        else f"{n.number} ({n.label})"
        if getattr(n, "label", None)
        else str(n.number)
        for n in numbers
    )
    return PhoneLine(
        region=str(_attr(route, "region", default="")),
        numbers=rendered,
        hours=str(_attr(route, "hours", "hours_text", default="")),
        critical_24x7=bool(_attr(route, "critical_24x7", default=True)),
    )


def response_due(*, severity: int, opened_at: datetime, tz: ZoneInfo) -> datetime | None:
    """When support's initial (human) response is due, per policy.targets."""
    from policy.severity import Severity
    from policy.targets import initial_response_due

    due = initial_response_due(severity=Severity(int(severity)), opened_at=opened_at, tz=tz)
    if due is None or isinstance(due, datetime):
        return due
    return _attr(due, "due_at", "at")
