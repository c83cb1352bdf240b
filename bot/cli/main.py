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
from bot.logs import FORMAT_ENV, FORMATS, PAYLOAD_LOGGERS, configure_logging, default_format

log = logging.getLogger(__name__)

__all__ = ["PAYLOAD_LOGGERS", "build_parser", "configure_logging", "main"]


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
        "message texts, and error messages (for debugging only)",
    )
    parser.add_argument(
        "--log-format",
        choices=FORMATS,
        default=default_format(),
        help=f"log lines as text or JSON lines (default: ${FORMAT_ENV}, else text)",
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
    if args.log_format not in FORMATS:  # argparse checks the option, not its default
        parser.error(f"{FORMAT_ENV} must be one of {', '.join(FORMATS)}, got {args.log_format!r}")
    configure_logging(verbose=args.verbose, payloads=args.log_payloads, fmt=args.log_format)
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
