"""`supportbot chat --as SLACK_ID`: talk to the assistant in the terminal.

With `--now` the clock is pinned, so the timers fire as of that moment (reminders, closures
after a proposed resolution). Unless a data dir is named (`--data-dir` or SUPPORTBOT_DATA_DIR),
such a chat works on a throwaway copy of the case store, so trying a date in the future never
closes real cases. The NLU keeps reading the real data dir, so its trained model and
knowledge-base vectors are reused, not rebuilt.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.cli.errors import UsageError

THROWAWAY_NOTICE = (
    "supportbot chat: --now works on a throwaway copy of the case store{source}; nothing done "
    "in this chat is kept (name a store with --data-dir or SUPPORTBOT_DATA_DIR to keep it)."
)
LOADING = "Loading the assistant…"
LOADING_FIRST_TIME = "Loading the assistant (the first start trains the NLU)…"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="store directory (default: user data; with --now and no DIR, a throwaway copy)",
    )
    parser.set_defaults(handler=run)


def pinned_clock(value: str | None) -> Callable[[], datetime]:
    if value is None:
        return lambda: datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--now must be an ISO 8601 time, got {value!r}") from None
    if moment.tzinfo is None:
        raise UsageError("--now needs a time zone offset, e.g. 2026-11-20T16:30:00-06:00")
    return lambda: moment


def data_dir_named(option: str | None) -> bool:
    """True when the user chose the store: `--data-dir DIR` or SUPPORTBOT_DATA_DIR."""
    from nlu.data_home import DATA_DIR_ENV

    return bool(option) or bool(os.environ.get(DATA_DIR_ENV, "").strip())


def throwaway_store(cleanup: ExitStack) -> Any:
    """A SQLite store in a temporary directory, starting as a copy of the user's store.

    The copy is taken with SQLite's backup API, so changes still in the write-ahead log are
    included. With REDIS_URL set there is no file to copy and the store starts empty. The
    directory and everything in it are removed when `cleanup` closes.
    """
    from bot.store.errors import StoreUnavailable
    from bot.store.factory import REDIS_URL_ENV, SQLITE_FILE_NAME
    from bot.store.sqlite import SqliteStore
    from nlu.data_home import data_dir

    # The default data dir (SUPPORTBOT_DATA_DIR is unset here), read without creating it.
    source = data_dir() / SQLITE_FILE_NAME
    copy_from = None if os.environ.get(REDIS_URL_ENV, "").strip() else source
    directory = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="supportbot-chat-")))
    target = directory / SQLITE_FILE_NAME
    if copy_from is not None and copy_from.is_file():
        try:
            _copy_sqlite(copy_from, target)
        except sqlite3.Error as error:
            raise UsageError(f"cannot copy the case store {copy_from}: {error}") from None
        where = f" ({copy_from})"
    elif copy_from is None:
        where = " (empty: the cases in Redis are not copied)"
    else:
        where = " (empty: there is no store yet)"
    print(THROWAWAY_NOTICE.format(source=where), file=sys.stderr)
    try:
        store = SqliteStore(target)
    except StoreUnavailable as error:
        raise UsageError(f"cannot open the case store: {error}") from None
    cleanup.callback(store.close)
    return store


def _copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database, read-only on the source, as one consistent snapshot."""
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        writer = sqlite3.connect(target)
        try:
            reader.backup(writer)
        finally:
            writer.close()
    finally:
        reader.close()


def loading_notice() -> str:
    """What to say while the assistant loads: training is only mentioned when it will happen."""
    from nlu.model import DEFAULT_SEED
    from nlu.paths import model_dir

    return LOADING if model_dir(seed=DEFAULT_SEED).exists() else LOADING_FIRST_TIME


def run(args: argparse.Namespace) -> int:
    clock = pinned_clock(args.now)
    with ExitStack() as cleanup:
        store = None
        if args.now is not None and not data_dir_named(args.data_dir):
            store = throwaway_store(cleanup)
        return _chat(args, clock, store)


def _chat(args: argparse.Namespace, clock: Callable[[], datetime], store: Any) -> int:
    from bot.chat.terminal import TerminalChat
    from bot.engine import open_engine
    from bot.store.errors import StoreUnavailable

    interactive = sys.stdin.isatty()
    try:
        if interactive:
            print(loading_notice(), file=sys.stderr)
        engine = open_engine(
            contacts=args.contacts, data_dir=args.data_dir, clock=clock, store=store
        )
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


def _prompted_lines() -> Iterator[str]:
    while True:
        try:
            yield input("you> ")
        except EOFError:
            print()
            return
