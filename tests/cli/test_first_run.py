"""What a first-time user sees: training is announced only when it will happen, and reading
the data dir (every `cases` command does) never loads spaCy."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.cmd_chat import LOADING, LOADING_FIRST_TIME
from bot.cli.main import main


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _start_chat(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    """`supportbot chat` at a terminal, stopped where the engine would load; its stderr."""

    def stop_here(**_kwargs: object) -> None:
        raise RuntimeError("stopped before loading")

    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("bot.engine.open_engine", stop_here)
    assert main(["chat", "--as", "U01AAA"]) == 1
    return capsys.readouterr().err


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SUPPORTBOT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("REDIS_URL", raising=False)
    return tmp_path


def test_chat_says_it_trains_when_no_model_is_built_yet(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert LOADING_FIRST_TIME in _start_chat(monkeypatch, capsys)


def test_chat_does_not_mention_training_once_the_model_is_built(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from nlu.model import DEFAULT_SEED
    from nlu.paths import model_dir

    model_dir(seed=DEFAULT_SEED).mkdir(parents=True)
    err = _start_chat(monkeypatch, capsys)
    assert LOADING in err and "trains" not in err


def test_reading_the_data_dir_loads_no_heavy_library(data_dir: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from bot.paths import data_dir; print(data_dir()); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'numpy', 'thinc'}))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(data_dir), "[]"]
