"""Reads the Rasa-format domain and rules that drive the engine (bot/dialogue/*.yml)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.dialogue import DOMAIN_PATH, RULES_PATH


@dataclass(frozen=True)
class Domain:
    """The parts of domain.yml the engine needs; `raw` is what actions receive as `domain`."""

    raw: dict[str, Any]

    @property
    def intents(self) -> list[str]:
        return [i if isinstance(i, str) else next(iter(i)) for i in self.raw.get("intents", [])]

    @property
    def slots(self) -> dict[str, dict[str, Any]]:
        return self.raw.get("slots", {})

    @property
    def forms(self) -> dict[str, dict[str, Any]]:
        return self.raw.get("forms", {})

    @property
    def responses(self) -> dict[str, list[dict[str, Any]]]:
        return self.raw.get("responses", {})

    @property
    def actions(self) -> list[str]:
        return list(self.raw.get("actions", []))

    def initial_slots(self) -> dict[str, Any]:
        values = {name: spec.get("initial_value") for name, spec in self.slots.items()}
        values["requested_slot"] = None
        return values

    def form_slots(self, form: str) -> list[str]:
        return list(self.forms.get(form, {}).get("required_slots", []))

    def response(self, name: str) -> dict[str, Any] | None:
        variants = self.responses.get(name)
        if not variants:
            return None
        return dict(random.choice(variants))

    def slot_mappings(self, slot: str) -> list[dict[str, Any]]:
        return list(self.slots.get(slot, {}).get("mappings", []))


@dataclass(frozen=True)
class Rule:
    """One rule: conditions on the state, the triggering step and the actions that follow."""

    name: str
    intent: str | None
    after_action: str | None
    loop_completed: bool
    actions: tuple[str, ...]
    slot_conditions: dict[str, Any] = field(default_factory=dict)
    active_loop: str | None = None

    @property
    def specificity(self) -> int:
        return len(self.slot_conditions) + (1 if self.active_loop else 0)


def load_domain(path: Path = DOMAIN_PATH) -> Domain:
    with path.open(encoding="utf-8") as handle:
        return Domain(raw=yaml.safe_load(handle))


def load_rules(path: Path = RULES_PATH) -> list[Rule]:
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle) or {}
    return [_parse_rule(item) for item in document.get("rules", [])]


def _parse_rule(item: dict[str, Any]) -> Rule:
    slot_conditions: dict[str, Any] = {}
    active_loop: str | None = None
    for condition in item.get("condition", []) or []:
        if "active_loop" in condition:
            active_loop = condition["active_loop"]
        for slot_set in condition.get("slot_was_set", []) or []:
            slot_conditions.update(slot_set)
    steps = list(item.get("steps", []))
    intent = steps[0].get("intent") if steps else None
    after_action: str | None = None
    loop_completed = False
    actions: list[str] = []
    for step in steps[1:] if intent else steps:
        if "action" in step and after_action is None and not intent and not actions:
            after_action = step["action"]
        elif "active_loop" in step and step["active_loop"] is None:
            loop_completed = True
        elif "action" in step:
            actions.append(step["action"])
    return Rule(
        name=str(item.get("rule", "")),
        intent=intent,
        after_action=after_action,
        loop_completed=loop_completed,
        actions=tuple(actions),
        slot_conditions=slot_conditions,
        active_loop=active_loop,
    )
