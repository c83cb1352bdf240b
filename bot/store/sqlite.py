"""The embedded, durable store: everything in one SQLite file.

It needs nothing installed and survives restarts; several processes may share the file
(creation and updates run in BEGIN IMMEDIATE transactions, so numbers are never reused and
no change is lost).

A turn's own bookkeeping is two write transactions (`SqliteConversationTurns`: lock +
de-duplication + load, then the added events + unlock), committed without fsync; cases,
audit, outbox and timers commit with fsync (durability: see `bot.store.sqlite_connection`).
"""

from __future__ import annotations

import json
import logging
import math
import secrets
import sqlite3
import time
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Unpack

from bot.store import changes as rules
from bot.store.base import CaseFilters, Turn, abandon_turn, locked_with, turn_lock_key
from bot.store.codec import case_from_dict, case_to_dict
from bot.store.errors import (
    CaseNotFound,
    InvalidInput,
    LockNotAcquired,
)
from bot.store.models import (
    FIRST_CASE_SEQUENCE,
    OUTBOX_GRACE,
    STATUSES,
    AuditEntry,
    Case,
    CaseDraft,
    CasePage,
    Lock,
    OutboxItem,
    Timer,
    change_id,
    format_case_number,
    parse_case_number,
)
from bot.store.sqlite_connection import SqliteDatabase
from cases.operations import open_case

log = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _to_microseconds(moment: datetime) -> int:
    return (rules.require_moment("due_at", moment) - _EPOCH) // _MICROSECOND


def _from_microseconds(value: int) -> datetime:
    return _EPOCH + value * _MICROSECOND


def _case_filter(query: rules.CaseQuery) -> tuple[list[str], list[Any]]:
    """WHERE terms and parameters of a case query.

    Active-only queries carry the literal `status <> 'closed'` of the partial indexes
    (sqlite_connection.CASE_INDEXES), which lets SQLite answer them from those indexes.
    """
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in (
        ("org_short_name", query.org_short_name),
        ("requester_id", query.requester_id),
        ("assignee_id", query.assignee_id),
        ("origin_thread", query.origin_thread),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    wanted = query.statuses
    if wanted is not None and query.active_only:
        clauses.append(f"status <> '{rules.CLOSED}'")
    if wanted is not None and wanted != (rules.ACTIVE if query.active_only else STATUSES):
        clauses.append(f"status IN ({', '.join('?' * len(wanted))})")
        params.extend(sorted(wanted))
    return clauses, params


def _where(clauses: list[str]) -> str:
    return f" WHERE {' AND '.join(clauses)}" if clauses else ""


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
            plan = rules.planned_update(case, wanted, expected_version=expected_version, now=moment)
            if plan is None:
                return case
            recorded, updated = plan
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
        newest_first: bool = False,
        after: str | None = None,
        limit: int | None = None,
        **filters: Unpack[CaseFilters],
    ) -> list[Case]:
        query = rules.case_query(**filters)
        page_size, after_sequence = rules.require_page(limit, after)
        if query.nothing or page_size == 0:
            return []
        with self._db.read() as conn:
            return self._listed(conn, query, newest_first, after_sequence, page_size)

    def count_cases(self, *, at_most: int | None = None, **filters: Unpack[CaseFilters]) -> int:
        query = rules.case_query(**filters)
        cap, _ = rules.require_page(at_most, None)
        if query.nothing or cap == 0:
            return 0
        with self._db.read() as conn:
            return self._counted(conn, query, cap)

    def newest_cases(
        self, *, limit: int, count_at_most: int, **filters: Unpack[CaseFilters]
    ) -> CasePage:
        query = rules.case_query(**filters)
        page_size, _ = rules.require_page(limit, None)
        cap, _ = rules.require_page(count_at_most, None)
        if query.nothing or (page_size == 0 and cap == 0):
            return CasePage(cases=[], total=0)
        with self._db.read() as conn:  # one snapshot: the count agrees with the page
            cases = self._listed(conn, query, True, None, page_size)
            total = self._counted(conn, query, cap) if cap and len(cases) == page_size else 0
        return CasePage(cases=cases, total=max(total, len(cases)))

    @staticmethod
    def _listed(
        conn: sqlite3.Connection,
        query: rules.CaseQuery,
        newest_first: bool,
        after_sequence: int | None,
        page_size: int | None,
    ) -> list[Case]:
        where, params = _case_filter(query)
        if after_sequence is not None:
            where.append("sequence < ?" if newest_first else "sequence > ?")
            params.append(after_sequence)
        sql = f"SELECT data FROM cases{_where(where)} ORDER BY sequence"
        sql += " DESC" if newest_first else ""
        if page_size is not None:
            sql += " LIMIT ?"
            params.append(page_size)
        return [case_from_dict(json.loads(row[0])) for row in conn.execute(sql, params)]

    @staticmethod
    def _counted(conn: sqlite3.Connection, query: rules.CaseQuery, cap: int | None) -> int:
        where, params = _case_filter(query)
        inner = f"SELECT 1 FROM cases{_where(where)}"
        if cap is not None:
            inner += " LIMIT ?"
            params.append(cap)
        (count,) = conn.execute(f"SELECT COUNT(*) FROM ({inner})", params).fetchone()
        return int(count)

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


# Every statement releases and retakes the GIL (once per row fetched or inserted), and under
# load each retake can wait a thread switch; so a turn's bookkeeping uses few statements:
# one row for a whole conversation, one INSERT for all new events, upserts for lock and id.
_EVENTS = (
    "SELECT '[' || group_concat(event, ',') OVER (ORDER BY position ROWS BETWEEN UNBOUNDED"
    " PRECEDING AND UNBOUNDED FOLLOWING) || ']' FROM tracker_events WHERE conversation_key = ?"
    " LIMIT 1"
)
_INSERT_AFTER = (
    "INSERT INTO tracker_events (conversation_key, position, event) SELECT ?1,"
    " (SELECT COALESCE(MAX(position), -1) + 1 FROM tracker_events WHERE conversation_key = ?1)"
    " + column1, column2 FROM (VALUES {rows})"
)
_INSERT_CHUNK = 5000  # rows per INSERT (two variables each; SQLite allows 32766)
_TAKE_LOCK = (
    "INSERT INTO locks (key, token, expires_at) VALUES (?1, ?2, ?3) ON CONFLICT (key)"
    " DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at"
    " WHERE locks.expires_at <= ?4"
)
_REMEMBER = (
    "INSERT INTO seen_events (event_id, expires_at) VALUES (?1, ?2) ON CONFLICT (event_id)"
    " DO UPDATE SET expires_at = excluded.expires_at WHERE seen_events.expires_at <= ?3"
)
SWEEP_SECONDS = 60.0  # expired ids are overwritten in place; the sweep only bounds the table


def _encode_events(events: list[dict[str, Any]]) -> list[str]:
    """Each event as its own JSON text, or InvalidInput for the whole batch."""
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise InvalidInput("events must be a list of dicts")
    return [rules.require_json("event", event) for event in events]


def _read_events(conn: Any, key: str) -> list[dict[str, Any]]:
    """The conversation in one row and one JSON parse."""
    cursor = conn.execute(_EVENTS, (key,))
    row = cursor.fetchone()
    cursor.close()
    return [] if row is None else list(json.loads(row[0]))


def _add_events(conn: Any, key: str, encoded: list[str], *, replace: bool = False) -> None:
    """Insert `encoded` after the stored events, or instead of them when `replace`."""
    if replace:
        conn.execute("DELETE FROM tracker_events WHERE conversation_key = ?", (key,))
    for first in range(0, len(encoded), _INSERT_CHUNK):
        chunk = encoded[first : first + _INSERT_CHUNK]
        rows = ", ".join(f"({offset}, ?{offset + 2})" for offset in range(len(chunk)))
        conn.execute(_INSERT_AFTER.format(rows=rows), (key, *chunk))


def _positive(name: str, seconds: float) -> float:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds > 0:
        raise InvalidInput(f"{name} must be positive, got {seconds!r}")
    return float(seconds)


class _Sweeper:
    """Deletes expired seen ids at most every SWEEP_SECONDS per process, not on every call."""

    def __init__(self) -> None:
        self._next = 0.0

    def remember(self, conn: Any, event_id: str, *, expires_at: float, now: float) -> bool:
        """Record the id; False when it was seen and has not expired."""
        if time.monotonic() >= self._next:
            self._next = time.monotonic() + SWEEP_SECONDS
            conn.execute("DELETE FROM seen_events WHERE expires_at <= ?", (now,))
        inserted: int = conn.execute(_REMEMBER, (event_id, expires_at, now)).rowcount
        return inserted == 1


def _take_lock(conn: Any, key: str, token: str, *, expires_at: float, now: float) -> bool:
    """Insert the lock row, or take over an expired one; False while someone holds it."""
    taken: int = conn.execute(_TAKE_LOCK, (key, token, expires_at, now)).rowcount
    return taken == 1


def _drop_lock(conn: Any, lock: Lock, now: float) -> bool:
    """Delete the lock row if `lock.token` owns it; True when it had not expired yet."""
    rows = conn.execute(
        "DELETE FROM locks WHERE key = ? AND token = ? RETURNING expires_at",
        (lock.key, lock.token),
    ).fetchall()
    return bool(rows) and rows[0][0] > now


class _Refused(Exception):
    """Rolls a turn's first transaction back: the id was seen, or the lock is held."""

    def __init__(self, *, duplicate: bool) -> None:
        self.duplicate = duplicate


class SqliteTrackerStore:
    """Conversation events as numbered rows, so appends never rewrite earlier events.

    Bookkeeping: its writes commit without fsync (`write(durable=False)`).
    """

    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def load(self, conversation_key: str) -> list[dict[str, Any]]:
        rules.require_text("conversation_key", conversation_key)
        with self._db.read() as conn:
            return _read_events(conn, conversation_key)

    def append(self, conversation_key: str, events: list[dict[str, Any]]) -> None:
        rules.require_text("conversation_key", conversation_key)
        encoded = _encode_events(events)
        if not encoded:
            return
        with self._db.write(durable=False) as conn:
            _add_events(conn, conversation_key, encoded)

    def save(self, conversation_key: str, events: list[dict[str, Any]]) -> None:
        rules.require_text("conversation_key", conversation_key)
        encoded = _encode_events(events)
        with self._db.write(durable=False) as conn:
            _add_events(conn, conversation_key, encoded, replace=True)

    def delete(self, conversation_key: str) -> None:
        rules.require_text("conversation_key", conversation_key)
        with self._db.write(durable=False) as conn:
            conn.execute(
                "DELETE FROM tracker_events WHERE conversation_key = ?", (conversation_key,)
            )


class SqliteDeduplicator:
    """Seen event ids with an expiry, one upsert each (no fsync)."""

    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db
        self._sweeper = _Sweeper()

    def first_time(self, event_id: str, *, ttl_seconds: float) -> bool:
        rules.require_text("event_id", event_id)
        ttl = _positive("ttl_seconds", ttl_seconds)
        now = time.time()
        with self._db.write(durable=False) as conn:
            return self._sweeper.remember(conn, event_id, expires_at=now + ttl, now=now)


class SqliteLockManager:
    """Locks as rows with an owner token and an expiry (wall-clock, shared by processes)."""

    POLL_SECONDS = 0.02

    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def acquire(self, key: str, *, ttl_seconds: float, wait_seconds: float = 0.0) -> Lock | None:
        rules.require_text("key", key)
        ttl = _positive("ttl_seconds", ttl_seconds)
        token = secrets.token_hex(16)
        # Count attempts instead of watching a clock: a frozen clock (tests) cannot spin forever.
        attempts = 1 + max(0, math.ceil(wait_seconds / self.POLL_SECONDS))
        for attempt in range(attempts):
            now = time.time()
            with self._db.write(durable=False) as conn:
                taken = _take_lock(conn, key, token, expires_at=now + ttl, now=now)
            if taken:
                expires_at = datetime.fromtimestamp(now + ttl, tz=UTC)
                return Lock(key=key, token=token, expires_at=expires_at)
            if attempt + 1 < attempts:
                time.sleep(self.POLL_SECONDS)
        return None

    def release(self, lock: Lock) -> bool:
        now = time.time()
        with self._db.write(durable=False) as conn:
            return _drop_lock(conn, lock, now)

    def locked(
        self, key: str, *, ttl_seconds: float, wait_seconds: float = 0.0
    ) -> AbstractContextManager[Lock]:
        return locked_with(self, key, ttl_seconds=ttl_seconds, wait_seconds=wait_seconds)

    def release_orphans(self) -> int:
        return 0  # a SQLite write either commits or raises: no lock is taken unknowingly


class SqliteConversationTurns:
    """A turn's bookkeeping in two write transactions, neither fsync'd.

    `begin` records the event id, takes the conversation's lock row (the `locks` table, shared
    with SqliteLockManager, so other processes are excluded too) and reads the events;
    `finish` inserts only the rows the turn added (all of them after a compaction) and
    deletes the lock row. The lock must be visible to other processes while the turn's
    actions run, so taking and dropping it cannot share one transaction.
    """

    POLL_SECONDS = 0.02

    def __init__(self, db: SqliteDatabase, *, locks: SqliteLockManager) -> None:
        self._db = db
        self._locks = locks
        self._sweeper = _Sweeper()

    def begin(
        self,
        conversation_key: str,
        *,
        event_id: str | None,
        lock_ttl_seconds: float,
        wait_seconds: float = 0.0,
        dedup_ttl_seconds: float,
    ) -> Turn | None:
        rules.require_text("conversation_key", conversation_key)
        lock_ttl = _positive("lock_ttl_seconds", lock_ttl_seconds)
        dedup_ttl = 0.0
        if event_id is not None:
            rules.require_text("event_id", event_id)
            dedup_ttl = _positive("dedup_ttl_seconds", dedup_ttl_seconds)
        name = turn_lock_key(conversation_key)
        token = secrets.token_hex(16)
        attempts = 1 + max(0, math.ceil(wait_seconds / self.POLL_SECONDS))
        for attempt in range(attempts):
            now = time.time()
            try:
                with self._db.write(durable=False) as conn:
                    if event_id is not None and not self._sweeper.remember(
                        conn, event_id, expires_at=now + dedup_ttl, now=now
                    ):
                        raise _Refused(duplicate=True)
                    if not _take_lock(conn, name, token, expires_at=now + lock_ttl, now=now):
                        raise _Refused(duplicate=False)  # the id is not recorded either
                    events = _read_events(conn, conversation_key)
            except _Refused as refused:
                if refused.duplicate:
                    return None
                if attempt + 1 < attempts:
                    time.sleep(self.POLL_SECONDS)
                continue
            expires_at = datetime.fromtimestamp(now + lock_ttl, tz=UTC)
            return Turn(
                conversation_key, Lock(key=name, token=token, expires_at=expires_at), events
            )
        raise LockNotAcquired(f"{name!r} is busy, try again in a moment")

    def finish(
        self,
        turn: Turn,
        *,
        added: list[dict[str, Any]],
        replace: list[dict[str, Any]] | None = None,
    ) -> bool:
        encoded = _encode_events(added if replace is None else replace)
        now = time.time()
        with self._db.write(durable=False) as conn:
            _add_events(conn, turn.conversation_key, encoded, replace=replace is not None)
            held = _drop_lock(conn, turn.lock, now)
        turn.finished = True
        return held

    def abandon(self, turn: Turn) -> None:
        abandon_turn(turn, self._locks)

    def append(
        self, conversation_key: str, events: list[dict[str, Any]], *, wait_seconds: float = 0.0
    ) -> None:
        rules.require_text("conversation_key", conversation_key)
        encoded = _encode_events(events)
        if not encoded:
            return
        name = turn_lock_key(conversation_key)
        attempts = 1 + max(0, math.ceil(wait_seconds / self.POLL_SECONDS))
        for attempt in range(attempts):
            with self._db.write(durable=False) as conn:
                held = conn.execute(
                    "SELECT 1 FROM locks WHERE key = ? AND expires_at > ?", (name, time.time())
                ).fetchall()
                if not held:
                    _add_events(conn, conversation_key, encoded)
            if not held:
                return
            if attempt + 1 < attempts:
                time.sleep(self.POLL_SECONDS)
        raise LockNotAcquired(f"{name!r} is busy, try again in a moment")


class SqliteTimerStore:
    """Timers as rows; claiming deletes the row, so exactly one claimer wins."""

    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def schedule(self, timer_id: str, *, due_at: datetime, payload: dict[str, Any]) -> None:
        self.schedule_all({timer_id: (due_at, payload)})

    def schedule_all(self, timers: Mapping[str, tuple[datetime, dict[str, Any]]]) -> None:
        rows = [
            (timer_id, _to_microseconds(due_at), encoded)
            for timer_id, due_at, encoded in rules.checked_timers(timers)
        ]
        with self._db.write() as conn:
            conn.executemany(
                "INSERT INTO timers (timer_id, due_at_us, payload) VALUES (?, ?, ?) "
                "ON CONFLICT (timer_id) DO UPDATE SET due_at_us = excluded.due_at_us,"
                " payload = excluded.payload",
                rows,
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
        self.turns = SqliteConversationTurns(self._db, locks=self.locks)
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
