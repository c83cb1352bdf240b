"""A private redis-server for the benchmark, so other users of a shared server add no noise.

Configured as a production server would be: append-only file, fsync once per second. It is the
fault tests' server launcher with that setting.
"""

from __future__ import annotations

from pathlib import Path

from tests.faults.redis_server import RedisServer


class PrivateRedis:
    """`with PrivateRedis(workdir) as url:` runs a server for the duration of the block."""

    def __init__(self, workdir: Path) -> None:
        self.server = RedisServer(workdir, appendfsync="everysec")

    def __enter__(self) -> str:
        self.server.start()
        return self.server.url

    def __exit__(self, *exc_info: object) -> None:
        self.server.stop()
