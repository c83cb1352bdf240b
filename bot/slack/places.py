"""Where a conversation lives in Slack, and the files a message shares.

A conversation key is the DM channel ("D123") or a channel thread ("C123:1700000000.0001");
the engine keys its state on it and the adapter posts replies back to the same place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.messages import Inbound, SharedFile


@dataclass(frozen=True)
class Place:
    channel: str
    thread_ts: str | None = None

    @property
    def conversation_key(self) -> str:
        return f"{self.channel}:{self.thread_ts}" if self.thread_ts else self.channel

    @classmethod
    def from_key(cls, key: str) -> Place:
        channel, _, thread_ts = key.partition(":")
        return cls(channel=channel, thread_ts=thread_ts or None)

    def inbound(
        self,
        *,
        sender_id: str,
        text: str,
        received_at: datetime,
        event_id: str | None,
        sender_tz: str | None,
        action: str | None = None,
        action_value: str | None = None,
        files: tuple[SharedFile, ...] = (),
    ) -> Inbound:
        """What the engine receives from this place: a message (maybe with files), or a
        button press."""
        return Inbound(
            sender_id=sender_id,
            text=text,
            conversation_key=self.conversation_key,
            received_at=received_at,
            channel=self.channel,
            thread_ts=self.thread_ts,
            event_id=event_id,
            action=action,
            action_value=action_value,
            sender_tz=sender_tz,
            files=files,
        )


# Files Slack shows without their details: deleted, or beyond the workspace's plan limits.
_UNAVAILABLE_FILE_MODES = frozenset({"tombstone", "hidden_by_limit"})


def shared_files(event: dict) -> tuple[SharedFile, ...]:
    """The files of a message event (subtype "file_share") by reference: name, type, size and
    permalink. Nothing is downloaded; a file Slack gives no name or permalink for is skipped."""
    found: list[SharedFile] = []
    for item in event.get("files") or []:
        if not isinstance(item, dict) or item.get("mode") in _UNAVAILABLE_FILE_MODES:
            continue
        name = str(item.get("name") or item.get("title") or "").strip()
        permalink = str(item.get("permalink") or "").strip()
        if not name or not permalink:
            continue
        size = item.get("size")
        found.append(
            SharedFile(
                name=name,
                mimetype=str(item.get("mimetype") or ""),
                size=size if isinstance(size, int) and not isinstance(size, bool) else 0,
                permalink=permalink,
            )
        )
    return tuple(found)


def place_of_message(event: dict) -> Place:
    """A DM is one conversation (threads in it too); in channels each thread is its own."""
    channel = str(event.get("channel", ""))
    if event.get("channel_type") == "im" or channel.startswith("D"):
        return Place(channel=channel)
    return Place(channel=channel, thread_ts=event.get("thread_ts") or event.get("ts"))
