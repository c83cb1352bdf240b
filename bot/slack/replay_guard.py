"""Interactive requests and slash commands are applied once: a replay changes nothing.

Bolt accepts a correctly signed request for five minutes, so the same body can arrive again
(someone replaying it, a proxy retrying, a Socket Mode redelivery). Each user interaction
carries IDs Slack mints once: `trigger_id` on commands, shortcuts and button presses, plus
the action's `action_ts`; a submitted view's `id` and `hash`. The first request with a given
key is processed; a repeat gets a plain 200 and nothing happens. Without those IDs the
payload's hash stands in.

View submissions are checked by their listener after validation (`first_submission`), not
by the middleware: a submission refused with field errors is not recorded, so the corrected
resubmission is applied and a replay of the refused one gets the same errors. Answers to the
engine's questions are left to the engine, which records each press once in its turn.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse

from bot.slack import interactive as ix
from bot.store.base import Store
from bot.store.errors import StoreError

log = logging.getLogger(__name__)

# Bolt refuses signatures older than 5 minutes; an hour covers clock skew and redeliveries.
REPLAY_TTL_SECONDS = 3600.0
INTERACTIVE_KINDS = frozenset({"block_actions", "view_submission", "shortcut", "message_action"})


def as_dict(value: object) -> dict[str, Any]:
    """A payload part as a dict, {} when a (signed but odd) payload has something else."""
    return value if isinstance(value, dict) else {}


def first_action(body: dict[str, Any]) -> dict[str, Any]:
    """The pressed element of a block_actions payload ({} when there is none)."""
    actions = body.get("actions")
    return as_dict(actions[0]) if isinstance(actions, list) and actions else {}


def _kind(body: dict[str, Any]) -> str | None:
    if body.get("type") in INTERACTIVE_KINDS:
        return str(body["type"])
    if body.get("command"):
        return "command"
    return None  # Events API callbacks (event_dedup_middleware), url_verification, others


def _unique_ids(kind: str, body: dict[str, Any]) -> list[str]:
    """Slack's once-per-interaction IDs for this payload; empty when one is missing."""
    trigger = str(body.get("trigger_id") or "")
    if kind == "block_actions":
        ids = [trigger, str(first_action(body).get("action_ts") or "")]
    elif kind == "view_submission":
        view = as_dict(body.get("view"))
        ids = [str(view.get("id") or ""), str(view.get("hash") or "")]
        if trigger:
            ids.append(trigger)
    elif kind == "command":
        ids = [str(body.get("user_id") or ""), trigger]
    else:
        ids = [trigger]
    return ids if all(ids) else []


def _engine_deduplicates(body: dict[str, Any]) -> bool:
    """An answer to the engine's question: its turn records the press's own once-only id
    (`payloads.action_event_id`) in its first store step, so a replay is dropped there and
    checking here too would cost a store write on the ack path."""
    action = first_action(body)
    action_id = str(action.get("action_id") or "")
    return bool(action.get("action_ts")) and (
        action_id.startswith(ix.ENGINE_ACTION_PREFIX) or action_id == ix.SEVERITY_SELECT
    )


def replay_key(body: dict[str, Any]) -> str | None:
    """The key a repeat of this request shares; None for requests this guard leaves alone."""
    kind = _kind(body)
    if kind is None or (kind == "block_actions" and _engine_deduplicates(body)):
        return None
    ids = _unique_ids(kind, body)
    if ids:
        return f"slack-{kind}:" + ":".join(ids)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return f"slack-{kind}:body:" + hashlib.sha256(canonical.encode()).hexdigest()


class ReplayGuard:
    def __init__(self, store: Store) -> None:
        self.store = store

    def first_time(self, key: str) -> bool:
        """True unless the store remembers the key; a down store lets the request through."""
        try:
            return bool(self.store.dedup.first_time(key, ttl_seconds=REPLAY_TTL_SECONDS))
        except StoreError:
            log.warning("dedup store unavailable; processing an interactive request anyway")
            return True

    def first_submission(self, body: dict[str, Any]) -> bool:
        """For a view listener once its input passed validation: False for a replay."""
        key = replay_key(body)
        if key is None or self.first_time(key):
            return True
        log.info("dropping a replayed view submission")
        return False

    def middleware(self) -> Callable[..., Any]:
        """Bolt middleware for commands, shortcuts and button presses (not view submissions)."""

        def guard(body: dict[str, Any], next: Callable[[], Any]) -> Any:
            key = replay_key(body) if body.get("type") != "view_submission" else None
            if key is not None and not self.first_time(key):
                log.info("dropping a replayed %s", key.split(":", 1)[0])
                return BoltResponse(status=200, body="")
            return next()

        return guard
