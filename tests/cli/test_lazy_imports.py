"""Building the parser imports no heavy library, so `supportbot cases list` does not pay for
spaCy or Slack (issue 13); every subcommand is still listed and still has its help."""

from __future__ import annotations

import os
import pkgutil
import re
import subprocess
import sys

import pytest

import bot.cli
from bot.cli.main import build_parser
from bot.store.redis_admin import unique_namespace
from tests.support.stores import REDIS_TEST_URL

HEAVY = {"spacy", "thinc", "numpy", "slack_bolt", "slack_sdk", "nlu"}
SUBCOMMANDS = {
    "actions",
    "cases",
    "chat",
    "kb",
    "nlu",
    "policy",
    "queue",
    "report",
    "serve",
    "train",
}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_building_the_parser_imports_no_heavy_library() -> None:
    # A fresh interpreter: this test process may already have imported them.
    result = _run(
        "-c",
        "import sys; from bot.cli.main import build_parser; build_parser(); "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(HEAVY)!r}))",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_help_lists_every_subcommand() -> None:
    modules = {m.name for m in pkgutil.iter_modules(bot.cli.__path__)}
    assert {name for name in modules if name.startswith("cmd_")} == {
        f"cmd_{name}" for name in SUBCOMMANDS
    }, "a command module was added or removed: update SUBCOMMANDS"
    result = _run("-m", "bot.cli.main", "--help")
    assert result.returncode == 0, result.stderr
    listed = set(re.findall(r"^    (\w+) ", result.stdout, flags=re.MULTILINE))
    assert listed == SUBCOMMANDS


@pytest.mark.parametrize("command", sorted(SUBCOMMANDS))
def test_each_subcommand_still_has_its_help(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args([command, "--help"])
    assert exit_.value.code == 0
    assert f"usage: supportbot {command}" in capsys.readouterr().out


def test_a_cases_command_leaves_opentelemetry_importable_for_the_rest_of_the_process() -> None:
    """`cases` keeps redis-py from loading the telemetry SDK, only while the store opens."""
    code = (
        "from bot.cli.main import main; main(['cases', 'list']); "
        "import redis.observability.providers as p; import opentelemetry.sdk.metrics; "
        "print(p.OTEL_AVAILABLE)"
    )
    url = f"{REDIS_TEST_URL}?namespace={unique_namespace()}"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "REDIS_URL": url},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"
