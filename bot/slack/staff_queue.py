"""The staff queue in App Home: who is looking at it, their filter, and keeping it current.

A staff member's App Home is the queue (bot.engine.queue, drawn by bot.slack.queue_view).
It is published again when a case changes and, while targets run, on the deadline loop's
tick, for everyone on staff who opened it lately. The queue is read once per refresh and
drawn for each viewer; a view that would not change is not sent again. Each person's
filter is kept in the store, so every replica draws the one they chose.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.engine.queue import QueueEntry, QueueFilter, StaffQueue, as_filter
from bot.slack import queue_view
from bot.slack.cards import STAFF
from bot.slack.context import SlackPart
from bot.slack.places import Place

log = logging.getLogger(__name__)

VIEWER_SECONDS = 12 * 3600.0  # a queue opened within this long is kept current
FILTER_KEY = "slack:queue-filter:"  # + user ID, in the store's tracker space


class StaffQueueHome(SlackPart):
    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self._viewers: dict[str, float] = {}  # staff ID -> when they last opened it
        self._published: dict[str, str] = {}  # staff ID -> digest of the view last sent
        self._lock = threading.Lock()
        self._refreshing = False  # a refresh_all is running
        self._wanted = 0  # refreshes asked for so far

    # ---- drawing -----------------------------------------------------------------------

    def read(self) -> StaffQueue:
        return self.engine.queue.read(self.clock())

    def filter_of(self, user_id: str) -> QueueFilter:
        rows = self.store.trackers.load(FILTER_KEY + user_id)
        return as_filter(rows[0].get("filter") if rows else None)

    def view_for(self, user_id: str, queue: StaffQueue) -> dict[str, Any]:
        """The App Home view of the queue as this person sees it (their filter and zone)."""
        blocks = queue_view.queue_blocks(
            queue,
            chosen=self.filter_of(user_id),
            viewer_id=user_id,
            viewer_tz=self.zones.of(user_id),
        )
        return {"type": "home", "blocks": blocks}

    def opened(self, user_id: str) -> None:
        """They opened their App Home: keep it current from now on."""
        with self._lock:
            self._viewers[user_id] = time.monotonic()
            self._published.pop(user_id, None)  # what they see now is ours to redraw

    def publish(self, user_id: str, view: dict[str, Any]) -> None:
        """Send the view unless it is the one they already have."""
        digest = hashlib.sha256(json.dumps(view, sort_keys=True).encode()).hexdigest()
        with self._lock:
            if self._published.get(user_id) == digest:
                return
        self.client.views_publish(user_id=user_id, view=view)
        with self._lock:
            self._published[user_id] = digest

    # ---- keeping it current ------------------------------------------------------------

    def viewers(self) -> list[str]:
        oldest = time.monotonic() - VIEWER_SECONDS
        with self._lock:
            for user_id in [u for u, seen in self._viewers.items() if seen < oldest]:
                del self._viewers[user_id]
                self._published.pop(user_id, None)
            return sorted(self._viewers)

    def refresh_all(self, *, only_if_running: bool = False) -> int:
        """Draw the queue again for everyone watching it; returns how many views were sent.

        One refresh at a time: a change asked for while one runs makes it run once more
        (counted under the lock, so no request is lost), and no two threads publish the
        same views.
        """
        if not self.viewers():
            return 0
        with self._lock:
            self._wanted += 1
            if self._refreshing:
                return 0  # the running refresh sees the new request and goes round again
            self._refreshing = True
        sent = 0
        try:
            while True:
                with self._lock:
                    seen = self._wanted
                sent += self._refresh_once(only_if_running=only_if_running)
                with self._lock:
                    if self._wanted == seen:
                        self._refreshing = False
                        return sent
        except BaseException:
            with self._lock:
                self._refreshing = False
            raise

    def _refresh_once(self, *, only_if_running: bool) -> int:
        queue = self.read()
        if only_if_running and not any(entry.clock for entry in queue.entries):
            return 0
        sent = 0
        for user_id in self.viewers():
            if self.gate.staff_only(user_id) is not None:
                continue  # no longer on staff: their App Home follows on their next visit
            before = self._published.get(user_id)
            try:
                self.publish(user_id, self.view_for(user_id, queue))
            except SlackApiError as error:
                log.info("could not refresh a staff queue: %s", error.response.get("error"))
                continue
            sent += self._published.get(user_id) != before
        return sent

    # ---- the buttons -------------------------------------------------------------------

    def choose_filter(self, *, user_id: str, value: str) -> None:
        self.store.trackers.save(FILTER_KEY + user_id, [{"filter": as_filter(value).value}])
        queue = self.read()
        self.publish(user_id, self.view_for(user_id, queue))

    def take(self, *, user_id: str, number: str) -> None:
        """Take from the queue: the same verb as the card's Take; a refusal comes by DM."""
        replies = self.engine.staff.take(number, user_id)
        self.delivery.deliver(
            replies, origin=Place(self.delivery.open_dm(user_id)), owner_id=None, actor_id=user_id
        )
        self.refresh_all()

    def open_case(self, *, user_id: str, number: str, trigger_id: str) -> None:
        entry = self._entry(number)
        if entry is None:
            dm = Place(self.delivery.open_dm(user_id))
            self.delivery.ephemeral(dm, user_id, f"{number} is no longer open.")
            return
        view = queue_view.case_modal(
            entry, viewer_tz=self.zones.of(user_id), card_link=self._card_link(number)
        )
        self.client.views_open(trigger_id=trigger_id, view=view)

    def _entry(self, number: str) -> QueueEntry | None:
        case = self.store.cases.get_case(number)
        if case is None or not case.is_active:
            return None
        queue = self.engine.queue
        return queue.entry(case, self.clock())

    def _card_link(self, number: str) -> str | None:
        card = self.cards.card(number, STAFF)
        if card is None:
            return None
        try:
            response = self.client.chat_getPermalink(channel=card.channel, message_ts=card.ts)
        except SlackApiError as error:
            log.info("no link to the card of %s: %s", number, error.response.get("error"))
            return None
        link = str(response.get("permalink") or "")
        return link if link.startswith("https://") else None
