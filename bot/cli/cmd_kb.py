"""`supportbot kb import FILE` and `supportbot kb ask` (JSON lines in, JSON lines out)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.errors import UsageError
from bot.cli.json_lines import LineError, emit, requests


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("kb", help="knowledge base: import an FAQ, ask questions")
    commands = parser.add_subparsers(dest="kb_command", metavar="ACTION")
    importer = commands.add_parser("import", help="replace the KB with an FAQ document")
    importer.add_argument("file", type=Path)
    importer.set_defaults(handler=run_import)
    ask = commands.add_parser("ask", help="read questions, one per line, answer as JSON lines")
    ask.set_defaults(handler=run_ask)
    parser.set_defaults(handler=lambda _args: _missing_action())


def _missing_action() -> int:
    raise UsageError("choose an action: import or ask")


def run_import(args: argparse.Namespace) -> int:
    from nlu.kb import FaqFormatError, KnowledgeBase, parse_faq, save_entries
    from nlu.paths import kb_path

    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {args.file}: {error}") from error
    try:
        entries = parse_faq(text)
    except FaqFormatError as error:
        raise UsageError(f"{args.file}: {error}") from error
    save_entries(entries, kb_path())
    KnowledgeBase(entries)  # encodes the new questions now, so the first question is quick
    from nlu.service import reset_service

    reset_service()  # a service already loaded in this process must see the new KB
    print(f"imported {len(entries)} questions into {kb_path()}")
    return 0


def run_ask(_args: argparse.Namespace) -> int:
    from nlu.kb import KnowledgeBase, load_entries
    from nlu.markup import read_plain
    from nlu.paths import kb_path

    kb = KnowledgeBase(load_entries(kb_path()))
    failed = False
    for request in requests():
        if isinstance(request, LineError):
            failed = True
            emit(request.to_dict())
            continue
        match = kb.answer(read_plain(request.text).text)  # plain text, as the service reads it
        emit({"text": request.text, "match": match.to_dict() if match else None})
    return 1 if failed else 0
