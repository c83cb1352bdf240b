"""The shared store for several bot replicas: every store protocol on one Redis server.

Selected by `REDIS_URL` (see `bot.store.factory`). Keys live under `supportbot:` plus an
optional namespace (`?namespace=NAME` in the URL or `SUPPORTBOT_REDIS_NAMESPACE`):

| key | type | holds |
|---|---|---|
| `seq:case` | string | the case-number sequence (INCR; the first case is CS-1001) |
| `case:<n>` | hash | `version`, `status`, `data` (the case as JSON without its number) |
| | | and `org`, `requester`, `assignee`, `thread`: what it is indexed by ('' for none) |
| `audit:<n>` | stream | one entry per recorded change: at, actor, action, changes |
| `idempotency` | hash | idempotency key -> case sequence |
| `index:all`, `index:org:<org>`, `index:requester:<id>` | sorted sets | case sequences |
| `index:active:all`, `index:active:org:<org>` | sorted sets | sequences of active cases |
| `index:active:requester:<id>`, `index:active:assignee:<id>` | sorted sets | the same |
| `index:active:unassigned`, `index:active:thread:<conversation>` | sorted sets | the same |
| `index:format` | string | the active indexes' format, set once they cover every case |
| `tracker:<conversation>` | list | the conversation's events, one JSON event each, with a TTL |
| `seen:<event id>` | string | a Slack event id, expiring after its TTL |
| `lock:<name>` | string | the owner token, expiring after the lock's TTL |
| `timers:due`, `timers:data` | sorted set, hash | due time (microseconds) and payload per timer |
| `outbox:item:<id>`, `outbox:available` | hash, zset | what a change owes; when it may be taken |
| `outbox:lease:<id>` | string | held while someone delivers the item, expiring after the lease |
| `directory:<fingerprint>` | hash | facts looked up about people, per directory file version |

Atomicity: case creation and case updates are Lua scripts (create checks the idempotency key,
takes the next number and writes case, indexes and first audit entry in one step; update writes
only when the version it read is still current, and retries otherwise, moving the case between
active indexes as its status, assignee or thread change). A store written by code that kept no
active indexes gets them once, when a process first opens it (`index:format` then records it).
A tracker is a list, so a turn pushes only the events it added; a turn's lock, de-duplication
and load are one script, and its write and lock release another (`RedisConversationTurns`: two
round trips per turn besides what its actions write). A tracker written by older code (a JSON
array string) is still read and becomes a list at its next write. Locks and timer claims are
compare-and-delete scripts.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
import secrets
import threading
import time
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, suppress
from datetime import UTC, datetime, timedelta
from typing import Any, Unpack

from bot.store import changes as rules
from bot.store import redis_scripts as lua
from bot.store.base import CaseFilters, Turn, abandon_turn, locked_with, turn_lock_key
from bot.store.codec import case_from_dict, case_to_dict
from bot.store.errors import (
    CaseNotFound,
    InvalidInput,
    LockNotAcquired,
    StoreUnavailable,
    VersionConflict,
)
from bot.store.models import (
    CASE_NUMBER_PREFIX,
    FIRST_CASE_SEQUENCE,
    OUTBOX_GRACE,
    AuditEntry,
    Case,
    CaseDraft,
    CasePage,
    Lock,
    OutboxItem,
    Timer,
    format_case_number,
    parse_case_number,
)
from bot.store.redis_connection import RedisConnection
from bot.store.redis_directory_cache import DEFAULT_TTL_SECONDS as DEFAULT_DIRECTORY_TTL_SECONDS
from bot.store.redis_directory_cache import RedisDirectoryCache
from cases.operations import open_case

__all__ = ["RedisStore", "open_redis_store"]

log = logging.getLogger(__name__)

TRACKER_TTL_ENV = "SUPPORTBOT_TRACKER_TTL_DAYS"
DEFAULT_TRACKER_TTL_SECONDS = 90 * 24 * 3600.0
UPDATE_ATTEMPTS = 50
# Bump to have every store's active-case indexes rebuilt when a process next opens it.
INDEX_FORMAT = "1"
# What a case hash carries for filtering without decoding the case, in this order.
_INDEX_FIELDS = ("status", "org", "requester", "assignee", "thread")
_PAGE = 500
_SCAN = 1000  # index entries one query step examines at most, so no step holds Redis long
_EVERY = 1 << 50  # "count them all"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _milliseconds(seconds: float) -> int:
    return max(1, math.ceil(seconds * 1000))


def _require_ttl(name: str, seconds: float) -> float:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds > 0:
        raise InvalidInput(f"{name} must be positive, got {seconds!r}")
    return float(seconds)


def _microseconds(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def _encode_case(case: Case) -> str:
    data = case_to_dict(case)
    del data["number"]  # the number is the key; a script writes the data before it knows it
    return rules.require_json("case", data)


def _decode_case(sequence: int, data: str) -> Case:
    return case_from_dict({**json.loads(data), "number": format_case_number(sequence)})


class RedisCaseStore:
    """Cases as hashes with a version, an audit stream per case, and indexes for listing."""

    def __init__(self, conn: RedisConnection) -> None:
        self._conn = conn
        self._create = conn.client.register_script(lua.CREATE_CASE)
        self._update = conn.client.register_script(lua.UPDATE_CASE)
        self._index = conn.client.register_script(lua.INDEX_CASES)
        self._query = conn.client.register_script(lua.QUERY_CASES)
        self._indexed = False
        self._index_lock = threading.Lock()
        with suppress(StoreUnavailable):  # opening never needs the server: the first
            self._ensure_indexes()  # query builds them then

    def _active_keys(self, values: Mapping[str, str]) -> list[str]:
        """The active-case indexes a case with these index values belongs to."""
        if values["status"] == rules.CLOSED:
            return []
        key = self._conn.key
        assignee = values["assignee"]
        keys = [
            key("index", "active", "all"),
            key("index", "active", "org", values["org"]),
            key("index", "active", "requester", values["requester"]),
            key("index", "active", "unassigned")
            if assignee == rules.UNASSIGNED
            else key("index", "active", "assignee", assignee),
        ]
        if values["thread"]:
            keys.append(key("index", "active", "thread", values["thread"]))
        return keys

    def _ensure_indexes(self) -> None:
        """Index a store written by older code once (idempotent; racing builders are fine)."""
        if self._indexed:
            return
        with self._index_lock:
            if self._indexed:
                return
            marker_key = self._conn.key("index", "format")
            marker, sequence = self._conn.call(
                lambda client: client.mget(marker_key, self._conn.key("seq", "case"))
            )
            if marker != INDEX_FORMAT and sequence is not None:
                self._build_indexes()
                self._conn.call(lambda client: client.set(marker_key, INDEX_FORMAT))
            self._indexed = True

    def _build_indexes(self) -> None:
        every = self._conn.key("index", "all")
        bound = "-inf"
        while True:

            def page(client: Any, bound: str = bound) -> list[str]:
                return list(client.zrangebyscore(every, bound, "+inf", start=0, num=_PAGE))

            batch = self._conn.call(page)
            pending = [int(sequence) for sequence in batch]
            for _ in range(UPDATE_ATTEMPTS):  # cases updated meanwhile are read again
                if not pending:
                    break
                pending = self._index_batch(pending)
            if len(batch) < _PAGE:
                return
            bound = f"({batch[-1]}"

    def _index_batch(self, sequences: list[int]) -> list[int]:
        """Index these cases as they are now; returns those that changed while being read."""

        def read(client: Any) -> list[Any]:
            pipe = client.pipeline(transaction=False)
            for sequence in sequences:
                pipe.hmget(self._conn.key("case", sequence), "version", "data")
            return list(pipe.execute())

        args: list[str | int] = [self._conn.prefix]
        for sequence, (version, data) in zip(sequences, self._conn.call(read), strict=True):
            if version is None or data is None:
                continue  # deleted by hand: nothing to index
            values = rules.index_values(_decode_case(sequence, data))
            keys = self._active_keys(values)
            args += [sequence, version, *(values[name] for name in _INDEX_FIELDS)]
            args += [len(keys), *keys]
        if len(args) == 1:
            return []
        skipped = self._conn.call(lambda client: self._index(keys=[], args=args, client=client))
        return [int(sequence) for sequence in skipped]

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
        # The number is unknown until the script runs, so the stored data leaves it out.
        case = open_case(
            draft=draft,
            number=format_case_number(FIRST_CASE_SEQUENCE),
            idempotency_key=idempotency_key,
            now=moment,
        )
        key = self._conn.key
        values = rules.index_values(case)
        result = self._conn.call(
            lambda client: self._create(
                keys=[
                    key("idempotency"),
                    key("seq", "case"),
                    key("index", "all"),
                    key("index", "org", case.org_short_name),
                    key("index", "requester", case.requester_id),
                    key("outbox", "available"),
                    key("index", "format"),
                    *self._active_keys(values),
                ],
                args=[
                    self._conn.prefix,
                    idempotency_key,
                    FIRST_CASE_SEQUENCE,
                    _encode_case(case),
                    case.status,
                    moment.isoformat(),
                    actor_id,
                    rules.require_json("changes", rules.creation_changes(case)),
                    CASE_NUMBER_PREFIX,
                    messages,
                    _microseconds(moment + OUTBOX_GRACE),
                    *(values[name] for name in _INDEX_FIELDS[1:]),
                    INDEX_FORMAT,
                ],
                client=client,
            )
        )
        created, sequence = int(result[0]), int(result[1])
        if created:
            return dataclasses.replace(case, number=format_case_number(sequence)), True
        data = result[3]
        if data is None:  # only if someone deleted the case hash by hand
            raise CaseNotFound(f"{format_case_number(sequence)} was created but is missing")
        return _decode_case(sequence, data), False

    def get_case(self, number: str) -> Case | None:
        sequence = parse_case_number(number)
        data = self._conn.call(lambda client: client.hget(self._conn.key("case", sequence), "data"))
        return None if data is None else _decode_case(sequence, data)

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
        case_key = self._conn.key("case", sequence)
        for _ in range(UPDATE_ATTEMPTS):
            read_version, data = self._conn.call(
                lambda client: client.hmget(case_key, "version", "data")
            )
            if read_version is None or data is None:
                raise CaseNotFound(f"there is no case {format_case_number(sequence)}")
            case = _decode_case(sequence, data)
            plan = rules.planned_update(case, wanted, expected_version=expected_version, now=moment)
            if plan is None:
                return case
            recorded, updated = plan
            written = self._write_if_unchanged(
                sequence,
                read_version=read_version,
                read=case,
                updated=updated,
                audit=[
                    moment.isoformat(),
                    actor_id,
                    action,
                    rules.require_json("changes", recorded),
                ],
                owed=[messages, _microseconds(moment + OUTBOX_GRACE)],
            )
            if written == 1:
                return updated
            if written == -1:
                raise CaseNotFound(f"there is no case {format_case_number(sequence)}")
            if expected_version is not None:  # someone else wrote between our read and write
                raise rules.version_conflict(case.number, case.version + 1, expected_version)
        raise VersionConflict(
            f"{format_case_number(sequence)} is changing too often right now; try again"
        )

    def _write_if_unchanged(
        self,
        sequence: int,
        *,
        read_version: str,
        read: Case,
        updated: Case,
        audit: list[str],
        owed: list[str | int],
    ) -> int:
        """1 when written, 0 when the case moved on since `read_version`, -1 when it is gone.

        The case leaves the active indexes of the version read that the new one is not in,
        and joins the new version's others, in the same script.
        """
        values = rules.index_values(updated)
        before, after = self._active_keys(rules.index_values(read)), self._active_keys(values)
        left = [k for k in before if k not in after]
        joined = [k for k in after if k not in before]
        return int(
            self._conn.call(
                lambda client: self._update(
                    keys=[
                        self._conn.key("case", sequence),
                        self._conn.key("audit", sequence),
                        self._conn.key("outbox", "available"),
                        *left,
                        *joined,
                    ],
                    args=[
                        read_version,
                        updated.version,
                        updated.status,
                        _encode_case(updated),
                        *audit,
                        self._conn.prefix,
                        updated.number,
                        *owed,
                        len(left),
                        sequence,
                        values["assignee"],
                        values["thread"],
                    ],
                    client=client,
                )
            )
        )

    def list_cases(
        self,
        *,
        newest_first: bool = False,
        after: str | None = None,
        limit: int | None = None,
        **filters: Unpack[CaseFilters],
    ) -> list[Case]:
        query = rules.case_query(**filters)
        page, after_sequence = rules.require_page(limit, after)
        if query.nothing or page == 0:
            return []
        cases, _ = self._walk(query, newest_first=newest_first, after=after_sequence, wanted=page)
        return cases

    def count_cases(self, *, at_most: int | None = None, **filters: Unpack[CaseFilters]) -> int:
        query = rules.case_query(**filters)
        cap, _ = rules.require_page(at_most, None)
        if query.nothing or cap == 0:
            return 0
        _, total = self._walk(query, newest_first=True, wanted=0, count_to=cap or _EVERY)
        return total

    def newest_cases(
        self, *, limit: int, count_at_most: int, **filters: Unpack[CaseFilters]
    ) -> CasePage:
        query = rules.case_query(**filters)
        page, _ = rules.require_page(limit, None)
        cap, _ = rules.require_page(count_at_most, None)
        if query.nothing or (page == 0 and cap == 0):
            return CasePage(cases=[], total=0)
        cases, total = self._walk(query, newest_first=True, wanted=page, count_to=cap or 0)
        return CasePage(cases=cases, total=max(total, len(cases)) if cap else len(cases))

    def _walk(
        self,
        query: rules.CaseQuery,
        *,
        newest_first: bool,
        after: int | None = None,
        wanted: int | None,
        count_to: int = 0,
    ) -> tuple[list[Case], int]:
        """Up to `wanted` matching cases (None: all) in order, and the matches counted up to
        `count_to` (0: none), from the query's index in as few `QUERY_CASES` steps as they
        fit: one for a page of a person's, a queue's or an organization's open cases."""
        self._ensure_indexes()
        index, exact = self._plan(query)
        statuses = "" if query.statuses is None else f",{','.join(sorted(query.statuses))},"
        filters = [
            "*" if value is None else f"={value}"
            for value in (
                query.org_short_name,
                query.requester_id,
                query.assignee_id,
                query.origin_thread,
            )
        ]
        bound = f"({after}" if after is not None else ("+inf" if newest_first else "-inf")
        cases: list[Case] = []
        counted = 0
        while True:
            want = _SCAN if wanted is None else wanted - len(cases)
            count_left = count_to - counted
            args = [
                self._conn.prefix,
                bound,
                "1" if newest_first else "0",
                want,
                count_left,
                _SCAN,
                "1" if exact else "0",
                statuses,
                *filters,
            ]

            def step(client: Any, args: list[Any] = args) -> list[Any]:
                return list(self._query(keys=[index], args=args, client=client))

            found, step_counted, next_bound = self._conn.call(step)
            cases += [
                _decode_case(int(n), data) for n, data in zip(found[::2], found[1::2], strict=True)
            ]
            counted += int(step_counted)
            if exact:
                count_to = counted  # the index's size, counted in the first step
            done = wanted is not None and len(cases) >= wanted and counted >= count_to
            if not next_bound or done:
                return cases, counted
            bound = next_bound

    def _plan(self, query: rules.CaseQuery) -> tuple[str, bool]:
        """The index to walk, and whether it holds exactly the matching cases.

        Active-only queries walk the active index of the most selective filter given; others
        the requester's, organization's or everyone's index of every case.
        """
        key = self._conn.key
        given = [
            (name, value)
            for name, value in (
                ("thread", query.origin_thread),
                ("requester", query.requester_id),
                ("assignee", query.assignee_id),
                ("org", query.org_short_name),
            )
            if value is not None
        ]
        if query.active_only:
            if not given:
                index = key("index", "active", "all")
            elif given[0] == ("assignee", rules.UNASSIGNED):
                index = key("index", "active", "unassigned")
            else:
                index = key("index", "active", *given[0])
            return index, query.statuses == rules.ACTIVE and len(given) <= 1
        broad = [(name, value) for name, value in given if name in ("requester", "org")]
        index = key("index", *broad[0]) if broad else key("index", "all")
        return index, query.statuses is None and len(given) == len(broad) <= 1

    def audit_trail(self, number: str) -> list[AuditEntry]:
        sequence = parse_case_number(number)
        canonical = format_case_number(sequence)
        entries = self._conn.call(
            lambda client: client.xrange(self._conn.key("audit", sequence), "-", "+")
        )
        return [
            AuditEntry(
                case_number=canonical,
                at=datetime.fromisoformat(fields["at"]),
                actor_id=fields["actor"],
                action=fields["action"],
                changes=json.loads(fields["changes"]),
            )
            for _entry_id, fields in entries
        ]


class RedisTrackerStore:
    """A conversation's events as a Redis list, one JSON event per entry, with a TTL.

    Adding events pushes only those events, so a turn moves what it added rather than the
    whole conversation; a load is one LRANGE and one JSON decode of the joined entries. A
    tracker written by older code (one JSON array string) is still read, and the next write
    turns it into a list.
    """

    def __init__(self, conn: RedisConnection, *, ttl_seconds: float) -> None:
        self._conn = conn
        self.ttl_ms = _milliseconds(ttl_seconds)
        self._load = conn.client.register_script(lua.LOAD_TRACKER)
        self._append = conn.client.register_script(lua.APPEND_TRACKER)
        self._replace = conn.client.register_script(lua.REPLACE_TRACKER)

    def load(self, conversation_key: str) -> list[dict[str, Any]]:
        key = self.key(conversation_key)
        reply = self._conn.call(lambda client: self._load(keys=[key], client=client))
        return _decode_events(reply)[0]

    def append(self, conversation_key: str, events: list[dict[str, Any]]) -> None:
        key = self.key(conversation_key)
        encoded = _encode_events(events)
        if not encoded:
            return
        for _ in range(UPDATE_ATTEMPTS):
            pushed = self.push(key, encoded, lock_key=None)
            if pushed == 1 or self.migrate(key, old=str(pushed), then=encoded):
                return
        raise StoreUnavailable("the conversation is changing too often right now; try again")

    def save(self, conversation_key: str, events: list[dict[str, Any]]) -> None:
        key = self.key(conversation_key)
        self._write(key, _encode_events(events), expected="")

    def delete(self, conversation_key: str) -> None:
        key = self.key(conversation_key)
        self._conn.call(lambda client: client.delete(key))

    def key(self, conversation_key: str) -> str:
        rules.require_text("conversation_key", conversation_key)
        return self._conn.key("tracker", conversation_key)

    def push(self, key: str, encoded: list[str], *, lock_key: str | None) -> int | str:
        """APPEND_TRACKER: 1 when pushed, 0 while `lock_key` is held, else the old format."""
        keys = [key, lock_key or key]
        args = [self.ttl_ms, "0" if lock_key is None else "1", *encoded]
        reply: int | str = self._conn.call(
            lambda client: self._append(keys=keys, args=args, client=client)
        )
        return reply

    def migrate(self, key: str, *, old: str, then: list[str]) -> bool:
        """Rewrite an old-format tracker as a list followed by `then`; False if it changed."""
        previous = [rules.require_json("event", event) for event in json.loads(old)]
        return self._write(key, previous + then, expected=old) == 1

    def _write(self, key: str, encoded: list[str], *, expected: str) -> int:
        args = [self.ttl_ms, expected, *encoded]
        return int(
            self._conn.call(lambda client: self._replace(keys=[key], args=args, client=client))
        )


def _encode_events(events: list[dict[str, Any]]) -> list[str]:
    """Each event as its own JSON text, or InvalidInput for the whole batch."""
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise InvalidInput("events must be a list of dicts")
    return [rules.require_json("event", event) for event in events]


def _decode_events(reply: list[Any]) -> tuple[list[dict[str, Any]], bool]:
    """The events of a LOAD_TRACKER-shaped reply, and whether it was in the old format."""
    kind, items = reply[0], reply[1]
    if kind == "string":
        return list(json.loads(items[0])), True
    return (json.loads("[" + ",".join(items) + "]") if items else []), False


class RedisDeduplicator:
    """A key per seen event id, set only if absent and expiring by itself."""

    def __init__(self, conn: RedisConnection) -> None:
        self._conn = conn

    def first_time(self, event_id: str, *, ttl_seconds: float) -> bool:
        rules.require_text("event_id", event_id)
        ttl_ms = _milliseconds(_require_ttl("ttl_seconds", ttl_seconds))
        key = self._conn.key("seen", event_id)
        return bool(self._conn.call(lambda client: client.set(key, "1", nx=True, px=ttl_ms)))


class RedisLockManager:
    """SET NX PX with a random owner token; release is a compare-and-delete script.

    When a request times out, Redis may still run it later. A lock this process may therefore
    hold without knowing it (an "orphan") is released with its token before the next attempt,
    so a slow moment does not block the conversation until the lock's TTL runs out.
    """

    POLL_SECONDS = 0.01

    def __init__(self, conn: RedisConnection) -> None:
        self._conn = conn
        self._release = conn.client.register_script(lua.RELEASE_LOCK)
        self._orphans: dict[str, str] = {}
        self._orphans_lock = threading.Lock()

    def acquire(self, key: str, *, ttl_seconds: float, wait_seconds: float = 0.0) -> Lock | None:
        rules.require_text("key", key)
        ttl_ms = _milliseconds(_require_ttl("ttl_seconds", ttl_seconds))
        redis_key = self._conn.key("lock", key)
        self._release_orphan(key)
        token = secrets.token_hex(16)
        deadline = time.monotonic() + max(0.0, wait_seconds)
        while True:
            try:
                taken = self._conn.call(
                    lambda client: client.set(redis_key, token, nx=True, px=ttl_ms)
                )
            except StoreUnavailable:
                self._remember_orphan(key, token)
                raise
            if taken:
                expires_at = datetime.now(UTC) + timedelta(milliseconds=ttl_ms)
                return Lock(key=key, token=token, expires_at=expires_at)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            time.sleep(min(self.POLL_SECONDS, remaining))

    def release(self, lock: Lock) -> bool:
        redis_key = self._conn.key("lock", lock.key)
        try:
            released = self._conn.call(
                lambda client: self._release(keys=[redis_key], args=[lock.token], client=client)
            )
        except StoreUnavailable:
            self._remember_orphan(lock.key, lock.token)
            raise
        return bool(released)

    def locked(
        self, key: str, *, ttl_seconds: float, wait_seconds: float = 0.0
    ) -> AbstractContextManager[Lock]:
        return locked_with(self, key, ttl_seconds=ttl_seconds, wait_seconds=wait_seconds)

    def release_orphans(self) -> int:
        with self._orphans_lock:
            keys = list(self._orphans)
        for key in keys:
            self._release_orphan(key)
        return len(keys)

    def _remember_orphan(self, key: str, token: str) -> None:
        with self._orphans_lock:
            self._orphans[key] = token

    def _take_orphan(self, key: str) -> str | None:
        with self._orphans_lock:
            return self._orphans.pop(key, None)

    def _release_orphan(self, key: str) -> None:
        with self._orphans_lock:
            token = self._orphans.pop(key, None)
        if token is None:
            return
        redis_key = self._conn.key("lock", key)
        try:
            self._conn.call(
                lambda client: self._release(keys=[redis_key], args=[token], client=client)
            )
        except StoreUnavailable:
            self._remember_orphan(key, token)
            raise


class RedisConversationTurns:
    """A turn's bookkeeping in two scripts: BEGIN_TURN (lock, de-duplicate, load) and
    FINISH_TURN (push what the turn added, release the lock).

    The lock is `LockManager`'s own key, so `locks.locked(turn_lock_key(...))` and turns
    exclude each other; a token whose request timed out is reused by the next attempt, so
    the conversation is never locked out by this process's own late request.
    """

    POLL_SECONDS = 0.01
    MIGRATION_LOCK_TTL_SECONDS = 30.0

    def __init__(
        self, conn: RedisConnection, *, trackers: RedisTrackerStore, locks: RedisLockManager
    ) -> None:
        self._conn = conn
        self._trackers = trackers
        self._locks = locks
        self._begin = conn.client.register_script(lua.BEGIN_TURN)
        self._finish = conn.client.register_script(lua.FINISH_TURN)

    def begin(
        self,
        conversation_key: str,
        *,
        event_id: str | None,
        lock_ttl_seconds: float,
        wait_seconds: float = 0.0,
        dedup_ttl_seconds: float,
    ) -> Turn | None:
        tracker = self._trackers.key(conversation_key)
        name = turn_lock_key(conversation_key)
        lock_key = self._conn.key("lock", name)
        lock_ms = _milliseconds(_require_ttl("lock_ttl_seconds", lock_ttl_seconds))
        seen, dedup_ms = lock_key, ""
        if event_id is not None:
            seen = self._conn.key("seen", rules.require_text("event_id", event_id))
            dedup_ms = str(_milliseconds(_require_ttl("dedup_ttl_seconds", dedup_ttl_seconds)))
        token = self._locks._take_orphan(name) or secrets.token_hex(16)
        deadline = time.monotonic() + max(0.0, wait_seconds)
        while True:
            try:
                reply = self._conn.call(
                    lambda client: self._begin(
                        keys=[lock_key, seen, tracker],
                        args=[token, lock_ms, dedup_ms],
                        client=client,
                    )
                )
            except StoreUnavailable:
                self._locks._remember_orphan(name, token)
                raise
            if reply[0] == "duplicate":
                return None
            if reply[0] != "busy":
                events, old_format = _decode_events(reply)
                expires_at = datetime.now(UTC) + timedelta(milliseconds=lock_ms)
                lock = Lock(key=name, token=token, expires_at=expires_at)
                return Turn(conversation_key, lock, events, rewrite=old_format)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LockNotAcquired(f"{name!r} is busy, try again in a moment")
            time.sleep(min(self.POLL_SECONDS, remaining))

    def finish(
        self,
        turn: Turn,
        *,
        added: list[dict[str, Any]],
        replace: list[dict[str, Any]] | None = None,
    ) -> bool:
        whole = replace is not None or turn.rewrite
        if replace is None and turn.rewrite:  # an old-format tracker cannot be pushed onto
            replace = turn.events + added
        encoded = _encode_events(added if replace is None else replace)
        keys = [self._trackers.key(turn.conversation_key), self._conn.key("lock", turn.lock.key)]
        args = [turn.lock.token, self._trackers.ttl_ms, "1" if whole else "0", *encoded]
        released = self._conn.call(lambda client: self._finish(keys=keys, args=args, client=client))
        turn.finished = True
        return bool(released)

    def abandon(self, turn: Turn) -> None:
        abandon_turn(turn, self._locks)

    def append(
        self, conversation_key: str, events: list[dict[str, Any]], *, wait_seconds: float = 0.0
    ) -> None:
        tracker = self._trackers.key(conversation_key)
        encoded = _encode_events(events)
        if not encoded:
            return
        name = turn_lock_key(conversation_key)
        self._locks._release_orphan(name)
        deadline = time.monotonic() + max(0.0, wait_seconds)
        while True:
            pushed = self._trackers.push(tracker, encoded, lock_key=self._conn.key("lock", name))
            if pushed == 1:
                return
            remaining = deadline - time.monotonic()
            if pushed != 0:  # the old format, rewritten once under the lock
                with self._locks.locked(
                    name,
                    ttl_seconds=self.MIGRATION_LOCK_TTL_SECONDS,
                    wait_seconds=max(0.0, remaining),
                ):
                    self._trackers.append(conversation_key, events)
                return
            if remaining <= 0:
                raise LockNotAcquired(f"{name!r} is busy, try again in a moment")
            time.sleep(min(self.POLL_SECONDS, remaining))


class RedisTimerStore:
    """Timers in a sorted set by due time; removing an id from the set is the claim."""

    def __init__(self, conn: RedisConnection) -> None:
        self._conn = conn
        self._remove = conn.client.register_script(lua.REMOVE_TIMER)
        self._due_key = conn.key("timers", "due")
        self._data_key = conn.key("timers", "data")

    def schedule(self, timer_id: str, *, due_at: datetime, payload: dict[str, Any]) -> None:
        self.schedule_all({timer_id: (due_at, payload)})

    def schedule_all(self, timers: Mapping[str, tuple[datetime, dict[str, Any]]]) -> None:
        records: dict[str, tuple[int, str]] = {}
        for timer_id, due_at, _encoded in rules.checked_timers(timers):
            due_us = (due_at - _EPOCH) // _MICROSECOND
            record = rules.require_json("timer", {"due_us": due_us, "payload": timers[timer_id][1]})
            records[timer_id] = (due_us, record)
        if not records:
            return

        def write(client: Any) -> None:
            pipe = client.pipeline(transaction=True)
            pipe.zadd(self._due_key, {timer_id: due for timer_id, (due, _) in records.items()})
            pipe.hset(self._data_key, mapping={t: record for t, (_, record) in records.items()})
            pipe.execute()

        self._conn.call(write)

    def cancel(self, timer_id: str) -> bool:
        return self.claim(timer_id)

    def due(self, now: datetime) -> list[Timer]:
        limit = (rules.require_moment("now", now) - _EPOCH) // _MICROSECOND
        ids = self._conn.call(lambda client: client.zrangebyscore(self._due_key, "-inf", limit))
        if not ids:
            return []
        records = self._conn.call(lambda client: client.hmget(self._data_key, ids))
        timers = []
        for timer_id, record in zip(ids, records, strict=True):
            if record is None:  # claimed between the two reads
                continue
            data = json.loads(record)
            if data["due_us"] > limit:  # rescheduled to later between the two reads
                continue
            due_at = _EPOCH + data["due_us"] * _MICROSECOND
            timers.append(Timer(timer_id=timer_id, due_at=due_at, payload=data["payload"]))
        return timers

    def claim(self, timer_id: str) -> bool:
        rules.require_text("timer_id", timer_id)
        removed = self._conn.call(
            lambda client: self._remove(
                keys=[self._due_key, self._data_key], args=[timer_id], client=client
            )
        )
        return removed == 1


def _outbox_item(item_id: str, fields: list[Any], score: Any) -> OutboxItem:
    number, version, action, messages, delivered, attempts, error = fields
    return OutboxItem(
        item_id=item_id,
        case_number=str(number),
        version=int(version),
        action=str(action),
        messages=tuple(json.loads(messages)),
        delivered=int(delivered),
        attempts=int(attempts),
        available_at=_EPOCH + int(float(score)) * _MICROSECOND,
        last_error=str(error or ""),
    )


_ITEM_FIELDS = (
    "case_number",
    "version",
    "action",
    "messages",
    "delivered",
    "attempts",
    "last_error",
)


class RedisOutbox:
    """Items as hashes written by the case scripts; a lease is a key that expires by itself."""

    def __init__(self, conn: RedisConnection) -> None:
        self._conn = conn
        self._available = conn.key("outbox", "available")
        self._claim = conn.client.register_script(lua.CLAIM_OUTBOX)
        self._advance = conn.client.register_script(lua.ADVANCE_OUTBOX)
        self._retry = conn.client.register_script(lua.RETRY_OUTBOX)

    def _item_key(self, item_id: str) -> str:
        return self._conn.key("outbox", "item", item_id)

    def _lease_key(self, item_id: str) -> str:
        return self._conn.key("outbox", "lease", item_id)

    def get(self, item_id: str) -> OutboxItem | None:
        def read(client: Any) -> list[Any]:
            pipe = client.pipeline(transaction=False)
            pipe.hmget(self._item_key(item_id), _ITEM_FIELDS)
            pipe.zscore(self._available, item_id)
            return list(pipe.execute())

        fields, score = self._conn.call(read)
        if fields[0] is None or score is None:
            return None
        return _outbox_item(item_id, fields, score)

    def due(self, now: datetime, *, limit: int = 100) -> list[OutboxItem]:
        moment = _microseconds(rules.require_moment("now", now))
        ids_scores = self._conn.call(
            lambda client: client.zrangebyscore(
                self._available, "-inf", moment, start=0, num=limit, withscores=True
            )
        )
        if not ids_scores:
            return []

        def read(client: Any) -> list[Any]:
            pipe = client.pipeline(transaction=False)
            for item_id, _score in ids_scores:
                pipe.hmget(self._item_key(item_id), _ITEM_FIELDS)
                pipe.exists(self._lease_key(item_id))
            return list(pipe.execute())

        replies = self._conn.call(read)
        items = []
        for index, (item_id, score) in enumerate(ids_scores):
            fields, leased = replies[2 * index], replies[2 * index + 1]
            if fields[0] is not None and not leased:  # settled or leased meanwhile
                items.append(_outbox_item(item_id, fields, score))
        return items

    def claim(self, item_id: str, *, lease_seconds: float) -> OutboxItem | None:
        reply = self._conn.call(
            lambda client: self._claim(
                keys=[self._item_key(item_id), self._lease_key(item_id), self._available],
                args=[_milliseconds(lease_seconds), item_id],
                client=client,
            )
        )
        if not reply or reply[0] is None or reply[-1] is None:
            return None
        return _outbox_item(item_id, list(reply[:-1]), reply[-1])

    def advance(self, item_id: str, *, delivered: int) -> None:
        self._conn.call(
            lambda client: self._advance(
                keys=[self._item_key(item_id)], args=[int(delivered)], client=client
            )
        )

    def retry(self, item_id: str, *, at: datetime, error: str) -> None:
        self._conn.call(
            lambda client: self._retry(
                keys=[self._item_key(item_id), self._lease_key(item_id), self._available],
                args=[_microseconds(rules.require_moment("at", at)), error[:200], item_id],
                client=client,
            )
        )

    def settle(self, item_id: str) -> None:
        def remove(client: Any) -> None:
            pipe = client.pipeline(transaction=True)
            pipe.delete(self._item_key(item_id), self._lease_key(item_id))
            pipe.zrem(self._available, item_id)
            pipe.execute()

        self._conn.call(remove)


class RedisStore:
    """Every sub-store on one Redis connection pool."""

    def __init__(
        self,
        url: str,
        *,
        namespace: str | None = None,
        tracker_ttl_seconds: float | None = None,
        socket_timeout: float | None = None,
    ) -> None:
        options = {} if socket_timeout is None else {"socket_timeout": socket_timeout}
        try:  # a bad setting means the store cannot open: one clear line, as for a bad URL
            ttl = (
                tracker_ttl_seconds if tracker_ttl_seconds is not None else _tracker_ttl_from_env()
            )
            self._conn = RedisConnection(url, namespace=namespace, **options)
        except InvalidInput as error:
            raise StoreUnavailable(f"the Redis store cannot open: {error}") from None
        self.cases = RedisCaseStore(self._conn)
        self.trackers = RedisTrackerStore(self._conn, ttl_seconds=_require_ttl("tracker TTL", ttl))
        self.dedup = RedisDeduplicator(self._conn)
        self.locks = RedisLockManager(self._conn)
        self.turns = RedisConversationTurns(self._conn, trackers=self.trackers, locks=self.locks)
        self.timers = RedisTimerStore(self._conn)
        self.outbox = RedisOutbox(self._conn)

    def directory_cache(
        self, *, fingerprint: str, ttl_seconds: float = DEFAULT_DIRECTORY_TTL_SECONDS
    ) -> RedisDirectoryCache:
        """People facts shared by replicas, valid for the directory file with `fingerprint`."""
        return RedisDirectoryCache(self._conn, fingerprint=fingerprint, ttl_seconds=ttl_seconds)

    @property
    def key_prefix(self) -> str:
        return self._conn.prefix

    @property
    def round_trips(self) -> int:
        """Requests sent to Redis by this store so far."""
        return self._conn.round_trips

    def ping(self) -> None:
        self._conn.call(lambda client: client.ping())

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> RedisStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RedisStore(prefix={self._conn.prefix!r})"  # never the URL: it may hold a password


def _tracker_ttl_from_env() -> float:
    text = os.environ.get(TRACKER_TTL_ENV, "").strip()
    if not text:
        return DEFAULT_TRACKER_TTL_SECONDS
    try:
        days = float(text)
    except ValueError:
        raise InvalidInput(f"{TRACKER_TTL_ENV} must be a number of days, got {text!r}") from None
    return _require_ttl(TRACKER_TTL_ENV, days * 24 * 3600)


def open_redis_store(url: str, *, namespace: str | None = None) -> RedisStore:
    """The Redis store for `url` (the factory calls this for REDIS_URL)."""
    return RedisStore(url, namespace=namespace)
