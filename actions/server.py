"""Serve the actions over Rasa's action-server protocol (POST /webhook), via rasa_sdk.endpoint.

A Rasa assistant configured with `action_endpoint: http://host:5055/webhook` calls the very
actions the built-in engine runs in-process. The store, directory and NLU are opened once
here and installed as the process's services.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor

import actions
from actions.runtime import Services, install

log = logging.getLogger(__name__)


class LazyNlu:
    """Loads the NLU model on first use, so the server starts fast."""

    def __init__(self, loader: Callable[[], Any]) -> None:
        self._loader = loader
        self._service: Any = None

    def _get(self) -> Any:
        if self._service is None:
            self._service = self._loader()
        return self._service

    def parse(self, text: str) -> Any:
        return self._get().parse(text)

    def answer(self, text: str) -> Any:
        return self._get().answer(text)


def install_services(*, contacts: Path | str | None, data_dir: Path | str | None) -> None:
    from bot.directory import load_directory
    from bot.store.factory import open_store

    def load_nlu() -> Any:
        from nlu.service import get_service

        return get_service()

    install(
        Services(
            store=open_store(data_dir=data_dir),
            directory=load_directory(contacts),
            nlu=LazyNlu(load_nlu),
            clock=lambda: datetime.now(UTC),
        )
    )


def build_app() -> Any:
    executor = ActionExecutor()
    executor.register_package(actions)
    return create_app(executor, cors_origins=[])


def serve(*, host: str, port: int) -> None:
    app = build_app()
    log.info("serving actions on http://%s:%d/webhook", host, port)
    app.run(host=host, port=port, single_process=True, access_log=False, motd=False)
