"""One Redis client per store, with bounded waits, key naming and failure translation.

Every call has a socket timeout, so a slow or stopped server costs the user at most a fraction of
a second before the bot answers "try again". A connection that the server dropped (restart) is
retried once, at once; a timeout is never retried, because the command may still run. Every
Redis failure becomes `StoreUnavailable` with a message that never contains the URL (it can hold
a password).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.store.errors import InvalidInput, StoreUnavailable

log = logging.getLogger(__name__)

NAMESPACE_ENV = "SUPPORTBOT_REDIS_NAMESPACE"
NAMESPACE_QUERY = "namespace"
KEY_ROOT = "supportbot"
SOCKET_TIMEOUT_SECONDS = 0.5
CONNECT_TIMEOUT_SECONDS = 0.5

T = TypeVar("T")


def split_namespace(url: str) -> tuple[str, str | None]:
    """The URL without our `namespace=` query parameter, and that parameter's value."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    namespace = next((v for k, v in query if k == NAMESPACE_QUERY), None)
    rest = urlencode([(k, v) for k, v in query if k != NAMESPACE_QUERY])
    return urlunsplit(parts._replace(query=rest)), namespace


def key_prefix(namespace: str | None) -> str:
    """`supportbot:` or `supportbot:<namespace>:`, so deployments and tests never share keys."""
    if namespace is None or namespace == "":
        return f"{KEY_ROOT}:"
    if any(ch in namespace for ch in "*?[]{} \t\r\n") or len(namespace) > 100:
        raise InvalidInput(
            "the Redis namespace may not contain spaces, braces or glob characters "
            "and must be at most 100 characters"
        )
    return f"{KEY_ROOT}:{namespace}:"


class RedisConnection:
    """The client, the key prefix and a count of round trips (for the benchmark)."""

    def __init__(
        self,
        url: str,
        *,
        namespace: str | None = None,
        socket_timeout: float = SOCKET_TIMEOUT_SECONDS,
        connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
    ) -> None:
        bare_url, url_namespace = split_namespace(url)
        chosen = namespace if namespace is not None else url_namespace
        if chosen is None:
            chosen = os.environ.get(NAMESPACE_ENV, "").strip() or None
        self.prefix = key_prefix(chosen)
        self.socket_timeout = socket_timeout
        self.closed = False
        self._counter_lock = threading.Lock()
        self._round_trips = 0
        try:
            # Typed as Any on purpose: redis-py types every reply `bytes | str` whatever
            # `decode_responses` says, and ours are str. Each store method's own signature
            # says what it returns.
            self.client: Any = redis.Redis.from_url(
                bare_url,
                socket_timeout=socket_timeout,
                socket_connect_timeout=connect_timeout,
                # One immediate retry of a dropped connection (a restarted server); timeouts
                # are not retried because the command may still be executed later.
                retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
                retry_on_timeout=False,
                health_check_interval=0,
                decode_responses=True,
                client_name="supportbot",
            )
        except (ValueError, redis.RedisError) as error:
            # The message of a bad URL may quote the URL itself, so only the kind is shown.
            raise StoreUnavailable(
                f"REDIS_URL is not a usable Redis URL ({type(error).__name__}); "
                "expected redis://host:port/db"
            ) from None

    def key(self, *parts: str | int) -> str:
        return self.prefix + ":".join(str(part) for part in parts)

    @property
    def round_trips(self) -> int:
        """How many requests went to Redis so far (a pipeline or a script counts once)."""
        return self._round_trips

    def call(self, operation: Callable[[Any], T]) -> T:
        """Run one request; Redis failures become StoreUnavailable."""
        if self.closed:
            raise StoreUnavailable("the store was closed")
        with self.translated():
            with self._counter_lock:
                self._round_trips += 1
            return operation(self.client)

    @contextmanager
    def translated(self) -> Iterator[None]:
        try:
            yield
        except redis.RedisError as error:
            raise unavailable(error) from None

    def close(self) -> None:
        self.closed = True
        with self.translated():
            self.client.close()


def unavailable(error: BaseException) -> StoreUnavailable:
    """A user-safe StoreUnavailable for a Redis failure (the kind of failure, never the URL)."""
    kind = type(error).__name__
    if isinstance(error, redis.TimeoutError):
        reason = "it did not answer in time"
    elif isinstance(error, redis.BusyLoadingError):
        reason = "it is still loading its data"
    elif isinstance(error, redis.AuthenticationError) or "WRONGPASS" in str(error):
        reason = "it refused the password or user name in REDIS_URL"
    elif isinstance(error, redis.ConnectionError):
        reason = "it cannot be reached"
    else:
        reason = f"it refused the request ({kind})"
    log.warning("redis store unavailable: %s", kind)
    return StoreUnavailable(f"the Redis case store is not available: {reason}")
