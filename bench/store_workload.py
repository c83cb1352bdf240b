"""The workload of the store benchmark: designated contacts opening cases through the engine.

Each simulated conversation reports a problem, answers the intake's questions, confirms the
summary and gets a case, then a new conversation starts. Parse results are fixed per text
(the NLU is measured in its own benchmark), so the figures are the engine plus the store.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from bot.directory import load_directory
from bot.engine import Engine
from bot.messages import Inbound, Outbound
from tests.engine.conftest import Parse

REPORT = (
    "Calls to our Chicago queue drop after 30 seconds, agents call customers back "
    "which takes twice as long"
)
IMPACT = "Half of our Chicago agents, about 40 people, cannot take calls for their whole shift"
REQUESTER = "U01AAA"  # a designated contact of `acme` in the shipped sample directory
ANSWERS = {
    "utter_ask_business_impact": IMPACT,
    "utter_ask_conversation_id": "skip",
    "utter_ask_background": "skip",
    "ask_severity": "yes",
    "case_summary": "yes",
}
FAILURE_KINDS = frozenset({"store_unavailable", "busy", "error", "conflict", "store_error"})
MAX_TURNS_PER_CONVERSATION = 10


class FixedNlu:
    """A dictionary lookup standing in for the trained pipeline."""

    PARSES: ClassVar[dict[str, Parse]] = {
        REPORT: Parse(
            text=REPORT,
            intent="report_issue",
            impact="degraded",
            workaround="yes",
            severity=3,
            severity_reasons=["calls drop after 30 seconds", "agents call customers back"],
        ),
        "yes": Parse(text="yes", intent="affirm"),
    }

    def parse(self, text: str) -> Parse:
        known = self.PARSES.get(text)
        return known or Parse(text=text, intent="inform", intent_confidence=0.9)

    def answer(self, text: str) -> None:
        return None


def build_engine(store: Any) -> Engine:
    return Engine(store=store, directory=load_directory(), nlu=FixedNlu())


@dataclass
class TurnLog:
    latencies_ms: list[float] = field(default_factory=list)
    failures: int = 0
    cases: int = 0
    unexpected: int = 0


class Pacer:
    """Sends a conversation's messages on a fixed schedule (open loop) instead of back to back.

    A turn's latency is counted from when its message was due, not from when it was sent, so a
    turn that had to wait for an earlier slow one still shows that wait (no coordinated
    omission).
    """

    def __init__(self, *, interval: float, offset: float) -> None:
        self.interval = interval
        self.next_at = time.perf_counter() + offset

    def wait(self) -> float:
        delay = self.next_at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        due = self.next_at
        self.next_at += self.interval
        return due


def converse(
    engine: Engine,
    key: str,
    log: TurnLog,
    lock: threading.Lock,
    *,
    pacer: Pacer | None = None,
    deadline: float | None = None,
) -> None:
    """One conversation from report to case; every turn's latency goes into `log`."""
    text = REPORT
    for turn in range(MAX_TURNS_PER_CONVERSATION):
        started = pacer.wait() if pacer is not None else time.perf_counter()
        if deadline is not None and started >= deadline:
            return
        replies = engine.handle(
            Inbound(
                sender_id=REQUESTER,
                text=text,
                conversation_key=key,
                received_at=datetime.now(UTC),
                event_id=f"Ev-{key}-{turn}",  # as Slack sends: de-duplicated by the engine
            )
        )
        elapsed = (time.perf_counter() - started) * 1000
        kinds = [r.kind for r in replies]
        with lock:
            log.latencies_ms.append(elapsed)
            if FAILURE_KINDS.intersection(kinds):
                log.failures += 1
        if "case_created" in kinds:
            with lock:
                log.cases += 1
            return
        next_text = _answer(replies)
        if next_text is None:
            with lock:
                log.unexpected += 1
            return
        text = next_text


def _answer(replies: list[Outbound]) -> str | None:
    for reply in reversed(replies):
        if reply.kind in ANSWERS:
            return ANSWERS[reply.kind]
    return None
