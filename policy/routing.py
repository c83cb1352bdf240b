"""Which phone line a customer calls, and when a case must go by phone at all.

Numbers and office hours come from seed 000; outages are reported on these lines 24x7, so a
Critical issue is always a phone call, whatever the hour.
"""

from __future__ import annotations

from dataclasses import dataclass

from policy.loader import PhoneNumber, PhoneRegion, Policy, load_policy
from policy.severity import Severity
from policy.targets import as_severity


@dataclass(frozen=True)
class PhoneRoute:
    region: str
    numbers: tuple[PhoneNumber, ...]
    hours: str  # office hours of the line(s); outages are taken 24x7 regardless
    critical_24x7: bool = True
    note: str | None = None

    @property
    def primary_number(self) -> str:
        return self.numbers[0].number


def _region_of(country: str, policy: Policy) -> PhoneRegion | None:
    return next((region for region in policy.phone.regions if country in region.countries), None)


def _first_country_numbers(region: PhoneRegion) -> tuple[PhoneNumber, ...]:
    first = region.numbers[0].country
    return tuple(number for number in region.numbers if number.country == first)


def _route(
    region: PhoneRegion, numbers: tuple[PhoneNumber, ...], policy: Policy, note: str | None
) -> PhoneRoute:
    own_hours = {number.hours for number in numbers if number.hours}
    hours = own_hours.pop() if len(own_hours) == 1 else region.hours
    return PhoneRoute(
        region=region.name,
        numbers=numbers,
        hours=hours,
        critical_24x7=policy.phone.critical_24x7,
        note=note,
    )


def phone_route(*, country: str | None, policy: Policy | None = None) -> PhoneRoute:
    """The line for an ISO country code: its own number, else its region's first number.

    Unknown or missing countries get the default line (the USA) with a note saying so.
    """
    chosen = policy or load_policy()
    code = (country or "").strip().upper()
    region = _region_of(code, chosen) if code else None
    if region is not None:
        own = tuple(number for number in region.numbers if number.country == code)
        if own:
            return _route(region, own, chosen, None)
        numbers = _first_country_numbers(region)
        note = f"no local line for {code}; use the {region.name} line"
        return _route(region, numbers, chosen, note)
    default = chosen.phone.default_country
    default_region = _region_of(default, chosen)
    if default_region is None:  # loader guarantees the default country has a number
        raise ValueError(f"default phone country {default} belongs to no region")
    numbers = tuple(n for n in default_region.numbers if n.country == default)
    what = f"country {code!r} is not in any support region" if code else "no country is known"
    return _route(default_region, numbers, chosen, f"{what}; using the default {default} line")


def must_use_phone(severity: int | Severity, *, policy: Policy | None = None) -> bool:
    """Critical issues are raised by telephone only, never opened in chat or the portal."""
    level = as_severity(severity)
    return (policy or load_policy()).severities[level].phone_only
