"""Who is pressing or typing, from the directory; time zones from Slack when it has none.

Every interactive entry point asks here before it acts: staff buttons need staff, case-
changing answers need a designated contact (policy.contacts.may_perform), and a question
offered to one person can only be answered by that person.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackClientError

from bot.directory.models import Directory
from policy.contacts import NOT_DESIGNATED_EXPLANATION, ContactAction, may_perform

log = logging.getLogger(__name__)

NOT_STAFF = "Only support staff can do that; nothing was changed."
NOT_YOURS = (
    "This question was asked to someone else, so I ignored your answer. "
    "Message me directly to start your own report."
)
UNKNOWN_PERSON = (
    "I don't know you yet: you're not in the support directory. Ask your organization's "
    "designated contact to add you. Nothing was created."
)


@dataclass(frozen=True)
class Refusal:
    text: str


class Gate:
    """Permission checks for interactive entries, on top of the engine's own checks."""

    def __init__(self, *, directory: Directory) -> None:
        self.directory = directory

    def person(self, user_id: str) -> Any:
        return self.directory.person(user_id)

    def is_staff(self, user_id: str) -> bool:
        person = self.person(user_id)
        return bool(person and person.is_staff)

    def staff_only(self, user_id: str) -> Refusal | None:
        return None if self.is_staff(user_id) else Refusal(NOT_STAFF)

    def known(self, user_id: str) -> Refusal | None:
        return None if self.person(user_id) is not None else Refusal(UNKNOWN_PERSON)

    def answer(self, *, user_id: str, owner_id: str, contact_action: str | None) -> Refusal | None:
        """May `user_id` answer a question offered to `owner_id` that stands for an action?"""
        if user_id != owner_id:
            return Refusal(NOT_YOURS)
        if contact_action:
            person = self.person(user_id)
            try:
                action = ContactAction(contact_action)
            except ValueError:
                return Refusal("That button is no longer valid; nothing was changed.")
            designated = bool(person and person.is_designated)
            if not may_perform(action, is_designated_contact=designated):
                return Refusal(f"{NOT_DESIGNATED_EXPLANATION} Nothing was changed.")
        return None


class TimeZones:
    """A person's zone: their organization's (directory) first, else Slack's users.info tz.

    Slack's answers are cached per user. A failed users.info is remembered for a few minutes
    too, so a Slack outage costs one slow lookup per person, not one per message.
    """

    FAILURE_MEMORY_SECONDS = 300.0

    def __init__(self, *, directory: Directory, client: Any) -> None:
        self.directory = directory
        self.client = client
        self._cache: dict[str, ZoneInfo] = {}
        self._failed_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def of(self, user_id: str) -> ZoneInfo:
        person = self.directory.person(user_id)
        org = getattr(person, "org", None)
        if org is not None and org.timezone:
            return ZoneInfo(org.timezone)
        return self.from_slack(user_id) or ZoneInfo("UTC")

    def slack_name(self, user_id: str) -> str | None:
        """The IANA name Slack has for the user (for `Inbound.sender_tz`); None if unknown."""
        zone = self.from_slack(user_id)
        return zone.key if zone is not None else None

    def from_slack(self, user_id: str) -> ZoneInfo | None:
        with self._lock:
            if user_id in self._cache:
                return self._cache[user_id]
            if self._failed_until.get(user_id, 0.0) > time.monotonic():
                return None
        try:
            response = self.client.users_info(user=user_id)
            name = (response.get("user") or {}).get("tz")
            zone = ZoneInfo(name) if isinstance(name, str) and name else None
        except (SlackClientError, ZoneInfoNotFoundError, ValueError, OSError) as error:
            # A failed lookup must never block the turn: the directory or UTC decides instead.
            log.info("no Slack time zone for %s: %s", user_id, type(error).__name__)
            zone = None
        with self._lock:
            if zone is not None:
                self._cache[user_id] = zone
            else:
                self._failed_until[user_id] = time.monotonic() + self.FAILURE_MEMORY_SECONDS
        return zone
