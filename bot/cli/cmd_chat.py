"""`supportbot chat --as SLACK_ID`: talk to the assistant in the terminal."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from bot.cli.errors import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "chat",
        help="hold a conversation in the terminal as a given person",
        description=(
            "Chat with the assistant as SLACK_ID. Replies are marked: 'bot>' is what you see, "
            "'[staff #…]' what support staff receive, '[notify …]' whom else it informs. "
            "When stdin is not a terminal, each line is one message."
        ),
    )
    parser.add_argument("--as", dest="sender_id", required=True, metavar="SLACK_ID")
    parser.add_argument("--contacts", metavar="FILE", help="directory file (default: sample)")
    parser.add_argument(
        "--now", metavar="ISO8601", help="pin the clock, e.g. 2026-11-20T16:30:00-06:00"
    )
    parser.add_argument(
        "--conversation", metavar="KEY", help="resume a conversation (default: a new one)"
    )
    parser.add_argument("--data-dir", metavar="DIR", help="store directory (default: user data)")
    parser.set_defaults(handler=run)


def pinned_clock(value: str | None):  # type: ignore[no-untyped-def]
    if value is None:
        return lambda: datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--now must be an ISO 8601 time, got {value!r}") from None
    if moment.tzinfo is None:
        raise UsageError("--now needs a time zone offset, e.g. 2026-11-20T16:30:00-06:00")
    return lambda: moment


def run(args: argparse.Namespace) -> int:
    from bot.chat.terminal import TerminalChat
    from bot.engine import open_engine
    from bot.store.errors import StoreUnavailable

    clock = pinned_clock(args.now)
    interactive = sys.stdin.isatty()
    if interactive:
        print("Loading the assistant (the first start trains the NLU)…", file=sys.stderr)
    try:
        engine = open_engine(contacts=args.contacts, data_dir=args.data_dir, clock=clock)
    except StoreUnavailable as error:
        raise UsageError(f"cannot open the case store: {error}") from None
    except ValueError as error:  # DirectoryError: one line per problem in the file
        raise UsageError("; ".join(str(error).splitlines())) from None
    except Exception as error:  # e.g. the NLU model cannot be built: one line, no traceback
        print(f"supportbot chat: cannot start the assistant: {error}", file=sys.stderr)
        return 1
    person = engine.directory.person(args.sender_id)
    if person is None:
        raise UsageError(f"{args.sender_id} is not in the directory; try --as U01AAA")
    chat = TerminalChat(
        engine,
        sender_id=args.sender_id,
        clock=clock,
        out=sys.stdout,
        conversation_key=args.conversation,
    )
    if interactive:
        role = str(person.role).replace("_", " ").replace("designated", "designated contact,")
        print(f"Chatting as {person.name} ({role}). /help for commands, /quit to leave.")
        return chat.run(_prompted_lines(), echo=False)
    return chat.run(sys.stdin, echo=True)


def _prompted_lines():  # type: ignore[no-untyped-def]
    while True:
        try:
            yield input("you> ")
        except EOFError:
            print()
            return
