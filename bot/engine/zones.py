"""Which time zone to show a case's times in when no requester message is at hand.

Staff actions and timers run outside the requester's turn, so the Slack zone that came with
their message is not there. The organization's zone (directory) comes first; else the zone
the requester's messages carried in the case's conversation (already stored with each user
event, so nothing new is kept); else UTC, which `local_time` labels as UTC.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from actions.ports import UTC_ZONE, zone_named
from bot.directory.models import Directory
from bot.store.base import Store


def case_zone(*, store: Store, directory: Directory, case: Any) -> ZoneInfo:
    org = directory.organization(case.org_short_name)
    org_zone = org.tz if org is not None else None
    if org_zone is not None:
        return org_zone
    return requester_zone(store=store, case=case) or UTC_ZONE


def requester_zone(*, store: Store, case: Any) -> ZoneInfo | None:
    """The latest Slack zone the requester's messages carried in the case's conversation."""
    if not case.origin_thread:
        return None
    for event in reversed(store.trackers.load(case.origin_thread)):
        if event.get("event") != "user":
            continue
        metadata = event.get("metadata") or {}
        if metadata.get("user_id") == case.requester_id:
            zone = zone_named(metadata.get("sender_tz"))
            if zone is not None:
                return zone
    return None
