"""Moved to tests/support/intake.py (the engine and multiprocess tests use it too); this module
keeps the old import path working."""

from tests.support.intake import (
    ANSWERS,
    DESIGNATED_CONTACT,
    IMPACT,
    MAX_INTAKE_TURNS,
    REPORT,
    conversation,
    engine_on,
    scripted_nlu,
    walk_to_summary,
)

__all__ = [
    "ANSWERS",
    "DESIGNATED_CONTACT",
    "IMPACT",
    "MAX_INTAKE_TURNS",
    "REPORT",
    "conversation",
    "engine_on",
    "scripted_nlu",
    "walk_to_summary",
]
