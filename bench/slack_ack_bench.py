"""Ack latency and reply latency of the Slack app over loopback HTTP, with the real engine.

Run from the repository root:  .venv/bin/python bench/slack_ack_bench.py [--events 200]

Signed message.im events from many users are POSTed to `supportbot serve --http`'s server
(real Bolt app, real NLU, SQLite store in a temp dir, fake Slack Web API on loopback), in
bursts of `--burst` concurrent requests. It reports how long Slack would wait for the ack
(must stay far below 3 s) and how long until the first reply reaches the fake Web API.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the fake Slack Web API and request signing live in tests/
    sys.path.insert(0, str(ROOT))

from bot.directory import load_directory  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.slack import SlackSettings, create_app  # noqa: E402
from bot.slack.http_server import SlackHTTPServer  # noqa: E402
from bot.store.factory import open_store  # noqa: E402
from tests.slack.conftest import BOT_TOKEN, REPORT, SIGNING_SECRET, SlackDriver, sign  # noqa: E402
from tests.slack.fake_slack.server import FakeSlack  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--burst", type=int, default=20)
    args = parser.parse_args()

    from nlu.service import get_service

    nlu = get_service()
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        store = open_store(data_dir=Path(tmp))
        engine = Engine(store=store, directory=load_directory(), nlu=nlu)
        settings = SlackSettings(
            bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.url
        )
        app = create_app(engine=engine, store=store, directory=engine.directory, settings=settings)
        server = SlackHTTPServer(("127.0.0.1", 0), app=app, store=store)
        server.start_in_background()
        driver = SlackDriver(app, fake)
        acks: list[float] = []
        sent_at: dict[str, float] = {}
        lock = threading.Lock()

        def post(index: int) -> None:
            channel = f"D9{index:07d}"
            body = driver.envelope(
                {
                    "type": "message",
                    "channel": channel,
                    "channel_type": "im",
                    "user": "U01AAA",
                    "text": REPORT,
                    "ts": f"{index}.000100",
                }
            )
            headers = {
                "Content-Type": "application/json",
                **{k: v[0] for k, v in sign(body).items()},
            }
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            started = time.perf_counter()
            connection.request("POST", "/slack/events", body=body.encode(), headers=headers)
            status = connection.getresponse().status
            elapsed = time.perf_counter() - started
            connection.close()
            assert status == 200, status
            with lock:
                acks.append(elapsed)
                sent_at[channel] = time.time() - elapsed

        started = time.perf_counter()
        for first in range(0, args.events, args.burst):
            threads = [
                threading.Thread(target=post, args=(i,))
                for i in range(first, min(first + args.burst, args.events))
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        deadline = time.time() + 300
        while time.time() < deadline:
            replied = {c["channel"] for c in fake.calls_to("chat.postMessage")}
            if all(channel in replied for channel in sent_at):
                break
            time.sleep(0.05)
        total = time.perf_counter() - started
        first_reply: dict[str, float] = {}
        for call in fake.calls_to("chat.postMessage"):
            first_reply.setdefault(call["channel"], call.at)
        replies = [first_reply[c] - sent_at[c] for c in sent_at if c in first_reply]
        server.shutdown()
        app.listener_pool.shutdown(wait=True)
        store.close()

    ms = [a * 1000 for a in acks]
    print(f"events: {len(acks)} in bursts of {args.burst}; all replied: {len(replies)}")
    print(
        f"ack ms: p50 {statistics.median(ms):.1f}, p95 {percentile(ms, 0.95):.1f}, "
        f"max {max(ms):.1f}"
    )
    print(
        f"first reply s: p50 {statistics.median(replies):.2f}, "
        f"p95 {percentile(replies, 0.95):.2f}, max {max(replies):.2f}"
    )
    print(f"throughput: {len(replies) / total:.1f} conversations/s")


if __name__ == "__main__":
    main()
