"""What the NLU understood, as Rasa parse data, and a typed view of it for actions.

Rasa's `latest_message` holds text, intent and entities; our NLU also reads impact,
workaround, severity and several-issues. Those travel in the same dict under "supportbot"
(our engine always sends them). The field is optional: when a standard Rasa payload (text,
intent, entities) lacks it, our own NLU reads the text for them when an action needs them,
so an action served to a real Rasa server reaches the same severity as one run by our engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from actions.runtime import current
from policy.severity import Impact, Workaround

EXTRAS_KEY = "supportbot"


def to_parse_data(result: Any) -> dict[str, Any]:
    """Rasa parse data for an `nlu.service.ParseResult`."""
    entities = [
        {"entity": e.entity, "value": e.value, "start": e.start, "end": e.end}
        for e in getattr(result, "entities", []) or []
    ]
    return {
        "text": result.text,
        "intent": {"name": result.intent, "confidence": float(result.intent_confidence)},
        "entities": entities,
        EXTRAS_KEY: {
            "impact": _plain(getattr(result, "impact", None)),
            "workaround": _plain(getattr(result, "workaround", None)),
            "severity": getattr(result, "severity", None),
            "severity_confidence": getattr(result, "severity_confidence", None),
            "severity_reasons": list(getattr(result, "severity_reasons", []) or []),
            "issues": int(getattr(result, "issues", 1) or 1),
            "issue_spans": list(getattr(result, "issue_spans", []) or []),
            "ask": list(getattr(result, "ask", []) or []),
        },
    }


def _plain(value: Any) -> Any:
    return None if value is None else str(getattr(value, "value", value))


@dataclass(frozen=True)
class Understanding:
    """Rasa's text, intent and entities, and our NLU's reading of the problem.

    `extras` are the fields under "supportbot" (our engine always sends them). They are
    optional: without them (a standard Rasa payload) the impact, workaround, severity and
    issues are read from `text` by our own NLU, the first time an action asks for one.
    """

    text: str
    intent: str | None
    entities: list[dict[str, Any]]
    extras: Mapping[str, Any] | None = None

    @cached_property
    def _extras(self) -> Mapping[str, Any]:
        if self.extras is not None:
            return self.extras
        return _extras_from_text(self.text, self.intent)

    @property
    def impact(self) -> Impact | None:
        value = self._extras.get("impact")
        try:
            return Impact(value) if value else None
        except ValueError:
            return None

    @property
    def workaround(self) -> Workaround:
        value = self._extras.get("workaround")
        try:
            return Workaround(value) if value else Workaround.UNKNOWN
        except ValueError:
            return Workaround.UNKNOWN

    @property
    def nlu_severity(self) -> int | None:
        value = self._extras.get("severity")
        return value if isinstance(value, int) else None

    @property
    def severity_reasons(self) -> list[str]:
        return [str(reason) for reason in self._extras.get("severity_reasons") or []]

    @property
    def issues(self) -> int:
        return int(self._extras.get("issues") or 1)

    @property
    def issue_spans(self) -> list[str]:
        return [str(span) for span in self._extras.get("issue_spans") or []]

    @property
    def ask(self) -> list[str]:
        return [str(question) for question in self._extras.get("ask") or []]

    def entity(self, name: str) -> str | None:
        for item in self.entities:
            if item.get("entity") == name and item.get("value") not in (None, ""):
                return str(item["value"])
        return None

    def entity_values(self, name: str) -> list[str]:
        return [str(e["value"]) for e in self.entities if e.get("entity") == name]


def read(parse_data: Mapping[str, Any]) -> Understanding:
    extras = parse_data.get(EXTRAS_KEY)
    return Understanding(
        text=str(parse_data.get("text") or ""),
        intent=(parse_data.get("intent") or {}).get("name"),
        entities=list(parse_data.get("entities") or []),
        extras=extras if isinstance(extras, Mapping) else None,
    )


def _extras_from_text(text: str, intent: str | None) -> Mapping[str, Any]:
    """Our NLU's fields for a plain Rasa payload, as `NluService.parse` reads `text`.

    Only a problem report or how-to question has them, and a button payload ("/affirm",
    "/report_issue{...}") is not words, so those read as nothing.
    """
    if not text.strip() or text.lstrip().startswith("/"):
        return {}
    from nlu.model import PROBLEM_INTENTS  # imports spaCy, so only once there is text to read

    if intent not in PROBLEM_INTENTS:
        return {}
    extras: Mapping[str, Any] = to_parse_data(current().nlu.parse(text))[EXTRAS_KEY]
    return extras
