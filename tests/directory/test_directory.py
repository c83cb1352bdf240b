"""The directory: who may open cases, where they are, and what a broken file says."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.directory import DirectoryError, PersonRole, load_directory, parse_directory

VALID = """\
organizations:
  - short_name: acme
    name: Acme Corp
    id: 0f8fad5b-d9cb-469f-a165-70867728950e
    timezone: America/Chicago
    country: US
    email_domains: [acme.example]
    designated_contacts:
      - {slack_id: U01AAA, name: Ana Ruiz, email: ana@acme.example, role: primary}
      - {slack_id: U01BBB, name: Ben Cho, email: ben@acme.example, role: backup}
    members:
      - {slack_id: U01CCC, name: Cy Park, email: cy@acme.example}
staff:
  channel: C0STAFF
  members: [U0STAFF1]
"""

# Loads, but has no backup contact: the policy needs a primary and at least one backup.
MISCONFIGURED = """\
organizations:
  - short_name: lonely
    name: Lonely Ltd
    id: 9b2c1a7e-3f4d-4e5a-8b6c-7d8e9f0a1b2c
    timezone: Europe/London
    country: GB
    designated_contacts:
      - {slack_id: U05AAA, name: Solo Sam, role: primary}
  - short_name: nobody
    name: Nobody Inc
    id: 1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f
    timezone: Asia/Tokyo
    country: JP
    members:
      - {slack_id: U06AAA, name: Kei Ito}
staff:
  channel: C0STAFF
  members: []
"""


def test_shipped_sample_has_organizations_across_countries_and_time_zones() -> None:
    directory = load_directory()
    assert len(directory.organizations) >= 2
    assert len({org.country for org in directory.organizations}) == len(directory.organizations)
    assert len({org.timezone for org in directory.organizations}) == len(directory.organizations)
    assert directory.problems == {}
    for org in directory.organizations:
        assert org.primary_contacts and org.backup_contacts
    assert directory.person("U01AAA").role is PersonRole.DESIGNATED_PRIMARY  # demo user


def test_contacts_env_points_at_another_file(tmp_path: Path, monkeypatch) -> None:
    file = tmp_path / "contacts.yaml"
    file.write_text(VALID.replace("Acme Corp", "Acme From Env"))
    monkeypatch.setenv("SUPPORTBOT_CONTACTS", str(file))
    assert load_directory().organization("acme").name == "Acme From Env"
    explicit = tmp_path / "other.yaml"
    explicit.write_text(VALID.replace("Acme Corp", "Acme Explicit"))
    assert load_directory(explicit).organization("acme").name == "Acme Explicit"


def test_person_lookup_tells_designated_contacts_members_and_staff_apart() -> None:
    directory = parse_directory(VALID)
    ana, ben, cy, staff = (directory.person(i) for i in ("U01AAA", "U01BBB", "U01CCC", "U0STAFF1"))
    assert (ana.role, ben.role, cy.role, staff.role) == (
        PersonRole.DESIGNATED_PRIMARY,
        PersonRole.DESIGNATED_BACKUP,
        PersonRole.MEMBER,
        PersonRole.STAFF,
    )
    assert ana.is_designated and ben.is_designated and not cy.is_designated
    assert cy.org.short_name == "acme" and cy.name == "Cy Park" and cy.email == "cy@acme.example"
    assert staff.org is None and directory.is_staff("U0STAFF1")
    assert directory.person("U09NOPE") is None
    assert directory.person("") is None


def test_organization_lookups_and_contacts_in_order() -> None:
    directory = parse_directory(VALID)
    acme = directory.organization("acme")
    assert acme is not None
    assert acme.tz == ZoneInfo("America/Chicago") and acme.country == "US"
    assert acme.id == "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert directory.organization(" ACME ") is acme
    assert directory.organization("globex") is None
    assert directory.organization_by_id("0F8FAD5B-D9CB-469F-A165-70867728950E") is acme
    assert directory.organization_for_email("someone@ACME.example") is acme
    assert directory.organization_for_email("someone@elsewhere.example") is None
    assert [p.name for p in directory.designated_contacts("acme")] == ["Ana Ruiz", "Ben Cho"]
    assert directory.designated_contacts(acme) == directory.designated_contacts("acme")
    assert directory.designated_contacts("globex") == ()
    assert directory.staff_channel == "C0STAFF"


def test_organization_without_primary_or_backup_loads_but_is_reported() -> None:
    directory = parse_directory(MISCONFIGURED)
    assert directory.problems == {
        "lonely": ("no backup designated contact",),
        "nobody": ("no primary designated contact", "no backup designated contact"),
    }
    assert directory.is_misconfigured("lonely") and directory.is_misconfigured("nobody")
    assert directory.person("U05AAA").role is PersonRole.DESIGNATED_PRIMARY
    assert directory.designated_contacts("nobody") == ()


def test_country_no_is_norway_not_false() -> None:
    text = VALID.replace("country: US", "country: NO").replace("America/Chicago", "Europe/Oslo")
    assert parse_directory(text).organization("acme").country == "NO"


def test_lowercase_country_is_accepted_as_the_code() -> None:
    assert parse_directory(VALID.replace("country: US", "country: us")).organization(
        "acme"
    ).country == ("US")


def _error(text: str) -> str:
    with pytest.raises(DirectoryError) as caught:
        parse_directory(text, source="contacts.yaml")
    return str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "ben@acme.example, role: backup",
            "ben@acme.example, role: boss",
            "contacts.yaml line 10: designated_contacts[1].role must be primary or backup, "
            "got 'boss'",
        ),
        (
            "id: 0f8fad5b-d9cb-469f-a165-70867728950e",
            "id: 12345",
            "contacts.yaml line 4: id must be a UUID like 0f8fad5b-d9cb-469f-a165-70867728950e, "
            "got '12345'",
        ),
        (
            "timezone: America/Chicago",
            "timezone: Central Time",
            "contacts.yaml line 5: timezone must be an IANA time zone like America/Chicago, "
            "got 'Central Time'",
        ),
        (
            "country: US",
            "country: USA",
            "contacts.yaml line 6: country must be an ISO 3166 country code like US, got 'USA'",
        ),
        (
            "{slack_id: U01CCC",
            "{slack_id: cy.park",
            "contacts.yaml line 12: members[0].slack_id must be a Slack user ID like U01AAA, "
            "got 'cy.park'",
        ),
        (
            "{slack_id: U01CCC",
            "{slack_id: U01AAA",
            "contacts.yaml line 12: members[0].slack_id U01AAA is already listed "
            "(organization acme)",
        ),
        (
            "members: [U0STAFF1]",
            "members: [U01BBB]",
            "contacts.yaml line 15: staff.members[0] U01BBB is already listed (organization acme)",
        ),
        (
            "email: cy@acme.example}",
            "emial: cy@acme.example}",
            "contacts.yaml line 12: members[0].emial is not a known field",
        ),
        (
            "    name: Acme Corp\n",
            "",
            "contacts.yaml line 2: organizations[0].name is missing",
        ),
        (
            "channel: C0STAFF",
            "channel: '#support'",
            "contacts.yaml line 14: staff.channel must be a Slack channel ID like C0STAFF",
        ),
        (
            "email: ana@acme.example",
            "email: ana at acme",
            "contacts.yaml line 9: designated_contacts[0].email must be an email address",
        ),
        (
            "email_domains: [acme.example]",
            "email_domains: acme.example",
            "contacts.yaml line 7: email_domains must be a list",
        ),
        (
            "name: Acme Corp",
            "name: [Acme, Corp]",
            "contacts.yaml line 3: name must be a non-empty text value",
        ),
        (
            "short_name: acme",
            "short_name: Acme Corp!",
            "contacts.yaml line 2: short_name must be lowercase letters",
        ),
    ],
)
def test_broken_file_names_the_line_and_the_problem(old: str, new: str, expected: str) -> None:
    assert old in VALID
    assert expected in _error(VALID.replace(old, new, 1))


def test_duplicate_short_names_and_org_ids_are_refused() -> None:
    second = VALID.split("staff:")[0].split("organizations:\n")[1]
    second = second.replace("U01AAA", "U04AAA").replace("U01BBB", "U04BBB")
    second = second.replace("U01CCC", "U04CCC")
    message = _error(VALID.replace("staff:", second + "staff:"))
    assert "contacts.yaml line 13: short_name 'acme' is used twice" in message
    assert "line 15: id 0f8fad5b-d9cb-469f-a165-70867728950e is used by two" in message


def test_every_problem_is_reported_at_once() -> None:
    text = VALID.replace("country: US", "country: ZZ").replace("role: backup", "role: boss")
    problems = _error(text).splitlines()
    assert len(problems) == 2
    assert problems[0].startswith("contacts.yaml line 6: country")
    assert problems[1].startswith("contacts.yaml line 10: designated_contacts[1].role")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "contacts.yaml: the file is empty"),
        ("organizations: [\n  - {", "contacts.yaml line 2: not valid YAML"),
        ("- just\n- a list\n", "contacts.yaml line 1: must be a mapping of fields"),
        ("organizations: []\nstaff: {channel: C0STAFF}\n", "must list at least one organization"),
        ("organizations:\n  - acme\nstaff: {channel: C0STAFF}\n", "organizations[0] must be a"),
        (VALID.replace("staff:\n  channel: C0STAFF\n  members: [U0STAFF1]\n", ""), "staff is"),
    ],
)
def test_unusable_files_get_one_clear_message(text: str, expected: str) -> None:
    assert expected in _error(text)


def test_missing_or_unreadable_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(DirectoryError, match=r"nope\.yaml: contacts file not found"):
        load_directory(tmp_path / "nope.yaml")
    with pytest.raises(DirectoryError, match="is a directory"):
        load_directory(tmp_path)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DirectoryError, match="not a UTF-8 text file"):
        load_directory(binary)


def test_yaml_aliases_are_refused_so_a_file_cannot_multiply_work() -> None:
    text = VALID.replace(
        "    members:\n      - {slack_id: U01CCC, name: Cy Park, email: cy@acme.example}\n",
        "    members: &people\n      - {slack_id: U01CCC, name: Cy Park}\n",
    ).replace(
        "staff:",
        "  - {short_name: copy, name: C, id: 5d1f6a2e-8c3b-4f7a-9e0d-"
        "1b2c3d4e5f60, timezone: UTC, country: US, members: *people}\nstaff:",
    )
    assert _error(text) == "contacts.yaml line 13: YAML aliases (*name) are not allowed"
