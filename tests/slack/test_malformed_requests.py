"""Malformed requests over HTTP mode (issue 12 item 6): each gets an answer at once and no
traceback; a signed body that can't be read is 400, an unsigned one 401, and a modal value
of the wrong type is a form error that changes nothing."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.slack.payloads import CHOOSE_ONE, UNREADABLE
from tests.slack.conftest import REPORT, last_post, open_case, text_of
from tests.slack.fake_slack.server import TEAM_ID, Call
from tests.slack.test_http_mode import request, server, signed_headers
from tests.slack.test_staff_card_verbs import opened_modal

__all__ = ["server"]  # the fixture, shared with test_http_mode

EVENTS = "/slack/events"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
UNREADABLE_BODY = '{"error": "unreadable body"}'
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture(autouse=True)
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Everything, DEBUG included: the listeners attach tracebacks only at DEBUG."""
    caplog.set_level(logging.DEBUG)
    return caplog


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Records at ERROR or carrying a traceback: none of these requests may log one."""
    return [
        f"{r.name}: {r.getMessage()[:200]}"
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.exc_info
    ]


def post(server: Any, body: str, headers: dict[str, str]) -> tuple[int, str]:
    return request(server, "POST", EVENTS, body, headers)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ("[]", "application/json"),
        ("null", "application/json"),
        ("payload=%7Bbad", "application/x-www-form-urlencoded"),
    ],
)
def test_a_signed_body_that_cannot_be_read_is_400(server, logs, body, content_type) -> None:  # type: ignore[no-untyped-def]
    headers = signed_headers(body, **{"Content-Type": content_type})
    assert post(server, body, headers) == (400, UNREADABLE_BODY)
    assert tracebacks(logs) == []


def test_the_refusal_is_logged_without_the_body(server, logs) -> None:  # type: ignore[no-untyped-def]
    body = '{"token": "xoxb-not-for-logs", broken'
    assert post(server, body, signed_headers(body))[0] == 400
    refusals = [
        r for r in logs.records if r.name == "bot.slack.http_server" and r.levelno >= logging.INFO
    ]
    assert [r.levelname for r in refusals] == ["WARNING"]
    assert "xoxb-not-for-logs" not in logs.text


def test_unsigned_garbage_is_401(server, logs) -> None:  # type: ignore[no-untyped-def]
    status = post(server, "{garbage", {"Content-Type": "application/json"})
    assert status == (401, '{"error": "invalid request"}')
    assert tracebacks(logs) == []


def test_a_timestamp_that_is_not_a_number_is_401(server, logs) -> None:  # type: ignore[no-untyped-def]
    body = '{"type": "event_callback"}'
    headers = {**signed_headers(body), "x-slack-request-timestamp": "soon"}
    assert post(server, body, headers)[0] == 401
    assert tracebacks(logs) == []


def test_100k_deep_nesting_unsigned_is_401_at_once(server, logs) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    assert post(server, DEEP, {"Content-Type": "application/json"})[0] == 401
    assert time.monotonic() - started < 2.0
    assert tracebacks(logs) == []


def test_100k_deep_nesting_signed_is_400_at_once(server, logs) -> None:  # type: ignore[no-untyped-def]
    body = '{"type": "event_callback", "event": ' + DEEP + "}"
    started = time.monotonic()
    assert post(server, body, signed_headers(body)) == (400, UNREADABLE_BODY)
    assert time.monotonic() - started < 2.0
    assert tracebacks(logs) == []


def test_an_event_that_is_not_an_object_is_400(server, slack, logs) -> None:  # type: ignore[no-untyped-def]
    body = json.loads(slack.envelope({"type": "message"}))
    body["event"] = None
    text = json.dumps(body)
    assert post(server, text, signed_headers(text)) == (400, UNREADABLE_BODY)
    assert tracebacks(logs) == []


def test_null_message_text_reads_as_empty_and_the_next_message_is_answered(
    server, slack, logs
) -> None:  # type: ignore[no-untyped-def]
    def dm(text: str | None) -> int:
        ts = slack.next_ts()
        event = {
            "type": "message",
            "channel": "D01AAA",
            "channel_type": "im",
            "user": "U01AAA",
            "text": text,
            "ts": ts,
            "event_ts": ts,
        }
        body = slack.envelope(event)
        return post(server, body, signed_headers(body))[0]

    assert dm(None) == 200
    assert last_post(slack, channel="D01AAA", containing="didn't get any text")
    assert dm(REPORT) == 200
    assert last_post(slack, channel="D01AAA", containing="suggest Severity 3")
    assert tracebacks(logs) == []


def test_a_body_shorter_than_its_length_is_dropped_within_5_s_and_others_are_served(
    server,
) -> None:  # type: ignore[no-untyped-def]
    answer: dict[str, Any] = {}

    def stall() -> None:
        with socket.create_connection(("127.0.0.1", server.port), timeout=20) as raw:
            raw.sendall(
                b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b'Content-Length: 500\r\n\r\n{"type": '
            )
            started = time.monotonic()
            answer["reply"] = raw.recv(200)
            answer["seconds"] = time.monotonic() - started

    staller = threading.Thread(target=stall)
    staller.start()
    time.sleep(0.3)  # the stalled request is now waiting for its body
    started = time.monotonic()
    assert request(server, "GET", "/healthz")[0] == 200
    assert time.monotonic() - started < 1.0
    staller.join(timeout=15)
    assert answer["reply"].startswith(b"HTTP/1.1 408 ")
    assert answer["seconds"] < 6.0


# ---- staff choice modals ------------------------------------------------------------------


def submit_state(server: Any, opened: Call, user: str, state: Any) -> tuple[int, str]:
    """Submit a modal the app opened, over HTTP, with this `view.state` (absent when None)."""
    view = {**opened["view"], "id": opened.response["view"]["id"], "team_id": TEAM_ID}
    if state is not None:
        view["state"] = state
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "acme-support"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0SUPPORT",
        "token": "verification-token-unused",
        "trigger_id": f"{time.time()}.trigger",
        "view": view,
        "response_urls": [],
        "is_enterprise_install": False,
    }
    body = urlencode({"payload": json.dumps(payload)})
    return post(server, body, signed_headers(body, **FORM))


def severity(element: Any) -> dict[str, Any]:
    return {"values": {"severity": {"value": element}}}


def option(value: Any) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"text": "x", "value": value}}


@pytest.mark.parametrize(
    ("button", "state", "errors"),
    [
        ("Change severity", None, {"severity": CHOOSE_ONE}),  # no view.state at all
        ("Change severity", severity(option("9")), {"severity": CHOOSE_ONE}),
        ("Change severity", severity(option(["1"])), {"severity": UNREADABLE}),
        ("Change severity", severity(option(1)), {"severity": UNREADABLE}),
        (
            "Change severity",
            severity({"type": "static_select", "selected_option": "1"}),
            {"severity": UNREADABLE},
        ),
        ("Change severity", severity(7), {"severity": UNREADABLE}),
        (
            "Change severity",
            {
                "values": {
                    **severity(option("1"))["values"],
                    "reason": {"value": {"type": "plain_text_input", "value": 42}},
                }
            },
            {"reason": UNREADABLE},
        ),
        (
            "Change priority",
            {"values": {"priority": {"value": option("urgent")}}},
            {"priority": CHOOSE_ONE},
        ),
        ("Restored", {"values": []}, {"scope": CHOOSE_ONE}),
    ],
    ids=[
        "no-state",
        "severity-9",
        "severity-list",
        "severity-number",
        "option-a-string",
        "element-a-number",
        "reason-a-number",
        "unknown-priority",
        "values-a-list",
    ],
)
def test_a_malformed_staff_choice_gets_a_form_error_and_changes_nothing(  # type: ignore[no-untyped-def]
    server, slack, fake_slack, store, logs, button, state, errors
) -> None:
    number, card = open_case(slack)
    before = store.cases.get_case(number)
    slack.click(card, "U0STAFF1", label=button)
    modal = opened_modal(fake_slack)

    status, body = submit_state(server, modal, "U0STAFF1", state)

    assert status == 200
    assert json.loads(body) == {"response_action": "errors", "errors": errors}
    time.sleep(0.5)  # anything the submission had queued would have run by now
    after = store.cases.get_case(number)
    assert (after.version, after.severity, after.priority, after.restored_at) == (
        before.version,
        before.severity,
        before.priority,
        before.restored_at,
    )
    assert not fake_slack.wait_for(
        "chat.postMessage", lambda c: "changed the" in text_of(c), timeout=0.5
    )
    assert tracebacks(logs) == []


def test_a_well_formed_staff_choice_over_http_still_acts(server, slack, fake_slack, store) -> None:  # type: ignore[no-untyped-def]
    number, card = open_case(slack)
    slack.click(card, "U0STAFF1", label="Change severity")
    modal = opened_modal(fake_slack)
    state = severity(option("2"))

    assert submit_state(server, modal, "U0STAFF1", state) == (200, "")

    assert last_post(slack, channel="D01AAA", containing="changed the severity")
    assert store.cases.get_case(number).severity == 2
