"""Transport-neutral messages between a chat surface (Slack, terminal) and the engine.

The engine never sees Slack payloads and never produces Slack markup: an adapter turns its
events into `Inbound` and renders each `Outbound` (escaping user text for mrkdwn on the way).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Audience(StrEnum):
    """Who an outbound message is for."""

    REQUESTER = "requester"  # the person in this conversation
    STAFF = "staff"  # the support staff channel
    NOTIFY = "notify"  # other people the assistant informs (e.g. designated contacts)


@dataclass(frozen=True)
class Button:
    """A choice offered to the reader; `value` is a Rasa payload such as "/affirm"."""

    action_id: str
    label: str
    value: str


@dataclass(frozen=True)
class SharedFile:
    """A file shared with a message, by reference (nothing is downloaded): its name, MIME
    type, size in bytes and where it lives (a Slack permalink, or a local path)."""

    name: str
    mimetype: str
    size: int
    permalink: str


@dataclass(frozen=True)
class Inbound:
    """One thing a person did: typed a message or pressed a button.

    `conversation_key` names the conversation ("D123" for a DM, "C123:1700000000.0001" for a
    thread). A button press carries `action` (the Button.action_id) and `action_value`
    (the Button.value); its `text` may be empty. `sender_tz` is the sender's IANA time zone
    as their chat service knows it (Slack's users.info `tz`); it decides due times and the
    phone line when the directory gives their organization none.
    """

    sender_id: str
    text: str
    conversation_key: str
    received_at: datetime
    channel: str = ""
    thread_ts: str | None = None
    event_id: str | None = None
    action: str | None = None
    action_value: str | None = None
    sender_tz: str | None = None
    files: tuple[SharedFile, ...] = ()


@dataclass(frozen=True)
class Outbound:
    """One message the engine wants delivered.

    `text` is plain text. Parts of it may come from user input, so an adapter must escape it
    for its markup. `data` holds the same facts in structured form for rich rendering.
    `kind` is one of `bot.kinds.Kind`, whose table says how adapters show it.
    """

    audience: Audience
    text: str
    kind: str = "text"
    recipients: tuple[str, ...] = ()
    case_number: str | None = None
    buttons: tuple[Button, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)


def outbound_to_dict(outbound: Outbound) -> dict[str, Any]:
    """Plain JSON for the store's outbox, read back by `outbound_from_dict`."""
    return {
        "audience": str(outbound.audience),
        "text": outbound.text,
        "kind": outbound.kind,
        "recipients": list(outbound.recipients),
        "case_number": outbound.case_number,
        "buttons": [
            {"action_id": b.action_id, "label": b.label, "value": b.value} for b in outbound.buttons
        ],
        "data": dict(outbound.data),
    }


def outbound_from_dict(data: dict[str, Any]) -> Outbound:
    return Outbound(
        audience=Audience(data["audience"]),
        text=str(data.get("text") or ""),
        kind=str(data.get("kind") or "text"),
        recipients=tuple(str(r) for r in data.get("recipients") or ()),
        case_number=data.get("case_number"),
        buttons=tuple(
            Button(action_id=b["action_id"], label=b["label"], value=b["value"])
            for b in data.get("buttons") or ()
        ),
        data=dict(data.get("data") or {}),
    )


def owed_item(outbound: Outbound) -> str | None:
    """The outbox item that carries this message, when a case change owes it."""
    item = outbound.data.get("outbox_id")
    return str(item) if item else None
