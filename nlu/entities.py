"""Rule-based entity extraction from the regexes, lookups and synonyms in our training data.

IDs, case numbers and counts follow fixed shapes, so rules are exact where a statistical
tagger trained on a few hundred examples would guess. Offsets refer to the text the rules see;
the service maps them back to the original message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.intervals import DisjointSpans
from nlu.training_data import NluData

# A UUID with or without dashes (32 hex digits), optionally in braces; stored dashed, lower-case.
_UUID = re.compile(
    r"(?<![0-9a-fA-F-])\{?(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12}|[0-9a-fA-F]{32})\}?(?![0-9a-fA-F-])"
)


def normalise_uuid(text: str) -> str:
    """'{3F2B9C1E8A4D4E5F9B6A1C2D3E4F5A6B}' -> '3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6b'."""
    digits = re.sub(r"[^0-9a-f]", "", text.lower())
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:32]}"


_ORG_CONTEXT = re.compile(
    r"\b(?:org(?:ani[sz]ation)?)(?:[\s_-]{0,3}id)?\s{0,3}[:=#]?\s{0,3}(?:is\s{0,3})?$", re.I
)
_CONVERSATION_CONTEXT = re.compile(
    r"\b(?:conversation|interaction|call)(?:[\s_-]*id)?\b[^.\n]{0,25}$", re.I
)
_CASE = re.compile(
    r"(?:\b(?:cs[- ]?#?\s?(?P<a>\d{3,8})|(?:case|ticket|incident)\s{0,3}(?:(?:number|no\.?|num)"
    r"\s{0,3})?(?:#\s{0,2})?(?P<b>\d{3,8}))|(?<![\w#&])#(?P<c>\d{3,8}))\b",
    re.I,
)
_AFFECTED = re.compile(
    r"\b(?:(?:about|around|roughly|approx\.?|approximately|over|more than|all|nearly|almost|"
    r"at least|like|some|maybe)\s+)?~?(?P<count>\d{1,6})\+?\s+(?:of\s+(?:our|the)\s+)?"
    r"(?:agents|users|people|reps|seats|supervisors|employees|staff|callers|advisors|"
    r"associates|folks)\b",
    re.I,
)
_ORG_SHORT_NAME = re.compile(
    r"\borg(?:anization)?\s{0,3}(?:short\s{0,3}name|name)\s{0,3}(?:(?:is|=|:)\s{0,3})?[\"'`]?"
    r"(?P<name>[a-z][a-z0-9-]{2,40})",
    re.I,
)


# A severity the user names ("sev 2", "P1", "raise it to high", "medium priority"); the value
# is the level 1-4, which the dialogue domain's `severity` entity expects.
_SEVERITY_WORDS = {"critical": "1", "high": "2", "medium": "3", "low": "4"}
_SEVERITY = re.compile(
    r"\b(?:sev(?:erity)?|priority)\s{0,3}(?:level\s{0,3})?(?:(?:to|of|is|as|[-:=])\s{0,3})?"
    r"(?P<digit>[1-4])\b"
    r"|(?-i:\bP(?P<p>[1-4])\b)"
    r"|\b(?:sev(?:erity)?|priority)\s{0,3}(?:level\s{0,3})?(?:(?:to|of|is|=|:|as)\s{0,3})?"
    r"(?P<named>critical|high|medium|low)\b"
    r"|\b(?:to|as|be|make it|set it to)\s+(?:a\s+)?(?P<target>critical|high|medium|low)\b"
    r"|\b(?P<before>critical|high|medium|low)[\s-]+(?:priority|severity|sev|impact)\b",
    re.I,
)


@dataclass(frozen=True)
class Entity:
    entity: str
    value: str
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {"entity": self.entity, "value": self.value, "start": self.start, "end": self.end}


class EntityExtractor:
    """Finds the entities the intake needs, with normalised values."""

    def __init__(self, data: NluData) -> None:
        self._product_area = _phrase_pattern(data.synonyms)
        self._synonyms = data.synonyms
        regions = data.lookups.get("region", [])
        self._region = _phrase_pattern({region.lower(): region for region in regions})
        self._region_names = {region.lower(): region for region in regions}
        cities = "|".join(
            re.escape(city) for city in sorted(data.lookups.get("city", []), key=len, reverse=True)
        )
        words = "|".join(
            re.escape(word)
            for word in sorted(data.lookups.get("site_word", []), key=len, reverse=True)
        )
        self._site = re.compile(
            rf"\b(?P<city>{cities})\b(?:\s+(?:{words})\b)?" if cities else r"(?!x)x",
            re.I,
        )
        self._named_site = (
            re.compile(
                rf"\b(?:site|office|location|branch)\s+(?P<name>[A-Z][A-Za-z0-9-]{{2,30}})|"
                rf"\b(?P<pre>[A-Z][A-Za-z0-9-]{{2,30}})\s+(?:{words})\b",
            )
            if words
            else re.compile(r"(?!x)x")
        )

    def extract(self, text: str) -> list[Entity]:
        found: list[Entity] = []
        found.extend(self._ids(text))
        for match in _CASE.finditer(text):
            number = match.group("a") or match.group("b") or match.group("c")
            found.append(Entity("case_number", f"CS-{number}", match.start(), match.end()))
        for match in _AFFECTED.finditer(text):
            found.append(Entity("affected_users", match.group("count"), match.start(), match.end()))
        for match in _ORG_SHORT_NAME.finditer(text):
            name = match.group("name")
            if not _UUID.match(text, match.start("name")):
                found.append(
                    Entity("org_short_name", name.lower(), match.start("name"), match.end("name"))
                )
        found.extend(self._sites(text))
        for match in _SEVERITY.finditer(text):
            group = next(name for name, value in match.groupdict().items() if value)
            value = match.group(group).lower()
            level = value if value.isdigit() else _SEVERITY_WORDS[value]
            found.append(Entity("severity", level, match.start(), match.end()))
        for match in self._region.finditer(text):
            value = self._region_names.get(match.group(0).lower(), match.group(0))
            found.append(Entity("region", value, match.start(), match.end()))
        for match in self._product_area.finditer(text):
            value = self._synonyms[match.group(0).lower()]
            found.append(Entity("product_area", value, match.start(), match.end()))
        return _without_overlaps(found)

    def _ids(self, text: str) -> list[Entity]:
        found = []
        for match in _UUID.finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            if _ORG_CONTEXT.search(before.rstrip()):
                name = "org_id"
            elif _CONVERSATION_CONTEXT.search(before):
                name = "conversation_id"
            elif re.search(r"\borg", before, re.I):
                name = "org_id"
            else:
                name = "conversation_id"
            found.append(Entity(name, normalise_uuid(match.group(0)), match.start(), match.end()))
        return found

    def _sites(self, text: str) -> list[Entity]:
        found = []
        for match in self._site.finditer(text):
            found.append(
                Entity(
                    "site",
                    match.group("city").title()
                    if match.group("city").islower()
                    else match.group("city"),
                    match.start(),
                    match.end(),
                )
            )
        for match in self._named_site.finditer(text):
            group = "name" if match.group("name") else "pre"
            value = match.group(group)
            if value.lower() in {
                "the",
                "our",
                "this",
                "that",
                "each",
                "every",
                "main",
                "contact",
                "call",
            }:
                continue
            found.append(Entity("site", value, match.start(group), match.end(group)))
        return found


def _phrase_pattern(phrases: dict[str, str]) -> re.Pattern[str]:
    if not phrases:
        return re.compile(r"(?!x)x")
    alternatives = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)


def _without_overlaps(entities: list[Entity]) -> list[Entity]:
    """Keep the earliest, then longest entity where spans overlap; IDs and cases win ties."""
    priority = {"org_id": 0, "conversation_id": 0, "case_number": 0, "affected_users": 1}
    ordered = sorted(
        entities, key=lambda e: (priority.get(e.entity, 2), e.start, -(e.end - e.start))
    )
    free = DisjointSpans()
    kept = [entity for entity in ordered if free.take(entity.start, entity.end)]
    return sorted(kept, key=lambda e: (e.start, e.entity))
