"""Ack latency and reply latency of the Slack app over loopback HTTP, with the real engine,
against the floor of a minimal Bolt app on the same server.

Run from the repository root:

    .venv/bin/python bench/slack_ack_bench.py              # 120 events, bursts of 20, 3 runs
    .venv/bin/python bench/slack_ack_bench.py --stores sqlite,redis --runs 3
    .venv/bin/python bench/slack_ack_bench.py --events 50 --burst 1 --runs 1   # one at a time

Signed message.im events (a problem report, each its own conversation, from six designated
contacts in turn; 120 keeps each person within the 20 requests the pool queues per person)
are POSTed to the server `supportbot serve --http` runs
(bot.slack.http_server: waitress through Bolt's WSGI adapter), in bursts of `--burst`
concurrent requests, each burst sent as soon as the previous one is acked. The real app runs
the real Bolt app, engine and NLU on a fresh store per run (SQLite in a temp dir, or a
namespace of `--redis-url`), against a fake Slack Web API on loopback. In the same run the
same bursts go to a minimal Bolt app that only acks (same server, same signature checks): the
floor. It reports how long Slack would wait for the ack (must stay far below 3 s), the ratio
of the app's ack p95 to the floor's, and how long until the first reply reaches the fake Web
API. With several runs: the median of the runs and their spread (min-max).
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the fake Slack Web API and request signing live in tests/
    sys.path.insert(0, str(ROOT))

from slack_bolt import App  # noqa: E402

from bot.directory import load_directory  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.slack import SlackSettings, create_app  # noqa: E402
from bot.slack.http_server import SlackHTTPServer  # noqa: E402
from bot.slack.web import build_web_client  # noqa: E402
from bot.store.factory import open_store  # noqa: E402
from tests.slack.conftest import BOT_TOKEN, REPORT, SIGNING_SECRET, SlackDriver, sign  # noqa: E402
from tests.slack.fake_slack.server import FakeSlack  # noqa: E402

SENDERS = ("U01AAA", "U01BBB", "U02AAA", "U02BBB", "U03AAA", "U03BBB")
Figures = dict[str, float]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def post_signed(port: int, body: str, *, timeout: float = 60) -> float:
    """Seconds until the HTTP response to one signed event; raises unless it is a 200."""
    headers = {"Content-Type": "application/json", **{k: v[0] for k, v in sign(body).items()}}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    connection.request("POST", "/slack/events", body=body.encode(), headers=headers)
    status = connection.getresponse().status
    elapsed = time.perf_counter() - started
    connection.close()
    if status != 200:
        raise RuntimeError(f"the app answered HTTP {status}")
    return elapsed


def minimal_app(settings: SlackSettings) -> App:
    """A Bolt app on the same client and checks that only acks: the floor of an ack."""
    app = App(
        client=build_web_client(settings),
        signing_secret=settings.signing_secret,
        process_before_response=True,
    )
    app.event("message")(lambda ack: ack())
    return app


def bursts(
    app: App, store: Any, *, events: int, burst: int, label: str
) -> tuple[list[float], dict[str, float]]:
    """Ack seconds of `events` signed DMs, `burst` at a time, and when each was sent."""
    server = SlackHTTPServer(("127.0.0.1", 0), app=app, store=store)
    server.start_in_background()
    driver = SlackDriver(app, None)  # type: ignore[arg-type]  # only builds envelopes
    acks: list[float] = []
    sent_at: dict[str, float] = {}
    lock = threading.Lock()

    def post(index: int) -> None:
        channel = f"D9{label}{index:05d}"
        body = driver.envelope(
            {
                "type": "message",
                "channel": channel,
                "channel_type": "im",
                "user": SENDERS[index % len(SENDERS)],
                "text": REPORT,
                "ts": f"{1_763_478_000 + index}.000100",
            },
            event_id=f"Ev{label}{index:05d}",
        )
        elapsed = post_signed(server.port, body, timeout=30)
        with lock:
            acks.append(elapsed)
            sent_at[channel] = time.time() - elapsed

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
    finally:
        server.shutdown()
        server.server_close()
    if len(acks) != events:
        raise RuntimeError(f"only {len(acks)} of {events} events were acknowledged")
    return acks, sent_at


def one_run(store: Any, nlu: Any, args: argparse.Namespace, label: str) -> Figures:
    with FakeSlack() as fake:
        engine = Engine(store=store, directory=load_directory(), nlu=nlu)
        settings = SlackSettings(
            bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.url
        )
        floor, _ = bursts(minimal_app(settings), store, label=f"m{label}", **_sizes(args))
        app = create_app(engine=engine, store=store, directory=engine.directory, settings=settings)
        try:
            started = time.perf_counter()
            acks, sent_at = bursts(app, store, label=f"r{label}", **_sizes(args))
            deadline = time.time() + 300
            quiet_since, seen = time.time(), 0
            while time.time() < deadline and time.time() - quiet_since < 5:
                calls = fake.calls_to("chat.postMessage")
                if all(channel in {c["channel"] for c in calls} for channel in sent_at):
                    break
                if len(calls) != seen:
                    quiet_since, seen = time.time(), len(calls)
                time.sleep(0.05)
            total = time.perf_counter() - started
        finally:
            app.listener_pool.shutdown(wait=True)  # type: ignore[attr-defined]
        first_reply: dict[str, float] = {}
        for call in fake.calls_to("chat.postMessage"):
            first_reply.setdefault(call["channel"], call.at)
    replies = [first_reply[c] - sent_at[c] for c in sent_at if c in first_reply]
    ms = [a * 1000 for a in acks]
    floor_ms = [a * 1000 for a in floor]
    return {
        "ack p50 ms": statistics.median(ms),
        "ack p95 ms": percentile(ms, 0.95),
        "ack max ms": max(ms),
        "floor ack p50 ms": statistics.median(floor_ms),
        "floor ack p95 ms": percentile(floor_ms, 0.95),
        "floor ack max ms": max(floor_ms),
        "ack p95 / floor p95": percentile(ms, 0.95) / percentile(floor_ms, 0.95),
        "first reply p50 s": statistics.median(replies) if replies else float("nan"),
        "first reply p95 s": percentile(replies, 0.95) if replies else float("nan"),
        "replied": float(len(replies)),
        "conversations/s": len(replies) / total,
    }


def _sizes(args: argparse.Namespace) -> dict[str, int]:
    return {"events": args.events, "burst": args.burst}


def stores(args: argparse.Namespace, name: str) -> Callable[[], tuple[Any, Callable[[], None]]]:
    """A factory of fresh stores for `name`, each with its clean-up."""

    def sqlite() -> tuple[Any, Callable[[], None]]:
        tmp = tempfile.TemporaryDirectory()
        store = open_store(data_dir=Path(tmp.name))

        def close() -> None:
            store.close()
            tmp.cleanup()

        return store, close

    def redis() -> tuple[Any, Callable[[], None]]:
        from bot.store.redis_admin import delete_namespace

        namespace = f"ack-bench-{uuid.uuid4().hex[:8]}"
        url = args.redis_url
        store = open_store(redis_url=f"{url}{'&' if '?' in url else '?'}namespace={namespace}")

        def close() -> None:
            store.close()
            delete_namespace(url, namespace)

        return store, close

    return sqlite if name == "sqlite" else redis


def cell(values: list[float], digits: int = 1) -> str:
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return (
        f"{statistics.median(values):.{digits}f} "
        f"({min(values):.{digits}f}-{max(values):.{digits}f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=120)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stores", default="sqlite", help="sqlite, redis or sqlite,redis")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()

    from nlu.service import get_service

    nlu = get_service()
    nlu.parse(REPORT)  # warm up
    print(
        f"{args.events} events in bursts of {args.burst}, {args.runs} run(s), "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )
    results: dict[str, list[Figures]] = {}
    for name in args.stores.split(","):
        make = stores(args, name)
        for run in range(args.runs):
            store, close = make()
            try:
                figures = one_run(store, nlu, args, f"{run}{uuid.uuid4().hex[:4]}")
            finally:
                close()
            results.setdefault(name, []).append(figures)
            print(
                f"{name} run {run + 1}: ack p50/p95/max {figures['ack p50 ms']:.1f} / "
                f"{figures['ack p95 ms']:.1f} / {figures['ack max ms']:.1f} ms; floor "
                f"{figures['floor ack p50 ms']:.1f} / {figures['floor ack p95 ms']:.1f} / "
                f"{figures['floor ack max ms']:.1f} ms; "
                f"ratio {figures['ack p95 / floor p95']:.2f}x; "
                f"first reply p50/p95 {figures['first reply p50 s']:.2f} / "
                f"{figures['first reply p95 s']:.2f} s; replied {figures['replied']:.0f}; "
                f"{figures['conversations/s']:.1f} conversations/s",
                flush=True,
            )
    print(f"load {os.getloadavg()[0]:.1f}")
    print()
    print("median of the runs (min-max)")
    print()
    names = list(next(iter(results.values()))[0])
    print("| figure | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for figure in names:
        digits = 2 if figure.endswith((" s", "p95")) else 1
        cells = [cell([r[figure] for r in runs], digits) for runs in results.values()]
        print(f"| {figure} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
