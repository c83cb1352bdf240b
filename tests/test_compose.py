"""compose.yaml as `docker-compose config` resolves it: what someone running it relies on.

No Docker engine is needed: `config` only reads and validates the file. Needs Debian's
`docker-compose` (1.29): skipped when missing, failed when CI is set (tests/support/browser.py).
The env file is a temporary one, named by SUPPORTBOT_ENV_FILE (compose.yaml's override of
`.env`), so a developer's own .env is never read.
"""

from __future__ import annotations

import http.server
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.browser import require_tool

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "compose.yaml"
TOKENS = {
    "SLACK_BOT_TOKEN": "xoxb-compose-test",
    "SLACK_SIGNING_SECRET": "compose-test-secret",
    "SLACK_APP_TOKEN": "xapp-compose-test",
}


def compose_config(env_file: Path | None) -> subprocess.CompletedProcess[str]:
    binary = require_tool(("docker-compose",), "docker-compose")
    env = {k: v for k, v in os.environ.items() if k != "SUPPORTBOT_ENV_FILE"}
    # --env-file: the file variables in compose.yaml are interpolated from, instead of ./.env.
    command = [binary, "--project-directory", str(ROOT), "-f", str(COMPOSE)]
    if env_file is not None:
        env["SUPPORTBOT_ENV_FILE"] = str(env_file)
        command += ["--env-file", str(env_file)]
    return subprocess.run(
        [*command, "config"], capture_output=True, text=True, env=env, timeout=60, check=False
    )


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    env_file = tmp_path_factory.mktemp("compose") / "test.env"
    env_file.write_text("".join(f"{key}={value}\n" for key, value in TOKENS.items()))
    result = compose_config(env_file)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = yaml.safe_load(result.stdout)
    return loaded


def test_the_bot_is_built_here_and_serves_http_on_port_3000(config: dict[str, Any]) -> None:
    bot = config["services"]["supportbot"]
    assert bot["build"]["context"] == str(ROOT)  # the repository's Dockerfile
    assert bot["command"] == ["supportbot", "serve", "--http", "3000"]
    assert bot["ports"] == [{"published": 3000, "target": 3000}]


def test_the_bot_stores_in_the_redis_service_once_it_is_healthy(config: dict[str, Any]) -> None:
    services = config["services"]
    url = services["supportbot"]["environment"]["REDIS_URL"]
    found = re.fullmatch(r"redis://([\w-]+):6379/0", url)
    assert found is not None and found.group(1) in services, url
    assert services["supportbot"]["depends_on"] == {"redis": {"condition": "service_healthy"}}
    assert "redis-cli ping" in " ".join(services["redis"]["healthcheck"]["test"])


def test_redis_appends_to_a_named_volume(config: dict[str, Any]) -> None:
    redis = config["services"]["redis"]
    assert redis["image"].startswith("redis:")
    command = redis["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    volume, mount = redis["volumes"][0].split(":")[:2]
    assert mount == "/data"  # where the redis image writes appendonly files
    assert volume in config["volumes"]  # a named volume, not a bind mount: outlives containers


def test_the_slack_settings_come_from_the_env_file(config: dict[str, Any]) -> None:
    environment = config["services"]["supportbot"]["environment"]
    assert {key: environment.get(key) for key in TOKENS} == TOKENS


def test_both_services_come_back_after_a_crash_or_a_reboot(config: dict[str, Any]) -> None:
    assert {name: s["restart"] for name, s in config["services"].items()} == {
        "redis": "unless-stopped",
        "supportbot": "unless-stopped",
    }


def test_the_bot_is_given_longer_to_stop_than_its_drain(config: dict[str, Any]) -> None:
    from bot.slack.serving import DRAIN_SECONDS

    grace = config["services"]["supportbot"]["stop_grace_period"]
    assert grace.endswith("s") and float(grace[:-1]) > DRAIN_SECONDS


def test_without_an_env_file_config_names_the_missing_dot_env() -> None:
    if (ROOT / ".env").exists():
        pytest.skip("this checkout has a .env")
    result = compose_config(None)
    assert result.returncode != 0
    assert f"Couldn't find env file: {ROOT / '.env'}" in result.stderr


def test_env_example_is_a_working_env_file_naming_every_setting() -> None:
    example = ROOT / ".env.example"
    result = compose_config(example)
    assert result.returncode == 0, result.stderr
    environment = yaml.safe_load(result.stdout)["services"]["supportbot"]["environment"]
    assert environment["SLACK_BOT_TOKEN"].startswith("xoxb-")
    assert "SLACK_SIGNING_SECRET" in environment
    assert "# SLACK_APP_TOKEN=xapp-" in example.read_text()  # Socket Mode only: commented out


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[http.server.HTTPServer]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_the_bot_healthcheck_passes_only_when_healthz_is_200(
    config: dict[str, Any],
    health_server: http.server.HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    healthy: bool,
) -> None:
    """The healthcheck's own command (python -c, no curl in the image), pointed at a local
    stand-in for the bot: 503 is what /healthz answers when the store is down."""
    check = config["services"]["supportbot"]["healthcheck"]["test"]
    assert check[:3] == ["CMD", "python", "-c"]
    script = check[3]
    assert "http://127.0.0.1:3000/healthz" in script
    monkeypatch.setattr(_Health, "status", status)
    port = health_server.server_address[1]
    script = script.replace("127.0.0.1:3000", f"127.0.0.1:{port}")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=30)
    assert (result.returncode == 0) is healthy, result.stderr
