"""Functions run in separate OS processes by the SQLite multi-process tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.store.errors import VersionConflict
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


def append_notes(path: str, worker: int, notes: int) -> int:
    """Append notes to CS-1001's troubleshooting with optimistic retries; return conflicts."""
    store = SqliteStore(Path(path))
    conflicts = 0
    try:
        for note in range(notes):
            while True:
                case = store.cases.get_case("CS-1001")
                assert case is not None
                text = f"{case.troubleshooting or ''}p{worker}n{note};"
                try:
                    store.cases.update_case(
                        case.number,
                        actor_id=f"U0P{worker}",
                        now=datetime.now(UTC),
                        changes={"troubleshooting": text},
                        expected_version=case.version,
                    )
                    break
                except VersionConflict:
                    conflicts += 1
    finally:
        store.close()
    return conflicts


def open_at_and_create(path: str, start_at: float, key: str) -> str:
    """Open the store at `start_at` (so every process opens a fresh file at once) and create."""
    import time

    while time.time() < start_at:
        time.sleep(0.001)
    store = SqliteStore(Path(path))
    try:
        draft = CaseDraft(
            org_short_name="acme",
            org_id="0f8fad5b-d9cb-469f-a165-70867728950e",
            requester_id="U01AAA",
            requester_name="Ana Ruiz",
            title=f"issue {key}",
            description="created by a process that opened a brand-new store file",
            business_impact="none",
            severity=3,
        )
        case, _ = store.cases.create_case(
            draft, idempotency_key=key, actor_id="U01AAA", now=datetime.now(UTC)
        )
    finally:
        store.close()
    return case.number
