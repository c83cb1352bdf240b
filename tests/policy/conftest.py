"""Helpers shared by the policy tests: readable aware timestamps."""

from __future__ import annotations

from datetime import datetime

import pytest


def at(text: str) -> datetime:
    """An aware datetime from ISO 8601 text that must carry its offset."""
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None, "test timestamps must carry an offset"
    return moment


@pytest.fixture
def iso():
    return at
