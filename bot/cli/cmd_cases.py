"""`supportbot cases ...`: look at the cases the assistant has stored.

list   cases, oldest first (or the newest first), optionally for one organization or some
       statuses, at most --limit of them; printed as they are read, so any number of cases
       lists in constant memory
show   one case with its full audit trail (who changed what, when)

Both read the configured store: the SQLite file in SUPPORTBOT_DATA_DIR (or the user's data
directory), or Redis when REDIS_URL is set. Nothing is changed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import textwrap
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.cli.errors import UsageError
from bot.cli.options import add_store_options
from bot.store.base import CaseStore, Store
from bot.store.codec import audit_to_dict, case_to_dict
from bot.store.errors import InvalidCaseNumber, InvalidInput, StoreUnavailable
from bot.store.factory import open_store
from bot.store.models import STATUSES, AuditEntry, Case, normalize_case_number
from cases.vocabulary import ACTIVE_STATUS_VALUES
from policy.severity import Severity, severity_label

TITLE_WIDTH = 50
PAGE = 500  # cases read per request: the listing's memory, whatever the store holds
ACTIVE_WORD = "active"


class _StoreDown(Exception):
    """The store could not be reached: reported as one line, exit code 1."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "cases",
        help="list and show stored cases",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=lambda args: _print_help(parser))
    actions = parser.add_subparsers(dest="cases_command", metavar="ACTION")

    listing = actions.add_parser("list", help="cases, oldest first")
    listing.add_argument("--org", metavar="SHORT", help="only this organization (short name)")
    listing.add_argument(
        "--status",
        action="append",
        type=_statuses,
        metavar="STATUS[,STATUS...]",
        help=f"only cases in these statuses: {', '.join(sorted(STATUSES))}, or {ACTIVE_WORD}"
        " for every status but closed (repeatable)",
    )
    listing.add_argument("--limit", type=_count, metavar="N", help="at most N cases")
    listing.add_argument(
        "--newest-first",
        action="store_true",
        help="the newest cases first (with --limit: the N newest)",
    )
    listing.add_argument("--json", action="store_true", help="print JSON (one array)")
    add_store_options(listing)
    listing.set_defaults(handler=run_list)

    show = actions.add_parser("show", help="one case and its audit trail")
    show.add_argument("number", metavar="NUMBER", help="case number, e.g. CS-1001")
    show.add_argument("--json", action="store_true", help="print JSON")
    add_store_options(show)
    show.set_defaults(handler=run_show)


def _statuses(text: str) -> list[str]:
    """One --status value: a status, "active", or several of them separated by commas."""
    wanted: list[str] = []
    for word in (part.strip().lower() for part in text.split(",")):
        if word == ACTIVE_WORD:
            wanted.extend(ACTIVE_STATUS_VALUES)
        elif word in STATUSES:
            wanted.append(word)
        else:
            known = ", ".join([*sorted(STATUSES), ACTIVE_WORD])
            raise argparse.ArgumentTypeError(f"unknown status {word!r} (use {known})")
    return wanted


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of cases (1 or more), got {text!r}")
    return value


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


# redis-py loads OpenTelemetry's SDK when it is installed (rasa-sdk brings it along) to offer
# metrics nobody here turns on: 0.1 s of a `cases` command's start.
UNUSED_BY_CASE_COMMANDS = "opentelemetry"


@contextmanager
def _without_unused_telemetry() -> Iterator[None]:
    """While the store (and so the Redis client) is first imported, OpenTelemetry reads as
    absent; afterwards it is importable again, for anything else in the same process."""
    if UNUSED_BY_CASE_COMMANDS in sys.modules:
        yield
        return
    sys.modules[UNUSED_BY_CASE_COMMANDS] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get(UNUSED_BY_CASE_COMMANDS, "") is None:
            del sys.modules[UNUSED_BY_CASE_COMMANDS]


@contextmanager
def _opened(args: argparse.Namespace) -> Iterator[Store]:
    try:
        with _without_unused_telemetry():
            store = open_store(data_dir=args.data_dir)
    except StoreUnavailable as error:
        raise _StoreDown(str(error)) from None
    try:
        yield store
    except StoreUnavailable as error:
        raise _StoreDown(str(error)) from None
    finally:
        store.close()


def _reporting_store_down(run: Any) -> Any:
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return int(run(args))
        except _StoreDown as error:
            print(f"supportbot cases: {error}", file=sys.stderr)
            return 1

    wrapper.__doc__ = run.__doc__
    return wrapper


# --- list ------------------------------------------------------------------------------------


@_reporting_store_down
def run_list(args: argparse.Namespace) -> int:
    """Print matching cases page by page; an unknown organization is a usage error, not an
    empty list."""
    org = args.org.strip().lower() if args.org is not None else None
    statuses = sorted({s for group in args.status for s in group}) if args.status else None
    with _opened(args) as store:
        pages = _pages(
            store.cases,
            limit=args.limit,
            newest_first=args.newest_first,
            org_short_name=org,
            statuses=statuses,
        )
        try:
            first = next(pages, [])
        except InvalidInput as error:
            raise UsageError(str(error)) from None
        if not first:
            if org is not None:
                _require_known_organization(org, args.contacts)
            print("[]" if args.json else (f"No cases for {org}." if org else "No cases."))
            return 0
        lines = _json_lines if args.json else _table_lines
        for number, line in enumerate(lines(first, pages)):
            print(line, flush=number == 0)  # the first line at once, the rest as buffered
    return 0


def _pages(
    cases: CaseStore, *, limit: int | None, newest_first: bool, **query: Any
) -> Iterator[list[Case]]:
    """The matching cases, a page at a time: only one page is ever held in memory."""
    after, left = None, limit
    while left is None or left > 0:
        size = PAGE if left is None else min(PAGE, left)
        page = cases.list_cases(**query, newest_first=newest_first, after=after, limit=size)
        if page:
            yield page
        if len(page) < size:
            return
        after = page[-1].number
        left = None if left is None else left - len(page)


def _json_lines(first: list[Case], rest: Iterator[list[Case]]) -> Iterator[str]:
    """The same text as `json.dumps(cases, indent=2)`, one case at a time."""
    yield "["
    previous = None
    for page in itertools.chain([first], rest):
        for case in page:
            if previous is not None:
                yield previous + ","
            previous = textwrap.indent(
                json.dumps(case_to_dict(case), indent=2, ensure_ascii=False), "  "
            )
    yield str(previous)
    yield "]"


def _table_lines(first: list[Case], rest: Iterator[list[Case]]) -> Iterator[str]:
    """A header and a row per case; columns are as wide as the first page needs."""
    header = ("NUMBER", "SEV", "PRIORITY", "STATUS", "ORG", "REQUESTER", "UPDATED (UTC)", "TITLE")
    rows = [_row(case) for case in first]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()

    yield line(header)
    yield from (line(row) for row in rows)
    for page in rest:
        yield from (line(_row(case)) for case in page)


def _require_known_organization(org: str, contacts: Path | None) -> None:
    # Imported here: the directory (and the holiday calendars it checks) costs every other
    # `cases` command a tenth of a second before its first line.
    from bot.directory import DirectoryError, load_directory

    try:
        directory = load_directory(contacts)
    except DirectoryError as error:
        raise UsageError(f"cannot check the organization: {error.problems[0]}") from None
    if directory.organization(org) is None:
        known = ", ".join(o.short_name for o in directory.organizations)
        raise UsageError(f"unknown organization {org!r} (known: {known})")


def _row(case: Case) -> tuple[str, ...]:
    return (
        case.number,
        str(case.severity),
        case.priority,
        case.status,
        _one_line(case.org_short_name, 20),
        _one_line(case.requester_name, 24),
        _utc_minutes(case.updated_at),
        _one_line(case.title, TITLE_WIDTH),
    )


# --- show ------------------------------------------------------------------------------------


@_reporting_store_down
def run_show(args: argparse.Namespace) -> int:
    """Print one case and every recorded change."""
    try:
        number = normalize_case_number(args.number)
    except InvalidCaseNumber as error:
        raise UsageError(str(error)) from None
    with _opened(args) as store:
        case = store.cases.get_case(number)
        if case is None:
            raise UsageError(f"there is no case {number}")
        trail = store.cases.audit_trail(case.number)
    if args.json:
        document = {**case_to_dict(case), "audit_trail": [audit_to_dict(e) for e in trail]}
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 0
    print(_case_details(case))
    print()
    print("Audit trail:")
    for entry in trail:
        print(_audit_line(entry))
    return 0


def _case_details(case: Case) -> str:
    severity = Severity(case.severity)
    lines = [
        f"{case.number}: {_one_line(case.title, 200)}",
        "",
        _field("Organization", f"{case.org_short_name} ({case.org_id})"),
        _field("Requester", f"{_one_line(case.requester_name, 80)} ({case.requester_id})"),
        _field("Severity", f"{severity.value} {severity_label(severity)}"),
        _field("Priority", case.priority),
        _field("Status", case.status),
        _field("Platform-level", "yes" if case.platform_level else "no"),
        _field("Assignee", case.assignee_id or "nobody yet"),
        _field("Created", _utc_label(case.created_at)),
        _field("Updated", _utc_label(case.updated_at)),
        _field("Last update", f"{case.last_update_by} at {_utc_label(case.last_update_at)}"),
        _field("Acknowledged", _utc_label(case.acknowledged_at) or "not yet"),
        _field("Response due", _utc_label(case.response_due_at) or "none"),
    ]
    optional = [
        ("Restoration due", _utc_label(case.restoration_due_at)),
        ("Restored", _utc_label(case.restored_at)),
        ("Priority asked", case.priority_requested and f"{case.priority_requested} (waiting)"),
        ("Escalated", _utc_label(case.escalated_at)),
        ("RCA delivered", _utc_label(case.rca_delivered_at)),
        ("Closed", _utc_label(case.closed_at)),
        ("Conversation ID", case.conversation_id),
        ("Requester thread", case.origin_thread),
        ("Staff thread", case.staff_thread),
    ]
    lines.extend(_field(label, value) for label, value in optional if value)
    for label, text in (
        ("Description", case.description),
        ("Business impact", case.business_impact),
        ("Environment changes", case.environment_changes),
        ("Troubleshooting done", case.troubleshooting),
    ):
        if text:
            lines.extend(
                ["", f"{label}:", *(f"  {_printable(line)}" for line in text.splitlines())]
            )
    if case.attachments:
        lines.extend(["", "Attachments:"])
        for attachment in case.attachments:
            lines.append(
                f"  {_one_line(attachment.label, 120)}  {_one_line(attachment.mimetype, 60)}  "
                f"added by {attachment.added_by} at {_utc_label(attachment.at)}"
            )
            lines.append(f"    {_one_line(attachment.permalink, 400)}")
    if case.notes:
        lines.extend(["", "Timeline:"])
        for note in case.notes:
            kind = note.kind.replace("_", " ")
            lines.append(
                f"  {_utc_minutes(note.at)}  {note.author_id}  {kind}: {_one_line(note.text, 200)}"
            )
    return "\n".join(lines)


def _audit_line(entry: AuditEntry) -> str:
    if entry.action == "create":
        summary = "opened the case"
    else:
        summary = "; ".join(
            _note_summary(change)
            if name == "notes"
            else _attachment_summary(change)
            if name == "attachments"
            else f"{name}: {_short(change.get('old'))} -> {_short(change.get('new'))}"
            for name, change in entry.changes.items()
        )
    return f"  {_utc_minutes(entry.at)}  {entry.actor_id}  {entry.action}: {summary}"


def _note_summary(change: dict[str, Any]) -> str:
    added = change.get("added") or []
    return "; ".join(
        f"{str(note.get('kind', 'note')).replace('_', ' ')} added: {_short(note.get('text'))}"
        for note in added
    )


def _attachment_summary(change: dict[str, Any]) -> str:
    added = change.get("added") or []
    return "attached " + ", ".join(_short(item.get("name")) for item in added)


def _field(label: str, value: str) -> str:
    return f"{label + ':':<18}{value}"


def _short(value: Any) -> str:
    if value is None:
        return "-"
    return _one_line(str(value), 60)


def _utc_minutes(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if moment else ""


def _utc_label(moment: datetime | None) -> str:
    return f"{_utc_minutes(moment)} UTC" if moment else ""


def _printable(text: str) -> str:
    """Drop control characters so stored text cannot move the cursor or clear the terminal."""
    return "".join(
        ch if ch == " " or unicodedata.category(ch)[0] != "C" else " " for ch in text
    ).rstrip()


def _one_line(text: str, width: int) -> str:
    flat = " ".join(_printable(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
