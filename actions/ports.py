"""The few calls actions make into the directory and the policy, in one place.

Other packages own those contracts; keeping every call here means a renamed field is fixed
once, and actions read as conversation logic rather than plumbing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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


def find_person(slack_id: str) -> PersonView | None:
    """The person behind a Slack ID, or None when the directory does not know them."""
    record = current().directory.person(slack_id)
    if record is None:
        return None
    org = record.org  # None for support staff
    return PersonView(
        slack_id=record.slack_id,
        name=record.name,
        role=str(record.role),
        org_short_name=org.short_name if org else None,
        org_id=org.org_id if org else None,
        org_name=org.name if org else None,
        tz=org.tz if org else ZoneInfo("UTC"),
        country=org.country if org else None,
    )


def designated_contacts(org_short_name: str) -> list[PersonView]:
    """The organization's designated contacts, primary first."""
    people = current().directory.designated_contacts(org_short_name)
    views = [find_person(p.slack_id) for p in people]
    found = [v for v in views if v is not None]
    return sorted(found, key=lambda p: (p.role != "designated_primary", p.name))


def organization_problems(org_short_name: str | None) -> tuple[str, ...]:
    """Why an organization's designated-contact setup is incomplete (empty when fine)."""
    problems = getattr(current().directory, "problems", None) or {}
    return tuple(problems.get(org_short_name or "", ()))


def staff_channel() -> str:
    return str(current().directory.staff_channel)


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

    route = phone_route(country=country)
    return PhoneLine(
        region=route.region,
        numbers=tuple(f"{n.number} ({n.label})" if n.label else n.number for n in route.numbers),
        hours=route.hours,
        critical_24x7=route.critical_24x7,
    )


def response_due(*, severity: int, opened_at: datetime, tz: ZoneInfo) -> datetime:
    """When support's initial (human) response is due, per policy.targets."""
    from policy.targets import initial_response_due

    return initial_response_due(severity=int(severity), opened_at=opened_at, tz=tz)
