"""One SQLite file shared safely by threads and processes.

Connections come from a small pool: an operation checks one out, so no connection is ever
used by two threads at once, and threads that come and go (an HTTP server's) leave nothing
behind. A forked child never reuses its parent's connections. Writes run in BEGIN IMMEDIATE
transactions so two writers never interleave a read-modify-write; WAL mode lets readers go on
meanwhile. Any SQLite failure (locked beyond the busy timeout, unreadable file, full disk)
becomes StoreUnavailable with a message that names the file, never a stack trace.
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

BUSY_TIMEOUT_SECONDS = 15.0

SCHEMA_VERSION = 1
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
    data TEXT NOT NULL
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
"""


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
        self._idle: list[sqlite3.Connection] = []
        self._pool_lock = threading.Lock()
        self._pid = os.getpid()
        self._closed = False
        with self.read() as conn:  # every statement is idempotent, so no transaction needed
            conn.executescript(SCHEMA)
        with self.write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,
                check_same_thread=False,  # the pool hands a connection to one thread at a time
            )
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            _use_wal(conn)
            conn.execute("PRAGMA synchronous = FULL")
        except (sqlite3.Error, OSError) as error:
            raise self._unavailable(error) from None
        return conn

    @contextmanager
    def _checked_out(self) -> Iterator[sqlite3.Connection]:
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
                yield conn
            except sqlite3.Error as error:
                raise self._unavailable(error) from None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One BEGIN IMMEDIATE transaction: committed on success, rolled back on any error."""
        with self._checked_out() as conn:
            try:
                conn.execute("BEGIN IMMEDIATE")
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
