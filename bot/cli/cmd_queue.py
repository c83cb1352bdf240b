"""`supportbot queue`: the staff queue as App Home shows it, in the terminal.

Every open case by the time left to its next target (the initial response, then
restoration), counted on the customer's business hours where the policy says so:

  supportbot queue                           # every open case
  supportbot queue --filter missed           # or: mine, unassigned, at_risk
  supportbot queue --filter mine --as U0STAFF1 --tz Europe/London

Due times are shown in --tz (default UTC). Reads the configured store (SUPPORTBOT_DATA_DIR or
REDIS_URL) and the directory (--contacts); nothing is changed.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from bot.cli.errors import UsageError
from bot.cli.options import add_store_options

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from bot.engine.queue import QueueEntry

FILTERS = ("all", "mine", "unassigned", "at_risk", "missed")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "queue",
        help="the staff queue: open cases by time left to their next target",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--filter", choices=FILTERS, default="all", help="which cases to list")
    parser.add_argument("--as", dest="viewer", metavar="SLACK_ID", help="whose 'mine' it is")
    parser.add_argument("--tz", default="UTC", help="zone for due times (default: UTC)")
    add_store_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.directory import DirectoryError, load_directory
    from bot.engine.queue import QueueFilter, QueueReader
    from bot.engine.zones import case_zone
    from bot.store.errors import StoreUnavailable
    from bot.store.factory import open_store
    from policy.calendar import as_zone

    if args.filter == "mine" and not args.viewer:
        raise UsageError("--filter mine needs --as SLACK_ID (whose cases are 'mine')")
    try:
        viewer_tz = as_zone(args.tz)
    except ValueError as error:
        raise UsageError(str(error)) from None
    try:
        directory = load_directory(args.contacts)
    except DirectoryError as error:
        raise UsageError(f"cannot read the directory: {error.problems[0]}") from None
    try:
        store = open_store(data_dir=args.data_dir)
    except StoreUnavailable as error:
        print(f"supportbot queue: {error}", file=sys.stderr)
        return 1
    try:
        reader = QueueReader(
            store=store,
            directory=directory,
            zone_of=lambda case: case_zone(store=store, directory=directory, case=case),
        )
        queue = reader.read()
    except StoreUnavailable as error:
        print(f"supportbot queue: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
    shown = queue.shown(QueueFilter(args.filter), args.viewer or "")
    if not shown:
        print("No open cases." if args.filter == "all" else f"No open cases in {args.filter}.")
    for entry in shown:
        record = directory.person(entry.case.assignee_id or "")
        who = record.name if record else entry.case.assignee_id or "nobody yet"
        print(queue_line(entry, assignee=who, viewer_tz=viewer_tz))
    if not queue.complete:
        print(f"(only the newest {len(queue.entries):,} open cases were read)")
    return 0


def queue_line(entry: QueueEntry, *, assignee: str, viewer_tz: ZoneInfo) -> str:
    """ "CS-1042  S2  acme  nobody yet  Response missed by 1 h 10 min (business hours) · was
    due Wed 18 Nov 2026, 16:00 UTC  Agents cannot log in" on one line."""
    from policy.calendar import local_time

    case, clock = entry.case, entry.clock
    if clock is None:
        timing = "no target running"
    else:
        verb = "was due" if clock.missed else "due"
        timing = f"{clock.phrase()}{clock.basis()} · {verb} {local_time(clock.due_at, viewer_tz)}"
    # Stored words may hold control characters: printed, they could move the cursor.
    title = "".join(ch for ch in " ".join(case.title.split()) if ch.isprintable())[:60]
    return f"{case.number}  S{case.severity}  {case.org_short_name}  {assignee}  {timing}  {title}"
