"""Redis round trips of one complete intake through the Slack app, and where each comes from.

    .venv/bin/python bench/slack_intake_trips.py            # 3 intakes on a private Redis
    .venv/bin/python bench/slack_intake_trips.py --runs 5

A designated contact reports by DM, answers the two questions, presses Yes and Confirm (the
scenario of `tests.slack.conftest.confirm_report`) through the real Bolt app, the real NLU
and a fake Slack Web API on loopback. Every request to Redis is counted with the store
method and the bot function that asked for it, so a change that adds a round trip shows
where. Each run has a store namespace of its own.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.store_redis_server import PrivateRedis  # noqa: E402
from bot.directory import load_directory  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.slack import SlackSettings, create_app  # noqa: E402
from bot.store.factory import open_store  # noqa: E402
from bot.store.redis_connection import RedisConnection  # noqa: E402
from tests.slack.conftest import (  # noqa: E402
    BOT_TOKEN,
    SIGNING_SECRET,
    WEDNESDAY_MORNING_CHICAGO,
    Clock,
    SlackDriver,
    confirm_report,
)
from tests.slack.fake_slack.server import FakeSlack  # noqa: E402

TARGET = 15
SETTLE_SECONDS = 1.0  # the outbox settles and App Home publishes after the last reply


class Counted:
    """Wraps `RedisConnection.call` to record who asked for each round trip."""

    def __init__(self) -> None:
        self.sources: list[str] = []
        self._real: Callable[..., Any] = RedisConnection.call

    def __enter__(self) -> Counted:
        counted = self

        def call(connection: RedisConnection, operation: Callable[..., Any]) -> Any:
            counted.sources.append(_source())
            return counted._real(connection, operation)

        RedisConnection.call = call  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        RedisConnection.call = self._real  # type: ignore[method-assign]


def _source() -> str:
    """`store method <- caller` for the frames of ours nearest the call."""
    ours = [
        frame
        for frame in traceback.extract_stack()[:-2]
        if "/bot/" in frame.filename or "/actions/" in frame.filename
    ]
    names = [f"{Path(frame.filename).stem}.{frame.name}" for frame in reversed(ours[-3:])]
    return " <- ".join(names)


def one_intake(redis_url: str, nlu: Any) -> list[str]:
    store = open_store(redis_url=f"{redis_url}?namespace=intake-{uuid.uuid4().hex[:8]}")
    try:
        with FakeSlack() as fake:
            engine = Engine(
                store=store,
                directory=load_directory(),
                nlu=nlu,
                clock=Clock(WEDNESDAY_MORNING_CHICAGO),
            )
            settings = SlackSettings(
                bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.url
            )
            app = create_app(
                engine=engine, store=store, directory=engine.directory, settings=settings
            )
            store.cases.list_cases(limit=1)  # load the scripts: a one-off per connection
            try:
                with Counted() as counted:
                    confirm_report(SlackDriver(app, fake))
                    time.sleep(SETTLE_SECONDS)
                    app.listener_pool.drain(timeout=30)  # type: ignore[attr-defined]
            finally:
                app.listener_pool.shutdown(wait=True)  # type: ignore[attr-defined]
    finally:
        store.close()
    return counted.sources


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from nlu.service import get_service

    nlu = get_service()
    totals: list[int] = []
    with tempfile.TemporaryDirectory() as folder, PrivateRedis(Path(folder)) as url:
        for _ in range(args.runs):
            sources = one_intake(url, nlu)
            totals.append(len(sources))
    print(f"Redis round trips per Slack intake: {totals} (median {statistics.median(totals):g})")
    print(f"target <= {TARGET}: {'PASS' if statistics.median(totals) <= TARGET else 'MISS'}")
    print("\nwhere the last run's round trips came from:")
    for source, count in collections.Counter(sources).most_common():
        print(f"{count:3d}  {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
