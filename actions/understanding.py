"""What the NLU understood, as Rasa parse data, and a typed view of it for actions.

Rasa's `latest_message` holds text, intent and entities; our NLU also reads impact,
workaround, severity and several-issues. Those travel in the same dict under "supportbot",
so an action served to a real Rasa server sees the same fields as one run by our engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    text: str
    intent: str | None
    entities: list[dict[str, Any]]
    impact: Impact | None
    workaround: Workaround
    nlu_severity: int | None
    severity_reasons: list[str]
    issues: int
    issue_spans: list[str]
    ask: list[str]

    def entity(self, name: str) -> str | None:
        for item in self.entities:
            if item.get("entity") == name and item.get("value") not in (None, ""):
                return str(item["value"])
        return None

    def entity_values(self, name: str) -> list[str]:
        return [str(e["value"]) for e in self.entities if e.get("entity") == name]


def read(parse_data: dict[str, Any]) -> Understanding:
    extras = parse_data.get(EXTRAS_KEY) or {}
    impact_value = extras.get("impact")
    workaround_value = extras.get("workaround")
    try:
        impact = Impact(impact_value) if impact_value else None
    except ValueError:
        impact = None
    try:
        workaround = Workaround(workaround_value) if workaround_value else Workaround.UNKNOWN
    except ValueError:
        workaround = Workaround.UNKNOWN
    return Understanding(
        text=str(parse_data.get("text") or ""),
        intent=(parse_data.get("intent") or {}).get("name"),
        entities=list(parse_data.get("entities") or []),
        impact=impact,
        workaround=workaround,
        nlu_severity=extras.get("severity"),
        severity_reasons=list(extras.get("severity_reasons") or []),
        issues=int(extras.get("issues") or 1),
        issue_spans=list(extras.get("issue_spans") or []),
        ask=[str(question) for question in extras.get("ask") or []],
    )
