"""Who is who: organizations, their designated contacts and members, and support staff.

The directory answers the questions every conversation starts with: is this person a
designated contact (may open and change cases), a member of a customer organization (may only
report), or support staff? It is read-only once loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

from holidays import country_holidays

from policy.contacts import ContactRole


class PersonRole(StrEnum):
    """What a Slack user is to the assistant."""

    DESIGNATED_PRIMARY = "designated_primary"
    DESIGNATED_BACKUP = "designated_backup"
    MEMBER = "member"
    STAFF = "staff"


@dataclass(frozen=True, kw_only=True)
class Person:
    slack_id: str
    name: str
    email: str | None = None
    contact_role: ContactRole | None = None  # set for designated contacts only


@lru_cache(maxsize=64)
def public_holidays(country: str, first_year: int, last_year: int) -> frozenset[date]:
    """A country's public holidays in the years given (cached: the table is built once)."""
    return frozenset(country_holidays(country, years=range(first_year, last_year + 1)))


@dataclass(frozen=True, kw_only=True)
class Organization:
    short_name: str
    name: str
    id: str  # canonical lowercase UUID
    # Both optional: when absent, the requester's Slack time zone (users.info) decides due
    # times, and the country of that zone decides the phone line.
    timezone: str | None = None  # IANA name, e.g. "America/Chicago"
    country: str | None = None  # ISO 3166-1 alpha-2, decides the phone line
    email_domains: tuple[str, ...] = ()
    designated_contacts: tuple[Person, ...] = ()
    members: tuple[Person, ...] = ()
    # The support policy's profile for this customer (policy.yaml `profiles`); None: default.
    support_profile: str | None = None
    # Days support does not count as business days: listed dates, and the public holidays of
    # `holiday_country` (from the maintained `holidays` package).
    holidays: tuple[date, ...] = ()
    holiday_country: str | None = None

    def holiday_dates(self, around: date) -> frozenset[date]:
        """Listed holidays plus the country's public holidays from the year before `around`
        to two years after it (every due time falls in that span)."""
        found = frozenset(self.holidays)
        if self.holiday_country:
            found |= public_holidays(self.holiday_country, around.year - 1, around.year + 2)
        return found

    @property
    def tz(self) -> ZoneInfo | None:
        """The organization's zone, or None when the directory leaves it to Slack."""
        return ZoneInfo(self.timezone) if self.timezone else None

    @property
    def org_id(self) -> str:
        return self.id

    @property
    def primary_contacts(self) -> tuple[Person, ...]:
        return tuple(p for p in self.designated_contacts if p.contact_role is ContactRole.PRIMARY)

    @property
    def backup_contacts(self) -> tuple[Person, ...]:
        return tuple(p for p in self.designated_contacts if p.contact_role is ContactRole.BACKUP)


@dataclass(frozen=True, kw_only=True)
class Staff:
    channel: str
    members: tuple[Person, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PersonRecord:
    """A person found by Slack ID, with their role and organization (None for staff)."""

    person: Person
    role: PersonRole
    org: Organization | None

    @property
    def slack_id(self) -> str:
        return self.person.slack_id

    @property
    def name(self) -> str:
        return self.person.name

    @property
    def email(self) -> str | None:
        return self.person.email

    @property
    def org_short_name(self) -> str | None:
        return self.org.short_name if self.org else None

    @property
    def is_designated(self) -> bool:
        return self.role in (PersonRole.DESIGNATED_PRIMARY, PersonRole.DESIGNATED_BACKUP)

    @property
    def is_staff(self) -> bool:
        return self.role is PersonRole.STAFF


_CONTACT_ROLES = {
    ContactRole.PRIMARY: PersonRole.DESIGNATED_PRIMARY,
    ContactRole.BACKUP: PersonRole.DESIGNATED_BACKUP,
}


@dataclass(frozen=True, kw_only=True)
class Directory:
    """The loaded directory with lookups; `problems` lists misconfigured organizations."""

    organizations: tuple[Organization, ...]
    staff: Staff
    source: str = "directory"
    problems: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def _people(self) -> dict[str, PersonRecord]:
        people: dict[str, PersonRecord] = {}
        for member in self.staff.members:
            people[member.slack_id] = PersonRecord(person=member, role=PersonRole.STAFF, org=None)
        for org in self.organizations:
            for member in org.members:
                people[member.slack_id] = PersonRecord(
                    person=member, role=PersonRole.MEMBER, org=org
                )
            for contact in org.designated_contacts:
                role = _CONTACT_ROLES[contact.contact_role or ContactRole.BACKUP]
                people[contact.slack_id] = PersonRecord(person=contact, role=role, org=org)
        return people

    @cached_property
    def _by_short_name(self) -> dict[str, Organization]:
        return {org.short_name: org for org in self.organizations}

    @property
    def staff_channel(self) -> str:
        return self.staff.channel

    def person(self, slack_id: str) -> PersonRecord | None:
        """Who this Slack user is, or None when the directory does not know them."""
        return self._people.get(slack_id.strip()) if isinstance(slack_id, str) else None

    def organization(self, short_name: str) -> Organization | None:
        if not isinstance(short_name, str):
            return None
        return self._by_short_name.get(short_name.strip().lower())

    def organization_by_id(self, org_id: str) -> Organization | None:
        wanted = org_id.strip().lower() if isinstance(org_id, str) else ""
        return next((org for org in self.organizations if org.id == wanted), None)

    def organization_for_email(self, email: str) -> Organization | None:
        """The organization whose email domain matches the address (email updates)."""
        domain = email.rpartition("@")[2].strip().lower() if isinstance(email, str) else ""
        return next((org for org in self.organizations if domain in org.email_domains), None)

    def designated_contacts(self, org: Organization | str) -> tuple[Person, ...]:
        """Primary contacts first, then backups; empty for an unknown organization."""
        found = self.organization(org) if isinstance(org, str) else org
        if found is None:
            return ()
        return found.primary_contacts + found.backup_contacts

    def is_staff(self, slack_id: str) -> bool:
        record = self.person(slack_id)
        return record is not None and record.is_staff

    def is_misconfigured(self, org: Organization | str) -> bool:
        short_name = org if isinstance(org, str) else org.short_name
        return bool(self.problems.get(short_name))
