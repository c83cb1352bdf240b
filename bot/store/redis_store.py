"""The shared store for several bot replicas: every store protocol on one Redis server.

Selected by `REDIS_URL` (see `bot.store.factory`). Keys live under `supportbot:` plus an
optional namespace (`?namespace=NAME` in the URL or `SUPPORTBOT_REDIS_NAMESPACE`):

| key | type | holds |
|---|---|---|
| `seq:case` | string | the case-number sequence (INCR; the first case is CS-1001) |
| `case:<n>` | hash | `version`, `status`, `data` (the case as JSON without its number) |
| `audit:<n>` | stream | one entry per recorded change: at, actor, action, changes |
| `idempotency` | hash | idempotency key -> case sequence |
| `index:all`, `index:org:<org>`, `index:requester:<id>` | sorted sets | case sequences |
| `tracker:<conversation>` | string | the conversation's events as a JSON array, with a TTL |
| `seen:<event id>` | string | a Slack event id, expiring after its TTL |
| `lock:<name>` | string | the owner token, expiring after the lock's TTL |
| `timers:due`, `timers:data` | sorted set, hash | due time (microseconds) and payload per timer |
| `outbox:item:<id>`, `outbox:available` | hash, zset | what a change owes; when it may be taken |
| `outbox:lease:<id>` | string | held while someone delivers the item, expiring after the lease |
| `directory:<fingerprint>` | hash | facts looked up about people, per directory file version |

Atomicity: case creation and case updates are Lua scripts (create checks the idempotency key,
takes the next number and writes case, indexes and first audit entry in one step; update writes
only when the version it read is still current, and retries otherwise). A tracker is one
value, so a save is one SET and an append one script. Locks and timer claims are
compare-and-delete scripts.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import secrets
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.store import changes as rules
from bot.store import redis_scripts as lua
from bot.store.base import locked_with
from bot.store.codec import case_from_dict, case_to_dict
from bot.store.errors import (
    CaseNotFound,
    InvalidInput,
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

TRACKER_TTL_ENV = "SUPPORTBOT_TRACKER_TTL_DAYS"
DEFAULT_TRACKER_TTL_SECONDS = 90 * 24 * 3600.0
UPDATE_ATTEMPTS = 50

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
        result = self._conn.call(
            lambda client: self._create(
                keys=[
                    key("idempotency"),
                    key("seq", "case"),
                    key("index", "all"),
                    key("index", "org", case.org_short_name),
                    key("index", "requester", case.requester_id),
                    key("outbox", "available"),
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
            if expected_version is not None and case.version != expected_version:
                raise self._conflict(case.number, case.version, expected_version)
            recorded = rules.audit_changes(case, wanted)
            if not recorded:
                return case
            updated = rules.apply_changes(case, {k: wanted[k] for k in recorded}, now=moment)
            written = self._write_if_unchanged(
                sequence,
                read_version=read_version,
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
                raise self._conflict(case.number, case.version + 1, expected_version)
        raise VersionConflict(
            f"{format_case_number(sequence)} is changing too often right now; try again"
        )

    def _write_if_unchanged(
        self,
        sequence: int,
        *,
        read_version: str,
        updated: Case,
        audit: list[str],
        owed: list[str | int],
    ) -> int:
        """1 when written, 0 when the case moved on since `read_version`, -1 when it is gone."""
        return int(
            self._conn.call(
                lambda client: self._update(
                    keys=[
                        self._conn.key("case", sequence),
                        self._conn.key("audit", sequence),
                        self._conn.key("outbox", "available"),
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
                    ],
                    client=client,
                )
            )
        )

    @staticmethod
    def _conflict(number: str, current: int, expected: int) -> VersionConflict:
        return VersionConflict(
            f"{number} changed meanwhile (version {current}, expected {expected}); read it again"
        )

    def list_cases(
        self,
        *,
        org_short_name: str | None = None,
        requester_id: str | None = None,
        statuses: Iterable[str] | None = None,
    ) -> list[Case]:
        wanted_statuses = rules.require_statuses(statuses)
        if wanted_statuses is not None and not wanted_statuses:
            return []
        if requester_id is not None:
            index = self._conn.key("index", "requester", requester_id)
        elif org_short_name is not None:
            index = self._conn.key("index", "org", org_short_name)
        else:
            index = self._conn.key("index", "all")
        sequences = [int(s) for s in self._conn.call(lambda client: client.zrange(index, 0, -1))]
        if not sequences:
            return []

        def read_all(client: Any) -> list[str | None]:
            pipe = client.pipeline(transaction=False)
            for sequence in sequences:
                pipe.hget(self._conn.key("case", sequence), "data")
            return list(pipe.execute())

        found = []
        for sequence, data in zip(sequences, self._conn.call(read_all), strict=True):
            if data is None:
                continue
            case = _decode_case(sequence, data)
            if org_short_name is not None and case.org_short_name != org_short_name:
                continue
            if requester_id is not None and case.requester_id != requester_id:
                continue
            if wanted_statuses is not None and case.status not in wanted_statuses:
                continue
            found.append(case)
        return found

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
    """A conversation's events as one JSON array string with a TTL.

    One value per conversation makes a turn's load and save one command each, with a single
    JSON decode or encode; appends (rare: staff replies) join the arrays inside a script.
    """

    def __init__(self, conn: RedisConnection, *, ttl_seconds: float) -> None:
        self._conn = conn
        self._ttl_ms = _milliseconds(ttl_seconds)
        self._append = conn.client.register_script(lua.APPEND_TRACKER)

    def load(self, conversation_key: str) -> list[dict[str, Any]]:
        key = self._key(conversation_key)
        stored = self._conn.call(lambda client: client.get(key))
        return [] if stored is None else list(json.loads(stored))

    def append(self, conversation_key: str, events: list[dict[str, Any]]) -> None:
        key = self._key(conversation_key)
        encoded = self._encode(events)
        if not events:
            return
        self._conn.call(
            lambda client: self._append(keys=[key], args=[encoded, self._ttl_ms], client=client)
        )

    def save(self, conversation_key: str, events: list[dict[str, Any]]) -> None:
        key = self._key(conversation_key)
        encoded = self._encode(events)
        if not events:
            self._conn.call(lambda client: client.delete(key))
            return
        self._conn.call(lambda client: client.set(key, encoded, px=self._ttl_ms))

    def delete(self, conversation_key: str) -> None:
        key = self._key(conversation_key)
        self._conn.call(lambda client: client.delete(key))

    def _key(self, conversation_key: str) -> str:
        rules.require_text("conversation_key", conversation_key)
        return self._conn.key("tracker", conversation_key)

    @staticmethod
    def _encode(events: list[dict[str, Any]]) -> str:
        if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
            raise InvalidInput("events must be a list of dicts")
        return rules.require_json("event", events)


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

    def _remember_orphan(self, key: str, token: str) -> None:
        with self._orphans_lock:
            self._orphans[key] = token

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


class RedisTimerStore:
    """Timers in a sorted set by due time; removing an id from the set is the claim."""

    def __init__(self, conn: RedisConnection) -> None:
        self._conn = conn
        self._remove = conn.client.register_script(lua.REMOVE_TIMER)
        self._due_key = conn.key("timers", "due")
        self._data_key = conn.key("timers", "data")

    def schedule(self, timer_id: str, *, due_at: datetime, payload: dict[str, Any]) -> None:
        rules.require_text("timer_id", timer_id)
        if not isinstance(payload, dict):
            raise InvalidInput("payload must be a dict")
        rules.require_json("payload", payload)
        due_us = (rules.require_moment("due_at", due_at) - _EPOCH) // _MICROSECOND
        record = rules.require_json("timer", {"due_us": due_us, "payload": payload})

        def write(client: Any) -> None:
            pipe = client.pipeline(transaction=True)
            pipe.zadd(self._due_key, {timer_id: due_us})
            pipe.hset(self._data_key, timer_id, record)
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
