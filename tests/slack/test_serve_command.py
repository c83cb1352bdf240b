"""`supportbot serve --http PORT` as a real process: health, a signed event, clean stop."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.slack.conftest import BOT_TOKEN, REPORT, SIGNING_SECRET, SlackDriver, sign
from tests.support.nlu import reuse_trained_nlu

SUPPORTBOT = Path(sys.executable).with_name("supportbot")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read().decode()


def test_serve_http_answers_health_and_events_then_stops_on_sigterm(
    fake_slack, tmp_path, nlu
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.url,
        # The NLU reads this run's trained model (linked, not trained again and never the
        # user's data dir); the store goes to --data-dir.
        "SUPPORTBOT_DATA_DIR": str(reuse_trained_nlu(tmp_path / "nlu-data")),
    }
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [
            str(SUPPORTBOT),
            "serve",
            "--http",
            str(port),
            "--host",
            "127.0.0.1",
            "--data-dir",
            str(tmp_path),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                status, body = get(port, "/healthz")
                break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.2)
        assert status == 200 and json.loads(body)["ok"] is True

        driver = SlackDriver(app=None, fake=fake_slack)  # only builds payloads here
        event = driver.envelope(
            {
                "type": "message",
                "channel": "D01AAA",
                "channel_type": "im",
                "user": "U01AAA",
                "text": REPORT,
                "ts": "1763478001.000100",
            }
        )
        headers = {"Content-Type": "application/json", **{k: v[0] for k, v in sign(event).items()}}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("POST", "/slack/events", body=event.encode(), headers=headers)
        assert connection.getresponse().status == 200
        assert fake_slack.wait_for(
            "chat.postMessage", lambda c: "suggest Severity" in c["text"], timeout=30
        )
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert BOT_TOKEN not in err and SIGNING_SECRET not in err
