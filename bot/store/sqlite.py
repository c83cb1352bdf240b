"""The embedded, durable store: everything in one SQLite file.

It needs nothing installed and survives restarts; several processes may share the file
(creation and updates run in BEGIN IMMEDIATE transactions, so numbers are never reused and
no change is lost).
"""

from __future__ import annotations

import json
import math
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.store import changes as rules
from bot.store.base import locked_with
from bot.store.codec import case_from_dict, case_to_dict
from bot.store.errors import CaseNotFound, InvalidInput, VersionConflict
from bot.store.models import (
    FIRST_CASE_SEQUENCE,
    OUTBOX_GRACE,
    AuditEntry,
    Case,
    CaseDraft,
    Lock,
    OutboxItem,
    Timer,
    change_id,
    format_case_number,
    parse_case_number,
)
from bot.store.sqlite_connection import SqliteDatabase
from cases.operations import open_case

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _to_microseconds(moment: datetime) -> int:
    return (rules.require_moment("due_at", moment) - _EPOCH) // _MICROSECOND


def _from_microseconds(value: int) -> datetime:
    return _EPOCH + value * _MICROSECOND


class SqliteCaseStore:
    """Cases in a table keyed by their sequence, with an append-only audit table."""

    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def create_case(
        self,
        draft: CaseDraft,
        *,
        idempotency_key: str,
        actor_id: str,
        now: datetime,
        owed: Sequence[Mapping[str, Any]] = (),
    ) -> tuple[Case, bool]:
        draft = rules.validate_draft(draft)
        rules.require_text("idempotency_key", idempotency_key)
        rules.require_text("actor_id", actor_id)
        moment = rules.require_moment("now", now)
        messages = rules.require_owed(owed)
        with self._db.write() as conn:
            row = conn.execute(
                "SELECT data FROM cases WHERE idempotency_key = ?", (idempotency_key,)
            ).fetchone()
            if row is not None:
                return case_from_dict(json.loads(row[0])), False
            (sequence,) = conn.execute(
                "INSERT INTO sequences (name, value) VALUES ('case', ?) "
                "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
                (FIRST_CASE_SEQUENCE,),
            ).fetchone()
            case = open_case(
                draft=draft,
                number=format_case_number(sequence),
                idempotency_key=idempotency_key,
                now=moment,
            )
            conn.execute(
                "INSERT INTO cases (sequence, number, idempotency_key, org_short_name,"
                " requester_id, status, version, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    sequence,
                    case.number,
                    idempotency_key,
                    case.org_short_name,
                    case.requester_id,
                    case.status,
                    case.version,
                    rules.require_json("case", case_to_dict(case)),
                ),
            )
            self._record(
                conn, case.number, moment, actor_id, "create", rules.creation_changes(case)
            )
            SqliteOutbox.write(conn, case, action="create", messages=messages, now=moment)
        return case, True

    def get_case(self, number: str) -> Case | None:
        sequence = parse_case_number(number)
        with self._db.read() as conn:
            row = conn.execute("SELECT data FROM cases WHERE sequence = ?", (sequence,)).fetchone()
        return None if row is None else case_from_dict(json.loads(row[0]))

    def update_case(
        self,
        number: str,
        *,
        actor_id: str,
        now: datetime,
        changes: dict[str, Any],
        expected_version: int | None = None,
        action: str = "update",
        owed: Sequence[Mapping[str, Any]] = (),
    ) -> Case:
        sequence, moment, wanted = rules.validate_update(
            number=number, actor_id=actor_id, action=action, now=now, changes=changes
        )
        messages = rules.require_owed(owed)
        with self._db.write() as conn:
            row = conn.execute("SELECT data FROM cases WHERE sequence = ?", (sequence,)).fetchone()
            if row is None:
                raise CaseNotFound(f"there is no case {format_case_number(sequence)}")
            case = case_from_dict(json.loads(row[0]))
            if expected_version is not None and case.version != expected_version:
                raise VersionConflict(
                    f"{case.number} changed meanwhile (version {case.version}, "
                    f"expected {expected_version}); read it again"
                )
            recorded = rules.audit_changes(case, wanted)
            if not recorded:
                return case
            updated = rules.apply_changes(case, {k: wanted[k] for k in recorded}, now=moment)
            conn.execute(
                "UPDATE cases SET status = ?, version = ?, data = ? WHERE sequence = ?",
                (
                    updated.status,
                    updated.version,
                    rules.require_json("case", case_to_dict(updated)),
                    sequence,
                ),
            )
            self._record(conn, case.number, moment, actor_id, action, recorded)
            SqliteOutbox.write(conn, updated, action=action, messages=messages, now=moment)
        return updated

    def list_cases(
        self,
        *,
        org_short_name: str | None = None,
        requester_id: str | None = None,
        statuses: Iterable[str] | None = None,
    ) -> list[Case]:
        wanted_statuses = rules.require_statuses(statuses)
        clauses: list[str] = []
        params: list[Any] = []
        if org_short_name is not None:
            clauses.append("org_short_name = ?")
            params.append(org_short_name)
        if requester_id is not None:
            clauses.append("requester_id = ?")
            params.append(requester_id)
        if wanted_statuses is not None:
            if not wanted_statuses:
                return []
            clauses.append(f"status IN ({', '.join('?' * len(wanted_statuses))})")
            params.extend(sorted(wanted_statuses))
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._db.read() as conn:
            rows = conn.execute(f"SELECT data FROM cases{where} ORDER BY sequence", params)
            return [case_from_dict(json.loads(row[0])) for row in rows.fetchall()]

    def audit_trail(self, number: str) -> list[AuditEntry]:
        canonical = format_case_number(parse_case_number(number))
        with self._db.read() as conn:
            rows = conn.execute(
                "SELECT at, actor_id, action, changes FROM audit WHERE case_number = ? ORDER BY id",
                (canonical,),
            ).fetchall()
        return [
            AuditEntry(
                case_number=canonical,
                at=datetime.fromisoformat(at),
                actor_id=actor,
                action=action,
                changes=json.loads(changes),
            )
            for at, actor, action, changes in rows
        ]

    @staticmethod
    def _record(
        conn: Any,
        number: str,
        at: datetime,
        actor_id: str,
        action: str,
        changes: dict[str, Any],
    ) -> None:
        conn.execute(
            "INSERT INTO audit (case_number, at, actor_id, action, changes) VALUES (?, ?, ?, ?, ?)",
            (number, at.isoformat(), actor_id, action, rules.require_json("changes", changes)),
        )


class SqliteTrackerStore:
    """Conversation events as numbered rows, so appends never rewrite earlier events."""

    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def load(self, conversation_key: str) -> list[dict[str, Any]]:
        rules.require_text("conversation_key", conversation_key)
        with self._db.read() as conn:
            rows = conn.execute(
                "SELECT event FROM tracker_events WHERE conversation_key = ? ORDER BY position",
                (conversation_key,),
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def append(self, conversation_key: str, events: list[dict[str, Any]]) -> None:
        rules.require_text("conversation_key", conversation_key)
        encoded = self._encode(events)
        with self._db.write() as conn:
            (last,) = conn.execute(
                "SELECT COALESCE(MAX(position), -1) FROM tracker_events WHERE conversation_key = ?",
                (conversation_key,),
            ).fetchone()
            self._insert(conn, conversation_key, encoded, start=last + 1)

    def save(self, conversation_key: str, events: list[dict[str, Any]]) -> None:
        rules.require_text("conversation_key", conversation_key)
        encoded = self._encode(events)
        with self._db.write() as conn:
            conn.execute(
                "DELETE FROM tracker_events WHERE conversation_key = ?", (conversation_key,)
            )
            self._insert(conn, conversation_key, encoded, start=0)

    def delete(self, conversation_key: str) -> None:
        rules.require_text("conversation_key", conversation_key)
        with self._db.write() as conn:
            conn.execute(
                "DELETE FROM tracker_events WHERE conversation_key = ?", (conversation_key,)
            )

    @staticmethod
    def _encode(events: list[dict[str, Any]]) -> list[str]:
        if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
            raise InvalidInput("events must be a list of dicts")
        return [rules.require_json("event", event) for event in events]

    @staticmethod
    def _insert(conn: Any, key: str, encoded: list[str], *, start: int) -> None:
        conn.executemany(
            "INSERT INTO tracker_events (conversation_key, position, event) VALUES (?, ?, ?)",
            [(key, start + offset, event) for offset, event in enumerate(encoded)],
        )


class SqliteDeduplicator:
    """Seen event ids with an expiry; expired ids are swept on the way."""

    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def first_time(self, event_id: str, *, ttl_seconds: float) -> bool:
        rules.require_text("event_id", event_id)
        if ttl_seconds <= 0:
            raise InvalidInput(f"ttl_seconds must be positive, got {ttl_seconds!r}")
        now = time.time()
        with self._db.write() as conn:
            conn.execute("DELETE FROM seen_events WHERE expires_at <= ?", (now,))
            inserted = conn.execute(
                "INSERT OR IGNORE INTO seen_events (event_id, expires_at) VALUES (?, ?)",
                (event_id, now + ttl_seconds),
            ).rowcount
        return inserted == 1


class SqliteLockManager:
    """Locks as rows with an owner token and an expiry (wall-clock, shared by processes)."""

    POLL_SECONDS = 0.02

    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def acquire(self, key: str, *, ttl_seconds: float, wait_seconds: float = 0.0) -> Lock | None:
        rules.require_text("key", key)
        if ttl_seconds <= 0:
            raise InvalidInput(f"ttl_seconds must be positive, got {ttl_seconds!r}")
        token = secrets.token_hex(16)
        # Count attempts instead of watching a clock: a frozen clock (tests) cannot spin forever.
        attempts = 1 + max(0, math.ceil(wait_seconds / self.POLL_SECONDS))
        for attempt in range(attempts):
            now = time.time()
            with self._db.write() as conn:
                conn.execute("DELETE FROM locks WHERE key = ? AND expires_at <= ?", (key, now))
                taken = conn.execute(
                    "INSERT OR IGNORE INTO locks (key, token, expires_at) VALUES (?, ?, ?)",
                    (key, token, now + ttl_seconds),
                ).rowcount
            if taken == 1:
                expires_at = datetime.fromtimestamp(now + ttl_seconds, tz=UTC)
                return Lock(key=key, token=token, expires_at=expires_at)
            if attempt + 1 < attempts:
                time.sleep(self.POLL_SECONDS)
        return None

    def release(self, lock: Lock) -> bool:
        now = time.time()
        with self._db.write() as conn:
            row = conn.execute(
                "SELECT expires_at FROM locks WHERE key = ? AND token = ?", (lock.key, lock.token)
            ).fetchone()
            if row is None:
                return False
            conn.execute("DELETE FROM locks WHERE key = ? AND token = ?", (lock.key, lock.token))
        return bool(row[0] > now)

    def locked(
        self, key: str, *, ttl_seconds: float, wait_seconds: float = 0.0
    ) -> AbstractContextManager[Lock]:
        return locked_with(self, key, ttl_seconds=ttl_seconds, wait_seconds=wait_seconds)


class SqliteTimerStore:
    """Timers as rows; claiming deletes the row, so exactly one claimer wins."""

    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def schedule(self, timer_id: str, *, due_at: datetime, payload: dict[str, Any]) -> None:
        rules.require_text("timer_id", timer_id)
        if not isinstance(payload, dict):
            raise InvalidInput("payload must be a dict")
        encoded = rules.require_json("payload", payload)
        due_us = _to_microseconds(due_at)
        with self._db.write() as conn:
            conn.execute(
                "INSERT INTO timers (timer_id, due_at_us, payload) VALUES (?, ?, ?) "
                "ON CONFLICT (timer_id) DO UPDATE SET due_at_us = excluded.due_at_us,"
                " payload = excluded.payload",
                (timer_id, due_us, encoded),
            )

    def cancel(self, timer_id: str) -> bool:
        rules.require_text("timer_id", timer_id)
        with self._db.write() as conn:
            return conn.execute("DELETE FROM timers WHERE timer_id = ?", (timer_id,)).rowcount == 1

    def due(self, now: datetime) -> list[Timer]:
        limit = _to_microseconds(now)
        with self._db.read() as conn:
            rows = conn.execute(
                "SELECT timer_id, due_at_us, payload FROM timers WHERE due_at_us <= ?"
                " ORDER BY due_at_us, timer_id",
                (limit,),
            ).fetchall()
        return [
            Timer(timer_id=tid, due_at=_from_microseconds(due), payload=json.loads(payload))
            for tid, due, payload in rows
        ]

    def claim(self, timer_id: str) -> bool:
        rules.require_text("timer_id", timer_id)
        with self._db.write() as conn:
            return conn.execute("DELETE FROM timers WHERE timer_id = ?", (timer_id,)).rowcount == 1


_OUTBOX_COLUMNS = (
    "item_id, case_number, version, action, messages, delivered, attempts, available_at_us,"
    " last_error"
)


def _outbox_item(row: tuple[Any, ...]) -> OutboxItem:
    item_id, number, version, action, messages, delivered, attempts, available_us, error = row
    return OutboxItem(
        item_id=item_id,
        case_number=number,
        version=version,
        action=action,
        messages=tuple(json.loads(messages)),
        delivered=delivered,
        attempts=attempts,
        available_at=_from_microseconds(available_us),
        last_error=error,
    )


class SqliteOutbox:
    """Outbox rows, written inside the case's own transaction; a lease is a wall-clock time."""

    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    @staticmethod
    def write(conn: Any, case: Case, *, action: str, messages: str, now: datetime) -> None:
        """Called by the case store within its write transaction."""
        conn.execute(
            "INSERT OR IGNORE INTO outbox (item_id, case_number, version, action, messages,"
            " available_at_us) VALUES (?, ?, ?, ?, ?, ?)",
            (
                change_id(case.number, case.version),
                case.number,
                case.version,
                action,
                messages,
                _to_microseconds(now + OUTBOX_GRACE),
            ),
        )

    def get(self, item_id: str) -> OutboxItem | None:
        with self._db.read() as conn:
            row = conn.execute(
                f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE item_id = ?", (item_id,)
            ).fetchone()
        return None if row is None else _outbox_item(row)

    def due(self, now: datetime, *, limit: int = 100) -> list[OutboxItem]:
        with self._db.read() as conn:
            rows = conn.execute(
                f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE available_at_us <= ?"
                " AND leased_until <= ? ORDER BY available_at_us, rowid LIMIT ?",
                (_to_microseconds(now), time.time(), limit),
            ).fetchall()
        return [_outbox_item(row) for row in rows]

    def claim(self, item_id: str, *, lease_seconds: float) -> OutboxItem | None:
        wall = time.time()
        with self._db.write() as conn:
            row = conn.execute(
                f"UPDATE outbox SET leased_until = ?, attempts = attempts + 1 WHERE item_id = ?"
                f" AND leased_until <= ? RETURNING {_OUTBOX_COLUMNS}",
                (wall + lease_seconds, item_id, wall),
            ).fetchone()
        return None if row is None else _outbox_item(row)

    def advance(self, item_id: str, *, delivered: int) -> None:
        with self._db.write() as conn:
            conn.execute(
                "UPDATE outbox SET delivered = MAX(delivered, ?) WHERE item_id = ?",
                (delivered, item_id),
            )

    def retry(self, item_id: str, *, at: datetime, error: str) -> None:
        with self._db.write() as conn:
            conn.execute(
                "UPDATE outbox SET available_at_us = ?, leased_until = 0, last_error = ?"
                " WHERE item_id = ?",
                (_to_microseconds(at), error[:200], item_id),
            )

    def settle(self, item_id: str) -> None:
        with self._db.write() as conn:
            conn.execute("DELETE FROM outbox WHERE item_id = ?", (item_id,))


class SqliteStore:
    """Every sub-store on one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db = SqliteDatabase(self.path)
        self.cases = SqliteCaseStore(self._db)
        self.trackers = SqliteTrackerStore(self._db)
        self.dedup = SqliteDeduplicator(self._db)
        self.locks = SqliteLockManager(self._db)
        self.timers = SqliteTimerStore(self._db)
        self.outbox = SqliteOutbox(self._db)

    def ping(self) -> None:
        self._db.ping()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SqliteStore({str(self.path)!r})"
