"""The NLU as the rest of the bot sees it: `get_service().parse(text)` and `.answer(text)`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nlu.budget import PARSE_BUDGET_SECONDS, BudgetExceeded, Clock, Deadline
from nlu.cues import CueMatch, share_of, tokenize
from nlu.entities import Entity, EntityExtractor
from nlu.evaluate import Prediction
from nlu.factors import adjust_factors
from nlu.features import classifier_text
from nlu.intents import choose_intent
from nlu.issues import split_issues
from nlu.kb import KbMatch, KnowledgeBase, load_entries
from nlu.markup import read_plain, without_lone_surrogates
from nlu.model import DEFAULT_SEED, PROBLEM_INTENTS, NluModel, ProgressCallback, load_model
from nlu.paths import kb_path
from nlu.severity import SeverityReading, read_severity

__all__ = ["Deadline", "Entity", "KbMatch", "NluService", "ParseResult", "get_service"]

log = logging.getLogger(__name__)

# Issues read one by one for the message's severity. Each costs about 0.5 ms (seven
# classifiers), so a pasted list of 400 "- x is broken" lines took 300 ms; the intake reads
# every later issue again on its own when it reaches it.
MAX_ISSUES_READ = 10
FALLBACK_INTENT = "nlu_fallback"


@dataclass
class ParseResult:
    text: str
    intent: str
    intent_confidence: float
    impact: str | None
    workaround: str
    severity: int | None
    severity_confidence: float
    severity_reasons: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    issues: int = 0
    issue_spans: list[str] = field(default_factory=list)
    ask: list[str] = field(default_factory=list)
    factors: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    timed_out: bool = False  # the time budget ran out: nothing was understood

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "intent": {"name": self.intent, "confidence": self.intent_confidence},
            "severity": {
                "level": self.severity,
                "confidence": self.severity_confidence,
                "reasons": list(self.severity_reasons),
                "ask": list(self.ask),
                "factors": dict(self.factors),
            },
            "workaround": self.workaround,
            "impact": self.impact,
            "entities": [entity.to_dict() for entity in self.entities],
            "issues": self.issues,
        }


class NluService:
    """Parses messages and answers how-to questions from the knowledge base."""

    def __init__(
        self,
        model: NluModel,
        knowledge_base: KnowledgeBase,
        *,
        budget_seconds: float = PARSE_BUDGET_SECONDS,
        clock: Clock | None = None,
    ) -> None:
        """`budget_seconds` and `clock` set each parse's deadline (tests: tiny, or fake)."""
        self._model = model
        self._kb = knowledge_base
        self._entities = EntityExtractor(model.data)
        self.budget_seconds = budget_seconds
        self._clock = clock

    def deadline(self) -> Deadline:
        """A fresh deadline of this service's budget."""
        if self._clock is None:
            return Deadline(self.budget_seconds)
        return Deadline(self.budget_seconds, clock=self._clock)

    def parse(
        self,
        text: str,
        *,
        answers: Mapping[str, str] | None = None,
        deadline: Deadline | None = None,
    ) -> ParseResult:
        """Read one message; `answers` are the rubric's questions already answered
        (`{"impact": "stopped", "workaround": "none"}`), which decide the severity by the
        rubric's table and drop out of `ask`. Unknown answer values raise ValueError.

        Past `deadline` (by default the service's budget from now) the parse stops and
        returns an `nlu_fallback` result with `timed_out` set, so one message cannot hold
        up everyone else.

        `text` is plain text: each adapter has already turned its channel's markup into
        words, so nothing here reads Slack's (or any channel's) syntax. Entity offsets point
        into `text`."""
        text = without_lone_surrogates(text if isinstance(text, str) else str(text))
        deadline = self.deadline() if deadline is None else deadline
        try:
            return self._parse(text, dict(answers or {}), deadline)
        except BudgetExceeded as exceeded:
            log.warning(
                "NLU parse of a %d-character message stopped after %.3f s (%s)",
                len(text),
                deadline.seconds,
                exceeded.stage,
            )
            return ParseResult(
                text, FALLBACK_INTENT, 0.0, None, "unknown", None, 0.0, timed_out=True
            )

    def _parse(self, text: str, answers: dict[str, str], deadline: Deadline) -> ParseResult:
        clean = read_plain(text)
        if not clean.text.strip():
            return ParseResult(text, FALLBACK_INTENT, 0.0, None, "unknown", None, 0.0)
        deadline.check("reading")
        cues = self._model.cues.find(clean.text, deadline=deadline)
        features = classifier_text(clean.text, self._model.cues, found=cues)
        deadline.check("features")
        scores = self._model.classify_all(features)
        intent_scores = scores["intent"]
        deadline.check("classifiers")
        entities = [
            Entity(found.entity, found.value, *clean.original_span(found.start, found.end))
            for found in self._entities.extract(clean.text)
        ]
        deadline.check("entities")
        intent = choose_intent(
            intent_scores,
            word_count=len(clean.text.split()),
            names_a_case=any(entity.entity == "case_number" for entity in entities),
        )
        result = ParseResult(
            text=text,
            intent=intent,
            intent_confidence=round(float(intent_scores[intent]), 3),
            impact=None,
            workaround="unknown",
            severity=None,
            severity_confidence=0.0,
            entities=entities,
        )
        if intent not in PROBLEM_INTENTS:
            return result
        spans = split_issues(clean.text, deadline=deadline) if intent == "report_issue" else []
        result.issue_spans = spans or [clean.text.strip()]
        result.issues = len(result.issue_spans)
        reading = self._reading(
            clean.text, scores, cues, answers if intent == "report_issue" else {}
        )
        if len(spans) > 1:
            readings = [reading]
            for span in spans[:MAX_ISSUES_READ]:
                deadline.check("issues")
                readings.append(self._span_severity(span, answers))
            reading = min(readings, key=_most_severe)
        result.impact = reading.impact.value
        result.workaround = _WORKAROUND_READING[reading.factors.get("workaround", "not_said")]
        result.severity = int(reading.severity)
        result.severity_confidence = reading.confidence
        result.severity_reasons = list(reading.reasons)
        result.factors = dict(reading.factors)
        result.answers = answers
        # Only a problem report can leave its severity open; a how-to question never asks.
        result.ask = list(reading.ask) if intent == "report_issue" else []
        return result

    def _reading(
        self,
        text: str,
        scores: Mapping[str, Mapping[str, float]],
        cues: list[CueMatch],
        answers: Mapping[str, str],
    ) -> SeverityReading:
        shares = [(n, m) for n, m, _, _ in share_of(tokenize(text))]
        factors = adjust_factors(scores, cues, shares=shares)
        return read_severity(factor_scores=factors, cues=cues, answers=answers)

    def _span_severity(self, span: str, answers: Mapping[str, str]) -> SeverityReading:
        """Severity of one problem of several: read on its own, a Critical one is not
        averaged away by a minor one next to it (each issue becomes its own case)."""
        cues = self._model.cues.find(span)
        scores = self._model.classify_all(classifier_text(span, self._model.cues, found=cues))
        return self._reading(span, scores, cues, answers)

    @property
    def knowledge_base(self) -> KnowledgeBase:
        return self._kb

    def answer(self, text: str) -> KbMatch | None:
        """The knowledge base's answer to a plain-text question, read as `parse` reads it."""
        clean = read_plain(text).text
        return self._kb.answer(clean) if clean.strip() else None


_WORKAROUND_READING = {"works": "yes", "partial": "partial", "none": "no", "not_said": "unknown"}


def _most_severe(reading: SeverityReading) -> tuple[int, float]:
    return int(reading.severity), -reading.confidence


def service_prediction(service: NluService) -> Callable[[str], Prediction]:
    """Adapter for `nlu.evaluate`: the service's view of one text as a `Prediction`."""

    def predict(text: str) -> Prediction:
        result = service.parse(text)
        entities = tuple((entity.entity, entity.value) for entity in result.entities)
        return Prediction(
            result.intent,
            result.impact,
            result.workaround,
            result.severity,
            result.issues,
            entities,
        )

    return predict


_lock = threading.Lock()
_service: NluService | None = None


def build_service(
    *, seed: int = DEFAULT_SEED, progress: ProgressCallback | None = None
) -> NluService:
    model = load_model(seed=seed, progress=progress)
    return NluService(model, KnowledgeBase(load_entries(kb_path())))


def get_service() -> NluService:
    """The process-wide service; the first call builds the model if none exists yet."""
    global _service
    with _lock:
        if _service is None:
            _service = build_service()
        return _service


def reset_service() -> None:
    """Forget the cached service (after `kb import` or a retrain in the same process)."""
    global _service
    with _lock:
        _service = None
