"""One SQLite file shared safely by threads and processes.

Connections come from a small pool: an operation checks one out, so no connection is ever
used by two threads at once, and threads that come and go (an HTTP server's) leave nothing
behind. A forked child never reuses its parent's connections. Writes run in BEGIN IMMEDIATE
transactions so two writers never interleave a read-modify-write; WAL mode lets readers go on
meanwhile. Any SQLite failure (locked beyond the busy timeout, unreadable file, full disk)
becomes StoreUnavailable with a message that names the file, never a stack trace.

Durability (WAL, `PRAGMA synchronous` chosen per transaction): a `write()` is FULL by default,
so its commit is fsync'd and survives a power loss; cases, their audit trail, the outbox and
timers are written so. The bot's own bookkeeping (`write(durable=False)`: conversation events,
turn locks, seen event ids) commits NORMAL: the commit fsyncs nothing, survives the bot
crashing or being killed, and a power loss or OS crash can undo the bookkeeping committed
since the last fsync (the next FULL commit or checkpoint fsyncs everything before it, so it is
never a case's). The effect is a conversation a step or two behind after a power cut: the
person repeats an answer, and a repeated confirmation finds its case by idempotency key.
Within a process, write transactions take turns on a lock (`_write_turn`) rather than in
SQLite's sleeping busy handler; other processes still meet in the busy handler.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from bot.store.errors import StoreUnavailable

log = logging.getLogger(__name__)

# `PRAGMA synchronous` per transaction (see the module docstring): durable -> FULL.
_SYNCHRONOUS = {True: "PRAGMA synchronous = FULL", False: "PRAGMA synchronous = NORMAL"}

BUSY_TIMEOUT_SECONDS = 15.0
WRITER_POLL_SECONDS = 0.0005

# 2: `assignee_id` and `origin_thread` columns and the active-case indexes (see CASE_INDEXES).
SCHEMA_VERSION = 2
# Derived from the case JSON by SQLite itself, so they can never disagree with it, and a
# file written by older code needs no backfill. '' stands for nobody / no thread.
_ASSIGNEE = "COALESCE(json_extract(data, '$.assignee_id'), '')"
_THREAD = "COALESCE(json_extract(data, '$.origin_thread'), '')"
_NEW_COLUMNS = {"assignee_id": _ASSIGNEE, "origin_thread": _THREAD}
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sequences (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cases (
    sequence INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    org_short_name TEXT NOT NULL,
    requester_id TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    assignee_id TEXT GENERATED ALWAYS AS (ASSIGNEE_EXPRESSION) VIRTUAL,
    origin_thread TEXT GENERATED ALWAYS AS (THREAD_EXPRESSION) VIRTUAL
);
CREATE INDEX IF NOT EXISTS cases_by_org ON cases (org_short_name);
CREATE INDEX IF NOT EXISTS cases_by_requester ON cases (requester_id);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_number TEXT NOT NULL,
    at TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    action TEXT NOT NULL,
    changes TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_case ON audit (case_number, id);
CREATE TABLE IF NOT EXISTS tracker_events (
    conversation_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (conversation_key, position)
);
CREATE TABLE IF NOT EXISTS seen_events (
    event_id TEXT PRIMARY KEY,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS seen_events_by_expiry ON seen_events (expires_at);
CREATE TABLE IF NOT EXISTS locks (
    key TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS timers (
    timer_id TEXT PRIMARY KEY,
    due_at_us INTEGER NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS timers_by_due ON timers (due_at_us);
CREATE TABLE IF NOT EXISTS outbox (
    item_id TEXT PRIMARY KEY,
    case_number TEXT NOT NULL,
    version INTEGER NOT NULL,
    action TEXT NOT NULL,
    messages TEXT NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    available_at_us INTEGER NOT NULL,
    leased_until REAL NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS outbox_by_available ON outbox (available_at_us);
""".replace("ASSIGNEE_EXPRESSION", _ASSIGNEE).replace("THREAD_EXPRESSION", _THREAD)

# Partial indexes of the cases that are not closed, newest last: the per-message queries
# (`status <> 'closed'` in their WHERE, spelled exactly so) read only these, whatever the
# number of closed cases.
CASE_INDEXES = """
CREATE INDEX IF NOT EXISTS active_cases ON cases (sequence) WHERE status <> 'closed';
CREATE INDEX IF NOT EXISTS active_cases_by_org ON cases (org_short_name, sequence)
    WHERE status <> 'closed';
CREATE INDEX IF NOT EXISTS active_cases_by_requester ON cases (requester_id, sequence)
    WHERE status <> 'closed';
CREATE INDEX IF NOT EXISTS active_cases_by_assignee ON cases (assignee_id, sequence)
    WHERE status <> 'closed';
CREATE INDEX IF NOT EXISTS active_cases_by_thread ON cases (origin_thread, sequence)
    WHERE status <> 'closed';
"""


def _schema_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return 0 if row is None else int(row[0])


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a file written by older code up to SCHEMA_VERSION, inside the caller's write.

    Version 1 files lack the derived columns: ALTER TABLE adds them (virtual, so existing
    rows need no rewrite). Re-checked under the write lock, so racing openers migrate once.
    """
    if _schema_version(conn) >= SCHEMA_VERSION:
        return
    present = {row[1] for row in conn.execute("PRAGMA table_xinfo(cases)")}
    for name, expression in _NEW_COLUMNS.items():
        if name not in present:
            conn.execute(
                f"ALTER TABLE cases ADD COLUMN {name} TEXT GENERATED ALWAYS AS ({expression})"
                " VIRTUAL"
            )
    for statement in CASE_INDEXES.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
        (str(SCHEMA_VERSION),),
    )


class _Connection(sqlite3.Connection):
    """A pooled connection that remembers its `synchronous` (True = FULL) and busy modes."""

    durable: bool | None = None
    waits = True  # SQLite's busy handler waits (reads); False while BEGIN polls instead


def _begin_immediate(conn: _Connection) -> None:
    """BEGIN IMMEDIATE, polling every half millisecond while another process writes.

    SQLite's busy handler sleeps 1, 2, 5, 10, 15, 20, 25 ... ms between attempts, so a writer
    that lost a few times waited tens of milliseconds for transactions that take a fraction
    of one; polling keeps the wait close to what the other writer really needs.
    """
    if conn.waits:
        conn.execute("PRAGMA busy_timeout = 0")
        conn.waits = False
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        time.sleep(WRITER_POLL_SECONDS)


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL, waiting out other processes that are switching it too.

    SQLite does not call the busy handler while a brand-new file changes its journal mode, so
    several processes opening a new store at the same moment would see "database is locked".
    WAL mode is stored in the file, so once one process has switched it the others see it.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class SqliteDatabase:
    """Pooled connections to one SQLite file plus transaction helpers that map failures."""

    MAX_IDLE_CONNECTIONS = 8

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._idle: list[_Connection] = []
        self._pool_lock = threading.Lock()
        self._pid = os.getpid()
        self._closed = False
        self._writer = threading.RLock()
        self._writer_pid = self._pid
        with self.read() as conn:  # every statement is idempotent, so no transaction needed
            conn.executescript(SCHEMA)
            current = _schema_version(conn) >= SCHEMA_VERSION
        if not current:  # a new file, or one written by older code
            with self.write() as conn:
                _migrate(conn)

    def _connect(self) -> _Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,
                check_same_thread=False,  # the pool hands a connection to one thread at a time
                factory=_Connection,
            )
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            _use_wal(conn)
            conn.execute(_SYNCHRONOUS[True])
            conn.durable = True
        except (sqlite3.Error, OSError) as error:
            raise self._unavailable(error) from None
        return conn

    @contextmanager
    def _checked_out(self) -> Iterator[_Connection]:
        with self._pool_lock:
            if self._closed:
                raise StoreUnavailable("the store was closed")
            if os.getpid() != self._pid:  # forked child: drop, never touch, the parent's handles
                self._idle = []
                self._pid = os.getpid()
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._connect()
        healthy = False
        try:
            yield conn
            healthy = not conn.in_transaction
        finally:
            with self._pool_lock:
                keep = healthy and not self._closed and len(self._idle) < self.MAX_IDLE_CONNECTIONS
                if keep:
                    self._idle.append(conn)
            if not keep:
                with suppress(sqlite3.Error):
                    conn.close()

    def _unavailable(self, error: BaseException) -> StoreUnavailable:
        log.warning("sqlite store %s failed: %s", self.path, error)
        return StoreUnavailable(f"the case store at {self.path} is not available ({error})")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection for plain SELECTs; SQLite errors become StoreUnavailable."""
        with self._checked_out() as conn:
            try:
                if not conn.waits:  # it polled for a write last: let SQLite wait again
                    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
                    conn.waits = True
                yield conn
            except sqlite3.Error as error:
                raise self._unavailable(error) from None

    @contextmanager
    def _write_turn(self) -> Iterator[None]:
        """One write transaction at a time per process (another process may still write).

        Threads of one process queue here instead of in SQLite's busy handler, which sleeps
        1, 2, 5, 10, 15 ... ms between attempts and so stretched a wait for a sub-millisecond
        transaction to tens of milliseconds under load.
        """
        if os.getpid() != self._writer_pid:  # forked child: the parent's lock state is void
            self._writer, self._writer_pid = threading.RLock(), os.getpid()
        writer = self._writer
        if not writer.acquire(timeout=BUSY_TIMEOUT_SECONDS):  # as bounded as SQLite's wait
            raise self._unavailable(TimeoutError("another write of this process is still busy"))
        try:
            yield
        finally:
            writer.release()

    @contextmanager
    def write(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """One BEGIN IMMEDIATE transaction: committed on success, rolled back on any error.

        `durable=False` commits without fsync (module docstring): for bookkeeping only.
        """
        with self._write_turn(), self._checked_out() as conn:
            try:
                if conn.durable is not durable:  # a PRAGMA only when the mode changes
                    conn.execute(_SYNCHRONOUS[durable])
                    conn.durable = durable
                _begin_immediate(conn)
            except sqlite3.Error as error:
                raise self._unavailable(error) from None
            try:
                yield conn
            except BaseException as error:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise self._unavailable(error) from None
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as error:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise self._unavailable(error) from None

    def ping(self) -> None:
        with self.read() as conn:
            conn.execute("SELECT 1 FROM meta LIMIT 1").fetchall()

    def close(self) -> None:
        """Close idle connections; ones in use close when their operation ends."""
        with self._pool_lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            with suppress(sqlite3.Error):
                conn.close()
