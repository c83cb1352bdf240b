"""Slack settings read from the environment, validated once, never printed in full.

Tokens are secrets: `repr()` shows only whether each one is set, so a settings object can be
logged or shown in an error message without leaking anything.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlparse

DEFAULT_API_URL = "https://slack.com/api/"


class SettingsError(ValueError):
    """A missing or malformed setting; the message names the variable, never its value."""


@dataclass(frozen=True, kw_only=True)
class SlackSettings:
    bot_token: str = field(repr=False)
    signing_secret: str = field(repr=False, default="")
    app_token: str = field(repr=False, default="")
    api_url: str = DEFAULT_API_URL

    def __repr__(self) -> str:  # secrets stay out of logs and tracebacks
        return (
            f"SlackSettings(bot_token={'set' if self.bot_token else 'missing'}, "
            f"signing_secret={'set' if self.signing_secret else 'missing'}, "
            f"app_token={'set' if self.app_token else 'missing'}, api_url={self.api_url!r})"
        )

    __str__ = __repr__

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, mode: str) -> SlackSettings:
        """Settings for `mode` "socket" (needs the app token) or "http" (the signing secret)."""
        source = os.environ if env is None else env
        bot_token = source.get("SLACK_BOT_TOKEN", "").strip()
        signing_secret = source.get("SLACK_SIGNING_SECRET", "").strip()
        app_token = source.get("SLACK_APP_TOKEN", "").strip()
        api_url = normalize_api_url(source.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL)
        missing = ["SLACK_BOT_TOKEN"] if not bot_token else []
        if mode == "http" and not signing_secret:
            missing.append("SLACK_SIGNING_SECRET")
        if mode == "socket" and not app_token:
            missing.append("SLACK_APP_TOKEN")
        if missing:
            raise SettingsError(f"missing setting(s): {', '.join(missing)} (set them in the env)")
        if not bot_token.startswith("xoxb-"):
            raise SettingsError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
        if mode == "socket" and not app_token.startswith("xapp-"):
            raise SettingsError("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
        return cls(
            bot_token=bot_token,
            signing_secret=signing_secret,
            app_token=app_token,
            api_url=api_url,
        )


def normalize_api_url(value: str) -> str:
    """The Web API base URL with a trailing slash, as slack_sdk expects."""
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(f"SLACK_API_URL must be an http(s) URL, got {value!r}")
    return value if value.endswith("/") else value + "/"
