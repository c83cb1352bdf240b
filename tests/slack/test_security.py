"""Forged, unsigned, stale, replayed and self-sent requests change nothing."""

from __future__ import annotations

import json
import time

from slack_bolt import BoltRequest

from tests.slack.conftest import REPORT, SIGNING_SECRET, STAFF_CHANNEL, last_post, sign

QUIET = 1.0  # how long to watch for a post that must not happen


def nothing_posted(fake_slack) -> bool:
    return fake_slack.wait_for("chat.postMessage", timeout=QUIET) == []


def test_forged_signature_is_refused_and_changes_nothing(app, slack, fake_slack, store) -> None:
    body = slack.envelope(
        {
            "type": "message",
            "channel": "D01AAA",
            "channel_type": "im",
            "user": "U01AAA",
            "text": REPORT,
            "ts": "1763478001.000100",
        }
    )
    headers = {"content-type": ["application/json"], **sign(body, secret="not-the-real-secret")}
    response = app.dispatch(BoltRequest(body=body, headers=headers))
    assert response.status == 401
    assert nothing_posted(fake_slack)
    assert store.trackers.load("D01AAA") == []


def test_a_tampered_body_is_refused(app, slack, fake_slack) -> None:
    body = slack.envelope(
        {
            "type": "message",
            "channel": "D01AAA",
            "channel_type": "im",
            "user": "U01AAA",
            "text": "hello",
            "ts": "1763478001.000100",
        }
    )
    headers = {"content-type": ["application/json"], **sign(body)}
    tampered = body.replace("hello", "<!channel> hello")
    assert app.dispatch(BoltRequest(body=tampered, headers=headers)).status == 401
    assert nothing_posted(fake_slack)


def test_missing_signature_headers_are_refused(app, slack, fake_slack) -> None:
    body = slack.envelope(
        {
            "type": "app_mention",
            "channel": "C0GENERAL",
            "user": "U01AAA",
            "text": "<@UBOTSELF> " + REPORT,
            "ts": "1763478001.000100",
        }
    )
    response = app.dispatch(BoltRequest(body=body, headers={"content-type": ["application/json"]}))
    assert response.status == 401
    assert nothing_posted(fake_slack)


def test_stale_timestamp_is_refused_even_with_a_valid_signature(app, slack, fake_slack) -> None:
    body = slack.envelope(
        {
            "type": "message",
            "channel": "D01AAA",
            "channel_type": "im",
            "user": "U01AAA",
            "text": REPORT,
            "ts": "1763478001.000100",
        }
    )
    six_minutes_ago = int(time.time()) - 6 * 60
    headers = {"content-type": ["application/json"], **sign(body, timestamp=six_minutes_ago)}
    assert app.dispatch(BoltRequest(body=body, headers=headers)).status == 401
    assert nothing_posted(fake_slack)


def test_forged_button_press_is_refused(app, slack, fake_slack, store) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": "U0STAFF1"},
        "actions": [{"action_id": "staff_take", "value": "CS-1001", "type": "button"}],
    }
    from urllib.parse import urlencode

    body = urlencode({"payload": json.dumps(payload)})
    headers = {
        "content-type": ["application/x-www-form-urlencoded"],
        "x-slack-request-timestamp": [str(int(time.time()))],
        "x-slack-signature": ["v0=" + "0" * 64],
    }
    assert app.dispatch(BoltRequest(body=body, headers=headers)).status == 401
    assert fake_slack.calls_to("chat.postEphemeral") == []


def test_a_retried_event_is_processed_once(slack, fake_slack, store) -> None:
    first = slack.dm("U01AAA", REPORT, event_id="Ev0RETRIED1")
    last_post(slack, channel="D01AAA", containing="business impact")  # the turn's last reply
    replies_after_first = len(fake_slack.calls_to("chat.postMessage"))
    retry = slack.dm(
        "U01AAA",
        REPORT,
        event_id="Ev0RETRIED1",
        # Slack marks retries with these headers; the event ID is what identifies it.
    )
    assert first.status == 200 and retry.status == 200
    time.sleep(QUIET)
    assert len(fake_slack.calls_to("chat.postMessage")) == replies_after_first
    user_turns = [e for e in store.trackers.load("D01AAA") if e.get("event") == "user"]
    assert len(user_turns) == 1


def test_retry_headers_with_the_same_event_after_a_restart_are_dropped(
    app, slack, fake_slack, store, engine, settings
) -> None:
    """The de-dup is durable: a new app on the same store still knows the event ID."""
    from bot.slack import create_app

    slack.dm("U01AAA", REPORT, event_id="Ev0DURABLE1")
    last_post(slack, channel="D01AAA", containing="business impact")  # the turn's last reply
    before = len(fake_slack.calls_to("chat.postMessage"))

    restarted = create_app(
        engine=engine, store=store, directory=engine.directory, settings=settings
    )
    body = slack.envelope(
        {
            "type": "message",
            "channel": "D01AAA",
            "channel_type": "im",
            "user": "U01AAA",
            "text": REPORT,
            "ts": "1763478001.000100",
        },
        event_id="Ev0DURABLE1",
    )
    headers = {
        "content-type": ["application/json"],
        "x-slack-retry-num": ["1"],
        "x-slack-retry-reason": ["http_timeout"],
        **sign(body),
    }
    assert restarted.dispatch(BoltRequest(body=body, headers=headers)).status == 200
    time.sleep(QUIET)
    assert len(fake_slack.calls_to("chat.postMessage")) == before


def test_messages_from_bots_and_from_the_app_itself_are_ignored(slack, fake_slack, store) -> None:
    slack.bot_message("D01AAA", REPORT)
    slack.bot_message(STAFF_CHANNEL, "New case CS-1001")
    ts = slack.next_ts()
    slack.send_event(
        {
            "type": "message",
            "user": "UBOTSELF",
            "bot_id": "BBOTSELF",
            "text": REPORT,
            "channel": "D01AAA",
            "channel_type": "im",
            "ts": ts,
        }
    )
    slack.send_event(
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": "D01AAA",
            "channel_type": "im",
            "ts": ts,
            "message": {"user": "U01AAA", "text": REPORT},
        }
    )
    assert nothing_posted(fake_slack)
    assert store.trackers.load("D01AAA") == []


def test_url_verification_answers_the_challenge(slack) -> None:
    body = json.dumps(
        {
            "token": "x",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    response = slack.dispatch(body, content_type="application/json")
    assert response.status == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in response.body


def test_secrets_never_reach_the_logs(slack, fake_slack, caplog) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    fake_slack.fail_next("chat.postMessage", status=500, retry_after=None, times=5)
    slack.dm("U01AAA", REPORT)
    fake_slack.wait_for("chat.postMessage", count=3)
    time.sleep(0.5)
    logged = caplog.text
    assert "xoxb-" not in logged and SIGNING_SECRET not in logged
