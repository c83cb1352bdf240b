"""The shipped policy file matches the seeds, and a bad file is rejected by field name."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from policy.loader import (
    PolicyError,
    RestorationScope,
    Unit,
    default_policy_path,
    load_policy,
    parse_policy,
)
from policy.severity import Severity


@pytest.fixture(scope="module")
def raw_policy() -> dict[str, Any]:
    return yaml.safe_load(default_policy_path().read_text(encoding="utf-8"))


def test_shipped_policy_loads_and_is_cached() -> None:
    assert load_policy() is load_policy()
    assert load_policy().default_profile == "genesys-cloud"


def test_policy_file_ships_inside_the_package() -> None:
    path = default_policy_path()
    assert path.is_file()
    assert path.parent.name == "data" and path.parent.parent.name == "policy"


def test_both_seed_profiles_are_available() -> None:
    assert set(load_policy().profiles) == {"genesys-cloud", "purecloud"}


def test_genesys_cloud_numbers_match_seed_003() -> None:
    profile = load_policy().profile("genesys-cloud")
    first = profile.initial_response
    assert (first[Severity.CRITICAL].amount, first[Severity.CRITICAL].unit) == (10, Unit.MINUTES)
    assert first[Severity.CRITICAL].channel == "phone"
    for level in (Severity.HIGH, Severity.MEDIUM, Severity.LOW):
        assert (first[level].amount, first[level].unit) == (2, Unit.BUSINESS_HOURS)
    restore = profile.restoration
    assert (restore[Severity.CRITICAL].amount, restore[Severity.CRITICAL].unit) == (4, Unit.HOURS)
    assert (restore[Severity.HIGH].amount, restore[Severity.HIGH].unit) == (2, Unit.BUSINESS_DAYS)
    assert (restore[Severity.MEDIUM].amount, restore[Severity.MEDIUM].unit) == (
        5,
        Unit.BUSINESS_DAYS,
    )
    assert restore[Severity.LOW] is None
    assert profile.restoration_scope is RestorationScope.PLATFORM_LEVEL


def test_purecloud_numbers_match_seed_000() -> None:
    profile = load_policy().profile("purecloud")
    described = {int(k): v.describe() for k, v in profile.initial_response.items()}
    assert described == {
        1: "10 minutes (phone)",
        2: "1 business hour (web)",
        3: "2 business hours (web)",
        4: "1 business day (web)",
    }
    restore = {int(k): v.describe() if v else None for k, v in profile.restoration.items()}
    assert restore == {1: "mean 15 minutes", 2: "mean 72 hours", 3: None, 4: None}


def test_business_hours_are_monday_to_friday_0800_1700() -> None:
    hours = load_policy().hours
    assert (hours.open.hour, hours.close.hour) == (8, 17)
    assert hours.weekdays == frozenset({0, 1, 2, 3, 4})


def test_only_severity_1_runs_around_the_clock_and_by_phone() -> None:
    levels = load_policy().severities
    ordered = [level for _, level in sorted(levels.items())]
    assert [level.around_the_clock for level in ordered] == [True, False, False, False]
    assert [level.phone_only for level in ordered] == [True, False, False, False]


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")  # order = buttons
    return path


def _mutated(raw: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(raw)
    *parents, last = dotted.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[_key(node, key)]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is _DELETE:
        del node[_key(node, last)]
    else:
        node[_key(node, last)] = value
    return data


def _key(node: dict[Any, Any], key: str) -> Any:
    return int(key) if key.isdigit() and int(key) in node else key


_DELETE = object()


@pytest.mark.parametrize(
    ("dotted", "value", "message"),
    [
        ("default_profile", "acme", "default_profile: names no profile"),
        ("business_hours.open", "8am", "business_hours.open: must be a time as HH:MM"),
        ("business_hours.close", "07:00", "business_hours.close: must be later"),
        ("business_hours.weekdays", ["mon", "funday"], "business_hours.weekdays[1]"),
        ("severities.2", _DELETE, "severities: severity 2 is missing"),
        ("severities.1.around_the_clock", "yes please", "severities.1.around_the_clock"),
        ("severity_matrix.blocked.no", 9, "severity_matrix.blocked.no: must be 1-4"),
        (
            "profiles.genesys-cloud.initial_response.2.unit",
            "weeks",
            "profiles.genesys-cloud.initial_response.2.unit: must be one of",
        ),
        (
            "profiles.purecloud.initial_response.3.amount",
            -2,
            "profiles.purecloud.initial_response.3.amount: must be a positive whole number",
        ),
        (
            "profiles.genesys-cloud.initial_response.1.unit",
            "business_hours",
            "Severity 1 is handled around the clock",
        ),
        ("profiles.purecloud.restoration_scope", "some", "restoration_scope: must be one of"),
        ("phone.regions.0.countries.0", "USA", "must be a two-letter ISO country code"),
        ("phone.default_country", "FR", "phone.default_country: FR has no phone number"),
        ("escalation.recent_update_hours", 0, "escalation.recent_update_hours"),
        ("lifecycle.inactivity_notice_business_days", 3, "must be fewer than"),
        ("lifecycle", _DELETE, "lifecycle: is missing"),
    ],
)
def test_bad_field_is_named_with_its_problem(
    tmp_path: Path, raw_policy: dict[str, Any], dotted: str, value: Any, message: str
) -> None:
    path = _write(tmp_path, _mutated(raw_policy, dotted, value))
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith("policy.yaml: ")


def test_a_country_in_two_regions_is_rejected(raw_policy: dict[str, Any]) -> None:
    data = copy.deepcopy(raw_policy)
    data["phone"]["regions"][1]["countries"].append("US")
    with pytest.raises(PolicyError, match=r"phone.regions\[1\].countries: US is already in"):
        parse_policy(data)


def test_unreadable_file_is_a_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read the policy file"):
        load_policy(tmp_path / "missing.yaml")


def test_invalid_yaml_is_a_policy_error(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("profiles: [unclosed\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid YAML"):
        load_policy(path)


def test_a_copy_of_the_shipped_file_loads_from_a_path(
    tmp_path: Path, raw_policy: dict[str, Any]
) -> None:
    policy = load_policy(_write(tmp_path, raw_policy))
    assert policy == load_policy()
    assert policy is not load_policy()
