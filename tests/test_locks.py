"""The locks match pyproject.toml: every range there is pinned in them, inside the range.

dev.py installs `requirements-test.lock`, the Dockerfile `requirements.lock`, and both install the
project with `--no-deps`: a range changed without `python3 dev.py lock` would go unnoticed there.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
# What the locks are resolved for (dev.py LOCK_TARGET): Python 3.11 on Linux.
TARGET = {
    "python_version": "3.11",
    "python_full_version": "3.11.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "os_name": "posix",
}
RELOCK = "run `python3 dev.py lock` and commit both locks"


def _pins(name: str) -> dict[str, str]:
    text = (REPO / name).read_text(encoding="utf-8")
    found = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", text, re.MULTILINE)
    return {canonicalize_name(package): version for package, version in found}


def _requirements(extra: str | None) -> list[Requirement]:
    with (REPO / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    lines = project["optional-dependencies"][extra] if extra else project["dependencies"]
    wanted = [Requirement(line) for line in lines]
    return [r for r in wanted if r.marker is None or r.marker.evaluate(dict(TARGET, extra=""))]


def _problems(pins: dict[str, str], requirements: list[Requirement]) -> list[str]:
    problems = []
    for requirement in requirements:
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None:
            problems.append(f"{requirement} is not in the lock")
        elif not requirement.specifier.contains(pinned, prereleases=True):
            problems.append(f"{requirement} but the lock pins {pinned}")
    return problems


def test_runtime_lock_pins_every_dependency_inside_its_range() -> None:
    assert _problems(_pins("requirements.lock"), _requirements(None)) == [], RELOCK


def test_test_lock_pins_the_dependencies_and_the_test_extra_inside_their_ranges() -> None:
    wanted = _requirements(None) + _requirements("test")
    assert _problems(_pins("requirements-test.lock"), wanted) == [], RELOCK


def test_every_locked_package_has_a_hash() -> None:
    for name in ("requirements.lock", "requirements-test.lock"):
        blocks = re.split(r"\n(?=[A-Za-z0-9])", (REPO / name).read_text(encoding="utf-8"))
        unhashed = [b.split()[0] for b in blocks if "==" in b and "--hash=sha256:" not in b]
        assert unhashed == [], f"{name}: {RELOCK}"


def test_the_image_runs_the_versions_the_tests_ran() -> None:
    runtime, test = _pins("requirements.lock"), _pins("requirements-test.lock")
    mismatched = {
        name: (pin, test.get(name)) for name, pin in runtime.items() if test.get(name) != pin
    }
    assert mismatched == {}, RELOCK
