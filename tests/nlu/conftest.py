"""The NLU model is trained once per test session, into pytest's cache keyed by fingerprint.

`SUPPORTBOT_DATA_DIR` points at that cache only while an NLU test runs, so tests in other
folders never see it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nlu.paths import DATA_DIR_ENV
from nlu.service import NluService, build_service


@pytest.fixture(scope="session")
def nlu_cache_dir(request: pytest.FixtureRequest) -> Path:
    """A data dir whose `nlu-model/<fingerprint>/` survives between runs; KB files do not."""
    directory = Path(request.config.cache.mkdir("supportbot-nlu"))
    (directory / "kb" / "faq.json").unlink(missing_ok=True)
    return directory


@pytest.fixture(autouse=True)
def nlu_data_dir(nlu_cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(DATA_DIR_ENV, str(nlu_cache_dir))
    yield nlu_cache_dir


@pytest.fixture(scope="session")
def service(nlu_cache_dir: Path) -> NluService:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_ENV, str(nlu_cache_dir))
        return build_service()


@pytest.fixture
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data dir for tests that write (KB import); the model is not needed there."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    return tmp_path
