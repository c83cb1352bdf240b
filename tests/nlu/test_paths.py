"""One data dir for everything: the case store, the NLU model, the KB and `nlu test` results."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import paths
from bot.cli.cmd_nlu import RESULTS_FOLDER, results_dir
from bot.cli.main import build_parser
from bot.store.factory import SQLITE_FILE_NAME, open_store
from nlu.data_home import DATA_DIR_ENV
from nlu.model import DEFAULT_SEED
from nlu.paths import kb_path, model_dir


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("REDIS_URL", raising=False)
    return tmp_path


def test_store_and_nlu_model_share_the_data_dir_when_it_is_padded_and_has_a_tilde(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, " ~/x ")
    store = open_store()
    store.close()
    root = home / "x"
    assert (root / SQLITE_FILE_NAME).is_file()
    assert paths.data_dir() == root
    assert model_dir(seed=DEFAULT_SEED).parent.parent == root
    assert kb_path().parent.parent == root


def test_bot_paths_reads_the_variable_name_from_the_nlu_rule() -> None:
    assert paths.DATA_DIR_ENV == DATA_DIR_ENV == "SUPPORTBOT_DATA_DIR"
    with pytest.raises(AttributeError):
        _ = paths.NOT_A_SETTING


def test_nlu_test_writes_its_results_under_the_data_dir_by_default(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, "~/x")
    args = build_parser().parse_args(["nlu", "test"])
    assert results_dir(args.out) == home / "x" / RESULTS_FOLDER
    chosen = build_parser().parse_args(["nlu", "test", "--out", "elsewhere"])
    assert results_dir(chosen.out) == Path("elsewhere")
