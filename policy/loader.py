"""Load the support policy from its data file and validate every field on the way in.

The policy is data so that a support admin can read and review it next to the seed documents;
validation is strict so that a typo fails at start-up with the field's path instead of
producing a wrong due time weeks later.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

from policy.levels import Impact, Severity, Workaround
from policy.questions import AnswerChoice, QuestionId, SeverityQuestion

WEEKDAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_E = TypeVar("_E", bound=StrEnum)
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class PolicyError(ValueError):
    """The policy file is unreadable or a field is invalid; the message names the field."""


class Unit(StrEnum):
    """How a target's amount is counted: around the clock or on the business calendar."""

    MINUTES = "minutes"
    HOURS = "hours"
    BUSINESS_HOURS = "business_hours"
    BUSINESS_DAYS = "business_days"

    @property
    def around_the_clock(self) -> bool:
        return self in (Unit.MINUTES, Unit.HOURS)


class Basis(StrEnum):
    TARGET = "target"  # a promise per case
    MEAN = "mean"  # an average the vendor reports, shown as such


class RestorationScope(StrEnum):
    PLATFORM_LEVEL = "platform_level"  # only platform-level issues have restoration targets
    ALL = "all"


@dataclass(frozen=True)
class Target:
    amount: int
    unit: Unit
    channel: str | None = None
    basis: Basis = Basis.TARGET

    def describe(self) -> str:
        """Human text such as '2 business hours (portal)' or 'mean 15 minutes'."""
        unit_text = str(self.unit).replace("_", " ")
        if self.amount == 1:
            unit_text = unit_text.removesuffix("s")
        text = f"{self.amount} {unit_text}"
        if self.basis is Basis.MEAN:
            text = f"mean {text}"
        if self.channel:
            text = f"{text} ({self.channel})"
        return text


@dataclass(frozen=True)
class SeverityLevel:
    severity: Severity
    label: str
    definition: str
    around_the_clock: bool
    phone_only: bool


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    source: str
    restoration_scope: RestorationScope
    initial_response: Mapping[Severity, Target]
    restoration: Mapping[Severity, Target | None]


@dataclass(frozen=True)
class BusinessHours:
    open: time
    close: time
    weekdays: frozenset[int]  # Monday == 0, as datetime.weekday()


@dataclass(frozen=True)
class PhoneNumber:
    country: str
    label: str
    number: str
    hours: str | None = None  # overrides the region's hours when the line has its own


@dataclass(frozen=True)
class PhoneRegion:
    name: str
    hours: str
    countries: frozenset[str]
    numbers: tuple[PhoneNumber, ...]


@dataclass(frozen=True)
class PhoneSettings:
    critical_24x7: bool
    default_country: str
    regions: tuple[PhoneRegion, ...]


@dataclass(frozen=True)
class EscalationSettings:
    recent_update_hours: int
    high_priority_wait_hours: int
    rca_wait_business_days: int


@dataclass(frozen=True)
class LifecycleSettings:
    inactivity_close_business_days: int
    inactivity_notice_business_days: int
    resolution_proposed_business_days: int
    rca_business_days: int


@dataclass(frozen=True)
class Policy:
    default_profile: str
    hours: BusinessHours
    severities: Mapping[Severity, SeverityLevel]
    severity_matrix: Mapping[tuple[Impact, Workaround], Severity]
    severity_questions: Mapping[QuestionId, SeverityQuestion]
    profiles: Mapping[str, Profile]
    phone: PhoneSettings
    escalation: EscalationSettings
    lifecycle: LifecycleSettings

    @property
    def phone_regions(self) -> tuple[PhoneRegion, ...]:
        return self.phone.regions

    def profile(self, name: str | None = None) -> Profile:
        """The named profile, or the default one; unknown names raise ValueError."""
        chosen = name or self.default_profile
        try:
            return self.profiles[chosen]
        except KeyError:
            known = ", ".join(sorted(self.profiles))
            raise ValueError(f"unknown profile {chosen!r}; known profiles: {known}") from None


DEFAULT_POLICY_FILE = "policy.yaml"


def default_policy_path() -> Path:
    return Path(str(resources.files("policy").joinpath("data", DEFAULT_POLICY_FILE)))


def load_policy(path: Path | None = None) -> Policy:
    """The shipped policy by default (parsed once per process), or the file at `path`."""
    if path is None:
        return _load_default()
    return _load_file(Path(path))


@functools.cache
def _load_default() -> Policy:
    return _load_file(default_policy_path())


def _load_file(path: Path) -> Policy:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyError(f"{path}: cannot read the policy file ({error.strerror})") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise PolicyError(f"{path}: not valid YAML ({error})") from None
    try:
        return parse_policy(raw)
    except PolicyError as error:
        raise PolicyError(f"{path.name}: {error}") from None


# --- parsing: each helper receives the dotted path of the field it checks -----------------


def _fail(field: str, problem: str) -> PolicyError:
    return PolicyError(f"{field}: {problem}")


def _mapping(value: Any, field: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise _fail(field, f"must be a mapping, got {type(value).__name__}")
    return value


def _require(raw: Mapping[Any, Any], key: str, field: str) -> Any:
    if key not in raw:
        raise _fail(f"{field}.{key}" if field else key, "is missing")
    return raw[key]


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(field, "must be a non-empty text")
    return value.strip()


def _boolean(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(field, f"must be true or false, got {value!r}")
    return value


def _positive_int(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _fail(field, f"must be a positive whole number, got {value!r}")
    return value


def _clock_time(value: Any, field: str) -> time:
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if not match:
        raise _fail(field, f"must be a time as HH:MM in quotes, got {value!r}")
    return time(int(match.group(1)), int(match.group(2)))


def _choice(value: Any, enum: type[_E], field: str) -> _E:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(str(member) for member in enum)
        raise _fail(field, f"must be one of {allowed}, got {value!r}") from None


def _severity_key(key: Any, field: str) -> Severity:
    try:
        return Severity(int(key))
    except (TypeError, ValueError):
        raise _fail(f"{field}.{key}", "is not a severity level (1-4)") from None


def _per_severity(raw: Any, field: str) -> dict[Severity, Any]:
    table = {_severity_key(key, field): value for key, value in _mapping(raw, field).items()}
    missing = [str(int(level)) for level in Severity if level not in table]
    if missing:
        raise _fail(field, f"severity {', '.join(missing)} is missing")
    return table


def parse_policy(raw: Any) -> Policy:
    """Validate the decoded YAML document and build the Policy; raise PolicyError on mistakes."""
    root = _mapping(raw, "policy")
    hours = _parse_hours(_require(root, "business_hours", ""))
    severities = _parse_severities(_require(root, "severities", ""))
    matrix = _parse_matrix(_require(root, "severity_matrix", ""))
    profiles = _parse_profiles(_require(root, "profiles", ""), severities)
    default_profile = _text(_require(root, "default_profile", ""), "default_profile")
    if default_profile not in profiles:
        raise _fail("default_profile", f"names no profile ({default_profile!r})")
    return Policy(
        default_profile=default_profile,
        hours=hours,
        severities=severities,
        severity_matrix=matrix,
        severity_questions=_parse_questions(_require(root, "severity_questions", "")),
        profiles=profiles,
        phone=_parse_phone(_require(root, "phone", "")),
        escalation=_parse_escalation(_require(root, "escalation", "")),
        lifecycle=_parse_lifecycle(_require(root, "lifecycle", "")),
    )


def _parse_hours(raw: Any) -> BusinessHours:
    field = "business_hours"
    table = _mapping(raw, field)
    opening = _clock_time(_require(table, "open", field), f"{field}.open")
    closing = _clock_time(_require(table, "close", field), f"{field}.close")
    if closing <= opening:
        raise _fail(f"{field}.close", "must be later than business_hours.open")
    days = _require(table, "weekdays", field)
    if not isinstance(days, list) or not days:
        raise _fail(f"{field}.weekdays", "must be a non-empty list such as [mon, tue]")
    weekdays: set[int] = set()
    for index, day in enumerate(days):
        if day not in WEEKDAY_NAMES:
            raise _fail(f"{field}.weekdays[{index}]", f"must be one of mon..sun, got {day!r}")
        weekdays.add(WEEKDAY_NAMES.index(day))
    return BusinessHours(open=opening, close=closing, weekdays=frozenset(weekdays))


def _parse_severities(raw: Any) -> dict[Severity, SeverityLevel]:
    levels: dict[Severity, SeverityLevel] = {}
    for severity, entry in _per_severity(raw, "severities").items():
        field = f"severities.{int(severity)}"
        table = _mapping(entry, field)
        levels[severity] = SeverityLevel(
            severity=severity,
            label=_text(_require(table, "label", field), f"{field}.label"),
            definition=_text(_require(table, "definition", field), f"{field}.definition"),
            around_the_clock=_boolean(
                _require(table, "around_the_clock", field), f"{field}.around_the_clock"
            ),
            phone_only=_boolean(_require(table, "phone_only", field), f"{field}.phone_only"),
        )
    return levels


def _parse_matrix(raw: Any) -> dict[tuple[Impact, Workaround], Severity]:
    matrix: dict[tuple[Impact, Workaround], Severity] = {}
    rows = _mapping(raw, "severity_matrix")
    for impact in Impact:
        field = f"severity_matrix.{impact}"
        row = _mapping(_require(rows, str(impact), "severity_matrix"), field)
        for workaround in Workaround:
            value = _require(row, str(workaround), field)
            try:
                matrix[(impact, workaround)] = Severity(value)
            except ValueError:
                raise _fail(f"{field}.{workaround}", f"must be 1-4, got {value!r}") from None
    unknown = set(rows) - {str(impact) for impact in Impact}
    if unknown:
        raise _fail("severity_matrix", f"unknown impact {sorted(map(str, unknown))[0]!r}")
    return matrix


def _parse_questions(raw: Any) -> dict[QuestionId, SeverityQuestion]:
    rows = _mapping(raw, "severity_questions")
    questions: dict[QuestionId, SeverityQuestion] = {}
    for question_id, means_enum in (
        (QuestionId.IMPACT, Impact),
        (QuestionId.WORKAROUND, Workaround),
    ):
        field = f"severity_questions.{question_id}"
        table = _mapping(_require(rows, str(question_id), "severity_questions"), field)
        answers = []
        for value, entry in _mapping(_require(table, "answers", field), f"{field}.answers").items():
            entry_field = f"{field}.answers.{value}"
            answer = _mapping(entry, entry_field)
            means = _text(_require(answer, "means", entry_field), f"{entry_field}.means")
            if means not in {str(member) for member in means_enum}:
                raise _fail(f"{entry_field}.means", f"names no {means_enum.__name__} ({means!r})")
            label = _text(_require(answer, "label", entry_field), f"{entry_field}.label")
            answers.append(AnswerChoice(value=str(value), label=label, means=means))
        text = _text(_require(table, "text", field), f"{field}.text")
        questions[question_id] = SeverityQuestion(question_id, text, tuple(answers))
    return questions


def _parse_target(raw: Any, field: str) -> Target:
    table = _mapping(raw, field)
    channel = table.get("channel")
    return Target(
        amount=_positive_int(_require(table, "amount", field), f"{field}.amount"),
        unit=_choice(_require(table, "unit", field), Unit, f"{field}.unit"),
        channel=_text(channel, f"{field}.channel") if channel is not None else None,
        basis=_choice(table.get("basis", "target"), Basis, f"{field}.basis"),
    )


def _parse_profiles(raw: Any, severities: Mapping[Severity, SeverityLevel]) -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    table = _mapping(raw, "profiles")
    if not table:
        raise _fail("profiles", "must name at least one profile")
    for name, entry in table.items():
        field = f"profiles.{name}"
        body = _mapping(entry, field)
        initial = {
            severity: _parse_target(value, f"{field}.initial_response.{int(severity)}")
            for severity, value in _per_severity(
                _require(body, "initial_response", field), f"{field}.initial_response"
            ).items()
        }
        restoration = {
            severity: (
                None
                if value is None
                else _parse_target(value, f"{field}.restoration.{int(severity)}")
            )
            for severity, value in _per_severity(
                _require(body, "restoration", field), f"{field}.restoration"
            ).items()
        }
        for severity, level in severities.items():
            if level.around_the_clock and not initial[severity].unit.around_the_clock:
                raise _fail(
                    f"{field}.initial_response.{int(severity)}.unit",
                    f"Severity {int(severity)} is handled around the clock, so the unit must "
                    "be minutes or hours",
                )
        profiles[str(name)] = Profile(
            name=str(name),
            title=_text(_require(body, "title", field), f"{field}.title"),
            source=_text(_require(body, "source", field), f"{field}.source"),
            restoration_scope=_choice(
                _require(body, "restoration_scope", field),
                RestorationScope,
                f"{field}.restoration_scope",
            ),
            initial_response=initial,
            restoration=restoration,
        )
    return profiles


def _country(value: Any, field: str) -> str:
    if not isinstance(value, str) or not _COUNTRY_CODE.match(value):
        raise _fail(field, f"must be a two-letter ISO country code, got {value!r}")
    return value


def _parse_phone(raw: Any) -> PhoneSettings:
    field = "phone"
    table = _mapping(raw, field)
    regions_raw = _require(table, "regions", field)
    if not isinstance(regions_raw, list) or not regions_raw:
        raise _fail(f"{field}.regions", "must be a non-empty list")
    regions: list[PhoneRegion] = []
    seen_countries: dict[str, str] = {}
    for index, entry in enumerate(regions_raw):
        region_field = f"{field}.regions[{index}]"
        body = _mapping(entry, region_field)
        name = _text(_require(body, "name", region_field), f"{region_field}.name")
        countries_raw = _require(body, "countries", region_field)
        if not isinstance(countries_raw, list):
            raise _fail(f"{region_field}.countries", "must be a list of country codes")
        countries = [
            _country(code, f"{region_field}.countries[{position}]")
            for position, code in enumerate(countries_raw)
        ]
        for code in countries:
            if code in seen_countries:
                raise _fail(
                    f"{region_field}.countries",
                    f"{code} is already in region {seen_countries[code]}",
                )
            seen_countries[code] = name
        numbers_raw = _require(body, "numbers", region_field)
        if not isinstance(numbers_raw, list) or not numbers_raw:
            raise _fail(f"{region_field}.numbers", "must be a non-empty list")
        numbers = []
        for position, number_entry in enumerate(numbers_raw):
            number_field = f"{region_field}.numbers[{position}]"
            number_body = _mapping(number_entry, number_field)
            country = _country(_require(number_body, "country", number_field), number_field)
            if country not in countries:
                raise _fail(f"{number_field}.country", f"{country} is not in region {name}")
            line_hours = number_body.get("hours")
            numbers.append(
                PhoneNumber(
                    country=country,
                    label=_text(_require(number_body, "label", number_field), number_field),
                    number=_text(
                        _require(number_body, "number", number_field), f"{number_field}.number"
                    ),
                    hours=None
                    if line_hours is None
                    else _text(line_hours, f"{number_field}.hours"),
                )
            )
        regions.append(
            PhoneRegion(
                name=name,
                hours=_text(_require(body, "hours", region_field), f"{region_field}.hours"),
                countries=frozenset(countries),
                numbers=tuple(numbers),
            )
        )
    default_country = _country(
        _require(table, "default_country", field), f"{field}.default_country"
    )
    if not any(number.country == default_country for r in regions for number in r.numbers):
        raise _fail(f"{field}.default_country", f"{default_country} has no phone number")
    return PhoneSettings(
        critical_24x7=_boolean(_require(table, "critical_24x7", field), f"{field}.critical_24x7"),
        default_country=default_country,
        regions=tuple(regions),
    )


def _parse_escalation(raw: Any) -> EscalationSettings:
    field = "escalation"
    table = _mapping(raw, field)
    return EscalationSettings(
        **{
            key: _positive_int(_require(table, key, field), f"{field}.{key}")
            for key in ("recent_update_hours", "high_priority_wait_hours", "rca_wait_business_days")
        }
    )


def _parse_lifecycle(raw: Any) -> LifecycleSettings:
    field = "lifecycle"
    table = _mapping(raw, field)
    keys = (
        "inactivity_close_business_days",
        "inactivity_notice_business_days",
        "resolution_proposed_business_days",
        "rca_business_days",
    )
    values = {key: _positive_int(_require(table, key, field), f"{field}.{key}") for key in keys}
    if values["inactivity_notice_business_days"] >= values["inactivity_close_business_days"]:
        raise _fail(
            f"{field}.inactivity_notice_business_days",
            "must be fewer than inactivity_close_business_days (the notice comes first)",
        )
    return LifecycleSettings(**values)
