"""Fixtures every test folder may use: the trained NLU, built once per run.

`nlu_service` trains the spaCy model once per test session into a temporary data directory
(`nlu_data_dir`, from pytest's tmp_path_factory), never into the user's data directory and
never reused from an earlier run. Tests in tests/nlu, tests/conversations, tests/slack and
tests/actions all get this one service; tests that start a `supportbot` process link the
model into their own data directory with `tests.support.nlu.reuse_trained_nlu`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.nlu import DATA_DIR_ENV, build_trained_nlu

if TYPE_CHECKING:
    from nlu.service import NluService


@pytest.fixture(scope="session")
def nlu_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data directory this run's NLU model is built in (empty until `nlu_service`)."""
    return tmp_path_factory.mktemp("nlu-data")


@pytest.fixture(scope="session")
def nlu_service(nlu_data_dir: Path) -> NluService:
    """The trained NLU (spaCy model and knowledge base), built once per run."""
    return build_trained_nlu(nlu_data_dir)


@pytest.fixture
def nlu_env(nlu_service: NluService, nlu_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`SUPPORTBOT_DATA_DIR` at the trained NLU for one test, for code under test that reads
    the NLU's data directory itself (e.g. `main(["serve", ...])` in this process)."""
    monkeypatch.setenv(DATA_DIR_ENV, str(nlu_data_dir))
    return nlu_data_dir
