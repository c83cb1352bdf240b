"""The body checks HTTP mode runs before Bolt parses anything, and reading modal values."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from bot.slack.payloads import CHOOSE_ONE, UNREADABLE, staff_choice_errors, view_values
from bot.slack.request_checks import (
    MAX_NESTING,
    blank_non_string_text,
    body_problem,
    nesting_depth_exceeds,
)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
EVENT = json.dumps(
    {
        "type": "event_callback",
        "event": {"type": "message", "text": "hi", "blocks": [{"elements": [{"elements": []}]}]},
    }
)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_nesting_up_to_the_limit_passes_and_one_more_is_refused() -> None:
    assert nesting_depth_exceeds(nested(MAX_NESTING), MAX_NESTING) is False
    assert nesting_depth_exceeds(nested(MAX_NESTING + 1), MAX_NESTING) is True


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"text": '[[[[{{{{ \\" ]]' * 50, "quote": '"[[['})
    assert nesting_depth_exceeds(text, 2) is False


def test_100k_deep_nesting_is_found_quickly_without_recursion() -> None:
    started = time.monotonic()
    assert nesting_depth_exceeds(nested(100_000)) is True
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        ("", JSON, "empty body"),
        ("{not json", JSON, "not JSON"),
        ("[]", JSON, "not a JSON object"),
        ("null", JSON, "not a JSON object"),
        ("payload=%7Bbad", FORM, "not JSON"),
        ("payload=%5B%5D", FORM, "not a JSON object"),
        (nested(100_000), JSON, "nested too deeply"),
        ("payload=" + "%5B" * 100 + "%5D" * 100, FORM, "nested too deeply"),
        ('{"type": "event_callback", "event": null}', JSON, "event without a type"),
        ('{"type": "event_callback", "event": {"text": "hi"}}', JSON, "event without a type"),
        (
            '{"type": "block_actions", "user": {"id": "U1"}, "actions": []}',
            JSON,
            "block_actions without actions",
        ),
    ],
    ids=lambda value: str(value)[:20],
)
def test_bodies_bolt_cannot_read_are_named(body: str, content_type: str, reason: str) -> None:
    assert body_problem(body, content_type) == reason


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"type": "view_submission", "view": {"type": "modal", "callback_id": "x"}}, "user"),
        ({"type": "view_submission", "user": {"id": "U1"}, "view": None}, "view"),
        ({"type": "view_submission", "user": {"id": "U1"}, "view": {"type": "modal"}}, "view"),
        ({"type": "block_actions", "user": {"id": "U1"}, "actions": [None]}, "action"),
        ({"type": "shortcut", "user": {"id": "U1"}, "callback_id": 5}, "callback ID"),
    ],
)
def test_interactive_payloads_without_the_fields_bolt_indexes_are_refused(
    payload: dict[str, Any], reason: str
) -> None:
    problem = body_problem("payload=" + json.dumps(payload), FORM)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (EVENT, JSON),
        (
            "payload="
            + json.dumps(
                {"type": "block_actions", "user": {"id": "U1"}, "actions": [{"action_id": "a"}]}
            ),
            FORM,
        ),
        ("command=%2Fsupport&user_id=U01AAA&text=help", FORM),
        ("command=%2Fsupport&text=my+payload+is+slow", FORM),  # "payload" only in the text
    ],
)
def test_what_slack_sends_is_readable(body: str, content_type: str) -> None:
    assert body_problem(body, content_type) is None


def test_non_string_event_text_reads_as_empty_and_strings_are_kept() -> None:
    null_text: dict[str, Any] = {"type": "event_callback", "event": {"text": None}}
    blank_non_string_text(null_text)
    assert null_text["event"]["text"] == ""
    kept: dict[str, Any] = {"event": {"text": "hi"}}
    blank_non_string_text(kept)
    assert kept["event"]["text"] == "hi"


def select(option: Any) -> dict[str, Any]:
    return {"values": {"severity": {"value": {"type": "static_select", "selected_option": option}}}}


@pytest.mark.parametrize(
    ("state", "error"),
    [
        (None, CHOOSE_ONE),
        ("state", CHOOSE_ONE),
        ({"values": []}, CHOOSE_ONE),
        (select(None), CHOOSE_ONE),
        (select({}), UNREADABLE),
        ({"values": {"severity": 5}}, UNREADABLE),
        ({"values": {"severity": {"value": 5}}}, UNREADABLE),
        (select("1"), UNREADABLE),
        (select({"value": 1}), UNREADABLE),
        (
            {"values": {"severity": {"value": {"type": "plain_text_input", "value": ["1"]}}}},
            UNREADABLE,
        ),
    ],
    ids=repr,
)
def test_wrong_typed_modal_state_reads_as_no_value(state: Any, error: str) -> None:
    view = {"callback_id": "staff_severity", "state": state}
    assert view_values(view).get("severity", "") == ""  # never raises, never a stray value
    assert staff_choice_errors(view) == {"severity": error}


def test_a_number_where_text_belongs_is_a_form_error() -> None:
    state = {
        "values": {
            "severity": {"value": {"type": "static_select", "selected_option": {"value": "2"}}},
            "reason": {"value": {"type": "plain_text_input", "value": 42}},
        }
    }
    view = {"callback_id": "staff_severity", "state": state}
    assert view_values(view) == {"severity": "2"}
    assert staff_choice_errors(view) == {"reason": UNREADABLE}
