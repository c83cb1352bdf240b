"""`supportbot actions`: serve actions/ through the rasa-sdk action server."""

from __future__ import annotations

import argparse

from bot.cli.errors import UsageError

DEFAULT_PORT = 5055


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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
    from actions.server import install_services, serve
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
