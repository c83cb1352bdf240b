"""Moved to tests/support/redis_server.py (the store tests and bench/ use it too); this module
keeps the old import path working."""

from tests.support.redis_server import RedisServer, answers, free_port, redis_server_binary

__all__ = ["RedisServer", "answers", "free_port", "redis_server_binary"]
