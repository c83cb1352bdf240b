"""Each organization's support profile and holidays come from the directory and reach every
due time the assistant computes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.directory import DirectoryError, parse_directory
from policy.case_targets import OrganizationTargets
from tests.directory.test_directory import VALID

COUNTRY_LINE = "    country: US\n"


def with_fields(extra: str) -> str:
    return VALID.replace(COUNTRY_LINE, COUNTRY_LINE + extra, 1)


def test_profile_holiday_country_and_dates_load() -> None:
    text = with_fields(
        "    support_profile: purecloud\n    holiday_country: US\n    holidays: [2026-12-24]\n"
    )
    acme = parse_directory(text).organization("acme")
    assert acme.support_profile == "purecloud"
    days = acme.holiday_dates(date(2026, 11, 1))
    assert date(2026, 11, 26) in days  # Thanksgiving, from the country's calendar
    assert date(2026, 12, 24) in days  # listed by the organization


def test_an_organization_without_them_has_the_default_profile_and_no_holidays() -> None:
    acme = parse_directory(VALID).organization("acme")
    assert acme.support_profile is None
    assert acme.holiday_dates(date(2026, 11, 1)) == frozenset()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "    support_profile: platinum\n",
            "support_profile must be one of genesys-cloud, purecloud, got 'platinum'",
        ),
        ("    holiday_country: XX\n", "holiday_country has no public-holiday calendar"),
        ("    holidays: [next friday]\n", "holidays[0] must be a date like 2026-11-26"),
    ],
)
def test_a_bad_calendar_value_is_an_error_with_its_line(extra: str, expected: str) -> None:
    with pytest.raises(DirectoryError) as raised:
        parse_directory(with_fields(extra), source="contacts.yaml")
    assert expected in str(raised.value)


def test_the_purecloud_profile_answers_severity_2_within_one_business_hour() -> None:
    opened = datetime(2026, 11, 17, 15, 0, tzinfo=UTC)  # Tuesday 09:00 in Chicago
    chicago = parse_directory(VALID).organization("acme").tz
    default = OrganizationTargets.of(chicago).response_due(severity=2, start=opened)
    purecloud = OrganizationTargets.of(chicago, profile="purecloud").response_due(
        severity=2, start=opened
    )
    assert default == datetime(2026, 11, 17, 17, 0, tzinfo=UTC)  # two business hours
    assert purecloud == datetime(2026, 11, 17, 16, 0, tzinfo=UTC)  # one business hour
