"""Rasa bot responses (from actions and domain responses) as transport-neutral Outbounds."""

from __future__ import annotations

from typing import Any

from bot.kinds import Kind, known_kind
from bot.messages import Audience, Button, Outbound


def to_outbound(response: dict[str, Any], *, default_kind: str = Kind.TEXT) -> Outbound:
    """The response as an Outbound; ValueError when its kind is not in `bot.kinds`.

    Actions name kinds as plain strings (they can't import the table), so an action's typo
    is caught here rather than reaching adapters as a kind none of them recognizes.
    """
    custom = response.get("custom") or {}
    if not isinstance(custom, dict):
        custom = {}
    try:
        audience = Audience(custom.get("audience") or Audience.REQUESTER)
    except ValueError:
        audience = Audience.REQUESTER
    buttons = tuple(
        Button(
            action_id=str(b.get("action_id") or b.get("payload") or "button"),
            label=str(b.get("title") or ""),
            value=str(b.get("payload") or ""),
        )
        for b in response.get("buttons") or []
    )
    kind = str(custom.get("kind") or default_kind)
    known_kind(kind)
    return Outbound(
        audience=audience,
        text=str(response.get("text") or ""),
        kind=kind,
        recipients=tuple(str(r) for r in custom.get("recipients") or ()),
        case_number=custom.get("case_number"),
        buttons=buttons,
        data=dict(custom.get("data") or {}),
    )


def bot_event(response: dict[str, Any], *, timestamp: float) -> dict[str, Any]:
    """The Rasa `bot` event recording one response in the tracker."""
    return {
        "event": "bot",
        "timestamp": timestamp,
        "text": response.get("text"),
        "data": {
            "buttons": response.get("buttons") or None,
            "custom": response.get("custom"),
        },
        "metadata": {"utter_action": response.get("response")},
    }
