"""The NLU model is trained once per test session, into pytest's cache keyed by fingerprint."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from nlu.paths import DATA_DIR_ENV
from nlu.service import NluService, build_service


@pytest.fixture(scope="session")
def nlu_data_dir(request: pytest.FixtureRequest) -> Iterator[Path]:
    """A data dir whose `nlu-model/<fingerprint>/` survives between runs; KB files do not."""
    directory = Path(request.config.cache.mkdir("supportbot-nlu"))
    (directory / "kb" / "faq.json").unlink(missing_ok=True)
    previous = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(directory)
    yield directory
    if previous is None:
        os.environ.pop(DATA_DIR_ENV, None)
    else:
        os.environ[DATA_DIR_ENV] = previous


@pytest.fixture(scope="session")
def service(nlu_data_dir: Path) -> NluService:
    return build_service()


@pytest.fixture
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data dir for tests that write (KB import); the model is not needed there."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    return tmp_path
