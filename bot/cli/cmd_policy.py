"""`supportbot policy ...`: let support admins check the policy the assistant enforces.

show        severities, targets per profile, business hours and phone lines as tables
due         initial response and restoration due times of a case
escalation  whether a case (JSON file) may be escalated, which rules fail, what to do instead
"""

from __future__ import annotations

import argparse
import json
import textwrap
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.errors import UsageError

# The policy modules (and the holiday calendars under them) are imported by the handlers, so
# building the parser for any other command does not load them.
if TYPE_CHECKING:
    from policy.escalation import EscalationCase
    from policy.loader import Policy

MAX_CASE_FILE_BYTES = 1_000_000


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "policy", help="show and check the support policy", description=__doc__
    )
    parser.set_defaults(handler=lambda args: _print_help(parser))
    actions = parser.add_subparsers(dest="policy_command", metavar="ACTION")

    show = actions.add_parser("show", help="severities, targets, hours and phone lines")
    show.set_defaults(handler=run_show)

    due = actions.add_parser("due", help="due times of a case's first response and restoration")
    due.add_argument("--severity", required=True, help="1 (Critical) to 4 (Low)")
    due.add_argument(
        "--opened", required=True, help="ISO 8601 with offset, e.g. 2026-03-06T16:59-05:00"
    )
    due.add_argument("--tz", required=True, help="customer's IANA time zone, e.g. America/New_York")
    due.add_argument("--profile", default=None, help="policy profile (default: genesys-cloud)")
    due.add_argument(
        "--holiday",
        action="append",
        default=[],
        metavar="YYYY-MM-DD",
        help="a holiday of the customer's organization (repeatable)",
    )
    due.add_argument(
        "--not-platform-level",
        dest="platform_level",
        action="store_false",
        help="the issue affects this customer only (no restoration target in genesys-cloud)",
    )
    due.add_argument("--json", action="store_true", help="print JSON")
    due.set_defaults(handler=run_due)

    escalation = actions.add_parser("escalation", help="is a case eligible for escalation?")
    escalation.add_argument("--case", required=True, type=Path, help="case JSON file")
    escalation.add_argument("--now", required=True, help="ISO 8601 with offset")
    escalation.add_argument("--json", action="store_true", help="print JSON")
    escalation.set_defaults(handler=run_escalation)


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _policy() -> Policy:
    from policy.loader import PolicyError, load_policy

    try:
        return load_policy()
    except PolicyError as error:
        raise UsageError(f"the policy file is invalid: {error}") from None


# --- show ------------------------------------------------------------------------------------


def format_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, wrap_at: int = 64
) -> str:
    """Plain-text table with aligned columns; long cells wrap onto continuation lines."""
    wrapped = [[textwrap.wrap(cell, wrap_at) or [""] for cell in row] for row in rows]
    widths = [len(header) for header in headers]
    for row in wrapped:
        widths = [max(width, *map(len, cell)) for width, cell in zip(widths, row, strict=True)]

    def join(cells: Sequence[str]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return "  ".join(padded).rstrip()

    lines = [join(headers), "  ".join("-" * width for width in widths)]
    for row in wrapped:
        height = max(len(cell) for cell in row)
        for index in range(height):
            lines.append(join([cell[index] if index < len(cell) else "" for cell in row]))
    return "\n".join(lines)


def render_policy(policy: Policy) -> str:
    """All tables of `policy show`, as one text."""
    sections: list[str] = []
    sections.append("Severity levels")
    sections.append(
        format_table(
            ["severity", "definition"],
            [
                (f"{int(level)} {entry.label}", entry.definition)
                for level, entry in sorted(policy.severities.items())
            ],
        )
    )
    for name, profile in policy.profiles.items():
        default = " (default)" if name == policy.default_profile else ""
        scope = (
            "Restoration targets apply to platform-level issues only."
            if profile.restoration_scope == "platform_level"
            else "Restoration targets apply to all issues."
        )
        sections.append(f"\nProfile {name}{default}: {profile.title} ({profile.source})\n{scope}")
        rows = []
        for level, entry in sorted(policy.severities.items()):
            restoration = profile.restoration[level]
            rows.append(
                (
                    f"{int(level)} {entry.label}",
                    profile.initial_response[level].describe(),
                    restoration.describe() if restoration else "none",
                    "24x7x365" if entry.around_the_clock else "business hours",
                )
            )
        sections.append(
            format_table(["severity", "initial response", "restoration", "clock"], rows)
        )
    hours = policy.hours
    sections.append(
        f"\nBusiness hours: {_weekday_span(hours.weekdays)} {hours.open:%H:%M}-{hours.close:%H:%M}"
        " in the customer's own time zone.\nSeverity 1 is handled around the clock, 24x7x365."
    )
    sections.append("\nPhone lines (Critical issues: always by phone, 24x7)")
    phone_rows = [
        (region.name, number.label, number.number, number.hours or region.hours)
        for region in policy.phone.regions
        for number in region.numbers
    ]
    sections.append(format_table(["region", "line", "number", "office hours"], phone_rows))
    return "\n".join(sections)


def _weekday_span(weekdays: frozenset[int]) -> str:
    """'Mon-Fri' for a contiguous run of days, else the days listed."""
    from policy.loader import WEEKDAY_NAMES

    days = sorted(weekdays)
    names = [WEEKDAY_NAMES[day].capitalize() for day in days]
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{names[0]}-{names[-1]}"
    return ", ".join(names)


def run_show(args: argparse.Namespace) -> int:
    print(render_policy(_policy()))
    return 0


# --- due -------------------------------------------------------------------------------------


def _timestamp(option: str, value: str) -> datetime:
    from policy.escalation import CaseDataError, parse_timestamp

    try:
        return parse_timestamp(option, value)
    except CaseDataError as error:
        raise UsageError(str(error)) from None


def _holidays(values: Sequence[str]) -> frozenset[date]:
    days: set[date] = set()
    for value in values:
        try:
            days.add(date.fromisoformat(value.strip()))
        except ValueError:
            raise UsageError(f"--holiday: not a date as YYYY-MM-DD: {value!r}") from None
    return frozenset(days)


def run_due(args: argparse.Namespace) -> int:
    from policy.calendar import as_zone
    from policy.targets import as_severity, initial_response_due, restoration_due

    policy = _policy()
    try:
        severity = as_severity(args.severity)
    except ValueError as error:
        raise UsageError(f"--severity: {error}") from None
    try:
        zone = as_zone(args.tz)
    except ValueError as error:
        raise UsageError(f"--tz: {error}") from None
    if args.profile is not None and args.profile not in policy.profiles:
        known = ", ".join(policy.profiles)
        raise UsageError(f"--profile: unknown profile {args.profile!r}; known profiles: {known}")
    opened = _timestamp("--opened", args.opened)
    holidays = _holidays(args.holiday)
    common = {
        "severity": severity,
        "opened_at": opened,
        "tz": zone,
        "profile": args.profile,
        "holidays": holidays,
        "policy": policy,
    }
    initial = initial_response_due(**common)
    restoration = restoration_due(**common, platform_level=args.platform_level)
    if args.json:
        print(
            json.dumps(
                {
                    "initial_response_due": initial.isoformat(),
                    "restoration_due": restoration.isoformat() if restoration else None,
                }
            )
        )
        return 0
    profile = policy.profile(args.profile)
    label = policy.severities[severity].label
    print(f"Profile {profile.name}, Severity {int(severity)} {label}, time zone {zone.key}")
    print(f"opened:            {opened.astimezone(zone).isoformat()}")
    print(
        f"initial response:  {initial.isoformat()}"
        f"  ({profile.initial_response[severity].describe()})"
    )
    restoration_target = profile.restoration[severity]
    if restoration is None:
        print("restoration:       no target")
    else:
        assert restoration_target is not None
        print(f"restoration:       {restoration.isoformat()}  ({restoration_target.describe()})")
    return 0


# --- escalation ------------------------------------------------------------------------------


def _read_case(path: Path) -> EscalationCase:
    from policy.escalation import CaseDataError, EscalationCase

    try:
        size = path.stat().st_size
        if size > MAX_CASE_FILE_BYTES:
            raise UsageError(f"--case: {path} is too large ({size} bytes) for a case file")
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"--case: cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"--case: {path} is not UTF-8 text") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"--case: {path} is not valid JSON ({error.msg}, line {error.lineno})"
        ) from None
    try:
        return EscalationCase.from_mapping(raw)
    except CaseDataError as error:
        raise UsageError(f"--case: {path}: {error}") from None


def run_escalation(args: argparse.Namespace) -> int:
    from policy.escalation import check_escalation

    policy = _policy()
    now = _timestamp("--now", args.now)
    case = _read_case(args.case)
    decision = check_escalation(case, now=now, policy=policy)
    if args.json:
        print(
            json.dumps(
                {
                    "eligible": decision.eligible,
                    "failed": list(decision.failed),
                    "next_step": decision.next_step,
                }
            )
        )
        return 0
    print("Eligible for escalation." if decision.eligible else "Not eligible for escalation.")
    for result in decision.results:
        mark = "pass" if result.passed else "FAIL"
        print(f"  [{mark}] {result.name}: {result.explanation}")
    print(f"Next step: {decision.next_step}")
    return 0
