"""Slack's message text as plain text: the adapter's normaliser, applied before the engine.

The engine and the NLU read plain text, so Slack's syntax stops here: people's mentions read
"@name" (the label Slack sent, else the directory's name, else the user ID) and the bot's
own mention is dropped; channel links read "#name", links their label and, where it is not
the URL itself, the URL after it (staff must see where a link goes: a label can hide it);
emoji codes are dropped and &amp; &lt; &gt; decoded. The rules are `nlu.markup`'s (the NLU's
Slack-written corpus is read with them too); this module decides how people read.
"""

from __future__ import annotations

from bot.directory.models import Directory
from nlu.markup import slack_to_plain


def plain_text(
    slack_text: str, *, bot_user_id: str | None, directory: Directory | None = None
) -> str:
    """Slack's message text as the person meant it, as plain text for the engine.

    One line has its blanks folded; a message of several lines keeps its lines (a pasted log
    or list) and is only trimmed."""

    def mention(user_id: str, label: str | None) -> str:
        if bot_user_id and user_id == bot_user_id:
            return " "  # "@bot status of CS-1001" is meant as "status of CS-1001"
        person = directory.person(user_id) if directory is not None else None
        shown = (label or "").strip().removeprefix("@") or (person.name if person else user_id)
        return "@" + shown

    def link(url: str, label: str) -> str:
        shown = label.strip()
        return shown if shown in (url, url.removeprefix("mailto:")) else f"{shown} ({url})"

    text = slack_to_plain(str(slack_text or ""), mention=mention, labelled_link=link).text
    return " ".join(text.split()) if "\n" not in text else text.strip()
