"""The Web API client survives rate limits and server errors; acks never wait for the work."""

from __future__ import annotations

import threading
import time

from bot.directory import load_directory
from bot.engine import Engine
from bot.slack import create_app
from tests.slack.conftest import REPORT, SlackDriver, last_post


def test_rate_limited_post_is_retried_after_retry_after(slack, fake_slack) -> None:
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=1)
    slack.dm("U01AAA", REPORT)

    attempts = slack.posted(lambda c: "suggest Severity 3" in c["text"], count=2)
    assert len(attempts) == 2  # the 429 and the retry with the same message
    assert attempts[0].response["error"] == "ratelimited" and attempts[1].response["ok"]
    assert attempts[1].at - attempts[0].at >= 1.0  # waited as long as Retry-After said
    assert last_post(slack, channel="D01AAA", containing="business impact")


def test_server_errors_are_retried_and_a_lost_message_does_not_stop_the_rest(
    slack, fake_slack
) -> None:
    fake_slack.fail_next("chat.postMessage", status=500, retry_after=None, times=1)
    slack.dm("U01AAA", REPORT)
    assert last_post(slack, channel="D01AAA", containing="suggest Severity 3")

    # Slack keeps failing for the first message: it is dropped (logged), the next still goes.
    fake_slack.fail_next("chat.postMessage", status=500, retry_after=None, times=3)
    slack.dm("U01AAA", "Our 40 supervisors can't trust the live numbers so they check reports")
    assert last_post(slack, channel="D01AAA", containing="Anything support should know")
    slack.dm("U01AAA", "skip")  # nothing to add to the background
    assert last_post(slack, channel="D01AAA", containing="Shall I use Severity 3")


class GatedNlu:
    """The real NLU behind a gate, to hold a turn in the middle of its work."""

    def __init__(self, nlu) -> None:  # type: ignore[no-untyped-def]
        self.nlu = nlu
        self.gate = threading.Event()

    def parse(self, text: str):  # type: ignore[no-untyped-def]
        assert self.gate.wait(timeout=30)
        return self.nlu.parse(text)

    def answer(self, text: str):  # type: ignore[no-untyped-def]
        return self.nlu.answer(text)


def test_the_ack_does_not_wait_for_the_engine(store, nlu, clock, settings, fake_slack) -> None:
    gated = GatedNlu(nlu)
    engine = Engine(store=store, directory=load_directory(), nlu=gated, clock=clock)
    app = create_app(engine=engine, store=store, directory=engine.directory, settings=settings)
    slack = SlackDriver(app, fake_slack)
    try:
        responses = [slack.dm("U01AAA", REPORT), slack.command("U01AAA", REPORT)]
        # Both requests were answered while the NLU was still blocked.
        assert [r.status for r in responses] == [200, 200]
        assert fake_slack.calls_to("chat.postMessage") == []
        gated.gate.set()
        assert last_post(slack, channel="D01AAA", containing="suggest Severity 3")
    finally:
        gated.gate.set()
        app.listener_pool.shutdown(wait=True)


def test_many_events_at_once_are_all_answered(slack, fake_slack) -> None:
    users = ["U01AAA", "U02AAA", "U03AAA", "U01BBB", "U02BBB", "U03BBB"]
    started = time.monotonic()
    threads = [threading.Thread(target=slack.dm, args=(u, REPORT)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    del started
    for user in users:
        assert last_post(slack, channel="D" + user[1:], containing="suggest Severity", timeout=30)
