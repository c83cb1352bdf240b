"""-v shows our own debug lines, never the libraries' request dumps with message texts."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.cli.main import PAYLOAD_LOGGERS, configure_logging


@pytest.fixture(autouse=True)
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    levels = {name: logging.getLogger(name).level for name in PAYLOAD_LOGGERS}
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_verbose_logs_our_debug_lines() -> None:
    configure_logging(verbose=True, payloads=False)
    assert logging.getLogger("bot.engine").isEnabledFor(logging.DEBUG)


def test_verbose_keeps_slacks_request_dumps_out_of_the_log() -> None:
    configure_logging(verbose=True, payloads=False)
    assert not logging.getLogger("slack_sdk.web.base_client").isEnabledFor(logging.DEBUG)
    assert not logging.getLogger("slack_bolt.App").isEnabledFor(logging.DEBUG)


def test_the_payload_option_lets_the_request_dumps_in() -> None:
    configure_logging(verbose=True, payloads=True)
    assert logging.getLogger("slack_sdk.web.base_client").isEnabledFor(logging.DEBUG)
