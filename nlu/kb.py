"""Knowledge base: FAQ import and retrieval that abstains when nothing fits.

The FAQ format (see `nlu/data/faq.txt`): each question is a top-level bullet ("  • ..."),
its answer is everything below it until the next top-level bullet; nested bullets belong to
the answer.

Retrieval reads meaning: a sentence encoder compares the query with each entry's question, its
question with the start of its answer, and alternative phrasings of the question
(`nlu/data/kb_alternates.yml`, written for the shipped FAQ). Below `ABSTAIN_BELOW` we say
nothing matched instead of guessing. (Adding the TF-IDF word overlap we used before, at weights
0.15 to 0.6, lowered top-1 at the same abstention in bench/kb_calibrate.py, so it is gone.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from nlu.data_home import data_dir
from nlu.embedding_cache import CachedEncoder, Encoder
from nlu.sentence_encoder import MODEL_PACKAGE, default_encoder

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_FAQ = DATA / "faq.txt"
ALTERNATES_FILE = DATA / "kb_alternates.yml"
# Calibrated on questions the FAQ does not answer and on our own paraphrases (see
# bench/kb_calibrate.py), never on the other writer's paraphrases that bench/nlu_bench.py scores.
ABSTAIN_BELOW = 0.525
# Half closest phrasing, half mean of the phrasings: the mix ranked best in bench/kb_calibrate.py.
CENTROID_SHARE = 0.5
# The answer's first words say what the entry is about when its question is terse.
_ANSWER_WORDS = 40

_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:•|◦|▪|\*|-)\s+(?P<text>\S.*)$")


@dataclass(frozen=True)
class FaqEntry:
    question: str
    answer: str


@dataclass(frozen=True)
class KbMatch:
    question: str
    answer: str
    score: float

    def to_dict(self) -> dict[str, object]:
        return {"question": self.question, "answer": self.answer, "score": self.score}


class FaqFormatError(ValueError):
    """The document has no top-level bullet questions."""


def parse_faq(text: str) -> list[FaqEntry]:
    """Read the seed FAQ format; nested bullets and numbered steps stay in the answer."""
    lines = text.replace("\xa0", " ").replace("\r\n", "\n").split("\n")
    top_indent = _top_level_indent(lines)
    entries: list[FaqEntry] = []
    question: str | None = None
    answer_lines: list[str] = []
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet and len(bullet.group("indent").expandtabs(4)) == top_indent:
            if question is not None:
                entries.append(FaqEntry(question, _format_answer(answer_lines)))
            question, answer_lines = bullet.group("text").strip(), []
        elif question is not None:
            answer_lines.append(line.rstrip())
    if question is not None:
        entries.append(FaqEntry(question, _format_answer(answer_lines)))
    if not entries:
        raise FaqFormatError("no questions found: expected top-level bullets like '  • Question?'")
    return entries


def _top_level_indent(lines: list[str]) -> int:
    indents = [
        len(match.group("indent").expandtabs(4)) for line in lines if (match := _BULLET.match(line))
    ]
    return min(indents) if indents else 0


def _format_answer(lines: list[str]) -> str:
    content = [line for line in lines if line.strip()]
    if not content:
        return ""
    margin = min(len(line) - len(line.lstrip()) for line in content)
    return "\n".join(line[margin:] for line in content).strip()


class KnowledgeBase:
    """Ranks FAQ entries by meaning; answers only above the abstain threshold."""

    def __init__(
        self,
        entries: Iterable[FaqEntry],
        *,
        encoder: Encoder | None = None,
        alternates: Mapping[str, list[str]] | None = None,
        abstain_below: float = ABSTAIN_BELOW,
    ) -> None:
        """`encoder` reads the questions asked and the FAQ; by default the packaged model, its FAQ
        vectors kept on disk (never the questions people ask)."""
        self.entries = list(entries)
        self.abstain_below = abstain_below
        self._encoder = encoder or default_encoder()
        index_encoder = encoder or cached_default_encoder()
        known = load_alternates() if alternates is None else alternates
        phrasings: list[str] = []
        owners: list[int] = []
        for index, entry in enumerate(self.entries):
            head = " ".join(entry.answer.split()[:_ANSWER_WORDS])
            texts = [entry.question, f"{entry.question} {head}", *known.get(entry.question, [])]
            phrasings.extend(texts)
            owners.extend([index] * len(texts))
        self._phrasings = index_encoder.encode_all(phrasings)
        self._owners = np.array(owners, dtype=np.int64)
        self._centroids = np.zeros((len(self.entries), self._phrasings.shape[1]), np.float32)
        np.add.at(self._centroids, self._owners, self._phrasings)
        self._centroids /= np.maximum(np.linalg.norm(self._centroids, axis=1, keepdims=True), 1e-9)

    def scores(self, query: str) -> list[float]:
        """Per entry, the cosine with its closest phrasing averaged with that to their mean.

        The closest phrasing catches a query worded like one of them; the mean (what all the
        phrasings share) ranks better when the query is worded like none of them.
        """
        if not self.entries:
            return []
        vector = self._encoder.encode_all([query])[0]
        closest = np.full(len(self.entries), -1.0, dtype=np.float32)
        np.maximum.at(closest, self._owners, self._phrasings @ vector)
        combined = (1 - CENTROID_SHARE) * closest + CENTROID_SHARE * (self._centroids @ vector)
        return [float(value) for value in combined]

    def ranked(self, query: str, *, limit: int = 3) -> list[KbMatch]:
        if not query.strip():
            return []
        scored = [
            KbMatch(entry.question, entry.answer, round(score, 4))
            for entry, score in zip(self.entries, self.scores(query), strict=True)
        ]
        scored.sort(key=lambda match: match.score, reverse=True)
        return scored[:limit]

    def answer(self, query: str) -> KbMatch | None:
        """The best FAQ entry, or None when even the best one scores below the threshold."""
        best = self.ranked(query, limit=1)
        if not best or best[0].score < self.abstain_below:
            return None
        return best[0]


@cache
def load_alternates(path: Path = ALTERNATES_FILE) -> dict[str, list[str]]:
    """Alternative phrasings per FAQ question; an imported FAQ's new questions have none."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {item["question"]: list(item["texts"]) for item in document.get("alternates", [])}


def cached_default_encoder() -> CachedEncoder:
    """The packaged sentence model, its vectors kept under the data directory."""
    return CachedEncoder(default_encoder(), data_dir() / "embeddings" / f"{MODEL_PACKAGE}.npz")


def save_entries(entries: list[FaqEntry], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_suffix(".tmp")
    staging.write_text(json.dumps([asdict(entry) for entry in entries], indent=1))
    staging.replace(path)


def load_entries(path: Path) -> list[FaqEntry]:
    """Imported entries if the file exists, else the FAQ shipped in `nlu/data/faq.txt`."""
    if path.exists():
        return [FaqEntry(**item) for item in json.loads(path.read_text())]
    return parse_faq(DEFAULT_FAQ.read_text(encoding="utf-8"))
