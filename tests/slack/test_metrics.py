"""`/metrics` in Prometheus text format: over the real HTTP server, and Socket Mode's port."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.cli.errors import UsageError
from bot.metrics import Metrics
from bot.slack import serving
from bot.slack.http_server import SlackHTTPServer
from cases.entity import CaseDraft
from tests.slack.conftest import REPORT, last_post, open_case, sign


@pytest.fixture
def server(app, store) -> Iterator[SlackHTTPServer]:  # type: ignore[no-untyped-def]
    running = SlackHTTPServer(("127.0.0.1", 0), app=app, store=store)
    running.start_in_background()
    yield running
    running.shutdown()
    running.server_close()


def get(port: int, path: str) -> tuple[int, str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return response.status, response.getheader("Content-Type") or "", body


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics, by (sample name, sorted labels)."""
    status, content_type, body = get(port, "/metrics")
    assert status == 200
    assert content_type.startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def families(port: int) -> set[str]:
    return {family.name for family in text_string_to_metric_families(get(port, "/metrics")[2])}


def send_dm(server: SlackHTTPServer, slack) -> None:  # type: ignore[no-untyped-def]
    body = slack.envelope(
        {
            "type": "message",
            "channel": "D01AAA",
            "channel_type": "im",
            "user": "U01AAA",
            "text": REPORT,
            "ts": slack.next_ts(),
        }
    )
    headers = {"Content-Type": "application/json", **{k: v[0] for k, v in sign(body).items()}}
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("POST", "/slack/events", body=body.encode(), headers=headers)
    assert connection.getresponse().status == 200
    connection.close()


def create_case(store, severity: int) -> None:  # type: ignore[no-untyped-def]
    draft = CaseDraft(
        org_short_name="acme",
        org_id="0f8fad5b-d9cb-469f-a165-70867728950e",
        requester_id="U01AAA",
        requester_name="Ana Ruiz",
        title="metrics check",
        description="created through the store API",
        business_impact="none",
        severity=severity,
    )
    store.cases.create_case(
        draft, idempotency_key=f"metrics-{severity}", actor_id="U01AAA", now=datetime.now(UTC)
    )


def test_a_signed_dm_shows_up_in_metrics(server, slack, store) -> None:  # type: ignore[no-untyped-def]
    answered = ("supportbot_turns_total", (("outcome", "answered"),))
    before = scrape(server.port)
    assert before.get(answered, 0.0) == 0.0
    assert before[("supportbot_open_cases", (("severity", "2"),))] == 0.0

    send_dm(server, slack)
    assert last_post(slack, channel="D01AAA", containing="suggest Severity 3")
    create_case(store, severity=2)

    after = scrape(server.port)
    assert after[answered] == 1.0
    assert after[("supportbot_turn_duration_seconds_count", (("outcome", "answered"),))] == 1.0
    assert after[("supportbot_turn_duration_seconds_sum", (("outcome", "answered"),))] > 0.0
    assert after[("supportbot_nlu_parse_duration_seconds_count", ())] >= 1.0
    assert after[("supportbot_open_cases", (("severity", "2"),))] == 1.0
    assert after[("supportbot_open_cases", (("severity", "1"),))] == 0.0


def test_a_rate_limited_slack_call_counts_one_retry(server, slack, fake_slack) -> None:  # type: ignore[no-untyped-def]
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=0)
    send_dm(server, slack)
    assert last_post(slack, channel="D01AAA", containing="suggest Severity 3")
    samples = scrape(server.port)
    assert samples[("supportbot_slack_api_retries_total", (("reason", "rate_limited"),))] == 1.0


def test_socket_mode_metrics_port_serves_the_same_families(server, app, store) -> None:  # type: ignore[no-untyped-def]
    create_case(store, severity=1)
    side = serving.start_metrics_server(app, store, host="127.0.0.1", port=0)
    try:
        assert families(side.port) == families(server.port)
        assert scrape(side.port)[("supportbot_open_cases", (("severity", "1"),))] == 1.0
        status, _, _ = get(side.port, "/healthz")
        assert status == 200
        assert get(side.port, "/slack/events")[0] == 404
    finally:
        side.shutdown()
        side.server_close()


def test_a_reminder_fired_for_an_unacknowledged_case_counts_as_unmet(
    server, app, slack, store, clock
) -> None:  # type: ignore[no-untyped-def]
    number, _card = open_case(slack)
    clock.moment = store.cases.get_case(number).response_due_at - timedelta(minutes=29)
    assert app.flows.deadlines() == 1
    samples = scrape(server.port)
    unmet = ("supportbot_deadlines_unmet_total", (("kind", "response_reminder"),))
    assert samples[unmet] == 1.0


def test_each_engine_has_its_own_registry() -> None:
    first, second = Metrics(), Metrics()
    first.turn_ended("answered", first.started())
    assert first.registry.get_sample_value("supportbot_turns_total", {"outcome": "answered"}) == 1
    assert second.registry.get_sample_value("supportbot_turns_total", {"outcome": "answered"}) in (
        None,
        0.0,
    )


def test_metrics_port_is_only_for_socket_mode() -> None:
    from bot.cli import cmd_serve

    args = cmd_serve.argparse.Namespace(socket=False, http="8080", metrics_port="9100")
    with pytest.raises(UsageError, match="--metrics-port is for --socket"):
        cmd_serve.run(args)
