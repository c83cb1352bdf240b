"""The Slack app on the Redis store, as deployed with several replicas."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

from bot.directory import load_directory
from bot.engine import Engine
from bot.slack import create_app
from tests.slack.conftest import REPORT, STAFF_CHANNEL, SlackDriver, last_post, open_case

REDIS_TEST_URL = os.environ.get("SUPPORTBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def namespace() -> Iterator[str]:
    from bot.store.redis_admin import delete_namespace, unique_namespace

    name = unique_namespace()
    yield name
    delete_namespace(REDIS_TEST_URL, name)


def redis_store(namespace: str) -> Any:
    from bot.store.redis_store import RedisStore

    return RedisStore(REDIS_TEST_URL, namespace=namespace)


@pytest.fixture
def store(namespace: str) -> Iterator[Any]:  # overrides the SQLite store of conftest
    opened = redis_store(namespace)
    yield opened
    opened.close()


def test_report_take_and_reply_on_redis(slack, fake_slack, store) -> None:
    number, card = open_case(slack)
    slack.click(card, "U0STAFF1", label="Take")
    assert last_post(slack, channel="D01AAA", containing="has taken")
    slack.channel_message(
        "U0STAFF1", STAFF_CHANNEL, "Looking at the cache now", thread_ts=card.response["ts"]
    )
    assert last_post(slack, channel="D01AAA", containing="Looking at the cache")
    assert store.cases.get_case(number).acknowledged_at is not None


def test_one_event_delivered_to_two_replicas_is_handled_once(
    namespace, nlu, clock, settings, fake_slack
) -> None:
    stores = [redis_store(namespace), redis_store(namespace)]
    apps = [
        create_app(
            engine=Engine(store=s, directory=load_directory(), nlu=nlu, clock=clock),
            store=s,
            directory=load_directory(),
            settings=settings,
        )
        for s in stores
    ]
    try:
        drivers = [SlackDriver(app, fake_slack) for app in apps]
        body = drivers[0].envelope(
            {
                "type": "message",
                "channel": "D01AAA",
                "channel_type": "im",
                "user": "U01AAA",
                "text": REPORT,
                "ts": "1763478001.000100",
            },
            event_id="Ev0REPLICAS1",
        )
        statuses = [d.dispatch(body, content_type="application/json").status for d in drivers]
        assert statuses == [200, 200]
        assert last_post(drivers[0], channel="D01AAA", containing="business impact")
        time.sleep(1.0)
        suggestions = [
            c for c in fake_slack.calls_to("chat.postMessage") if "suggest Severity" in c["text"]
        ]
        assert len(suggestions) == 1
    finally:
        for app in apps:
            app.listener_pool.shutdown(wait=True)
        for s in stores:
            s.close()
