"""The narrow view of the engine that the staff and timer desks work through.

The desks need the store, the directory, the clock, the zone a case is shown in and a way to
add messages to a requester's conversation; nothing else. `Engine` provides this, and the
desks import only this protocol, so the engine and its desks do not import each other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from actions.runtime import Services
from bot.directory.models import Directory
from bot.messages import Outbound
from bot.store.base import Store


class DeskPort(Protocol):
    store: Store
    directory: Directory
    clock: Callable[[], datetime]

    @property
    def services(self) -> Services: ...

    def case_zone(self, case: Any) -> ZoneInfo: ...

    def append_bot_messages(self, conversation_key: str, messages: list[Outbound]) -> None: ...
