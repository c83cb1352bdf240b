"""The few calls actions make into the directory and the policy, in one place.

Other packages own those contracts; keeping every call here means a renamed field is fixed
once, and actions read as conversation logic rather than plumbing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from actions.runtime import current
from policy.case_targets import OrganizationTargets
from policy.countries import country_of_zone

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


UTC_ZONE = ZoneInfo("UTC")


def zone_named(name: str | None) -> ZoneInfo | None:
    """The zone for an IANA name from a chat service; None for a missing or unknown name."""
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def find_person(slack_id: str, *, sender_tz: str | None = None) -> PersonView | None:
    """The person behind a Slack ID, or None when the directory does not know them.

    Time zone: the organization's, else `sender_tz` (their Slack zone), else UTC. Country
    (phone line): the organization's, else the country of that zone, else None.
    """
    record = current().directory.person(slack_id)
    if record is None:
        return None
    org = record.org  # None for support staff
    tz = (org.tz if org else None) or zone_named(sender_tz) or UTC_ZONE
    country = (org.country if org else None) or country_of_zone(tz.key)
    return PersonView(
        slack_id=record.slack_id,
        name=record.name,
        role=str(record.role),
        org_short_name=org.short_name if org else None,
        org_id=org.org_id if org else None,
        org_name=org.name if org else None,
        tz=tz,
        country=country if org else None,
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
    note: str | None = None  # e.g. why the default line was chosen


def phone_line(country: str | None) -> PhoneLine:
    """The outage line for a country (policy.routing decides the region)."""
    from policy.routing import phone_route

    route = phone_route(country=country)
    return PhoneLine(
        region=route.region,
        numbers=tuple(f"{n.number} ({n.label})" if n.label else n.number for n in route.numbers),
        hours=route.hours,
        critical_24x7=route.critical_24x7,
        note=route.note,
    )


def organization_targets(
    org_short_name: str | None, *, tz: ZoneInfo, around: datetime
) -> OrganizationTargets:
    """The policy for one organization's cases: its profile and holidays from the
    directory, due times shown in `tz`. An organization the directory lacks gets the
    default profile and no holidays."""
    org = current().directory.organization(org_short_name) if org_short_name else None
    if org is None:
        return OrganizationTargets.of(tz)
    return OrganizationTargets.of(
        tz, profile=org.support_profile, holidays=org.holiday_dates(around.date())
    )
