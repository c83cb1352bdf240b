"""While an NLU test runs, `SUPPORTBOT_DATA_DIR` points at the run's NLU data directory.

The model is trained once per run, into that directory, by the `nlu_service` fixture of
tests/conftest.py; `service` is that same service. Tests in other folders never see the
variable set (tests/conftest.py sets it for a test only where it is needed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.paths import DATA_DIR_ENV
from nlu.service import NluService


@pytest.fixture(autouse=True)
def nlu_data_dir_env(nlu_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Only the variable: the model is built there when a test first asks for `service`."""
    monkeypatch.setenv(DATA_DIR_ENV, str(nlu_data_dir))
    return nlu_data_dir


@pytest.fixture(scope="session")
def service(nlu_service: NluService) -> NluService:
    return nlu_service


@pytest.fixture
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data dir for tests that write (KB import); the model is not needed there."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    return tmp_path
