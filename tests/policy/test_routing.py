"""Phone routing by country, and the rule that Critical always goes by phone, 24x7."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from policy.routing import must_use_phone, phone_route


def numbers(country: str | None) -> list[str]:
    return [line.number for line in phone_route(country=country).numbers]


@pytest.mark.parametrize(
    ("country", "region", "expected"),
    [
        ("US", "Americas", ["+1-866-353-6587", "+1-317-957-1001"]),
        ("BR", "Americas", ["+55-11-5054-9446"]),
        ("AU", "APAC", ["+61-2804-71902", "+61-3808-00204", "+61-8622-00306"]),
        ("JP", "APAC", ["+81-3-5989-1106"]),
        ("MY", "APAC", ["+60-3277-63306"]),
        ("NZ", "APAC", ["+64-9307-8557"]),
        ("GB", "EMEA", ["+44-1753-519100"]),
        ("DE", "EMEA", ["+49-6995-106-6305"]),
        ("NL", "EMEA", ["+31-2065-00005"]),
        ("SA", "EMEA", ["+966-1125-02905"]),
        ("ZA", "EMEA", ["+27-8774-00901"]),
    ],
)
def test_listed_countries_get_their_own_line(country: str, region: str, expected) -> None:
    route = phone_route(country=country)
    assert route.region == region
    assert numbers(country) == expected
    assert route.note is None


@pytest.mark.parametrize(
    ("country", "region", "first_number"),
    [
        ("CA", "Americas", "+1-866-353-6587"),
        ("MX", "Americas", "+1-866-353-6587"),
        ("SG", "APAC", "+61-2804-71902"),
        ("IN", "APAC", "+61-2804-71902"),
        ("FR", "EMEA", "+44-1753-519100"),
        ("NO", "EMEA", "+44-1753-519100"),
    ],
)
def test_other_countries_use_their_regions_first_line(country, region, first_number) -> None:
    route = phone_route(country=country)
    assert route.region == region
    assert route.primary_number == first_number
    assert route.note and country in route.note


@pytest.mark.parametrize("country", ["ZZ", "", None, "atlantis"])
def test_unknown_country_gets_the_usa_line_with_a_note(country) -> None:
    route = phone_route(country=country)
    assert route.primary_number == "+1-866-353-6587"
    assert route.note and "default US line" in route.note


def test_country_codes_are_case_insensitive() -> None:
    assert numbers("de") == numbers("DE")


def test_regional_office_hours_come_from_the_seed() -> None:
    assert phone_route(country="US").hours == "Mon-Fri 08:00-17:00 EST"
    assert phone_route(country="AU").hours == "Mon-Fri 08:00-17:00 AEST"
    assert phone_route(country="GB").hours == "Mon-Fri 09:00-18:00 CET"
    assert phone_route(country="JP").hours == "Mon-Fri 09:00-17:30 JST"


@freeze_time("2026-03-07T08:00:00Z")  # Saturday 03:00 in New York, outside office hours
def test_critical_is_phone_24x7_even_on_saturday_night() -> None:
    route = phone_route(country="US")
    assert route.critical_24x7 is True
    assert must_use_phone(1) is True


@pytest.mark.parametrize(("severity", "expected"), [(1, True), (2, False), (3, False), (4, False)])
def test_only_critical_must_use_the_phone(severity: int, expected: bool) -> None:
    assert must_use_phone(severity) is expected


def test_must_use_phone_rejects_bad_severity() -> None:
    with pytest.raises(ValueError, match="severity"):
        must_use_phone(7)
