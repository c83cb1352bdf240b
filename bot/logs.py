"""Logging: one line per record, as text or JSON lines, with no secrets and no message texts.

Every record carries the conversation reference, the case number and the event kind of the
unit of work it was logged in (`log_context`, kept in context variables and added by
`ContextFilter`), so a warning deep in the engine names the conversation it happened in.
`Redact` masks Slack tokens, the signing secret and Redis passwords in whatever is logged.
Exceptions are shown as their type and stack frames, never their message (which may quote
what someone wrote), unless `--log-payloads` asks for debugging details. Standard library
only: `supportbot --help` must stay fast.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import traceback
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from contextvars import ContextVar
from datetime import UTC, datetime
from types import TracebackType
from typing import IO, Any
from urllib.parse import urlsplit

FORMATS = ("text", "json")
FORMAT_ENV = "SUPPORTBOT_LOG_FORMAT"
# Libraries that log whole requests (message texts, payloads) at DEBUG.
PAYLOAD_LOGGERS = ("slack_bolt", "slack_sdk", "urllib3", "redis", "websocket", "aiohttp")
# One INFO line per Slack event's work (bot.slack.listeners); shown without -v, like the
# start-up lines.
EVENTS_LOGGER = "bot.slack.events"
# The fields a record may carry besides its message, in the order the text format shows them.
FIELDS = (
    "event",
    "outcome",
    "conversation",
    "case",
    "duration_ms",
    "queued_ms",
    "exc_type",
)
# Environment variables whose values are secrets wherever they turn up.
SECRET_ENV = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_SECRET")
MASK = "***"

_conversation: ContextVar[str] = ContextVar("supportbot_log_conversation", default="")
_case: ContextVar[str] = ContextVar("supportbot_log_case", default="")
_event: ContextVar[str] = ContextVar("supportbot_log_event", default="")


# ---- context ------------------------------------------------------------------------------


@contextmanager
def log_context(*, conversation: str = "", case: str = "", event: str = "") -> Iterator[None]:
    """While the block runs (in this thread or task), every record names these references."""
    tokens = (
        _conversation.set(conversation),
        _case.set(case),
        _event.set(event),
    )
    try:
        yield
    finally:
        _event.reset(tokens[2])
        _case.reset(tokens[1])
        _conversation.reset(tokens[0])


def work_context(reference: str, *, event: str) -> AbstractContextManager[None]:
    """`log_context` for a unit of work keyed `reference`: a case's `case:CS-1001` names the
    case, anything else (a DM "D123", a thread "C123:1700000000.0001", "user:U123") is the
    conversation's reference. Keys are opaque ids, never message texts."""
    if reference.startswith("case:"):
        return log_context(case=reference.removeprefix("case:"), event=event)
    return log_context(conversation=reference, event=event)


def milliseconds(seconds: float) -> float:
    return round(seconds * 1000, 1)


def note_case(number: object) -> None:
    """The work found out which case it is about: later records (and the event's line) say so.
    Undone when the enclosing `log_context` ends."""
    _case.set(str(number or ""))


class ContextFilter(logging.Filter):
    """Adds the current unit of work's references to each record (unless it names its own)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in (("conversation", _conversation), ("case", _case), ("event", _event)):
            if not getattr(record, name, ""):
                setattr(record, name, var.get())
        return True


# ---- redaction ----------------------------------------------------------------------------

# xoxb-/xoxp-/xoxa-/xoxr-/xoxs-/xoxe- tokens, xoxe.xoxp- refresh pairs, xapp- app tokens.
_SLACK_TOKEN = re.compile(r"\b(?:xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]+")
# scheme://user:password@host → scheme://user:***@host (Redis URLs and any other).
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:@/\s]*:)([^@/\s]+)(@)", re.IGNORECASE)


def _secret_values() -> list[str]:
    """The secrets of this process's settings; read each time, so tests and late settings
    are covered. Short values are skipped: masking "a" everywhere would say nothing."""
    values = [os.environ.get(name, "") for name in SECRET_ENV]
    with suppress(ValueError):  # a malformed URL: the settings say so, without its value
        values.append(urlsplit(os.environ.get("REDIS_URL", "")).password or "")
    return sorted((v for v in values if len(v) >= 8), key=len, reverse=True)


def redact(text: str) -> str:
    """`text` with Slack tokens, known secret values and URL passwords masked."""
    for value in _secret_values():
        text = text.replace(value, MASK)
    text = _SLACK_TOKEN.sub(MASK, text)
    return _URL_PASSWORD.sub(rf"\g<1>{MASK}\g<3>", text)


class Redact(logging.Filter):
    """Masks secrets in each record's message and arguments (formatted into the message)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: show it unformatted rather than lose it
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = redact(message), None
        return True


# ---- formatters ---------------------------------------------------------------------------

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def _exc_info(record: logging.LogRecord) -> ExcInfo | None:
    info = record.exc_info
    if not info or info[0] is None or info[1] is None:
        return None
    return (info[0], info[1], info[2])


def exception_lines(info: ExcInfo, *, with_messages: bool) -> list[str]:
    """A traceback: frames (file, line, function, code) and each exception's type; its
    message only `with_messages`, since it may quote a payload or a message text."""
    if with_messages:
        return "".join(traceback.format_exception(*info)).rstrip("\n").splitlines()
    chain: list[tuple[BaseException, str]] = []  # newest first, with how it led on
    error: BaseException | None = info[1]
    link = ""
    while error is not None and len(chain) < 10 and all(error is not e for e, _ in chain):
        chain.append((error, link))
        if error.__cause__ is not None:
            error, link = error.__cause__, "The above exception was the direct cause of:"
        elif not error.__suppress_context__:
            error, link = error.__context__, "During handling of the above exception:"
        else:
            error = None
    lines: list[str] = []
    for position, (error, _) in enumerate(reversed(chain)):
        if position:
            lines.append(chain[len(chain) - position][1])
        lines.append("Traceback (most recent call last):")
        for frame in traceback.format_list(traceback.extract_tb(error.__traceback__)):
            lines.extend(frame.rstrip("\n").split("\n"))
        lines.append(_type_name(type(error)))
    return lines


def _type_name(kind: type[BaseException]) -> str:
    module = kind.__module__
    return (
        kind.__qualname__ if module in ("builtins", "__main__") else f"{module}.{kind.__qualname__}"
    )


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(record, name, None)
        if value not in (None, ""):
            found[name] = value
    info = _exc_info(record)
    if info is not None and "exc_type" not in found:
        found["exc_type"] = info[0].__name__
    return found


def _shown(value: Any) -> str:
    text = str(value)
    return json.dumps(text) if not text or any(c.isspace() or c in '"=' for c in text) else text


class TextFormatter(logging.Formatter):
    """`LEVEL logger: message key=value ...`, then a traceback for an error."""

    def __init__(self, *, with_exception_messages: bool = False) -> None:
        super().__init__()
        self.with_exception_messages = with_exception_messages

    def format(self, record: logging.LogRecord) -> str:
        line = f"{record.levelname} {record.name}: {record.getMessage()}"
        fields = _fields(record)
        if fields:
            line += " " + " ".join(f"{k}={_shown(v)}" for k, v in fields.items())
        info = _exc_info(record)
        if info is not None:
            lines = exception_lines(info, with_messages=self.with_exception_messages)
            line += "\n" + "\n".join(lines)
        return redact(line)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts (ISO 8601, UTC), level, logger, message, then the known
    fields (conversation, case, event, outcome, duration_ms, exc_type) and, for an error,
    `stack`: its frames as "file:line in function"."""

    def __init__(self, *, with_exception_messages: bool = False) -> None:
        super().__init__()
        self.with_exception_messages = with_exception_messages

    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created, tz=UTC)
        entry: dict[str, Any] = {
            "ts": ts.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        info = _exc_info(record)
        if info is not None:
            frames = traceback.extract_tb(info[2])
            entry["stack"] = [f"{f.filename}:{f.lineno} in {f.name}" for f in frames]
            if self.with_exception_messages:
                entry["exc_message"] = str(info[1])
        return redact(json.dumps(entry, ensure_ascii=False, default=str))


# ---- configuration ------------------------------------------------------------------------


def default_format() -> str:
    """`SUPPORTBOT_LOG_FORMAT` (text or json), else text; checked by the CLI."""
    return os.environ.get(FORMAT_ENV, "").strip().lower() or "text"


class _Stderr(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a record comes (as logging's last resort does),
    so a replaced stderr (pytest's capture, a closed one) is never written to later."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, value: IO[str]) -> None:
        pass


def make_handler(
    *, fmt: str = "text", stream: IO[str] | None = None, payloads: bool = False
) -> logging.Handler:
    """A stream handler (stderr by default) with our formatter, context and redaction;
    `payloads` lets exception messages in."""
    if fmt not in FORMATS:
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    handler: logging.Handler = _Stderr() if stream is None else logging.StreamHandler(stream)
    formatter: logging.Formatter = (
        JsonFormatter(with_exception_messages=payloads)
        if fmt == "json"
        else TextFormatter(with_exception_messages=payloads)
    )
    handler.setFormatter(formatter)
    handler.addFilter(ContextFilter())
    handler.addFilter(Redact())
    handler.supportbot = True  # type: ignore[attr-defined]  # ours: replaced when reconfigured
    return handler


def configure_logging(
    *,
    verbose: bool,
    payloads: bool,
    fmt: str = "text",
    stream: IO[str] | None = None,
) -> logging.Handler | None:
    """-v shows our own debug lines; the libraries' request dumps (and exception messages)
    only with --log-payloads. WARNING otherwise, except the one line per Slack event.

    Like `logging.basicConfig`, adds a handler to the root logger (stderr, or `stream`) only
    when nobody else has installed one (a `stream` is always added); one we installed before
    is replaced. Returns our handler, or None when someone else's handlers are kept."""
    level = logging.DEBUG if verbose else logging.WARNING
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "supportbot", False)]
    for old in ours:
        root.removeHandler(old)
    handler = None
    if stream is not None or not root.handlers:
        handler = make_handler(fmt=fmt, stream=stream, payloads=payloads and verbose)
        root.addHandler(handler)
    root.setLevel(level)  # also when something configured logging before us
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
    if verbose and not payloads:
        for name in PAYLOAD_LOGGERS:
            logging.getLogger(name).setLevel(logging.INFO)
    events = logging.getLogger(EVENTS_LOGGER)
    events.setLevel(logging.NOTSET if verbose else logging.INFO)
    return handler
