"""The services actions use (store, directory, NLU, clock), bound per run.

Actions are instantiated by rasa-sdk with no arguments, so they find their collaborators here.
The engine binds its own services around every action call (a context variable, so two
engines in one process never mix); `supportbot actions` installs process-wide defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from nlu.port import NluPort

if TYPE_CHECKING:  # the bot binds them; actions only use what the protocols promise
    from bot.directory.models import Directory
    from bot.store.base import Store


@dataclass(frozen=True)
class Services:
    store: Store
    directory: Directory
    nlu: NluPort
    clock: Callable[[], datetime]


_bound: ContextVar[Services | None] = ContextVar("supportbot_action_services", default=None)
_process_default: list[Services] = []


class ServicesNotConfigured(RuntimeError):
    """An action ran before any store/directory/NLU was bound or installed."""


def install(services: Services) -> None:
    """Make `services` the default for this process (used by the action server)."""
    _process_default[:] = [services]


@contextmanager
def bound(services: Services) -> Iterator[Services]:
    """Bind `services` for the actions run inside the block."""
    token = _bound.set(services)
    try:
        yield services
    finally:
        _bound.reset(token)


def current() -> Services:
    services = _bound.get() or (_process_default[0] if _process_default else None)
    if services is None:
        raise ServicesNotConfigured("no services bound: run actions through the engine or server")
    return services
