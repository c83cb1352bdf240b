"""Prometheus metrics: what `/metrics` serves (HTTP mode, or `serve --socket --metrics-port`).

Each `Metrics` has its own `CollectorRegistry`, never prometheus_client's global one, so tests
and several apps in one process keep separate counts. The engine owns one (`engine.metrics`)
and records turns, NLU parses, store errors and deadlines into it; `render` adds, at scrape
time, the open cases by severity (read from the store's active-case index) and the Slack Web
API retries (counted by the client's retry handlers, see bot.slack.web).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.store.base import Store
from cases.vocabulary import ACTIVE_STATUS_VALUES, SEVERITIES

log = logging.getLogger(__name__)

# Prometheus' text format 0.0.4, which every scraper reads.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
OPEN_CASES_PAGE = 500  # cases read per page of the active index at scrape time

# How a turn ended (the `outcome` label).
ANSWERED = "answered"  # the turn ran and its replies were produced
DROPPED_RETRY = "dropped_retry"  # a redelivered event, already handled: nothing done
BUSY = "busy"  # another turn held the conversation's lock
STORE_DOWN = "store_down"  # StoreUnavailable
NLU_TIMEOUT = "nlu_timeout"  # the NLU's time budget ran out
CONFLICT = "conflict"  # VersionConflict: the case changed meanwhile
REFUSED = "refused"  # another StoreError: the store refused a change
ERROR = "error"  # an unexpected exception (logged with its traceback)

TURN_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
NLU_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    """The counters and histograms one engine records into."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.turns = Counter(
            "supportbot_turns",
            "Turns (messages and button presses) handled, by how they ended.",
            ["outcome"],
            registry=self.registry,
        )
        self.turn_seconds = Histogram(
            "supportbot_turn_duration_seconds",
            "Time one turn took, from taking the conversation's lock to the replies.",
            ["outcome"],
            buckets=TURN_BUCKETS,
            registry=self.registry,
        )
        self.nlu_parse_seconds = Histogram(
            "supportbot_nlu_parse_duration_seconds",
            "Time the NLU took to parse one typed message.",
            buckets=NLU_BUCKETS,
            registry=self.registry,
        )
        self.store_errors = Counter(
            "supportbot_store_errors",
            "Store errors met by the engine, by error class (e.g. StoreUnavailable).",
            ["kind"],
            registry=self.registry,
        )
        self.deadlines_unmet = Counter(
            "supportbot_deadlines_unmet",
            "Case deadlines that fired with their condition still unmet, by timer kind: "
            "response_reminder (no human response 30 minutes before the response target), "
            "inactivity_notice / inactivity_close / resolution_close (no answer in time), "
            "response_missed / restoration_missed (a target passed).",
            ["kind"],
            registry=self.registry,
        )
        self.targets_missed = Counter(
            "supportbot_targets_missed",
            "Initial-response and restoration targets that passed unmet, recorded on the case "
            "once each, by target and the case's severity then.",
            ["target", "severity"],
            registry=self.registry,
        )

    @staticmethod
    def started() -> float:
        return time.perf_counter()

    def turn_ended(self, outcome: str, started: float) -> None:
        self.turns.labels(outcome=outcome).inc()
        self.turn_seconds.labels(outcome=outcome).observe(time.perf_counter() - started)

    def nlu_parsed(self, started: float) -> None:
        self.nlu_parse_seconds.observe(time.perf_counter() - started)

    def store_error(self, error: BaseException) -> None:
        self.store_errors.labels(kind=type(error).__name__).inc()

    def deadline_unmet(self, kind: str) -> None:
        self.deadlines_unmet.labels(kind=kind).inc()

    def target_missed(self, target: str, severity: int) -> None:
        self.targets_missed.labels(target=target, severity=str(severity)).inc()


def open_cases_by_severity(store: Store) -> dict[int, int]:
    """Open (active) cases per severity, paging over the active-case index only."""
    counts = dict.fromkeys(sorted(SEVERITIES), 0)
    after: str | None = None
    while True:
        page = store.cases.list_cases(
            statuses=ACTIVE_STATUS_VALUES, after=after, limit=OPEN_CASES_PAGE
        )
        for case in page:
            counts[int(case.severity)] = counts.get(int(case.severity), 0) + 1
        if len(page) < OPEN_CASES_PAGE:
            return counts
        after = page[-1].number


def slack_retries(client: Any) -> dict[str, int]:
    """Retries so far per reason, from the client's counting retry handlers (bot.slack.web)."""
    counts: dict[str, int] = {}
    for handler in getattr(client, "retry_handlers", None) or ():
        reason = getattr(handler, "metric_reason", None)
        if reason is not None:
            counts[reason] = counts.get(reason, 0) + int(handler.retries)
    return counts


class _Scrape(Collector):
    """One scrape: the engine's registry plus the families computed now."""

    def __init__(self, metrics: Metrics | None, store: Store | None, client: Any) -> None:
        self.metrics = metrics
        self.store = store
        self.client = client

    def collect(self) -> Iterable[Metric]:
        if self.metrics is not None:
            yield from self.metrics.registry.collect()
        yield from self._slack_retries()
        yield from self._open_cases()

    def _slack_retries(self) -> Iterator[Metric]:
        family = CounterMetricFamily(
            "supportbot_slack_api_retries",
            "Slack Web API calls retried, by reason (rate_limited, server_error, "
            "connection_error).",
            labels=["reason"],
        )
        for reason, count in sorted(slack_retries(self.client).items()):
            family.add_metric([reason], count)
        yield family

    def _open_cases(self) -> Iterator[Metric]:
        if self.store is None:
            return
        try:
            counts = open_cases_by_severity(self.store)
        except Exception as error:  # a down store must not fail the whole scrape
            log.warning("open cases not counted for /metrics: %s", type(error).__name__)
            return
        family = GaugeMetricFamily(
            "supportbot_open_cases",
            "Open (active) cases by severity, read from the store when scraped.",
            labels=["severity"],
        )
        for severity, count in sorted(counts.items()):
            family.add_metric([str(severity)], count)
        yield family


def metrics_of(app: Any) -> Metrics | None:
    """The engine's metrics behind a Bolt app made by bot.slack.create_app, if any."""
    engine = getattr(getattr(app, "flows", None), "engine", None)
    found = getattr(engine, "metrics", None)
    return found if isinstance(found, Metrics) else None


def render(app: Any, store: Store | None) -> bytes:
    """The text `/metrics` answers for this app and store."""
    client = getattr(app, "client", None)
    return generate_latest(_Scrape(metrics_of(app), store, client))
