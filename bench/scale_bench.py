"""How the per-message paths, App Home and `cases list` grow with the number of stored cases.

    .venv/bin/python bench/scale_bench.py                      # 1k, 10k, 100k; 3 runs; both stores
    .venv/bin/python bench/scale_bench.py --quick              # 1k, 10k; 1 run (a smoke run)
    .venv/bin/python bench/scale_bench.py --sizes 1000,100000 --stores sqlite --runs 5

Each store is seeded through its own API (`create_case`, then `update_case` to close history,
so every index a backend keeps is built) up to each size in turn and reused by every run at
that size. Whatever the size, the newest 60 cases are the open ones (30 of Acme's, 10 of them
by the measured designated contact U01AAA, a third assigned to the measured staff member
U0STAFF1); all older cases are closed and spread evenly over the directory's organizations and
people. So what a person is shown stays the same and only the history grows.

Every operation runs the way the bot runs it, against a fake Slack Web API on loopback:
`Engine.handle` for "status of CS-n", "my cases" and "my organization's cases" (parses fixed
per text: the NLU has its own benchmark; each sample in a new conversation), the adapter's
`Conversations.relay_to_staff` (which runs on every message that is not a new topic), App
Home through `Flows.home`, whole intakes (`bench.store_workload.converse`: Redis round trips per
turn and per intake, bytes written per turn: the append-only file's growth for Redis, the
process's write() bytes for SQLite), acks of signed events POSTed in bursts over loopback
HTTP to `SlackHTTPServer` serving the real app and, in the same run, a minimal Bolt app that
only acks, `supportbot cases list` as a subprocess (time to its first line, total, peak
RSS) and, for SQLite, `bench.store_bench.run_level` with 10 concurrent conversations on a copy
of the seeded file. Latencies are p50/p95 per run; the tables show the median of the runs
with the spread (min-max), the ratio largest/smallest size, and a verdict per target.
Redis is a private server (append-only file, fsync every second) unless `--redis-url`.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from slack_bolt import App  # noqa: E402

from bench.slack_ack_bench import minimal_app, percentile, post_signed  # noqa: E402
from bench.store_bench import Backend, run_level  # noqa: E402
from bench.store_redis_server import PrivateRedis  # noqa: E402
from bench.store_workload import REQUESTER, FixedNlu, TurnLog, converse  # noqa: E402
from bot.directory import load_directory  # noqa: E402
from bot.directory.models import Directory, Organization, Person  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.messages import Audience, Inbound, Outbound  # noqa: E402
from bot.slack import SlackSettings, create_app  # noqa: E402
from bot.slack.cards import STAFF, CardIndex, CardRef  # noqa: E402
from bot.slack.conversations import Conversations  # noqa: E402
from bot.slack.http_server import SlackHTTPServer  # noqa: E402
from bot.slack.places import Place  # noqa: E402
from bot.store.base import Store  # noqa: E402
from bot.store.factory import SQLITE_FILE_NAME, open_store  # noqa: E402
from bot.store.models import Case, CaseDraft, change_id  # noqa: E402
from cases.vocabulary import ACTIVE_STATUS_VALUES  # noqa: E402
from tests.engine.conftest import Parse  # noqa: E402
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, SlackDriver  # noqa: E402
from tests.slack.fake_slack.server import FakeSlack  # noqa: E402

STAFF_ID = "U0STAFF1"
CONTACTS = ("U01AAA", "U01BBB", "U02AAA", "U02BBB", "U03AAA", "U03BBB")  # senders of the bursts
ACTIVE_PER_ORG = {"acme": 30, "bergwerk": 15, "wattle": 15}
RELAY_PLACE = Place("D0RELAY")  # the measured contact's conversation that has an open case
CASE_STATUS, MY_CASES, ORG_CASES = "status of CS-{}", "status of my cases", "our org's cases"
CHATTER = "thanks, one more detail: it also happens on the Denver queue"
RELAY, HOME_CONTACT, HOME_STAFF, INTAKE = (
    "relay to staff",
    "App Home, designated contact",
    "App Home, staff",
    "intake turn",
)
TURNS = {
    "status of a case (turn)": CASE_STATUS,
    "my cases (turn)": MY_CASES,
    "my organization's cases (turn)": ORG_CASES,
}
PER_MESSAGE = (*TURNS, RELAY)
HOMES = (HOME_CONTACT, HOME_STAFF)
WARMUP = 2
MIN_SAMPLES = 5
MESSAGE_P95_MS, HOME_P95_MS, GROWTH, ACK_RATIO, TRIPS = 10.0, 50.0, 1.5, 2.0, 3.0
SQLITE_P99_MS, FIRST_LINE_S, RSS_FLAT = 50.0, 0.3, 1.2
QUICK = {
    "sizes": "1000,10000",
    "runs": 1,
    "samples": 30,
    "op_seconds": 1.0,
    "intakes": 5,
    "ack_events": 40,
    "concurrency_seconds": 2.0,
}

Check = tuple[str, float | None, bool, str]
Figures = dict[str, float]  # one run's figures by name
Results = dict[tuple[str, int], list[Figures]]  # (store, size) -> one entry per run


class BenchNlu(FixedNlu):
    """The intake's fixed parses plus the status questions and a remark that is none of them."""

    PARSES: ClassVar[dict[str, Parse]] = {
        **FixedNlu.PARSES,
        MY_CASES: Parse(text=MY_CASES, intent="check_status"),
        ORG_CASES: Parse(text=ORG_CASES, intent="check_status"),
    }

    def parse(self, text: str) -> Parse:
        if text.startswith("status of CS-"):
            return Parse(text=text, intent="check_status")
        return super().parse(text)


@dataclass
class Seeder:
    """Grows one store to each size in turn; the newest cases are always the open ones."""

    store: Store
    directory: Directory
    count: int = 0
    active: list[str] = field(default_factory=list)
    mine: list[str] = field(default_factory=list)  # open cases of the measured contact

    def grow(self, size: int) -> None:
        now = datetime.now(UTC)
        for number in self.active:
            self.close(number, now)
        open_count = sum(ACTIVE_PER_ORG.values())
        people = [
            (org, person)
            for org in self.directory.organizations
            for person in (*org.designated_contacts, *org.members)
        ]
        for index in range(self.count, size - open_count):
            org, person = people[index % len(people)]
            case, _ = self._create(_draft(org, person, index), f"h{index}", now)
            self.close(case.number, now)
        self.active, self.mine = [], []
        for org in self.directory.organizations:
            first, *others = (*org.designated_contacts, *org.members)
            rest = itertools.cycle(others)
            for index in range(ACTIVE_PER_ORG.get(org.short_name, 0)):
                # Every third open case is the primary contact's (10 of Acme's 30 are U01AAA's).
                person = first if index % 3 == 0 else next(rest)
                assignee = (STAFF_ID, "U0STAFF2", None)[index // 3 % 3]
                draft = replace(_draft(org, person, index), assignee_id=assignee)
                if person.slack_id == REQUESTER and not self.mine:
                    draft = replace(draft, origin_thread=RELAY_PLACE.conversation_key)
                case, _ = self._create(draft, f"a{size}-{org.short_name}-{index}", now)
                self.active.append(case.number)
                if person.slack_id == REQUESTER:
                    self.mine.append(case.number)
        # The relay posts under the staff card of the conversation's open case.
        CardIndex(store=self.store).remember(self.mine[0], CardRef(STAFF, "C0STAFF", "1.0001"))
        self.count = max(size, self.count + open_count)

    def close(self, number: str, now: datetime) -> None:
        case = self.store.cases.update_case(
            number, actor_id=STAFF_ID, now=now, changes={"status": "closed", "closed_at": now}
        )
        self._delivered(case)

    def _create(self, draft: CaseDraft, key: str, now: datetime) -> tuple[Case, bool]:
        case, created = self.store.cases.create_case(
            draft, idempotency_key=f"seed-{key}", actor_id=draft.requester_id, now=now
        )
        self._delivered(case)
        return case, created

    def _delivered(self, case: Case) -> None:
        """A live bot delivers what each change owes; a store full of undelivered items isn't."""
        self.store.outbox.settle(change_id(case.number, case.version))


def _draft(org: Organization, person: Person, index: int) -> CaseDraft:
    return CaseDraft(
        org_short_name=org.short_name,
        org_id=org.id,
        requester_id=person.slack_id,
        requester_name=person.name,
        title=f"Agents cannot log in to the desktop app ({index})",
        description="Agents cannot log in to the desktop app since this morning. " * 4,
        business_impact="Half of the agents cannot take calls.",
        severity=2 + index % 3,
    )


def _round_trips(store: Store) -> int | None:
    return getattr(store, "round_trips", None)


def timed(
    call: Callable[[int], object], *, store: Store, samples: int, seconds: float
) -> tuple[list[float], float | None]:
    """Latencies (ms) of up to `samples` calls within `seconds` (at least 5), after a warm-up;
    with Redis also the round trips per call."""
    for index in range(WARMUP):
        call(-1 - index)
    before = _round_trips(store)
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    while len(latencies) < samples and (
        len(latencies) < MIN_SAMPLES or time.perf_counter() < deadline
    ):
        started = time.perf_counter()
        call(len(latencies))
        latencies.append((time.perf_counter() - started) * 1000)
    after = _round_trips(store)
    trips = None if before is None or after is None else (after - before) / len(latencies)
    return latencies, trips


def _record(figures: Figures, name: str, latencies: list[float], trips: float | None) -> None:
    figures[f"{name} p50"] = statistics.median(latencies)
    figures[f"{name} p95"] = percentile(latencies, 0.95)
    if trips is not None:
        figures[f"Redis round trips: {name}"] = trips


class Written:
    """Bytes the store wrote: Redis's append-only file growth (else bytes it received), or
    this process's write() bytes for SQLite (its WAL and database)."""

    def __init__(self, redis_url: str | None) -> None:
        self.client: Any = None
        if redis_url:
            import redis

            from bot.store.redis_connection import split_namespace

            self.client = redis.Redis.from_url(split_namespace(redis_url)[0])
        self.start = self._total()

    def since_start(self) -> float | None:
        """None when Redis rewrote its append-only file meanwhile (the size tells nothing)."""
        end = self._total()
        return None if end[1] != self.start[1] else float(end[0] - self.start[0])

    def _total(self) -> tuple[int, int]:
        if self.client is None:
            with open("/proc/self/io") as io:  # Linux; "wchar: N"
                return next(int(line.split()[1]) for line in io if line.startswith("wchar")), 0
        persistence = self.client.info("persistence")
        if not persistence.get("aof_enabled"):
            return int(self.client.info("stats")["total_net_input_bytes"]), 0
        rewrites = int(self.client.info("stats").get("aof_rewrites", 0))
        busy = int(persistence.get("aof_rewrite_in_progress", 0))
        return int(persistence["aof_current_size"]), rewrites * 2 + busy


def measure_turns(
    engine: Engine, store: Store, case: str, label: str, args: argparse.Namespace
) -> Figures:
    figures: Figures = {}
    for kind, (name, text) in enumerate(TURNS.items()):
        wording = text.format(case.removeprefix("CS-"))

        def turn(index: int, wording: str = wording, kind: int = kind) -> None:
            key = f"D0{label}-{kind}-{index}"
            replies = engine.handle(
                Inbound(
                    sender_id=REQUESTER,
                    text=wording,
                    conversation_key=key,
                    received_at=datetime.now(UTC),
                    event_id=f"Ev-{key}",
                )
            )
            if "status" not in [r.kind for r in replies]:
                raise RuntimeError(f"{wording!r} was answered {[r.kind for r in replies]}")

        _record(figures, name, *timed(turn, store=store, **_budget(args)))
    return figures


# What the engine answers a remark in a conversation with an open case: nothing new started.
CHATTER_REPLY = Outbound(audience=Audience.REQUESTER, text="Noted.", kind="text")


def measure_slack(app: App, store: Store, fake: FakeSlack, args: argparse.Namespace) -> Figures:
    figures: Figures = {}
    flows = app.flows  # type: ignore[attr-defined]  # set by create_app
    conversations = Conversations(flows.context)

    def relay(_index: int) -> None:
        conversations.relay_to_staff(
            user_id=REQUESTER, text=CHATTER, place=RELAY_PLACE, replies=[CHATTER_REPLY]
        )

    posted = len(fake.calls_to("chat.postMessage"))
    _record(figures, RELAY, *timed(relay, store=store, **_budget(args)))
    if len(fake.calls_to("chat.postMessage")) == posted:
        raise RuntimeError("the relay posted nothing: it measured no relay")
    for name, user in ((HOME_CONTACT, REQUESTER), (HOME_STAFF, STAFF_ID)):
        home = lambda _index, user=user: flows.home(user_id=user)  # noqa: E731
        _record(figures, name, *timed(home, store=store, **_budget(args)))
    return figures


def measure_intakes(
    engine: Engine, seeder: Seeder, redis_url: str | None, label: str, count: int
) -> Figures:
    """Whole intakes by the measured contact; their cases are closed again afterwards."""
    log, store = TurnLog(), seeder.store
    trips, written = _round_trips(store), Written(redis_url)
    for index in range(count):
        converse(engine, f"intake-{label}-{index}", log, threading.Lock())
    wrote = written.since_start()
    if log.cases != count or log.failures or log.unexpected:
        raise RuntimeError(f"intakes: {log.cases}/{count} cases, {log.failures} failed turns")
    figures: Figures = {}
    after = _round_trips(store)
    _record(figures, INTAKE, log.latencies_ms, None)
    turns = len(log.latencies_ms)
    if trips is not None and after is not None:
        figures["Redis round trips: intake turn"] = (after - trips) / turns
        figures["Redis round trips: whole intake"] = (after - trips) / count
    if wrote is not None:
        figures["bytes written per intake turn"] = wrote / turns
    now = datetime.now(UTC)
    for case in store.cases.list_cases(requester_id=REQUESTER, statuses=ACTIVE_STATUS_VALUES):
        if (case.origin_thread or "").startswith(f"intake-{label}-"):
            seeder.close(case.number, now)
    seeder.count += count
    return figures


def ack_bursts(app: App, store: Store, *, events: int, burst: int, label: str) -> list[float]:
    """Ack latencies (ms) of `events` DMs from designated contacts, `burst` at a time; the
    texts rotate between "my organization's cases", "my cases" and a remark that is relayed."""
    server = SlackHTTPServer(("127.0.0.1", 0), app=app, store=store)
    server.start_in_background()
    driver = SlackDriver(app, None)  # type: ignore[arg-type]  # only builds envelopes
    acks: list[float] = []
    lock = threading.Lock()

    def post(index: int) -> None:
        event = {
            "type": "message",
            "channel": f"D9{label}{index:05d}",
            "channel_type": "im",
            "user": CONTACTS[index % len(CONTACTS)],
            "text": (ORG_CASES, MY_CASES, CHATTER)[index % 3],
            "ts": f"{1_763_478_000 + index}.000100",
        }
        elapsed = post_signed(server.port, driver.envelope(event, event_id=f"Ev{label}{index:05d}"))
        with lock:
            acks.append(elapsed * 1000)

    try:
        for first in range(0, events, burst):
            threads = [
                threading.Thread(target=post, args=(i,))
                for i in range(first, min(first + burst, events))
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        pool = getattr(app, "listener_pool", None)
        if pool is not None:
            pool.drain(timeout=900)  # the turns queued by the bursts finish before what follows
    finally:
        server.shutdown()
        server.server_close()
    if len(acks) != events:
        raise RuntimeError(f"only {len(acks)} of {events} events were acknowledged")
    return acks


def cases_list(env: dict[str, str], expected: int) -> Figures:
    """`supportbot cases list` as a subprocess: seconds to its first line, in all, peak RSS.

    The peak comes from /usr/bin/time, whose own child starts small: a child forked from
    this process would count this process's memory in its `ru_maxrss`."""
    script = Path(sys.executable).with_name("supportbot")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli.main"]
    with tempfile.NamedTemporaryFile() as errors, tempfile.NamedTemporaryFile("r") as peak:
        timer = (
            ["/usr/bin/time", "-f", "%M", "-o", peak.name] if Path("/usr/bin/time").exists() else []
        )
        started = time.perf_counter()
        process = subprocess.Popen(
            [*timer, *command, "cases", "list"],
            stdout=subprocess.PIPE,
            stderr=errors,
            env={**os.environ, **env},
        )
        assert process.stdout is not None
        first, lines = None, 0
        while chunk := process.stdout.read1(1 << 16):
            if first is None and b"\n" in chunk:
                first = time.perf_counter() - started
            lines += chunk.count(b"\n")
        process.wait()
        total = time.perf_counter() - started
        if process.returncode != 0 or lines < expected:
            tail = Path(errors.name).read_text(errors="replace")[-500:]
            raise RuntimeError(f"cases list: exit {process.returncode}, {lines} lines: {tail}")
        figures = {"cases list: first line s": first or total, "cases list: total s": total}
        if timer:
            figures["cases list: peak RSS MB"] = int(peak.read().split()[-1]) / 1024
    return figures


def sqlite_concurrency(path: Path, seconds: float) -> Figures:
    """10 concurrent intakes (2 processes) on a copy of the seeded file, as store_bench runs."""
    copy = path.with_name("concurrency.sqlite3")
    source, target = sqlite3.connect(path), sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    try:
        level = run_level(
            Backend("sqlite", str(copy)), conversations=10, processes=2, seconds=seconds
        )
    finally:
        for leftover in copy.parent.glob(f"{copy.name}*"):
            leftover.unlink()
    if level.failures or level.unexpected:
        raise RuntimeError(f"10 conversations: {level.failures + level.unexpected} failed turns")
    return {"10 concurrent conversations: turn p99 ms": level.p99_ms}


def _budget(args: argparse.Namespace) -> dict[str, Any]:
    return {"samples": args.samples, "seconds": args.op_seconds}


def measure_run(
    name: str, location: str, seeder: Seeder, args: argparse.Namespace, run: int
) -> Figures:
    """Every figure once on the seeded store, with a fresh store connection and app."""
    label = f"{run}{uuid.uuid4().hex[:6]}"
    store = open_store(redis_url=location) if name == "redis" else open_store(data_dir=location)
    seeder.store = store
    figures: Figures = {}
    directory = load_directory()
    try:
        with FakeSlack() as fake:
            engine = Engine(store=store, directory=directory, nlu=BenchNlu())
            settings = SlackSettings(
                bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.url
            )
            app = create_app(engine=engine, store=store, directory=directory, settings=settings)
            try:
                figures |= measure_turns(engine, store, seeder.mine[1], label, args)
                figures |= measure_slack(app, store, fake, args)
                redis_url = location if name == "redis" else None
                figures |= measure_intakes(engine, seeder, redis_url, label, args.intakes)
                bursts = {"events": args.ack_events, "burst": args.burst}
                floor = ack_bursts(minimal_app(settings), store, label=f"m{label}", **bursts)
                acks = ack_bursts(app, store, label=f"r{label}", **bursts)
            finally:
                app.listener_pool.shutdown(wait=True)  # type: ignore[attr-defined]
        _record(figures, "Slack ack, minimal Bolt app", floor, None)
        _record(figures, f"Slack ack, bursts of {args.burst}", acks, None)
        figures["Slack ack p95 / minimal Bolt app p95"] = percentile(acks, 0.95) / percentile(
            floor, 0.95
        )
        env = (
            {"REDIS_URL": location}
            if name == "redis"
            else {"REDIS_URL": "", "SUPPORTBOT_DATA_DIR": location}
        )
        figures |= cases_list(env, expected=seeder.count)
    finally:
        store.close()
    if name == "sqlite":
        figures |= sqlite_concurrency(Path(location) / SQLITE_FILE_NAME, args.concurrency_seconds)
    return figures


def bench_store(name: str, location: str, args: argparse.Namespace, results: Results) -> None:
    store = open_store(redis_url=location) if name == "redis" else open_store(data_dir=location)
    seeder = Seeder(store=store, directory=load_directory())
    try:
        for size in args.sizes:
            started = time.perf_counter()
            seeder.grow(size)
            _log(f"{name}: seeded {size:,} cases in {time.perf_counter() - started:.1f} s")
            for run in range(args.runs):
                started = time.perf_counter()
                results.setdefault((name, size), []).append(
                    measure_run(name, location, seeder, args, run)
                )
                seeder.store = store
                _log(f"{name} {size:,}: run {run + 1} in {time.perf_counter() - started:.1f} s")
    finally:
        store.close()


# ---- report ---------------------------------------------------------------------------------


def _values(results: Results, store: str, size: int, figure: str) -> list[float]:
    return [run[figure] for run in results.get((store, size), []) if figure in run]


def _median(results: Results, store: str, size: int, figure: str) -> float | None:
    values = _values(results, store, size, figure)
    return statistics.median(values) if values else None


def _number(value: float) -> str:
    return (
        f"{value:,.0f}"
        if abs(value) >= 100
        else f"{value:.2f}"
        if abs(value) < 10
        else f"{value:.1f}"
    )


def _cell(values: list[float]) -> str:
    if not values:
        return "-"
    middle = _number(statistics.median(values))
    return (
        middle if len(values) == 1 else f"{middle} ({_number(min(values))}-{_number(max(values))})"
    )


def _ratio(results: Results, store: str, sizes: list[int], figure: str) -> float | None:
    first, last = (_median(results, store, s, figure) for s in (sizes[0], sizes[-1]))
    return None if not first or last is None else last / first


def report(results: Results, stores: list[str], sizes: list[int], burst: int) -> str:
    heads = " | ".join(f"{size:,}" for size in sizes)
    ratio_head = f"p95 {sizes[-1]:,} / {sizes[0]:,}"
    lines = [
        "Latency, ms: p50 / p95, each the median of the runs (spread of p95 min-max)",
        "",
        f"| operation | store | {heads} | {ratio_head} |",
        "|---|---|" + "---|" * len(sizes) + "---|",
    ]
    latency = [
        *PER_MESSAGE,
        *HOMES,
        INTAKE,
        f"Slack ack, bursts of {burst}",
        "Slack ack, minimal Bolt app",
    ]
    for operation in latency:
        for store in stores:
            cells = []
            for size in sizes:
                p50 = _median(results, store, size, f"{operation} p50")
                p95 = _values(results, store, size, f"{operation} p95")
                cells.append("-" if p50 is None else f"{_number(p50)} / {_cell(p95)}")
            ratio = _ratio(results, store, sizes, f"{operation} p95")
            lines.append(f"| {operation} | {store} | {' | '.join(cells)} | {_fmt_ratio(ratio)} |")
    lines += ["", "Other figures: median of the runs (min-max)", ""]
    lines += [f"| figure | store | {heads} | {sizes[-1]:,} / {sizes[0]:,} |", lines[3]]
    names = sorted({f for run in (r for rs in results.values() for r in rs) for f in run})
    other = [f for f in names if not f.endswith((" p50", " p95"))]
    for figure in other:
        for store in stores:
            cells = [_cell(_values(results, store, size, figure)) for size in sizes]
            if all(c == "-" for c in cells):
                continue
            lines.append(
                f"| {figure} | {store} | {' | '.join(cells)} | "
                f"{_fmt_ratio(_ratio(results, store, sizes, figure))} |"
            )
    return "\n".join(lines)


def _fmt_ratio(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2f}x"


def _checks(results: Results, store: str, sizes: list[int], burst: int) -> Iterator[Check]:
    """(target, measured value or None, passed, shown) for one store at the largest size."""
    last = sizes[-1]

    def median(figure: str) -> float | None:
        return _median(results, store, last, figure)

    limits = [*((o, MESSAGE_P95_MS) for o in PER_MESSAGE), *((o, HOME_P95_MS) for o in HOMES)]
    for operation, limit in limits:
        p95, growth = median(f"{operation} p95"), _ratio(results, store, sizes, f"{operation} p95")
        passed = p95 is not None and p95 <= limit and (growth is None or growth <= GROWTH)
        shown = f"{_number(p95 or 0)} ms, {_fmt_ratio(growth)}"
        yield f"{operation}: p95 <= {limit:g} ms, growth <= {GROWTH}x", p95, passed, shown
    ratio = median("Slack ack p95 / minimal Bolt app p95")
    target = f"Slack ack p95, bursts of {burst}, <= {ACK_RATIO:g}x the minimal Bolt app"
    yield target, ratio, ratio is not None and ratio <= ACK_RATIO, _fmt_ratio(ratio)
    if store == "redis":
        kinds = [f"Redis round trips: {o}" for o in (INTAKE, *TURNS)]
        trips = [(value, kind) for kind in kinds if (value := median(kind)) is not None]
        worst = max(trips) if trips else (None, "")
        shown = f"{worst[0] or 0:.1f} ({worst[1].removeprefix('Redis round trips: ')})"
        target = f"<= {TRIPS:g} Redis round trips per turn (worst kind of turn)"
        yield target, worst[0], worst[0] is not None and worst[0] <= TRIPS, shown
    if store == "sqlite":
        p99 = median("10 concurrent conversations: turn p99 ms")
        target = f"p99 <= {SQLITE_P99_MS:g} ms at 10 concurrent conversations"
        yield target, p99, p99 is not None and p99 <= SQLITE_P99_MS, f"{_number(p99 or 0)} ms"
    rss = _ratio(results, store, sizes, "cases list: peak RSS MB")
    shown = f"{_fmt_ratio(rss)} ({_number(median('cases list: peak RSS MB') or 0)} MB)"
    yield (
        f"`cases list` peak RSS flat (<= {RSS_FLAT}x)",
        rss,
        rss is not None and rss <= RSS_FLAT,
        shown,
    )
    first = median("cases list: first line s")
    passed = first is not None and first < FIRST_LINE_S
    yield f"`cases list` first line < {FIRST_LINE_S} s", first, passed, f"{first or 0:.2f} s"


def verdicts(results: Results, stores: list[str], sizes: list[int], burst: int) -> str:
    rows = [f"Targets at {sizes[-1]:,} stored cases (growth: {sizes[-1]:,} / {sizes[0]:,})", ""]
    rows += ["| target | store | measured | result |", "|---|---|---|---|"]
    for store in stores:
        for target, value, passed, shown in _checks(results, store, sizes, burst):
            measured, verdict = (
                ("-", "n/a") if value is None else (shown, "PASS" if passed else "MISS")
            )
            rows.append(f"| {target} | {store} | {measured} | {verdict} |")
    return "\n".join(rows)


# ---- main -----------------------------------------------------------------------------------


def _log(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


@contextmanager
def redis_location(args: argparse.Namespace, workdir: Path) -> Iterator[str]:
    """A namespaced URL on the private server (or `--redis-url`), removed afterwards."""
    from bot.store.redis_admin import delete_namespace

    namespace = f"scale-bench-{uuid.uuid4().hex[:8]}"
    if args.redis_url:
        url = args.redis_url
        try:
            yield f"{url}{'&' if '?' in url else '?'}namespace={namespace}"
        finally:
            delete_namespace(url, namespace)
        return
    with PrivateRedis(workdir) as url:
        yield f"{url}?namespace={namespace}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000", help="stored cases, ascending")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (median, spread)")
    parser.add_argument("--stores", default="sqlite,redis", help="sqlite and/or redis")
    parser.add_argument("--quick", action="store_true", help="1k,10k, 1 run, fewer samples")
    parser.add_argument("--samples", type=int, default=100, help="samples per operation per run")
    parser.add_argument(
        "--op-seconds", type=float, default=3.0, help="time cap per operation (at least 5 samples)"
    )
    parser.add_argument("--intakes", type=int, default=10, help="whole intakes per run")
    parser.add_argument("--ack-events", type=int, default=100, help="events POSTed per app per run")
    parser.add_argument("--burst", type=int, default=20, help="concurrent requests per burst")
    parser.add_argument(
        "--concurrency-seconds", type=float, default=5.0, help="SQLite 10-conversation level"
    )
    parser.add_argument(
        "--redis-url", default=None, help="an existing server instead of a private one"
    )
    args = parser.parse_args(argv)
    if args.quick:
        for name, value in QUICK.items():
            if getattr(args, name) == parser.get_default(name):
                setattr(args, name, value)
    try:
        args.sizes = sorted({int(s) for s in str(args.sizes).split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes numbers of cases, e.g. 1000,10000")
    args.stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    if not args.sizes or args.sizes[0] < 2 * sum(ACTIVE_PER_ORG.values()):
        parser.error(f"--sizes must be at least {2 * sum(ACTIVE_PER_ORG.values())}")
    if not args.stores or not set(args.stores) <= {"sqlite", "redis"}:
        parser.error("--stores takes sqlite and/or redis")
    if args.runs < 1 or args.samples < MIN_SAMPLES or args.intakes < 1 or args.ack_events < 1:
        parser.error("--runs, --intakes and --ack-events must be positive, --samples at least 5")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    _log(
        f"scale_bench: Python {platform.python_version()}, {os.cpu_count()} cores, sizes "
        f"{args.sizes}, {args.runs} runs, stores {args.stores}, load {os.getloadavg()[0]:.1f}"
    )
    results: Results = {}
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as folder:
        workdir = Path(folder)
        for name in args.stores:
            if name == "redis":
                with redis_location(args, workdir) as url:
                    bench_store("redis", url, args, results)
            else:
                (workdir / "sqlite").mkdir()
                bench_store("sqlite", str(workdir / "sqlite"), args, results)
    print(report(results, args.stores, args.sizes, args.burst))
    print()
    print(verdicts(results, args.stores, args.sizes, args.burst))
    _log(f"done in {time.perf_counter() - started:.0f} s, load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
