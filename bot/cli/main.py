"""Entry point of the `supportbot` command.

Subcommands are discovered from the `bot.cli.cmd_*` modules so that each one stays small and
owns its arguments. A module exposes `register(subparsers)`, which adds a parser whose default
`handler` takes the parsed arguments and returns an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

import bot.cli
from bot.cli.errors import UsageError

log = logging.getLogger(__name__)


# Libraries that log whole requests (message texts, payloads) at DEBUG.
PAYLOAD_LOGGERS = ("slack_bolt", "slack_sdk", "urllib3", "redis", "websocket", "aiohttp")


def configure_logging(*, verbose: bool, payloads: bool) -> None:
    """-v shows our own debug lines; the libraries' request dumps only with --log-payloads."""
    level = logging.DEBUG if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)  # also when something configured logging before us
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
    if verbose and not payloads:
        for name in PAYLOAD_LOGGERS:
            logging.getLogger(name).setLevel(logging.INFO)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="supportbot",
        description="Support-intake assistant for Slack.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    parser.add_argument(
        "--log-payloads",
        action="store_true",
        help="with -v, also log the Slack and Redis libraries' request details, which hold "
        "message texts (for debugging only)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(bot.cli.__path__), key=lambda m: m.name):
        if module_info.name.startswith("cmd_"):
            module = importlib.import_module(f"bot.cli.{module_info.name}")
            module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(verbose=args.verbose, payloads=args.log_payloads)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except UsageError as error:
        print(f"supportbot {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
