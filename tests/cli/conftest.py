"""What the CLI tests share: an empty store directory the commands read by default."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SUPPORTBOT_DATA_DIR points at a new folder; no Redis, the shipped directory."""
    directory = tmp_path / "data"
    monkeypatch.setenv("SUPPORTBOT_DATA_DIR", str(directory))
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("SUPPORTBOT_CONTACTS", raising=False)
    return directory
