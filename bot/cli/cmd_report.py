"""`supportbot report`: service figures for the cases opened in a window of UTC dates.

Per severity and per organization: cases opened; time to the first human response (median
and p90, in business time where the policy counts the severity's target in business hours);
share of initial responses and (platform-level) restorations within target; escalations;
priority and severity changes, reopenings and automatic closures from the audit trails.

  supportbot report --from 2026-03-01 --to 2026-04-01            # March 2026
  supportbot report --from 2026-03-01 --to 2026-04-01 --org acme --format json
  supportbot report --from 2026-03-01 --to 2026-04-01 --format html --out /tmp/march

--to is exclusive: cases created on or after --from 00:00 UTC and before --to 00:00 UTC.
Text and JSON go to stdout; the three PNG charts (and report.html with --format html) are
written to --out (default ./report-FROM-TO/). Only reads the store.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.cli.errors import UsageError
from bot.cli.options import add_store_options

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from bot.directory.models import Directory
    from bot.reports.figures import CaseContext
    from bot.store.base import Store
    from bot.store.models import Case

PAGE = 500  # cases read per request: the report's memory, whatever the store holds
FORMATS = ("text", "json", "html")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="service figures for the cases opened between two dates",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--from",
        dest="start",
        required=True,
        type=_date,
        metavar="DATE",
        help="first day, YYYY-MM-DD (UTC, inclusive)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        required=True,
        type=_date,
        metavar="DATE",
        help="day after the last, YYYY-MM-DD (UTC, exclusive)",
    )
    parser.add_argument("--org", metavar="SHORT", help="only this organization (short name)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="default: text")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the charts (and report.html) go (default: ./report-FROM-TO/)",
    )
    add_store_options(parser)
    parser.set_defaults(handler=run_report)


def _now() -> datetime:
    """Report time: what "past due" and "pending" are judged at (tests set it)."""
    return datetime.now(UTC)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


class _Progress:
    """`reading cases 120/500` on stderr, redrawn in place; silent unless stderr is a TTY."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream = total, stream
        self.enabled = total > 0 and stream.isatty()
        self.shown = -1

    def step(self, done: int) -> None:
        if not self.enabled:
            return
        percent = done * 100 // self.total
        if percent != self.shown:
            self.shown = percent
            filled = percent // 5
            bar = "#" * filled + "." * (20 - filled)
            self.stream.write(f"\rreading cases [{bar}] {done}/{self.total}")
            self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def run_report(args: argparse.Namespace) -> int:
    """Read the window's cases page by page, compute the figures, write and print them."""
    from bot.store.errors import StoreUnavailable

    if args.end <= args.start:
        raise UsageError(f"--to ({args.end}) must be later than --from ({args.start})")
    directory = _directory(args.contacts)
    org = args.org.strip().lower() if args.org is not None else None
    if org is not None and directory.organization(org) is None:
        known = ", ".join(o.short_name for o in directory.organizations)
        raise UsageError(f"unknown organization {org!r} (known: {known})")
    try:
        figures = _figures(args, directory, org)
    except StoreUnavailable as error:
        print(f"supportbot report: {error}", file=sys.stderr)
        return 1
    out_dir = args.out or Path(f"report-{args.start.isoformat()}-{args.end.isoformat()}")
    try:
        from bot.reports.charts import write_charts

        charts = write_charts(figures, out_dir)
        html_path = out_dir / "report.html" if args.format == "html" else None
        if html_path is not None:
            from bot.reports.render import render_html

            html_path.write_text(render_html(figures, charts), encoding="utf-8")
    except OSError as error:
        print(f"supportbot report: cannot write to {out_dir}: {error.strerror}", file=sys.stderr)
        return 1
    from bot.reports.render import render_json, render_text

    if args.format == "text":
        sys.stdout.write(render_text(figures))
    elif args.format == "json":
        print(render_json(figures))
    if html_path is not None:
        print(f"report written to {html_path}", file=sys.stderr)
    print(f"charts written to {out_dir}/", file=sys.stderr)
    return 0


def _directory(contacts: Path | None) -> Directory:
    from bot.directory import DirectoryError, load_directory

    try:
        return load_directory(contacts)
    except DirectoryError as error:
        raise UsageError(f"cannot read the directory: {error.problems[0]}") from None


def _figures(args: argparse.Namespace, directory: Directory, org: str | None) -> dict[str, Any]:
    from bot.reports.figures import FigureBuilder
    from bot.store.factory import open_store
    from policy.loader import load_policy

    # As in `supportbot cases`: redis-py would load OpenTelemetry's SDK for nothing.
    sys.modules.setdefault("opentelemetry", None)  # type: ignore[arg-type]
    builder = FigureBuilder(
        start=args.start,
        end=args.end,
        now=_now(),
        policy=load_policy(),
        organization=org,
    )
    store = open_store(data_dir=args.data_dir)
    try:
        filters: dict[str, Any] = {"org_short_name": org} if org else {}
        progress = _Progress(store.cases.count_cases(**filters), sys.stderr)
        after, done = None, 0
        while True:
            page = store.cases.list_cases(after=after, limit=PAGE, **filters)
            for case in page:
                if builder.bounds[0] <= case.created_at < builder.bounds[1]:
                    trail = store.cases.audit_trail(case.number)
                    builder.add(case, trail, _context(case, directory, store))
            done += len(page)
            progress.step(done)
            if len(page) < PAGE:
                break
            after = page[-1].number
        progress.finish()
    finally:
        store.close()
    return builder.figures()


def _context(case: Case, directory: Directory, store: Store) -> CaseContext:
    """The organization's zone, profile and holidays, as `actions.ports.organization_targets`
    takes them when the case is created; the zone as `bot.engine.zones.case_zone` finds it
    (the organization's, else the requester's Slack zone, else UTC)."""
    from bot.reports.figures import CaseContext

    found = directory.organization(case.org_short_name)
    zone, source = (found.tz, "organization") if found is not None and found.tz else (None, "")
    if zone is None:
        zone = _requester_zone(case, store)
        source = "requester" if zone is not None else "utc"
    if zone is None:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo("UTC")
    if found is None:
        return CaseContext(tz=zone, zone_source=source)
    return CaseContext(
        tz=zone,
        profile=found.support_profile,
        holidays=found.holiday_dates(case.created_at.date()),
        zone_source=source,
    )


def _requester_zone(case: Case, store: Store) -> ZoneInfo | None:
    """The latest Slack zone the requester's messages carried (bot.engine.zones, which this
    command does not import: it would bring in the actions and the NLU)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not case.origin_thread:
        return None
    for event in reversed(store.trackers.load(case.origin_thread)):
        metadata = event.get("metadata") or {}
        if event.get("event") == "user" and metadata.get("user_id") == case.requester_id:
            name = metadata.get("sender_tz")
            if isinstance(name, str) and name.strip():
                try:
                    return ZoneInfo(name.strip())
                except (ZoneInfoNotFoundError, ValueError, OSError):
                    continue
    return None
