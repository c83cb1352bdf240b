"""Serve the actions over Rasa's action-server protocol (POST /webhook), via rasa_sdk.endpoint.

A Rasa assistant configured with `action_endpoint: http://host:5055/webhook` calls the very
actions the built-in engine runs in-process. `supportbot actions` (bot/cli/cmd_actions.py)
opens the store, directory and NLU once and installs them as the process's services.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor

import actions

log = logging.getLogger(__name__)


def build_app() -> Any:
    executor = ActionExecutor()
    executor.register_package(actions)
    return create_app(executor, cors_origins=[])


def serve(*, host: str, port: int) -> None:
    app = build_app()
    log.info("serving actions on http://%s:%d/webhook", host, port)
    app.run(host=host, port=port, single_process=True, access_log=False, motd=False)
