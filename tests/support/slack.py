"""Slack as the tests drive it: signed payloads in Slack's real shapes, dispatched through the
Bolt app, and the scenario helpers that read what the app posted to the fake Web API.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier

from tests.support.clock import Clock
from tests.support.fake_slack.server import BOT_ID, BOT_USER_ID, TEAM_ID, Call, FakeSlack

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
STAFF_CHANNEL = "C0STAFF"
# Wednesday 18 Nov 2026 15:00 UTC = 09:00 in Chicago, 16:00 in Berlin: business hours.
WEDNESDAY_MORNING_CHICAGO = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)

__all__ = [
    "BOT_TOKEN",
    "CRITICAL",
    "IMPACT",
    "REPORT",
    "SIGNING_SECRET",
    "STAFF_CHANNEL",
    "WEDNESDAY_MORNING_CHICAGO",
    "Clock",
    "SlackDriver",
    "button_labels",
    "confirm_report",
    "ephemeral_to",
    "last_post",
    "open_case",
    "sign",
    "staff_cards",
    "text_of",
]


def sign(body: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"x-slack-request-timestamp": [stamp], "x-slack-signature": [signature]}


class SlackDriver:
    """Builds Slack's real payload shapes, signs them and dispatches them through Bolt."""

    def __init__(self, app: App, fake: FakeSlack) -> None:
        self.app = app
        self.fake = fake
        self.counter = 0

    # ---- transport ----------------------------------------------------------------------

    def dispatch(self, body: str, *, content_type: str, headers: dict | None = None):
        all_headers = {"content-type": [content_type], **sign(body), **(headers or {})}
        started = time.monotonic()
        response: BoltResponse = self.app.dispatch(BoltRequest(body=body, headers=all_headers))
        response.elapsed = time.monotonic() - started  # type: ignore[attr-defined]
        return response

    def next_ts(self) -> str:
        self.counter += 1
        return f"{1763478000 + self.counter}.{self.counter:06d}"

    def envelope(self, event: dict[str, Any], *, event_id: str | None = None) -> str:
        self.counter += 1
        return json.dumps(
            {
                "token": "verification-token-unused",
                "team_id": TEAM_ID,
                "api_app_id": "A0SUPPORT",
                "event": event,
                "type": "event_callback",
                "event_id": event_id or f"Ev0{self.counter:08d}",
                "event_time": 1763478000 + self.counter,
                "authorizations": [
                    {
                        "enterprise_id": None,
                        "team_id": TEAM_ID,
                        "user_id": BOT_USER_ID,
                        "is_bot": True,
                        "is_enterprise_install": False,
                    }
                ],
                "is_ext_shared_channel": False,
                "event_context": "4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMFRFQU0ifQ",
            }
        )

    def send_event(
        self, event: dict[str, Any], *, event_id: str | None = None, headers: dict | None = None
    ) -> BoltResponse:
        return self.dispatch(
            self.envelope(event, event_id=event_id),
            content_type="application/json",
            headers=headers,
        )

    def interactive(self, payload: dict[str, Any]) -> BoltResponse:
        body = urlencode({"payload": json.dumps(payload)})
        return self.dispatch(body, content_type="application/x-www-form-urlencoded")

    # ---- events ---------------------------------------------------------------------------

    def dm(self, user: str, text: str, *, event_id: str | None = None, **extra: Any):
        ts = self.next_ts()
        event = {
            "type": "message",
            "client_msg_id": f"5c4a3b2a-0000-4000-8000-{self.counter:012d}",
            "text": text,
            "user": user,
            "ts": ts,
            "team": TEAM_ID,
            "channel": "D" + user[1:],
            "event_ts": ts,
            "channel_type": "im",
            **extra,
        }
        return self.send_event(event, event_id=event_id)

    def mention(self, user: str, channel: str, text: str, *, thread_ts: str | None = None):
        ts = self.next_ts()
        event = {
            "type": "app_mention",
            "client_msg_id": f"6d5c4b3a-0000-4000-8000-{self.counter:012d}",
            "text": f"<@{BOT_USER_ID}> {text}",
            "user": user,
            "ts": ts,
            "team": TEAM_ID,
            "channel": channel,
            "event_ts": ts,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.send_event(event), ts

    def channel_message(self, user: str, channel: str, text: str, *, thread_ts: str | None):
        ts = self.next_ts()
        event = {
            "type": "message",
            "text": text,
            "user": user,
            "ts": ts,
            "team": TEAM_ID,
            "channel": channel,
            "event_ts": ts,
            "channel_type": "channel",
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
            event["parent_user_id"] = BOT_USER_ID
        return self.send_event(event)

    def bot_message(self, channel: str, text: str):
        ts = self.next_ts()
        return self.send_event(
            {
                "type": "message",
                "subtype": "bot_message",
                "text": text,
                "ts": ts,
                "bot_id": "B0OTHERBOT",
                "channel": channel,
                "event_ts": ts,
                "channel_type": "im" if channel.startswith("D") else "channel",
            }
        )

    def home_opened(self, user: str):
        return self.send_event(
            {
                "type": "app_home_opened",
                "user": user,
                "channel": "D" + user[1:],
                "tab": "home",
                "event_ts": self.next_ts(),
            }
        )

    # ---- interactivity --------------------------------------------------------------------

    def command(self, user: str, text: str, *, channel: str = "C0GENERAL") -> BoltResponse:
        body = urlencode(
            {
                "token": "verification-token-unused",
                "team_id": TEAM_ID,
                "team_domain": "acme-support",
                "channel_id": channel,
                "channel_name": "general",
                "user_id": user,
                "user_name": user.lower(),
                "command": "/support",
                "text": text,
                "api_app_id": "A0SUPPORT",
                "is_enterprise_install": "false",
                "response_url": "https://hooks.slack.com/commands/T0TEAM/1/abc",
                "trigger_id": f"{self.counter}.1234.trigger",
            }
        )
        return self.dispatch(body, content_type="application/x-www-form-urlencoded")

    def shortcut(self, user: str, *, channel: str, message_text: str, author: str) -> BoltResponse:
        ts = self.next_ts()
        return self.interactive(
            {
                "type": "message_action",
                "token": "verification-token-unused",
                "action_ts": ts,
                "team": {"id": TEAM_ID, "domain": "acme-support"},
                "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
                "channel": {"id": channel, "name": "general"},
                "is_enterprise_install": False,
                "callback_id": "report_to_support",
                "trigger_id": f"{ts}.trigger",
                "response_url": "https://hooks.slack.com/app/T0TEAM/1/def",
                "message_ts": ts,
                "message": {
                    "type": "message",
                    "user": author,
                    "text": message_text,
                    "ts": ts,
                    "team": TEAM_ID,
                },
            }
        )

    def click(
        self,
        posted: Call,
        user: str,
        *,
        label: str | None = None,
        action_id: str | None = None,
        value: str | None = None,
    ) -> BoltResponse:
        """Press a button of a message the app posted (found in the fake's recorded call)."""
        element, block_id = self._find_element(posted, label=label, action_id=action_id)
        action = {
            "type": element["type"],
            "action_id": element["action_id"],
            "block_id": block_id,
            "action_ts": self.next_ts(),
        }
        if element["type"] == "button":
            action["text"] = element["text"]
            action["value"] = value if value is not None else element.get("value", "")
        else:
            option = next(o for o in element["options"] if o["value"] == value)
            action["selected_option"] = option
        channel = posted.response.get("channel") or posted["channel"]
        container = {
            "type": "message",
            "message_ts": posted.response["ts"],
            "channel_id": channel,
            "is_ephemeral": False,
        }
        if posted.get("thread_ts"):
            container["thread_ts"] = posted["thread_ts"]
        message = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "text": posted.get("text", ""),
            "ts": posted.response["ts"],
            "blocks": posted.get("blocks") or [],
        }
        if posted.get("thread_ts"):
            message["thread_ts"] = posted["thread_ts"]
        return self.interactive(
            {
                "type": "block_actions",
                "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
                "api_app_id": "A0SUPPORT",
                "token": "verification-token-unused",
                "container": container,
                "trigger_id": f"{self.next_ts()}.trigger",
                "team": {"id": TEAM_ID, "domain": "acme-support"},
                "is_enterprise_install": False,
                "channel": {"id": channel, "name": "channel"},
                "message": message,
                "state": {"values": {}},
                "response_url": "https://hooks.slack.com/actions/T0TEAM/1/ghi",
                "actions": [action],
            }
        )

    def press_in_home(
        self, published: Call, user: str, *, label: str, value: str | None = None
    ) -> BoltResponse:
        """Press a button of an App Home view the app published (a views.publish call): the
        first with this label, and this value when given (e.g. the case a Take is for)."""
        view = published["view"]
        for block in view.get("blocks") or []:
            if block["type"] != "actions":
                continue
            for element in block.get("elements") or []:
                if element.get("text", {}).get("text") != label:
                    continue
                if value is not None and element.get("value") != value:
                    continue
                action = {
                    "type": "button",
                    "action_id": element["action_id"],
                    "block_id": block.get("block_id", "b"),
                    "text": element["text"],
                    "value": element.get("value", ""),
                    "action_ts": self.next_ts(),
                }
                return self.interactive(
                    {
                        "type": "block_actions",
                        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
                        "api_app_id": "A0SUPPORT",
                        "token": "verification-token-unused",
                        "container": {"type": "view", "view_id": published.response["view"]["id"]},
                        "trigger_id": f"{self.next_ts()}.trigger",
                        "team": {"id": TEAM_ID, "domain": "acme-support"},
                        "is_enterprise_install": False,
                        "view": {"id": published.response["view"]["id"], "type": "home", **view},
                        "actions": [action],
                    }
                )
        raise AssertionError(f"no button {label!r} ({value}) in the view {view.get('blocks')}")

    @staticmethod
    def _find_element(posted: Call, *, label: str | None, action_id: str | None):
        for block in posted.get("blocks") or []:
            if block.get("type") != "actions":
                continue
            for element in block.get("elements") or []:
                text = (element.get("text") or {}).get("text")
                if (label and text == label) or (
                    action_id and element.get("action_id") == action_id
                ):
                    return element, block.get("block_id", "b")
        raise AssertionError(f"no element {label or action_id!r} in {posted.get('blocks')}")

    def submit(self, opened: Call, user: str, values: dict[str, str]) -> BoltResponse:
        """Submit a modal the app opened (views.open call) with these input values."""
        view = opened["view"]
        state: dict[str, Any] = {}
        for block in view["blocks"]:
            if block.get("type") != "input":
                continue
            element = block["element"]
            entered = values.get(block["block_id"])
            if element["type"] in ("static_select", "radio_buttons"):
                option = next((o for o in element["options"] if o["value"] == entered), None)
                state[block["block_id"]] = {
                    "value": {"type": element["type"], "selected_option": option}
                }
            else:
                state[block["block_id"]] = {"value": {"type": "plain_text_input", "value": entered}}
        return self.interactive(
            {
                "type": "view_submission",
                "team": {"id": TEAM_ID, "domain": "acme-support"},
                "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
                "api_app_id": "A0SUPPORT",
                "token": "verification-token-unused",
                "trigger_id": f"{self.next_ts()}.trigger",
                "view": {
                    **view,
                    "id": opened.response["view"]["id"],
                    "team_id": TEAM_ID,
                    "state": {"values": state},
                    "hash": "1763478000.abc",
                },
                "response_urls": [],
                "is_enterprise_install": False,
            }
        )

    # ---- reading what was posted ----------------------------------------------------------

    def posted(self, predicate=lambda c: True, *, count: int = 1, timeout: float = 15.0):
        return self.fake.wait_for("chat.postMessage", predicate, count=count, timeout=timeout)

    def posted_to(self, channel: str, *, containing: str = "", count: int = 1, timeout=15.0):
        return self.posted(
            lambda c: c.get("channel") == channel and containing in str(c.get("text", "")),
            count=count,
            timeout=timeout,
        )


def text_of(call: Call) -> str:
    return (
        str(call.get("text", "")) + " " + json.dumps(call.get("blocks") or [], ensure_ascii=False)
    )


REPORT = (
    "The wallboard shows wrong numbers for queue stats, we can read them from the report instead"
)
IMPACT = "Our 40 supervisors can't trust the live numbers so they check reports every hour"
CRITICAL = "Our whole contact center is down, no agent can take any call and there is no workaround"


def last_post(slack: SlackDriver, *, channel: str, containing: str, timeout: float = 15.0) -> Call:
    found = slack.posted(
        lambda c: c.get("channel") == channel and containing in text_of(c), timeout=timeout
    )
    assert found, f"nothing containing {containing!r} was posted to {channel}: " + repr(
        [str(c.get("text"))[:120] for c in slack.fake.calls_to("chat.postMessage")]
    )
    return found[-1]


def staff_cards(fake: FakeSlack, number: str) -> list[Call]:
    """The staff cards Slack accepted for a case (exactly one is the promise)."""
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if c.get("channel") == STAFF_CHANNEL
        and f"New case {number}" in text_of(c)
        and c.response.get("ok")
    ]


def ephemeral_to(fake: FakeSlack, user: str, containing: str) -> Call:
    """The private answer `user` got (chat.postEphemeral), e.g. a refusal."""
    found = fake.wait_for(
        "chat.postEphemeral", lambda c: c["user"] == user and containing in text_of(c)
    )
    assert found, [text_of(c) for c in fake.calls_to("chat.postEphemeral")]
    return found[-1]


def button_labels(call: Call) -> list[str]:
    """The buttons of a posted or updated message, in order, across its actions blocks."""
    return [
        e["text"]["text"]
        for b in call.get("blocks") or []
        if b["type"] == "actions"
        for e in b["elements"]
        if e["type"] == "button"
    ]


def confirm_report(slack: SlackDriver, *, user: str = "U01AAA") -> str:
    """A designated contact reports by DM and confirms; returns the number they were told."""
    dm = "D" + user[1:]
    slack.dm(user, REPORT)
    last_post(slack, channel=dm, containing="business impact")
    slack.dm(user, IMPACT)
    last_post(slack, channel=dm, containing="Anything support should know")
    slack.dm(user, "skip")
    question = last_post(slack, channel=dm, containing="Shall I use Severity 3")
    slack.click(question, user, label="Yes")
    summary = last_post(slack, channel=dm, containing="ready to open")
    slack.click(summary, user, label="Confirm")
    created = last_post(slack, channel=dm, containing="Opened CS-")
    return str(created.get("text")).split("Opened ", 1)[1].split(" ", 1)[0]


def open_case(slack: SlackDriver, *, user: str = "U01AAA") -> tuple[str, Call]:
    """A designated contact reports by DM and confirms; returns the case number and staff card."""
    number = confirm_report(slack, user=user)
    card = last_post(slack, channel=STAFF_CHANNEL, containing=f"New case {number}")
    deadline = time.monotonic() + 10  # the app records the card once Slack has answered
    while slack.app.flows.cards.card(number, "staff") is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return number, card
