"""What a button carries: the engine's payload plus who may press it and for which conversation.

Slack returns a button's `value` untouched, so the value holds the context the press needs:
the Rasa payload, the conversation it belongs to, the person it was offered to and the
policy action it stands for. The press is still checked against the directory; the value
only says what is being attempted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

ENGINE_ACTION_PREFIX = "sb:"
SEVERITY_SELECT = "sb_severity"
STAFF_TAKE = "staff_take"
STAFF_REQUEST_INFO = "staff_request_info"
STAFF_PROPOSE = "staff_propose_resolution"
STAFF_SEVERITY = "staff_change_severity"
STAFF_PRIORITY = "staff_change_priority"
STAFF_RESTORED = "staff_restored"
STAFF_RCA = "staff_deliver_rca"
STAFF_SUMMARY = "staff_deliver_summary"
STAFF_CLOSE = "staff_close"
STAFF_REOPEN = "staff_reopen"
STAFF_JOIN = "staff_join"
# The case card's buttons; each carries the case number as its value.
STAFF_ACTIONS = (
    STAFF_TAKE,
    STAFF_REQUEST_INFO,
    STAFF_PROPOSE,
    STAFF_SEVERITY,
    STAFF_PRIORITY,
    STAFF_RESTORED,
    STAFF_RCA,
    STAFF_SUMMARY,
    STAFF_CLOSE,
    STAFF_REOPEN,
)
# A requester's waiting priority request; the value names the case and the level asked for.
STAFF_APPROVE_PRIORITY = "staff_approve_priority"
STAFF_DECLINE_PRIORITY = "staff_decline_priority"
PRIORITY_REQUEST_ACTIONS = (STAFF_APPROVE_PRIORITY, STAFF_DECLINE_PRIORITY)
OPEN_REPORT_MODAL = "open_report_modal"

REPORT_MODAL = "case_details"
STAFF_TEXT_MODAL = "staff_text"
STAFF_SEVERITY_MODAL = "staff_severity"
STAFF_PRIORITY_MODAL = "staff_priority"
STAFF_RESTORATION_MODAL = "staff_restoration"
STAFF_CHOICE_MODALS = (STAFF_SEVERITY_MODAL, STAFF_PRIORITY_MODAL, STAFF_RESTORATION_MODAL)

MAX_VALUE_CHARS = 2000  # Slack's limit for a button value


@dataclass(frozen=True)
class Press:
    """A requester-side button: the engine payload and the context it was offered in."""

    action_id: str  # the engine's Button.action_id
    payload: str  # the engine's Button.value, e.g. "/affirm"
    conversation_key: str
    owner_id: str
    contact_action: str | None = None  # policy.contacts.ContactAction needed to press it

    def encode(self) -> str:
        value = json.dumps(
            {
                "a": self.action_id,
                "p": self.payload,
                "k": self.conversation_key,
                "o": self.owner_id,
                "c": self.contact_action,
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )
        if len(value) > MAX_VALUE_CHARS:
            raise ValueError("button value too long for Slack")
        return value

    @classmethod
    def decode(cls, value: str) -> Press | None:
        """None for anything that is not a well-formed value (forged or stale payloads)."""
        try:
            raw = json.loads(value)
        except (TypeError, json.JSONDecodeError):
            return None
        if not isinstance(raw, dict):
            return None
        fields = {k: raw.get(k) for k in ("a", "p", "k", "o")}
        texts = {k: v for k, v in fields.items() if isinstance(v, str) and v}
        if len(texts) != len(fields):
            return None
        contact = raw.get("c")
        return cls(
            action_id=texts["a"],
            payload=texts["p"],
            conversation_key=texts["k"],
            owner_id=texts["o"],
            contact_action=contact if isinstance(contact, str) else None,
        )


def block_context(*, owner_id: str, conversation_key: str) -> str:
    """An actions block's ID naming its conversation and owner (for selects, which have no
    per-option room for it)."""
    return "ctx:" + json.dumps({"k": conversation_key, "o": owner_id}, separators=(",", ":"))[:250]


def read_block_context(block_id: str) -> tuple[str, str] | None:
    if not isinstance(block_id, str) or not block_id.startswith("ctx:"):
        return None
    try:
        raw = json.loads(block_id[4:])
    except json.JSONDecodeError:
        return None
    key, owner = (raw.get("k"), raw.get("o")) if isinstance(raw, dict) else (None, None)
    if isinstance(key, str) and key and isinstance(owner, str) and owner:
        return key, owner
    return None


def priority_request_value(*, case_number: str, level: str) -> str:
    """An Approve/Decline button's value: the request as staff saw it, so a press acts only
    while that same request is still waiting."""
    return json.dumps({"case": case_number, "level": level}, separators=(",", ":"))


def read_priority_request(value: str) -> tuple[str, str] | None:
    """(case number, requested level), or None for a forged or malformed value."""
    try:
        raw = json.loads(value)
    except (TypeError, json.JSONDecodeError):
        return None
    number, level = (raw.get("case"), raw.get("level")) if isinstance(raw, dict) else (None, None)
    if isinstance(number, str) and number and isinstance(level, str) and level:
        return number, level
    return None


# The staff queue in App Home: its filters ("queue_filter:mine"), and each case's buttons
# (the value is the case number).
QUEUE_FILTER = "queue_filter"
QUEUE_TAKE = "queue_take"
QUEUE_OPEN = "queue_open"
QUEUE_CARD_LINK = "queue_card_link"  # a link button: Slack still sends a press, ignored
