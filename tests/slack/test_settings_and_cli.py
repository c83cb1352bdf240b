"""`supportbot serve` settings: clear one-line errors, exit 2, and tokens never printed."""

from __future__ import annotations

import pytest

from bot.cli.main import main
from bot.slack.settings import DEFAULT_API_URL, SettingsError, SlackSettings

TOKEN = "xoxb-1111-2222-LEAKEDVALUE"
APP_TOKEN = "xapp-1-A0-3333-LEAKEDAPP"


def env(**values: str) -> dict[str, str]:
    return dict(values)


def test_http_mode_needs_bot_token_and_signing_secret() -> None:
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET"):
        SlackSettings.from_env(env(), mode="http")


def test_socket_mode_needs_the_app_token() -> None:
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN"):
        SlackSettings.from_env(env(SLACK_BOT_TOKEN=TOKEN), mode="socket")
    with pytest.raises(SettingsError, match="xapp-"):
        SlackSettings.from_env(
            env(SLACK_BOT_TOKEN=TOKEN, SLACK_APP_TOKEN="xoxb-wrong"), mode="socket"
        )


def test_a_user_token_is_refused_without_echoing_it() -> None:
    with pytest.raises(SettingsError) as error:
        SlackSettings.from_env(
            env(SLACK_BOT_TOKEN="xoxp-user-SECRET", SLACK_SIGNING_SECRET="s"), mode="http"
        )
    assert "SECRET" not in str(error.value)


def test_api_url_is_normalised_and_validated() -> None:
    settings = SlackSettings.from_env(
        env(
            SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET="s", SLACK_API_URL="http://127.0.0.1:9/api"
        ),
        mode="http",
    )
    assert settings.api_url == "http://127.0.0.1:9/api/"
    default = SlackSettings.from_env(
        env(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET="s"), mode="http"
    )
    assert default.api_url == DEFAULT_API_URL
    with pytest.raises(SettingsError, match="SLACK_API_URL"):
        SlackSettings.from_env(
            env(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET="s", SLACK_API_URL="slack.com"),
            mode="http",
        )


def test_repr_hides_every_secret() -> None:
    settings = SlackSettings(bot_token=TOKEN, signing_secret="sig-SECRET", app_token=APP_TOKEN)
    shown = repr(settings) + str(settings)
    assert "SECRET" not in shown and "bot_token=set" in shown


@pytest.mark.parametrize(
    ("argv", "environment", "expected"),
    [
        (
            ["serve", "--socket"],
            {},
            "missing setting(s): SLACK_BOT_TOKEN, SLACK_APP_TOKEN (set them in the env)",
        ),
        (
            ["serve", "--http", "3000"],
            {"SLACK_BOT_TOKEN": TOKEN},
            "missing setting(s): SLACK_SIGNING_SECRET (set them in the env)",
        ),
        (["serve", "--http", "port"], {}, "--http needs a port number, got 'port'"),
        (["serve", "--http", "70000"], {}, "--http port must be 0-65535, got 70000"),
        (
            ["serve", "--socket"],
            {"SLACK_BOT_TOKEN": TOKEN, "SLACK_APP_TOKEN": "xoxb-LEAKED"},
            "SLACK_APP_TOKEN must be an app-level token starting with xapp-",
        ),
    ],
)
def test_serve_bad_settings_exit_2_with_one_line(
    argv, environment, expected, monkeypatch, capsys
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err == f"supportbot serve: {expected}\n"
    assert captured.out == "" and "LEAKED" not in captured.err


def test_serve_needs_a_mode(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve"])
    assert exit_info.value.code == 2
    assert "one of the arguments --socket --http is required" in capsys.readouterr().err


def start_env(monkeypatch, fake_slack, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "sig-LEAKEDSECRET")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    monkeypatch.delenv("REDIS_URL", raising=False)


def test_serve_refused_token_is_one_line_without_the_token(
    monkeypatch, capsys, fake_slack, tmp_path, nlu
) -> None:
    start_env(monkeypatch, fake_slack, tmp_path)
    fake_slack.fail_next("auth.test", status=200, retry_after=None, error="invalid_auth")
    assert main(["serve", "--http", "0", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("supportbot serve: cannot start:") and err.count("\n") == 1
    assert "LEAKED" not in err


def test_serve_on_a_busy_port_is_one_line(monkeypatch, capsys, fake_slack, tmp_path, nlu) -> None:
    import socket

    start_env(monkeypatch, fake_slack, tmp_path)
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        argv = ["serve", "--http", str(port), "--host", "127.0.0.1", "--data-dir", str(tmp_path)]
        assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"supportbot serve: cannot listen on 127.0.0.1:{port}:")
    assert err.count("\n") == 1 and "LEAKED" not in err
