"""Checks on a signed HTTP body before Bolt reads it, so a bad body gets a 400, not a traceback.

Bolt parses the body while building a `BoltRequest` and assumes Slack's shapes: a body that is
not a JSON object (`{not json`, `[]`, `null`, `payload=%7Bbad`) raises there, and one nested
deep enough raises RecursionError inside `json.loads`. These functions read the body the way
Bolt will (`slack_bolt.request.internals.parse_body`) and say what is wrong, without a
traceback and without repeating the body.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

# Slack's deepest payloads (rich-text blocks of a message inside an event, a modal's state)
# nest about 15 levels; 64 leaves room for growth and keeps json.loads far below Python's
# recursion limit (about 1,000), where a 100k-deep body would raise RecursionError.
MAX_NESTING = 64

# A JSON string, escapes included (the unrolled form runs in linear time).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
INTERACTIVE_TYPES = frozenset(
    {"block_actions", "view_submission", "view_closed", "shortcut", "message_action"}
)


def nesting_depth_exceeds(text: str, limit: int = MAX_NESTING) -> bool:
    """True when arrays and objects nest deeper than `limit`, counted outside strings in one
    pass (never recursing), so the check itself cannot fail on a hostile body."""
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > limit:
            return True
    return False


def _object_problem(text: str) -> str | None:
    """Why `text` is not one JSON object, or None when it is."""
    if nesting_depth_exceeds(text):
        return "nested too deeply"
    try:
        parsed = json.loads(text)
    except ValueError:  # JSONDecodeError
        return "not JSON"
    if not isinstance(parsed, dict):
        return "not a JSON object"
    return _shape_problem(parsed)


def _has_text(value: Any, *keys: str) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(k), str) for k in keys)


def _shape_problem(payload: dict[str, Any]) -> str | None:
    """The fields Bolt's routing (and the listeners) index without a check, by payload type.

    Slack always sends them; without them Bolt's middleware raises and answers 500 with a
    logged traceback, so a signed payload missing one is refused here instead.
    """
    kind = payload.get("type")
    if kind == "event_callback":
        return None if _has_text(payload.get("event"), "type") else "event without a type"
    if kind in INTERACTIVE_TYPES and not _has_text(payload.get("user"), "id"):
        return f"{kind} without a user"
    if kind in ("view_submission", "view_closed"):
        if not _has_text(payload.get("view"), "type", "callback_id"):
            return f"{kind} without a view type and callback ID"
    elif kind == "block_actions":
        actions = payload.get("actions")
        if not isinstance(actions, list) or not actions:
            return "block_actions without actions"
        if not all(_has_text(action, "action_id") for action in actions):
            return "block_actions with an action without an ID"
    elif kind in ("shortcut", "message_action") and not isinstance(payload.get("callback_id"), str):
        return f"{kind} without a callback ID"
    return None


def body_problem(body: str, content_type: str | None) -> str | None:
    """Why Bolt could not read this body (a few words for the log), or None when it can.

    Bolt's own rules decide what is JSON: an `application/json` body, or any body starting
    with "{", must be a JSON object (events); a form body's `payload` field must be one too
    (interactivity); a form body without `payload` is a slash command, read as its fields.
    """
    if not body:
        return "empty body"
    if content_type == "application/json" or body.startswith("{"):
        return _object_problem(body)
    if "payload" in body:
        fields = dict(parse_qsl(body, keep_blank_values=True))
        if "payload" in fields:
            return _object_problem(fields["payload"])
    return None


def blank_non_string_text(payload: dict[str, Any]) -> None:
    """An event whose `text` is not a string (null, a number) reads as an empty message,
    not as the word "None"; the listeners then answer it like any empty message."""
    event = payload.get("event")
    if isinstance(event, dict) and "text" in event and not isinstance(event["text"], str):
        event["text"] = ""
