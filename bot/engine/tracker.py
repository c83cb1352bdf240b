"""A conversation's state, derived from its Rasa events (the only thing that is stored).

Slots, the active form and the latest message are replayed from the event list, exactly as a
Rasa tracker does, so a conversation survives restarts and can be inspected as plain JSON.
"""

from __future__ import annotations

import copy
from typing import Any

from bot.engine.domain import Domain

MAX_STORED_EVENTS = 400
EVENTS_SENT_TO_ACTIONS = 120


class DialogueState:
    """Events of one conversation plus the values replayed from them."""

    def __init__(self, *, sender_id: str, domain: Domain, events: list[dict[str, Any]]) -> None:
        self.sender_id = sender_id
        self.domain = domain
        self.events: list[dict[str, Any]] = []
        self.new_events: list[dict[str, Any]] = []
        self.slots: dict[str, Any] = domain.initial_slots()
        self.active_loop: str | None = None
        self.latest_message: dict[str, Any] = {}
        self.latest_action_name: str | None = None
        self.followup_action: str | None = None
        for event in events:
            self._apply(event)
            self.events.append(event)
        self.followup_action = None  # a stored follow-up was consumed in its own turn

    def add(self, event: dict[str, Any]) -> None:
        """Record a new event and update the replayed values."""
        self._apply(event)
        self.events.append(event)
        self.new_events.append(event)

    def add_all(self, events: list[dict[str, Any]]) -> None:
        for event in events:
            self.add(event)

    def slot(self, name: str) -> Any:
        return self.slots.get(name)

    def _apply(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "slot":
            self.slots[event["name"]] = event.get("value")
        elif kind == "reset_slots" or kind == "restart":
            self.slots = self.domain.initial_slots()
            self.active_loop = None
        elif kind == "active_loop":
            self.active_loop = event.get("name")
            if self.active_loop is None:
                self.slots["requested_slot"] = None
        elif kind == "user":
            self.latest_message = dict(event.get("parse_data") or {})
            self.latest_message.setdefault("text", event.get("text"))
        elif kind == "action":
            self.latest_action_name = event.get("name")
        elif kind == "followup":
            self.followup_action = event.get("name")

    def take_followup(self) -> str | None:
        action, self.followup_action = self.followup_action, None
        return action

    def as_rasa_tracker(self) -> dict[str, Any]:
        """The tracker JSON a Rasa server sends to an action server.

        rasa-sdk writes to the tracker's slots and appends to its event list, but never changes
        an event in place; so the list is copied and the events are shared. Deep-copying every
        event for every action was a third of a turn's time.
        """
        return {
            "sender_id": self.sender_id,
            "slots": copy.deepcopy(self.slots),
            "latest_message": copy.deepcopy(self.latest_message),
            "events": self.events[-EVENTS_SENT_TO_ACTIONS:],
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": self.active_loop} if self.active_loop else {},
            "latest_action_name": self.latest_action_name,
        }

    def compacted_events(self) -> list[dict[str, Any]]:
        """Events to store: the recent ones, preceded by a snapshot of older slot values.

        Returns `self.events` itself while nothing needs compacting, so the caller can tell
        that storing `new_events` after the loaded ones is enough.
        """
        if len(self.events) <= MAX_STORED_EVENTS:
            return self.events
        recent = self.events[-MAX_STORED_EVENTS // 2 :]
        replay = DialogueState(sender_id=self.sender_id, domain=self.domain, events=[])
        for event in self.events[: -MAX_STORED_EVENTS // 2]:
            replay._apply(event)
        snapshot: list[dict[str, Any]] = [
            {"event": "slot", "name": name, "value": value}
            for name, value in replay.slots.items()
            if value is not None
        ]
        if replay.active_loop:
            snapshot.append({"event": "active_loop", "name": replay.active_loop})
        return snapshot + recent
