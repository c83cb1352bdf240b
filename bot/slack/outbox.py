"""Delivers what case changes owe (the store's outbox) until Slack accepts it, once.

The store writes an item with every case change: a new case's two cards, the cards to show
as they now are, and messages such as support's question to the requester. The turn that made
the change settles its item at once; this courier also sweeps items nobody settled (the turn
died, Slack or the store was down) on every replica. A claim is a lease, so one replica
carries an item at a time, and progress is kept per message, so a retry never repeats one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError

from bot.messages import outbound_from_dict
from bot.slack.delivery import Delivery
from bot.store.base import Store
from bot.store.models import OutboxItem

log = logging.getLogger(__name__)

LEASE_SECONDS = 60.0  # an item is a few Slack calls; a crashed replica's items return in a minute
FIRST_RETRY = timedelta(seconds=5)  # Slack's own retry handlers already waited out short blips
LONGEST_RETRY = timedelta(minutes=5)  # a misconfigured channel is retried until it is fixed
CARD_ATTEMPTS = 12  # about 30 minutes of retries for a card Slack says it will never accept
SWEEP_BATCH = 50  # items per sweep, so one sweep never holds a worker for long
SWEEP_INTERVAL_SECONDS = 5.0  # how soon an orphaned item is picked up after its grace time
# Slack errors that the same call may get past later; anything else will never be accepted.
TRANSIENT_SLACK_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


def transient(error: Exception) -> bool:
    """True unless Slack said this exact message will never be accepted."""
    if not isinstance(error, SlackApiError):
        return True  # the network or the store: try again later
    status = getattr(error.response, "status_code", 200)
    return status == 429 or status >= 500 or error.response.get("error") in TRANSIENT_SLACK_ERRORS


def retry_delay(attempts: int) -> timedelta:
    """Doubling from FIRST_RETRY, capped at LONGEST_RETRY."""
    return min(FIRST_RETRY * (2 ** min(attempts, 16)), LONGEST_RETRY)


class OutboxCourier:
    def __init__(
        self,
        *,
        store: Store,
        delivery: Delivery,
        clock: Callable[[], datetime],
        lease_seconds: float = LEASE_SECONDS,
    ) -> None:
        self.store = store
        self.delivery = delivery
        self.clock = clock
        self.lease_seconds = lease_seconds

    def settle(self, item_id: str) -> bool:
        """Carry one item if nobody else is; True when it went out completely."""
        try:
            item = self.store.outbox.claim(item_id, lease_seconds=self.lease_seconds)
        except Exception as error:  # the store is down: the sweep finds the item later
            log.warning("could not claim outbox item %s: %s", item_id, type(error).__name__)
            return False
        if item is None:
            return False
        try:
            self._carry(item)
            self.store.outbox.settle(item_id)
        except Exception as error:
            self._give_back(item, error)
            return False
        return True

    def sweep(self) -> int:
        """Settle the items whose grace time passed; returns how many went out."""
        due = self.store.outbox.due(self.clock(), limit=SWEEP_BATCH)
        return sum(self.settle(item.item_id) for item in due)

    def _carry(self, item: OutboxItem) -> None:
        for index in range(item.delivered, len(item.messages)):
            outbound = outbound_from_dict(item.messages[index])
            try:
                self.delivery.deliver_one(outbound, origin=None, owner_id=None)
            except SlackApiError as error:
                if transient(error):
                    raise
                log.error(
                    "Slack will never accept a %s message of %s (%s); skipped",
                    outbound.kind,
                    item.case_number,
                    error.response.get("error"),
                )
            self.store.outbox.advance(item.item_id, delivered=index + 1)
        try:
            if item.action == "create":  # posted as the case is now, so no refresh is needed
                self.delivery.post_cards(item.case_number, maybe_posted=item.attempts > 1)
            else:
                self.delivery.refresh_cards(item.case_number)
        except SlackApiError as error:
            # A refused card may be a staff channel fixed later: retried for a while, then
            # given up loudly rather than retried forever.
            if transient(error) or item.attempts < CARD_ATTEMPTS:
                raise
            log.error(
                "gave up posting the cards of %s after %d attempts: %s",
                item.case_number,
                item.attempts,
                error.response.get("error"),
            )

    def _give_back(self, item: OutboxItem, error: Exception) -> None:
        reason = (
            str(error.response.get("error"))
            if isinstance(error, SlackApiError)
            else type(error).__name__
        )
        log.warning(
            "outbox item %s not delivered yet (attempt %d): %s",
            item.item_id,
            item.attempts,
            reason,
        )
        try:
            self.store.outbox.retry(
                item.item_id, at=self.clock() + retry_delay(item.attempts - 1), error=reason
            )
        except Exception as store_error:  # the lease runs out by itself
            log.warning("could not reschedule %s: %s", item.item_id, type(store_error).__name__)
