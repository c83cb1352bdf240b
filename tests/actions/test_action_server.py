"""`supportbot actions` serves our actions to a Rasa assistant over POST /webhook."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.dialogue import DOMAIN_PATH
from tests.support.nlu import reuse_trained_nlu

SUPPORTBOT = Path(sys.executable).with_name("supportbot")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def request(url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@contextmanager
def serving(data_dir: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "SUPPORTBOT_DATA_DIR": str(data_dir)}
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [str(SUPPORTBOT), "actions", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if request(f"{base}/health")[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("action server did not start: " + process.communicate()[1].decode()[-2000:])
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tmp_path_factory.mktemp("actions-data")) as base:
        yield base


@pytest.fixture(scope="module")
def server_with_nlu(tmp_path_factory: pytest.TempPathFactory, nlu_service: Any) -> Iterator[str]:
    """A server whose data dir links this run's trained NLU, so it parses texts at once."""
    data_dir = reuse_trained_nlu(tmp_path_factory.mktemp("actions-nlu-data"))
    with serving(data_dir) as base:
        yield base


def domain() -> dict[str, Any]:
    return yaml.safe_load(DOMAIN_PATH.read_text(encoding="utf-8"))


def tracker(*, text: str, slots: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "sender_id": "D-rasa",
        "slots": slots,
        "latest_message": {
            "text": text,
            "intent": {"name": "report_issue", "confidence": 0.9},
            "entities": [],
            "metadata": {"user_id": "U01AAA"},
        },
        "events": events,
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": "case_intake_form"},
        "latest_action_name": "case_intake_form",
    }


def test_lists_every_action_in_the_domain(server: str) -> None:
    status, body = request(f"{server}/actions")
    served = {item["name"] for item in body}
    assert status == 200
    assert set(domain()["actions"]) <= served


def test_a_malformed_conversation_id_fails_validation(server: str) -> None:
    slots = {
        "description": "Calls drop after 30 seconds on the Chicago queue",
        "business_impact": "40 agents call customers back",
        "conversation_id": "3f2b9c1e-8a4d-XXXX",
        "requested_slot": "conversation_id",
    }
    events = [
        {"event": "user", "text": "3f2b9c1e-8a4d-XXXX"},
        {"event": "slot", "name": "conversation_id", "value": "3f2b9c1e-8a4d-XXXX"},
    ]
    status, body = request(
        f"{server}/webhook",
        {
            "next_action": "validate_case_intake_form",
            "sender_id": "D-rasa",
            "tracker": tracker(text="3f2b9c1e-8a4d-XXXX", slots=slots, events=events),
            "domain": domain(),
            "version": "3.8.0",
        },
    )
    assert status == 200
    assert {"event": "slot", "name": "conversation_id", "value": None} in [
        {k: e[k] for k in ("event", "name", "value")} for e in body["events"]
    ]
    message = body["responses"][0]
    assert "isn't a conversation ID" in message["text"]
    assert "characters a conversation ID never has (“x”)" in message["text"]


def test_a_valid_conversation_id_is_kept(server: str) -> None:
    good = "3F2B9C1E-8A4D-4E5F-9B6A-1C2D3E4F5A6B"
    slots = {"description": "Calls drop on the queue", "conversation_id": good}
    events = [{"event": "slot", "name": "conversation_id", "value": good}]
    status, body = request(
        f"{server}/webhook",
        {
            "next_action": "validate_case_intake_form",
            "tracker": tracker(text=good, slots=slots, events=events),
            "domain": domain(),
        },
    )
    assert status == 200 and body["responses"] == []
    assert body["events"][0]["value"] == good.lower()


def test_case_status_for_an_unknown_case(server: str) -> None:
    status, body = request(
        f"{server}/webhook",
        {
            "next_action": "action_case_status",
            "tracker": tracker(text="status of CS-4242", slots={}, events=[]),
            "domain": domain(),
        },
    )
    assert status == 200
    assert "can't find case CS-4242" in body["responses"][0]["text"]
    assert body["responses"][0]["custom"]["audience"] == "requester"


def test_an_unknown_action_is_404(server: str) -> None:
    status, body = request(
        f"{server}/webhook",
        {
            "next_action": "action_nope",
            "tracker": tracker(text="", slots={}, events=[]),
            "domain": domain(),
        },
    )
    assert status == 404 and body["action_name"] == "action_nope"


CRITICAL_OUTAGE = (
    "Nobody in our organization can log in since 9:00, all 300 agents are idle, no workaround"
)


def plain_rasa_tracker(text: str, intent: str) -> dict[str, Any]:
    """What a standard Rasa server sends: text, intent and entities, nothing of ours."""
    return {
        "sender_id": "D-rasa-plain",
        "slots": {},
        "latest_message": {
            "text": text,
            "intent": {"name": intent, "confidence": 0.95},
            "entities": [],
            "metadata": {"user_id": "U01AAA"},
        },
        "events": [{"event": "user", "text": text, "parse_data": {"text": text}}],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }


def test_a_plain_rasa_payload_for_an_outage_is_routed_to_the_phone_as_critical(
    server_with_nlu: str,
) -> None:
    status, body = request(
        f"{server_with_nlu}/webhook",
        {
            "next_action": "action_triage_issue",
            "sender_id": "D-rasa-plain",
            "tracker": plain_rasa_tracker(CRITICAL_OUTAGE, "report_issue"),
            "domain": domain(),
            "version": "3.8.0",
        },
    )
    assert status == 200, body
    said = {r["custom"]["kind"]: r["text"] for r in body["responses"]}
    assert said["severity_suggestion"].startswith("I'd suggest Severity 1 – Critical"), said
    assert "Critical problems can't be opened in chat" in said["critical_phone"]
    assert "Medium" not in said["severity_suggestion"]
