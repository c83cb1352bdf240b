"""A designated contact's intake, driven through the real engine on any store.

The parse results are written by hand (the NLU has its own tests), so each step states
exactly what was understood; everything after the NLU is the real engine, actions and store.
"""

from __future__ import annotations

from bot.directory import load_directory
from bot.engine import Engine
from bot.messages import Outbound
from bot.store.base import Store
from tests.support.engine import (
    FRIDAY_AFTERNOON_UTC,
    Clock,
    Conversation,
    Parse,
    ScriptedNlu,
    by_kind,
)

REPORT = (
    "Calls to our Chicago queue drop after 30 seconds, agents call customers back "
    "which takes twice as long"
)
IMPACT = "Half of our Chicago agents, about 40 people, cannot take calls for their whole shift"
DESIGNATED_CONTACT = "U01AAA"
MAX_INTAKE_TURNS = 8

# What a cooperative designated contact answers to each question of the intake form.
ANSWERS = {
    "utter_ask_business_impact": IMPACT,
    "utter_ask_conversation_id": "skip",
    "utter_ask_background": "skip",
    "ask_severity": "yes",
}


def scripted_nlu() -> ScriptedNlu:
    nlu = ScriptedNlu()
    nlu.add(
        Parse(
            text=REPORT,
            intent="report_issue",
            impact="degraded",
            workaround="yes",
            severity=3,
            severity_reasons=["calls drop after 30 seconds", "agents call customers back"],
        )
    )
    nlu.add(Parse(text="yes", intent="affirm"))
    nlu.add(Parse(text="no", intent="deny"))
    return nlu


def engine_on(store: Store, *, nlu: ScriptedNlu | None = None) -> Engine:
    return Engine(
        store=store,
        directory=load_directory(),
        nlu=nlu or scripted_nlu(),
        clock=Clock(FRIDAY_AFTERNOON_UTC),
    )


def conversation(engine: Engine, key: str, sender_id: str = DESIGNATED_CONTACT) -> Conversation:
    return Conversation(engine, sender_id, key, Clock(FRIDAY_AFTERNOON_UTC))


def walk_to_summary(talk: Conversation) -> Outbound:
    """Report the problem and answer each question until the summary to confirm appears."""
    replies = talk.say(REPORT)
    for _ in range(MAX_INTAKE_TURNS):
        kinds = [r.kind for r in replies]
        if "case_summary" in kinds:
            return by_kind(replies, "case_summary")
        question = next((k for k in reversed(kinds) if k in ANSWERS), None)
        assert question is not None, f"the intake asked something unexpected: {kinds}"
        replies = talk.say(ANSWERS[question])
    raise AssertionError(f"no case summary after {MAX_INTAKE_TURNS} answers")
