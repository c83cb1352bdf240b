"""A designated contact's intake, driven through the real engine on a Redis store.

The parse results are written by hand (the NLU has its own tests), so each step states
exactly what was understood; everything after the NLU is the real engine, actions and store.
"""

from __future__ import annotations

from bot.directory import load_directory
from bot.engine import Engine
from bot.messages import Outbound
from bot.store.base import Store
from tests.engine.conftest import (
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
DESIGNATED_CONTACT = "U01AAA"


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
    """Report, skip the conversation ID, accept the suggested severity: the summary to confirm."""
    talk.say(REPORT)
    talk.say("skip")
    return by_kind(talk.say("yes"), "case_summary")
