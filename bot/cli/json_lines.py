"""Reading batch input for `nlu parse` and `kb ask`: one request per line, never aborting.

A line is a JSON object with a string "text" (and, for `nlu parse`, optional "answers"), or
plain text. A line that cannot be read (broken JSON, no text, a wrong type, a lone
surrogate) becomes a `LineError` that the command prints as an error object on its own output
line, so one bad line never stops the lines after it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_ANSWER_KEYS = ("impact", "workaround")


@dataclass(frozen=True)
class Request:
    line: int
    text: str
    answers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LineError:
    line: int
    error: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "error": self.error}


def input_lines() -> Iterator[tuple[int, str]]:
    """Numbered non-empty lines of stdin; bytes that are not UTF-8 become U+FFFD."""
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")
    for number, line in enumerate(sys.stdin, start=1):
        if line.strip():
            yield number, line.rstrip("\n")


def read_request(number: int, line: str, *, with_answers: bool = False) -> Request | LineError:
    if not line.lstrip().startswith(("{", "[")):
        return _checked(number, line, {})
    try:
        document = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return LineError(number, 'not valid JSON (a JSON line must be an object with "text")')
    if not isinstance(document, dict):
        return LineError(number, 'a JSON line must be an object with a string "text"')
    text = document.get("text")
    if not isinstance(text, str):
        return LineError(number, 'a JSON line needs a string field "text"')
    answers = document.get("answers") or {}
    if not with_answers and "answers" in document:
        return LineError(number, '"answers" is only read by `nlu parse`')
    if not isinstance(answers, dict) or not all(
        key in _ANSWER_KEYS and isinstance(value, str) for key, value in answers.items()
    ):
        return LineError(
            number, '"answers" must be an object like {"impact": "stopped", "workaround": "none"}'
        )
    return _checked(number, text, dict(answers))


def _checked(number: int, text: str, answers: dict[str, str]) -> Request | LineError:
    lone = _LONE_SURROGATE.search(text)
    if lone:
        return LineError(number, f"the text holds a lone surrogate (U+{ord(lone.group()):04X})")
    return Request(number, text, answers)


def requests(*, with_answers: bool = False) -> Iterator[Request | LineError]:
    for number, line in input_lines():
        yield read_request(number, line, with_answers=with_answers)


def emit(document: dict[str, Any]) -> None:
    print(json.dumps(document, ensure_ascii=False), flush=True)
