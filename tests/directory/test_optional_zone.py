"""An organization's timezone and country are optional: Slack's zone decides when absent."""

from __future__ import annotations

import pytest

from bot.directory import DirectoryError, parse_directory
from policy.countries import country_of_zone
from tests.directory.test_directory import VALID

WITHOUT_ZONE = VALID.replace("    timezone: America/Chicago\n", "").replace("    country: US\n", "")


def test_an_organization_without_timezone_or_country_loads() -> None:
    assert "timezone" not in WITHOUT_ZONE and "country" not in WITHOUT_ZONE
    acme = parse_directory(WITHOUT_ZONE).organization("acme")
    assert acme is not None
    assert acme.timezone is None and acme.tz is None and acme.country is None
    assert parse_directory(WITHOUT_ZONE).person("U01AAA").is_designated


def test_a_timezone_alone_or_a_country_alone_is_fine() -> None:
    only_zone = VALID.replace("    country: US\n", "")
    only_country = VALID.replace("    timezone: America/Chicago\n", "")
    assert parse_directory(only_zone).organization("acme").timezone == "America/Chicago"
    assert parse_directory(only_country).organization("acme").country == "US"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "timezone: America/Chicago",
            "timezone: Berlin Time",
            "contacts.yaml line 5: timezone must be an IANA time zone like America/Chicago, "
            "got 'Berlin Time'",
        ),
        ("timezone: America/Chicago", "timezone:", "line 5: timezone must be a non-empty text"),
        (
            "country: US",
            "country: Germany",
            "contacts.yaml line 6: country must be an ISO 3166 country code like US, got 'Germany'",
        ),
    ],
)
def test_invalid_values_are_still_errors_with_their_line(old: str, new: str, expected: str) -> None:
    with pytest.raises(DirectoryError) as raised:
        parse_directory(VALID.replace(old, new, 1), source="contacts.yaml")
    assert expected in str(raised.value)


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("Europe/Berlin", "DE"),
        ("Australia/Sydney", "AU"),
        ("America/Chicago", "US"),
        ("Europe/Zurich", "CH"),  # shared with others in zone1970.tab; its own country first
        ("Asia/Calcutta", "IN"),  # an old name, linked to Asia/Kolkata
        ("UTC", None),
        ("Etc/GMT+5", None),
        ("Not/AZone", None),
        ("", None),
        (None, None),
    ],
)
def test_the_country_of_a_time_zone(zone: str | None, country: str | None) -> None:
    assert country_of_zone(zone) == country
