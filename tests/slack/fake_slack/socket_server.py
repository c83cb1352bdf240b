"""Moved to tests/support/fake_slack/socket_server.py; this module keeps the old import path
working."""

from tests.support.fake_slack.socket_server import SilentServer, SocketModeServer

__all__ = ["SilentServer", "SocketModeServer"]
