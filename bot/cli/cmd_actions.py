"""`supportbot actions`: serve actions/ through the rasa-sdk action server."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.cli.errors import UsageError

DEFAULT_PORT = 5055


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "actions",
        help="serve the custom actions for a Rasa assistant (POST /webhook)",
        description="Serve actions/ over Rasa's action-server protocol via rasa_sdk.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default: loopback)")
    parser.add_argument("--contacts", metavar="FILE", help="directory file (default: sample)")
    parser.add_argument("--data-dir", metavar="DIR", help="store directory (default: user data)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from actions.server import serve
    from bot.store.errors import StoreUnavailable

    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be 1-65535, got {args.port}")
    try:
        install_services(contacts=args.contacts, data_dir=args.data_dir)
    except StoreUnavailable as error:
        raise UsageError(f"cannot open the case store: {error}") from None
    try:
        serve(host=args.host, port=args.port)
    except OSError as error:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {error.strerror}") from None
    return 0


class LazyNlu:
    """Loads the NLU model on first use, so the server starts fast."""

    def __init__(self, loader: Callable[[], Any]) -> None:
        self._loader = loader
        self._service: Any = None

    def _get(self) -> Any:
        if self._service is None:
            self._service = self._loader()
        return self._service

    def parse(self, text: str, **options: Any) -> Any:
        return self._get().parse(text, **options)  # e.g. answers=... from the questions form

    def answer(self, text: str) -> Any:
        return self._get().answer(text)


def install_services(*, contacts: Path | str | None, data_dir: Path | str | None) -> None:
    """The process's store, directory and (lazily loaded) NLU for the served actions."""
    from actions.runtime import Services, install
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
