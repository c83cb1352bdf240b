"""What every part of the Slack adapter shares: the engine, the store, Slack, and helpers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.directory.models import Directory
from bot.messages import Audience, Outbound
from bot.slack import blocks
from bot.slack.cards import CardIndex
from bot.slack.delivery import Delivery
from bot.slack.markup import plain_text
from bot.slack.outbox import OutboxCourier
from bot.slack.people import Gate, TimeZones
from bot.slack.places import Place
from bot.store.base import Store

log = logging.getLogger(__name__)


@dataclass
class SlackContext:
    engine: Any
    store: Store
    directory: Directory
    client: Any
    clock: Callable[[], datetime]
    gate: Gate = field(init=False)
    zones: TimeZones = field(init=False)
    cards: CardIndex = field(init=False)
    delivery: Delivery = field(init=False)
    courier: OutboxCourier = field(init=False)

    def __post_init__(self) -> None:
        self.gate = Gate(directory=self.directory)
        self.zones = TimeZones(directory=self.directory, client=self.client)
        self.cards = CardIndex(store=self.store)
        self.delivery = Delivery(
            client=self.client,
            store=self.store,
            directory=self.directory,
            cards=self.cards,
            zones=self.zones,
        )
        self.courier = OutboxCourier(store=self.store, delivery=self.delivery, clock=self.clock)
        self.delivery.on_owed = self.courier.settle


class SlackPart:
    """Base of the adapter's parts: the shared objects as attributes, and common helpers."""

    def __init__(self, context: SlackContext) -> None:
        self.context = context
        self.engine = context.engine
        self.store = context.store
        self.directory = context.directory
        self.client = context.client
        self.clock = context.clock
        self.gate = context.gate
        self.zones = context.zones
        self.cards = context.cards
        self.delivery = context.delivery
        self.courier = context.courier

    @property
    def staff_channel(self) -> str:
        return str(self.directory.staff_channel)

    def say_as_support(self, conversation_key: str, *, user_id: str, text: str) -> None:
        """A staff member's words in a requester's conversation, kept in its history too."""
        person = self.gate.person(user_id)
        name = person.name if person else "Support"
        message = Outbound(
            audience=Audience.REQUESTER, text=f"Support ({name}): {text}", kind="staff_reply"
        )
        self.delivery.post(Place.from_key(conversation_key), blocks.notice(message.text))
        self.engine.append_bot_messages(conversation_key, [message])

    def _container_place(self, body: dict[str, Any]) -> Place:
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or ""
        thread = container.get("thread_ts") or (body.get("message") or {}).get("thread_ts")
        return Place(str(channel), thread)

    def mark_answered(self, body: dict[str, Any], *, chooser_id: str, label: str) -> None:
        """Replace a question's buttons with who answered it, so it can't be pressed twice."""
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id") or body.get("container", {}).get(
            "channel_id"
        )
        if not message.get("ts") or not channel:
            return
        first = (message.get("blocks") or [{}])[0]
        posted = str((first.get("text") or {}).get("text", ""))  # our own mrkdwn
        shown = plain_text(posted, bot_user_id=None, directory=self.directory)
        try:
            self.client.chat_update(
                channel=channel,
                ts=message["ts"],
                **blocks.answered(shown, chooser_id=chooser_id, label=label),
            )
        except SlackApiError as error:
            log.info("could not mark a question answered: %s", error.response.get("error"))
