"""Baselines for bench/nlu_bench.py: keyword rules, and TF-IDF + logistic regression.

Both are computed in the same run on the same split as the spaCy model, and both map impact
and workaround to a severity through the same policy matrix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from nlu.evaluate import Prediction
from nlu.kb import FaqEntry, KbMatch
from nlu.model import PROBLEM_INTENTS
from nlu.training_data import Example
from policy.severity import Impact, Workaround, suggest_severity

_INTENT_KEYWORDS: list[tuple[str, str]] = [
    (r"\bescalat", "escalate"),
    (r"\b(?:rca|root cause|post ?mortem)\b", "request_rca"),
    (r"\b(?:priority|severity|sev)\b", "change_priority"),
    (r"\b(?:close|resolve)\b", "close_case"),
    (r"\b(?:add|attach|update|note)\b", "update_case"),
    (r"\b(?:status|update on|any news|open cases|my cases)\b", "check_status"),
    (r"\b(?:human|person|someone|engineer)\b", "human_handoff"),
    (r"\b(?:thanks|thank you|thx|ty|cheers)\b", "thanks"),
    (r"\b(?:bye|see you|later|good night)\b", "goodbye"),
    (r"^(?:hi|hello|hey|good morning|morning)\b", "greet"),
    (r"^(?:yes|yep|yeah|sure|ok|okay|correct|confirm)\b", "affirm"),
    (r"^(?:no|nope|nah|cancel|never ?mind|don'?t)\b", "deny"),
    (r"^(?:how|where|what|can i|is there|which|why)\b", "ask_howto"),
]
_IMPACT_KEYWORDS: list[tuple[str, str]] = [
    (r"\b(?:down|outage|nobody|no one|all|every|cannot|can'?t|critical|urgent)\b", "blocked"),
    (r"\b(?:slow|intermittent|sometimes|some|drop|delay|choppy|echo)\b", "degraded"),
    (r"\b(?:feature|request|would like|we'?d like|guidance|help|question)\b", "request"),
]


def _first_match(rules: list[tuple[str, str]], text: str, *, default: str) -> str:
    return next((name for pattern, name in rules if re.search(pattern, text)), default)


def keyword_predict(text: str) -> Prediction:
    lowered = text.lower()
    intent = next(
        (name for pattern, name in _INTENT_KEYWORDS if re.search(pattern, lowered)), "report_issue"
    )
    impact = next(
        (name for pattern, name in _IMPACT_KEYWORDS if re.search(pattern, lowered)), "minor"
    )
    if re.search(r"\bno work ?around|nothing (?:works|helps)|still (?:fails|failing)", lowered):
        workaround = "no"
    elif re.search(r"work ?around|still use|instead|for now|meantime", lowered):
        workaround = "yes"
    else:
        workaround = "unknown"
    return _with_severity(intent, impact, workaround)


def _with_severity(intent: str, impact: str, workaround: str) -> Prediction:
    if intent == "ask_howto":
        impact = "request"
    severity = None
    if intent in PROBLEM_INTENTS:
        severity = int(suggest_severity(Impact(impact), Workaround(workaround)).severity)
    return Prediction(
        intent, impact if severity else None, workaround, severity, 1 if severity else 0
    )


def tfidf_logreg(examples: Sequence[Example], *, seed: int) -> Callable[[str], Prediction]:
    """TF-IDF (word 1-2 grams) + logistic regression per task, on the same training data."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline

    def fit(rows: list[tuple[str, str]]) -> Pipeline:
        model = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            LogisticRegression(max_iter=2000, C=10.0, random_state=seed),
        )
        model.fit([text for text, _ in rows], [label for _, label in rows])
        return model

    intent = fit([(e.text, e.intent) for e in examples])
    impact = fit([(e.text, str(e.impact)) for e in examples if e.impact])
    workaround = fit([(e.text, str(e.workaround)) for e in examples if e.workaround])

    def predict(text: str) -> Prediction:
        return _with_severity(
            intent.predict([text])[0], impact.predict([text])[0], workaround.predict([text])[0]
        )

    return predict


class KeywordKb:
    """Most shared content words wins; no shared word means abstain."""

    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        self.entries = list(entries)
        self._words = [self._content(entry.question) for entry in self.entries]

    @staticmethod
    def _content(text: str) -> set[str]:
        stop = {"how", "do", "i", "a", "the", "to", "my", "can", "is", "what", "of", "in", "for"}
        return {word for word in re.findall(r"[a-z0-9]+", text.lower()) if word not in stop}

    def answer(self, query: str) -> KbMatch | None:
        words = self._content(query)
        overlaps = [len(words & other) for other in self._words]
        best = max(range(len(overlaps)), key=overlaps.__getitem__)
        if overlaps[best] == 0:
            return None
        entry = self.entries[best]
        return KbMatch(entry.question, entry.answer, float(overlaps[best]))


class TfidfKb:
    """scikit-learn TF-IDF cosine nearest question; threshold = midpoint of the dev gap."""

    def __init__(self, entries: Sequence[FaqEntry], dev: Sequence[tuple[str, str | None]]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.entries = list(entries)
        self._vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        self._matrix = self._vectorizer.fit_transform([entry.question for entry in self.entries])
        self.threshold = 0.0
        positive = [self._best(text)[1] for text, question in dev if question]
        negative = [self._best(text)[1] for text, question in dev if not question]
        self.threshold = (min(positive) + max(negative)) / 2 if positive and negative else 0.0

    def _best(self, query: str) -> tuple[int, float]:
        scores = (self._matrix @ self._vectorizer.transform([query]).T).toarray().ravel()
        best = int(scores.argmax())
        return best, float(scores[best])

    def answer(self, query: str) -> KbMatch | None:
        best, score = self._best(query)
        if score < self.threshold or score == 0.0:
            return None
        entry = self.entries[best]
        return KbMatch(entry.question, entry.answer, score)


_KEYWORD_WORKAROUND = {"yes": "works", "no": "none", "unknown": "not_said"}


def keyword_reading(text: str) -> tuple[str, int | None, str]:
    """The keyword rules as (intent, severity, rubric workaround value)."""
    prediction = keyword_predict(text)
    return prediction.intent, prediction.severity, _KEYWORD_WORKAROUND[prediction.workaround]


def tfidf_severity(
    examples: Sequence[Example], *, seed: int
) -> Callable[[str], tuple[str, int | None, str]]:
    """TF-IDF (word 1-2 grams) + logistic regression trained on the severity labels
    themselves, plus intent and the stated workaround, on the same training files."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline

    def fit(rows: list[tuple[str, str]]) -> Pipeline:
        model = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            LogisticRegression(max_iter=2000, C=10.0, random_state=seed),
        )
        model.fit([text for text, _ in rows], [label for _, label in rows])
        return model

    reports = [e for e in examples if e.intent == "report_issue"]
    intent = fit([(e.text, e.intent) for e in examples])
    severity = fit([(e.text, str(e.severity)) for e in reports if e.severity is not None])
    workaround = fit(
        [(e.text, str(e.factor("workaround"))) for e in reports if e.factor("workaround")]
    )

    def predict(text: str) -> tuple[str, int | None, str]:
        name = str(intent.predict([text])[0])
        level = int(severity.predict([text])[0]) if name in PROBLEM_INTENTS else None
        return name, level, str(workaround.predict([text])[0])

    return predict
