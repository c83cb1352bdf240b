"""Turning what a person sent into Rasa parse data: cleaning, size limits, button payloads."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE_CHARS = 4000
_PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$", re.DOTALL)
_CONTROL = re.compile(
    r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


@dataclass(frozen=True)
class CleanText:
    text: str
    truncated_from: int | None  # original length when the message was cut


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _without_lone_surrogates(text: str) -> str:
    """A split UTF-16 pair is joined again; a lone half (which no encoder, store or NLU
    tokenizer accepts) becomes U+FFFD."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def clean(text: str | None) -> CleanText:
    """Normalise Unicode, drop invisible control characters and cap the length."""
    raw = unicodedata.normalize("NFC", _without_lone_surrogates(text or ""))
    raw = _CONTROL.sub("", raw).strip()
    if len(raw) > MAX_MESSAGE_CHARS:
        return CleanText(text=raw[:MAX_MESSAGE_CHARS], truncated_from=len(raw))
    return CleanText(text=raw, truncated_from=None)


# Typed commands the NLU need not learn: "open report R-1A2B3C" (a designated contact opening
# an employee's report in the terminal, where there is no button).
# `\s*(?:[.!]\s*)?$`, not `\s*[.!]?\s*$`: side by side, two blank runs backtrack quadratically.
_OPEN_REPORT = re.compile(r"^\s*open\s+report\s+(R-[0-9A-F]{6})\s*(?:[.!]\s*)?$", re.IGNORECASE)


def command_parse(text: str) -> dict[str, Any] | None:
    match = _OPEN_REPORT.match(text)
    if not match:
        return None
    return {
        "text": text,
        "intent": {"name": "open_report", "confidence": 1.0},
        "entities": [{"entity": "report", "value": match.group(1).upper()}],
    }


def payload_parse(text: str, *, known_intents: list[str]) -> dict[str, Any] | None:
    """Rasa's "/intent{...}" button payloads skip the NLU, exactly as in Rasa."""
    match = _PAYLOAD.match(text.strip())
    if not match or match.group("intent") not in known_intents:
        return None
    entities: list[dict[str, Any]] = []
    if match.group("entities"):
        try:
            values = json.loads(match.group("entities"))
        except json.JSONDecodeError:
            return None
        if not isinstance(values, dict):
            return None
        entities = [{"entity": str(k), "value": v} for k, v in values.items()]
    return {
        "text": text,
        "intent": {"name": match.group("intent"), "confidence": 1.0},
        "entities": entities,
    }
