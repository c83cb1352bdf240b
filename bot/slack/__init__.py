"""The Slack adapter: a slack-bolt app that carries the engine's conversations into Slack.

`create_app(engine=..., store=..., directory=..., settings=...)` builds the Bolt app; it is
served by `bot.slack.serving` in Socket Mode or HTTP mode (`supportbot serve`).
"""

from bot.slack.app import create_app
from bot.slack.settings import SettingsError, SlackSettings

__all__ = ["SettingsError", "SlackSettings", "create_app"]
