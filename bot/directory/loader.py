"""Read the directory file (YAML) and report every problem with its line number.

The file is composed into YAML nodes rather than loaded into plain values, so each error can
point at the line that causes it, and scalars keep their written text (a country `NO` stays
Norway instead of turning into `False`). Organizations without a primary or a backup contact
still load, but are listed in `Directory.problems` (per `policy.contacts`).
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from holidays import list_supported_countries
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.directory.models import ContactRole, Directory, Organization, Person, Staff
from policy.contacts import organization_problems
from policy.countries import ISO_COUNTRY_CODES
from policy.loader import load_policy

log = logging.getLogger(__name__)

CONTACTS_ENV = "SUPPORTBOT_CONTACTS"
SAMPLE_RESOURCE = "sample_directory.yaml"
MAX_FILE_BYTES = 5_000_000

SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")
SLACK_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,20}$")
SHORT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
EMAIL = re.compile(r"^[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
DOMAIN = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


class DirectoryError(ValueError):
    """The directory file cannot be used; `problems` holds one line per problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _Reader:
    """Walks YAML nodes, collecting problems as 'FILE line N: WHERE PROBLEM'."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def problem(self, node: Node | None, where: str, message: str) -> None:
        place = f" line {node.start_mark.line + 1}" if node is not None else ""
        self.problems.append(f"{self.source}{place}: {where} {message}".replace("  ", " "))

    def mapping(
        self, node: Node, where: str, *, required: set[str], optional: set[str]
    ) -> dict[str, Node] | None:
        if not isinstance(node, MappingNode):
            self.problem(node, where, "must be a mapping of fields")
            return None
        fields: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            label = f"{where}.{key}" if where else str(key)
            if key not in required | optional:
                allowed = ", ".join(sorted(required | optional))
                self.problem(key_node, label, f"is not a known field (expected {allowed})")
            elif key in fields:
                self.problem(key_node, label, "appears twice")
            else:
                fields[key] = value_node
        for missing in sorted(required - fields.keys()):
            self.problem(node, f"{where}.{missing}" if where else missing, "is missing")
        return fields

    def sequence(self, node: Node | None, where: str) -> list[Node]:
        if node is None or _is_null(node):
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, where, "must be a list")
            return []
        return list(node.value)

    def text(
        self,
        node: Node | None,
        where: str,
        *,
        pattern: re.Pattern[str] | None = None,
        describe: str = "",
        convert: Callable[[str], str] = str.strip,
    ) -> str | None:
        if node is None:
            return None
        if not isinstance(node, ScalarNode) or _is_null(node) or not node.value.strip():
            self.problem(node, where, "must be a non-empty text value")
            return None
        value = convert(node.value)
        if pattern is not None and not pattern.match(value):
            self.problem(node, where, f"must be {describe}, got {node.value!r}")
            return None
        return value


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _canonical_uuid(text: str) -> str | None:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


class _DirectoryBuilder:
    """Turns the composed document into a Directory, checking uniqueness across the file."""

    def __init__(self, reader: _Reader) -> None:
        self.r = reader
        self.slack_ids: dict[str, str] = {}  # slack id -> where it was first seen
        self.short_names: set[str] = set()
        self.org_ids: set[str] = set()

    def claim_slack_id(self, node: Node, where: str, slack_id: str, owner: str) -> None:
        first = self.slack_ids.get(slack_id)
        if first is not None:
            self.r.problem(node, where, f"{slack_id} is already listed ({first})")
        else:
            self.slack_ids[slack_id] = owner

    def person(self, node: Node, where: str, *, owner: str, with_role: bool) -> Person | None:
        fields = self.r.mapping(
            node,
            where,
            required={"slack_id", "name", "role"} if with_role else {"slack_id", "name"},
            optional={"email"},
        )
        if fields is None:
            return None
        slack_id = self.r.text(
            fields.get("slack_id"),
            f"{where}.slack_id",
            pattern=SLACK_USER_ID,
            describe="a Slack user ID like U01AAA",
        )
        name = self.r.text(fields.get("name"), f"{where}.name")
        email = self.r.text(
            fields.get("email"), f"{where}.email", pattern=EMAIL, describe="an email address"
        )
        role: ContactRole | None = None
        if with_role and "role" in fields:
            role_text = self.r.text(fields["role"], f"{where}.role")
            if role_text is not None:
                try:
                    role = ContactRole(role_text.lower())
                except ValueError:
                    self.r.problem(
                        fields["role"],
                        f"{where}.role",
                        f"must be primary or backup, got {role_text!r}",
                    )
        if slack_id is not None:
            self.claim_slack_id(fields["slack_id"], f"{where}.slack_id", slack_id, owner)
        if slack_id is None or name is None or (with_role and role is None):
            return None
        return Person(slack_id=slack_id, name=name, email=email, contact_role=role)

    def organization(self, node: Node, index: int) -> Organization | None:
        fields = self.r.mapping(
            node,
            f"organizations[{index}]",
            required={"short_name", "name", "id"},
            optional={
                "timezone",
                "country",
                "email_domains",
                "designated_contacts",
                "members",
                "support_profile",
                "holidays",
                "holiday_country",
            },
        )
        if fields is None:
            return None
        short_name = self.r.text(
            fields.get("short_name"),
            "short_name",
            pattern=SHORT_NAME,
            describe="lowercase letters, digits, '-' or '_' (at most 40)",
        )
        if short_name is not None:
            if short_name in self.short_names:
                self.r.problem(fields["short_name"], "short_name", f"{short_name!r} is used twice")
            self.short_names.add(short_name)
        owner = f"organization {short_name or index}"
        name = self.r.text(fields.get("name"), "name")
        org_id = self._org_id(fields.get("id"))
        zone = self.r.text(fields.get("timezone"), "timezone")
        if zone is not None and not _valid_zone(zone):
            self.r.problem(
                fields["timezone"],
                "timezone",
                f"must be an IANA time zone like America/Chicago, got {zone!r}",
            )
            zone = None
        country = self.r.text(fields.get("country"), "country", convert=lambda v: v.strip().upper())
        if country is not None and country not in ISO_COUNTRY_CODES:
            self.r.problem(
                fields["country"],
                "country",
                f"must be an ISO 3166 country code like US, got {fields['country'].value!r}",
            )
            country = None
        domains = []
        for position, domain_node in enumerate(
            self.r.sequence(fields.get("email_domains"), "email_domains")
        ):
            domain = self.r.text(
                domain_node,
                f"email_domains[{position}]",
                pattern=DOMAIN,
                describe="a domain like acme.example",
                convert=lambda v: v.strip().lower(),
            )
            if domain is not None:
                domains.append(domain)
        contacts = [
            self.person(item, f"designated_contacts[{position}]", owner=owner, with_role=True)
            for position, item in enumerate(
                self.r.sequence(fields.get("designated_contacts"), "designated_contacts")
            )
        ]
        members = [
            self.person(item, f"members[{position}]", owner=owner, with_role=False)
            for position, item in enumerate(self.r.sequence(fields.get("members"), "members"))
        ]
        profile = self._support_profile(fields.get("support_profile"))
        holiday_country = self._holiday_country(fields.get("holiday_country"))
        holidays = self._holidays(fields.get("holidays"))
        bad_zone = "timezone" in fields and zone is None
        bad_country = "country" in fields and country is None
        bad_calendar = (
            ("support_profile" in fields and profile is None)
            or ("holiday_country" in fields and holiday_country is None)
            or holidays is None
        )
        if (
            short_name is None
            or name is None
            or org_id is None
            or bad_zone
            or bad_country
            or bad_calendar
            or None in contacts
            or None in members
        ):
            return None
        return Organization(
            short_name=short_name,
            name=name,
            id=org_id,
            timezone=zone,
            country=country,
            email_domains=tuple(domains),
            designated_contacts=tuple(p for p in contacts if p is not None),
            members=tuple(p for p in members if p is not None),
            support_profile=profile,
            holidays=holidays or (),
            holiday_country=holiday_country,
        )

    def _support_profile(self, node: Node | None) -> str | None:
        profile = self.r.text(node, "support_profile", convert=lambda v: v.strip().lower())
        profiles = load_policy().profiles
        if profile is not None and profile not in profiles:
            shown = ", ".join(sorted(profiles))
            self.r.problem(node, "support_profile", f"must be one of {shown}, got {profile!r}")
            return None
        return profile

    def _holiday_country(self, node: Node | None) -> str | None:
        country = self.r.text(node, "holiday_country", convert=lambda v: v.strip().upper())
        if country is not None and country not in list_supported_countries():
            self.r.problem(
                node, "holiday_country", f"has no public-holiday calendar we know: {country!r}"
            )
            return None
        return country

    def _holidays(self, node: Node | None) -> tuple[date, ...] | None:
        """Listed dates as YYYY-MM-DD; None (after reporting) when one is not a date."""
        days: list[date] = []
        broken = False
        for position, item in enumerate(self.r.sequence(node, "holidays")):
            text = self.r.text(item, f"holidays[{position}]")
            try:
                days.append(date.fromisoformat(text or ""))
            except ValueError:
                self.r.problem(item, f"holidays[{position}]", "must be a date like 2026-11-26")
                broken = True
        return None if broken else tuple(sorted(set(days)))

    def _org_id(self, node: Node | None) -> str | None:
        text = self.r.text(node, "id")
        if text is None or node is None:
            return None
        canonical = _canonical_uuid(text)
        if canonical is None:
            self.r.problem(
                node,
                "id",
                f"must be a UUID like 0f8fad5b-d9cb-469f-a165-70867728950e, got {text!r}",
            )
            return None
        if canonical in self.org_ids:
            self.r.problem(node, "id", f"{canonical} is used by two organizations")
        self.org_ids.add(canonical)
        return canonical

    def staff(self, node: Node) -> Staff | None:
        fields = self.r.mapping(node, "staff", required={"channel"}, optional={"members"})
        if fields is None:
            return None
        channel = self.r.text(
            fields.get("channel"),
            "staff.channel",
            pattern=SLACK_CHANNEL_ID,
            describe="a Slack channel ID like C0STAFF",
        )
        members: list[Person | None] = []
        for position, item in enumerate(self.r.sequence(fields.get("members"), "staff.members")):
            where = f"staff.members[{position}]"
            if isinstance(item, ScalarNode):
                slack_id = self.r.text(
                    item, where, pattern=SLACK_USER_ID, describe="a Slack user ID like U0STAFF1"
                )
                if slack_id is not None:
                    self.claim_slack_id(item, where, slack_id, "staff")
                members.append(Person(slack_id=slack_id, name=slack_id) if slack_id else None)
            else:
                members.append(self.person(item, where, owner="staff", with_role=False))
        if channel is None or None in members:
            return None
        return Staff(channel=channel, members=tuple(p for p in members if p is not None))

    def directory(self, root: Node | None) -> tuple[tuple[Organization, ...], Staff | None]:
        if root is None:
            self.r.problems.append(f"{self.r.source}: the file is empty")
            return (), None
        fields = self.r.mapping(root, "", required={"organizations", "staff"}, optional=set())
        if fields is None:
            return (), None
        org_nodes = self.r.sequence(fields.get("organizations"), "organizations")
        if "organizations" in fields and not org_nodes:
            self.r.problem(
                fields["organizations"], "organizations", "must list at least one organization"
            )
        organizations = [self.organization(node, index) for index, node in enumerate(org_nodes)]
        staff = self.staff(fields["staff"]) if "staff" in fields else None
        return tuple(org for org in organizations if org is not None), staff


def parse_directory(text: str, *, source: str = "contacts.yaml") -> Directory:
    """Build the directory from YAML text; DirectoryError lists every problem with its line."""
    reader = _Reader(source)
    try:
        aliases = [
            event.start_mark.line + 1
            for event in yaml.parse(text, Loader=yaml.SafeLoader)
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None
        ]
        if aliases:  # a reused node could multiply the work of checking the file without end
            raise DirectoryError(
                [f"{source} line {line}: YAML aliases (*name) are not allowed" for line in aliases]
            )
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f" line {mark.line + 1}" if mark else ""
        raise DirectoryError([f"{source}{line}: not valid YAML ({error.problem})"]) from None
    except yaml.YAMLError as error:
        raise DirectoryError([f"{source}: not valid YAML ({error})"]) from None
    builder = _DirectoryBuilder(reader)
    organizations, staff = builder.directory(root)
    if reader.problems or staff is None:
        raise DirectoryError(reader.problems or [f"{source}: no staff section"])
    problems = {
        org.short_name: tuple(
            organization_problems(
                [(p.slack_id, str(p.contact_role)) for p in org.designated_contacts]
            )
        )
        for org in organizations
    }
    problems = {name: found for name, found in problems.items() if found}
    for name, found in problems.items():
        log.warning("%s: organization %s is misconfigured: %s", source, name, "; ".join(found))
    return Directory(organizations=organizations, staff=staff, source=source, problems=problems)


def load_directory(path: str | Path | None = None) -> Directory:
    """The directory from `path`, else $SUPPORTBOT_CONTACTS, else the shipped sample."""
    chosen = path if path is not None else os.environ.get(CONTACTS_ENV, "").strip() or None
    if chosen is None:
        sample = resources.files("bot.directory").joinpath(SAMPLE_RESOURCE)
        return parse_directory(sample.read_text(encoding="utf-8"), source=SAMPLE_RESOURCE)
    file = Path(chosen).expanduser()
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise DirectoryError([f"{file}: too large for a directory file (over 5 MB)"])
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DirectoryError([f"{file}: contacts file not found"]) from None
    except IsADirectoryError:
        raise DirectoryError([f"{file}: is a directory, not a contacts file"]) from None
    except UnicodeDecodeError:
        raise DirectoryError([f"{file}: not a UTF-8 text file"]) from None
    except OSError as error:
        raise DirectoryError([f"{file}: cannot be read ({error.strerror})"]) from None
    return parse_directory(text, source=file.name)
