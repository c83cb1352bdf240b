"""Functions run in separate OS processes by the SQLite multi-process tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.store.models import CaseDraft
from bot.store.sqlite import SqliteStore


def create_cases(path: str, worker: int, own: int, shared: int) -> list[tuple[str, str, bool]]:
    """Create `own` cases with private keys and `shared` with keys every worker also uses."""
    store = SqliteStore(Path(path))
    results = []
    try:
        keys = [f"shared-{n}" for n in range(shared)] + [f"w{worker}-{n}" for n in range(own)]
        for key in keys:
            draft = CaseDraft(
                org_short_name="acme",
                org_id="0f8fad5b-d9cb-469f-a165-70867728950e",
                requester_id="U01AAA",
                requester_name="Ana Ruiz",
                title=f"issue {key}",
                description="created from another process",
                business_impact="none",
                severity=3,
            )
            case, created = store.cases.create_case(
                draft, idempotency_key=key, actor_id="U01AAA", now=datetime.now(UTC)
            )
            results.append((key, case.number, created))
    finally:
        store.close()
    return results
