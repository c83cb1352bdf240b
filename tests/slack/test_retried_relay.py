"""A Slack retry that reaches another replica is dropped by the engine and relayed once."""

from __future__ import annotations

from bot.slack import create_app
from tests.slack.conftest import STAFF_CHANNEL, SlackDriver, last_post, open_case, text_of


def test_a_retried_message_on_another_replica_reaches_the_staff_thread_once(
    slack, fake_slack, engine, store, settings
) -> None:
    number, card = open_case(slack)
    slack.channel_message(
        "U0STAFF1", STAFF_CHANNEL, "We found a cache problem", thread_ts=card.response["ts"]
    )
    last_post(slack, channel="D01AAA", containing="cache problem")
    other = create_app(engine=engine, store=store, directory=engine.directory, settings=settings)
    replica = SlackDriver(other, fake_slack)
    replica.counter = 10**6
    try:
        slack.dm("U01AAA", "thanks, same in the other dashboard", event_id="Ev-retried")
        last_post(slack, channel=STAFF_CHANNEL, containing="other dashboard")
        replica.dm("U01AAA", "thanks, same in the other dashboard", event_id="Ev-retried")
    finally:
        other.listener_pool.shutdown(wait=True)  # the retry's work is done

    relayed = [
        c
        for c in fake_slack.calls_to("chat.postMessage")
        if c.get("channel") == STAFF_CHANNEL and "other dashboard" in text_of(c)
    ]
    assert len(relayed) == 1, f"{number} got the message {len(relayed)} times"
