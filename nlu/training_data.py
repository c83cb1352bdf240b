"""Reading our Rasa NLU YAML: intents with annotated entities, metadata, synonyms, regexes, lookups.

The files under `nlu/data/train/` are the only thing the model learns from; `nlu/data/test/`
is the held-out split that training never opens. Problem reports carry Rasa example metadata
(`impact`, `workaround`, `severity`, `issues`) so the same files also annotate severity.

The examples were written as Slack messages, and the NLU reads plain text, so each is read
through Slack's markup rules on loading (`as_plain_text`), as the Slack adapter reads a message.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from nlu.markup import slack_to_plain

DATA_DIR = Path(__file__).resolve().parent / "data"
TRAIN_DIR = DATA_DIR / "train"
TEST_DIR = DATA_DIR / "test"

_ENTITY_MARKUP = re.compile(
    r"\[(?P<text>[^\]]+)\](?:\((?P<name>\w+)(?::(?P<value>[^)]+))?\)|(?P<json>\{[^}]*\}))"
)


@dataclass(frozen=True)
class AnnotatedEntity:
    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Example:
    """One training or test message with its labels."""

    text: str
    intent: str
    entities: tuple[AnnotatedEntity, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def impact(self) -> str | None:
        return self.metadata.get("impact")

    @property
    def workaround(self) -> str | None:
        value = self.metadata.get("workaround")
        # YAML 1.1 reads bare yes/no as booleans; accept both spellings.
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value

    @property
    def severity(self) -> int | None:
        value = self.metadata.get("severity")
        return int(value) if value is not None else None

    def factor(self, task: str) -> str | None:
        """The rubric factor `task` (function, effect, scope, workaround) this example shows,
        for `impact` the writer's answer to the rubric's impact question, for `severity` the
        report's annotated severity.

        Reports written before the factored rubric carry only `impact` and a yes/no/unknown
        workaround; those map onto the factors where the mapping is unambiguous and are left
        out of a task otherwise (an old "yes" may be a partial or a full workaround).
        """
        if task == "severity":
            report = self.intent == "report_issue" and self.severity is not None
            return str(self.severity) if report else None
        value = self.metadata.get(task)
        if task == "workaround" and isinstance(value, bool):
            value = "yes" if value else "no"
        if task == "impact":
            answer = self.metadata.get("answer_impact")
            if answer is not None:
                return str(answer)
            if self.intent != "report_issue":
                return None
            return _OLD_IMPACT_ANSWER.get(str(self.impact))
        if task in ("function", "effect", "scope") and value:
            return str(value)
        if task == "workaround" and value in ("works", "partial", "none", "not_said"):
            return str(value)
        if self.intent != "report_issue":
            return None
        if task == "workaround":
            return _OLD_WORKAROUND.get(str(value)) if value is not None else None
        return _OLD_IMPACT.get(str(self.impact), {}).get(task)

    @property
    def answers(self) -> dict[str, str]:
        """The truthful answers to the rubric's questions, where the writer gave them."""
        found = {}
        for question in ("impact", "workaround"):
            value = self.metadata.get(f"answer_{question}")
            if value is not None:
                found[question] = str(value)
        return found

    @property
    def issues(self) -> int | None:
        value = self.metadata.get("issues")
        return int(value) if value is not None else None


_OLD_IMPACT: dict[str, dict[str, str]] = {
    "blocked": {"function": "critical", "effect": "stopped", "scope": "organization"},
    "degraded": {"function": "critical", "effect": "degraded"},
    "request": {"function": "none", "effect": "none"},
}
_OLD_WORKAROUND = {"no": "none", "unknown": "not_said"}
_OLD_IMPACT_ANSWER = {
    "blocked": "stopped",
    "degraded": "degraded",
    "minor": "unaffected",
    "request": "trivial",
}


@dataclass
class NluData:
    examples: list[Example] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)  # surface form (lower) -> canonical
    regexes: dict[str, list[str]] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)


def parse_entity_markup(annotated: str) -> tuple[str, tuple[AnnotatedEntity, ...]]:
    """Turn '[IVR]{"entity": "product_area", "value": "architect"} is down' or
    "[CS-1042](case_number) is open" into plain text plus entity spans."""
    plain: list[str] = []
    entities: list[AnnotatedEntity] = []
    cursor = 0
    length = 0
    for match in _ENTITY_MARKUP.finditer(annotated):
        before = annotated[cursor : match.start()]
        plain.append(before)
        length += len(before)
        surface = match.group("text")
        if match.group("json"):
            spec = json.loads(match.group("json"))
            name, value = spec["entity"], str(spec.get("value", surface))
        else:
            name, value = match.group("name"), match.group("value") or surface
        entities.append(AnnotatedEntity(name, value, length, length + len(surface)))
        plain.append(surface)
        length += len(surface)
        cursor = match.end()
    plain.append(annotated[cursor:])
    return "".join(plain), tuple(entities)


def as_plain_text(
    text: str, entities: tuple[AnnotatedEntity, ...]
) -> tuple[str, tuple[AnnotatedEntity, ...]]:
    """An example written as a Slack message, as plain text with its entities moved along.

    Every mention reads "@user", as the model has always seen mentions (the Slack adapter
    names people; the handful of mentions in the corpus are not worth a retrained model)."""
    plain = slack_to_plain(text)
    if plain.text == text:
        return text, entities
    index = plain.source_index  # non-decreasing: characters keep their order
    moved = tuple(
        replace(entity, start=bisect_left(index, entity.start), end=bisect_left(index, entity.end))
        for entity in entities
    )
    return plain.text, moved


def _example_items(raw: Any) -> list[tuple[str, dict[str, Any]]]:
    if isinstance(raw, str):
        lines = [line.strip() for line in raw.splitlines()]
        return [(line[2:].strip(), {}) for line in lines if line.startswith("- ")]
    items: list[tuple[str, dict[str, Any]]] = []
    for item in raw or []:
        if isinstance(item, str):
            items.append((item.strip(), {}))
        else:
            items.append((str(item["text"]).strip(), dict(item.get("metadata") or {})))
    return items


def _list_items(raw: Any) -> list[str]:
    return [text for text, _ in _example_items(raw)]


def load_file(path: Path, into: NluData) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for block in document.get("nlu", []) or []:
        if "intent" in block:
            defaults = dict(block.get("metadata") or {})
            for annotated, metadata in _example_items(block.get("examples")):
                text, entities = as_plain_text(*parse_entity_markup(annotated))
                labels = {**defaults, **metadata}
                into.examples.append(Example(text, block["intent"], entities, labels))
        elif "synonym" in block:
            for surface in _list_items(block.get("examples")):
                into.synonyms[surface.lower()] = str(block["synonym"])
        elif "regex" in block:
            into.regexes.setdefault(block["regex"], []).extend(_list_items(block.get("examples")))
        elif "lookup" in block:
            into.lookups.setdefault(block["lookup"], []).extend(_list_items(block.get("examples")))


def load_dir(directory: Path) -> NluData:
    data = NluData()
    for path in sorted(directory.glob("*.yml")):
        load_file(path, data)
    return data


def load_training_data() -> NluData:
    return load_dir(TRAIN_DIR)


def load_test_data() -> NluData:
    return load_dir(TEST_DIR)


CUES_FILE = DATA_DIR / "cues.yml"


def data_files() -> list[Path]:
    """Every file whose content shapes the model (for the model fingerprint)."""
    return [*sorted(TRAIN_DIR.glob("*.yml")), CUES_FILE]
