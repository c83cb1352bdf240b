"""Only the person a question was asked can answer it.

In a shared Slack thread anyone can type "yes" under Ana's summary; without this check their
"yes" would open her case for them, their "cancel" would drop her draft. While the intake form
or a yes/no step waits, the conversation belongs to the person whose message it answers.
"""

from __future__ import annotations

from typing import Any


def question_owner(events: list[dict[str, Any]], *, waiting: bool) -> str | None:
    """Who may answer now: the sender of the latest message, while a question waits."""
    if not waiting:
        return None
    for event in reversed(events):
        if event.get("event") == "user":
            metadata = event.get("metadata") or {}
            owner = metadata.get("user_id")
            return str(owner) if owner else None
    return None
