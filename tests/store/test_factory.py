"""open_store picks the backend and place the deployment asks for."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot import paths
from bot.store.errors import StoreUnavailable
from bot.store.factory import open_store
from tests.store.conftest import NOW, make_draft


def test_default_store_is_a_sqlite_file_in_supportbot_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("SUPPORTBOT_DATA_DIR", str(tmp_path / "data"))
    store = open_store()
    try:
        store.cases.create_case(make_draft(), idempotency_key="k", actor_id="U01AAA", now=NOW)
    finally:
        store.close()
    assert (tmp_path / "data" / "supportbot.sqlite3").is_file()
    reopened = open_store(data_dir=tmp_path / "data")
    try:
        assert reopened.cases.get_case("CS-1001") is not None
    finally:
        reopened.close()


def test_data_dir_falls_back_to_the_user_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SUPPORTBOT_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if sys.platform != "linux":
        pytest.skip("XDG_DATA_HOME only steers platformdirs on Linux")
    assert paths.data_dir() == tmp_path / "xdg" / "supportbot"
    assert paths.data_dir().is_dir()


def test_unusable_data_dir_is_reported_not_raised_as_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("SUPPORTBOT_DATA_DIR", str(blocker / "data"))
    with pytest.raises(StoreUnavailable, match="cannot use the data directory"):
        open_store()


def test_redis_url_without_the_redis_backend_says_so_without_the_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret_url = "redis://:hunter2@127.0.0.1:6379/0"
    monkeypatch.setitem(sys.modules, "bot.store.redis_store", None)  # as if not written yet
    with pytest.raises(StoreUnavailable, match="Redis backend") as caught:
        open_store(redis_url=secret_url)
    assert "hunter2" not in str(caught.value)
