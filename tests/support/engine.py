"""The engine with hand-written parse results, and a driver for one person's conversation.

The NLU has its own tests; here each message's parse result is written by hand so a test
states exactly what was understood and checks what the engine does with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.engine import Engine
from bot.messages import Inbound, Outbound
from nlu.service import ParseResult
from tests.support.clock import Clock

__all__ = [
    "FRIDAY_AFTERNOON_UTC",
    "Clock",
    "Conversation",
    "Parse",
    "ScriptedNlu",
    "by_kind",
    "texts",
]

FRIDAY_AFTERNOON_UTC = datetime(2026, 11, 20, 22, 30, tzinfo=UTC)  # 16:30 in Chicago


@dataclass
class Parse(ParseResult):
    """The NLU's own ParseResult, with the defaults a hand-written parse needs."""

    intent_confidence: float = 0.95
    impact: str | None = None
    workaround: str = "unknown"
    severity: int | None = None
    severity_confidence: float = 0.9
    issues: int = 1


class ScriptedNlu:
    """Returns the hand-written parse for a text; unknown texts are low-confidence."""

    def __init__(self) -> None:
        self.parses: dict[str, Parse] = {}
        self.kb: dict[str, tuple[str, str]] = {}

    def add(self, parse: Parse) -> str:
        self.parses[parse.text] = parse
        return parse.text

    def parse(self, text: str) -> Parse:
        return self.parses.get(text, Parse(text=text, intent="greet", intent_confidence=0.1))

    def answer(self, text: str):  # type: ignore[no-untyped-def]
        from types import SimpleNamespace

        found = self.kb.get(text)
        if found is None:
            return None
        return SimpleNamespace(question=found[0], answer=found[1], score=0.9)


class Conversation:
    """Sends messages as one person in one conversation; keeps every reply."""

    def __init__(self, engine: Engine, sender_id: str, key: str, clock: Clock) -> None:
        self.engine = engine
        self.sender_id = sender_id
        self.key = key
        self.clock = clock
        self.counter = 0

    def say(self, text: str, *, event_id: str | None = None) -> list[Outbound]:
        return self.engine.handle(
            Inbound(
                sender_id=self.sender_id,
                text=text,
                conversation_key=self.key,
                received_at=self.clock(),
                channel="test",
                event_id=event_id,
            )
        )

    def press(self, outbound: Outbound, action_id: str) -> list[Outbound]:
        button = next(b for b in outbound.buttons if b.action_id == action_id)
        return self.engine.handle(
            Inbound(
                sender_id=self.sender_id,
                text=button.label,
                conversation_key=self.key,
                received_at=self.clock(),
                channel="test",
                action=button.action_id,
                action_value=button.value,
            )
        )


def texts(replies: list[Outbound]) -> str:
    return "\n".join(r.text for r in replies)


def by_kind(replies: list[Outbound], kind: str) -> Outbound:
    found = [r for r in replies if r.kind == kind]
    assert found, f"no {kind!r} reply in {[r.kind for r in replies]}"
    return found[0]
