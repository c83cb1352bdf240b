"""The app manifest asks Slack for exactly what the app listens to and calls."""

from __future__ import annotations

from pathlib import Path

import yaml

import bot.slack
from bot.slack.listeners import REPORT_SHORTCUT, SUPPORT_COMMAND

MANIFEST = Path(bot.slack.__file__).parent / "manifest.yaml"


def load() -> dict:
    return yaml.safe_load(MANIFEST.read_text())


def test_manifest_declares_every_entry_point() -> None:
    manifest = load()
    features = manifest["features"]
    assert [c["command"] for c in features["slash_commands"]] == [SUPPORT_COMMAND]
    assert [(s["type"], s["callback_id"]) for s in features["shortcuts"]] == [
        ("message", REPORT_SHORTCUT)
    ]
    assert features["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_mention", "message.im", "message.channels", "app_home_opened"} <= events


def test_manifest_scopes_cover_the_web_api_calls_and_events() -> None:
    scopes = set(load()["oauth_config"]["scopes"]["bot"])
    needed = {
        "chat:write",  # chat.postMessage, chat.update, chat.postEphemeral
        "im:write",  # conversations.open for DMs to designated contacts
        "users:read",  # users.info (time zone)
        "commands",
        "app_mentions:read",
        "im:history",
        "channels:history",
    }
    assert needed <= scopes
    assert not {s for s in scopes if s.endswith(":write") and s.startswith(("admin", "users"))}


def test_every_request_url_points_at_the_events_path() -> None:
    manifest = load()
    urls = [
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
        *(c["url"] for c in manifest["features"]["slash_commands"]),
    ]
    assert all(url.endswith("/slack/events") for url in urls)
