"""What each Slack entry point does, after the request has been acknowledged.

Listeners (bot.slack.listeners) only ack and call one method here. `Flows` is the single
front door; the work lives in one module per job: conversations (messages), answers
(engine buttons), staff_actions (case cards), priority_requests (Approve/Decline on a
requester's priority request), reports (command, shortcut, modal), plus the deadlines and
App Home. Nothing here runs on the ack path, so slow NLU or store work never makes Slack
retry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.directory.models import Directory
from bot.slack import interactive as ix
from bot.slack.answers import Answers
from bot.slack.context import SlackContext, SlackPart
from bot.slack.conversations import Conversations
from bot.slack.home import publish_home
from bot.slack.places import Place
from bot.slack.priority_requests import PriorityRequests
from bot.slack.reports import Reports
from bot.slack.staff_actions import StaffActions
from bot.slack.staff_queue import StaffQueueHome
from bot.store.base import Store

log = logging.getLogger(__name__)


class Flows(SlackPart):
    def __init__(
        self,
        *,
        engine: Any,
        store: Store,
        directory: Directory,
        client: Any,
        clock: Callable[[], datetime],
    ) -> None:
        context = SlackContext(
            engine=engine, store=store, directory=directory, client=client, clock=clock
        )
        super().__init__(context)
        conversations = Conversations(context)
        answers = Answers(context)
        staff = StaffActions(context)
        reports = Reports(context, conversations=conversations)
        self.message = conversations.message
        self.mention = conversations.mention
        self.converse = conversations.converse
        self.press = answers.press
        self.severity_choice = answers.severity_choice
        self.staff_button = staff.staff_button
        self.staff_join = staff.staff_join
        self.staff_modal = staff.staff_modal
        self.priority_answer = PriorityRequests(context).answer
        self.support_command = reports.support_command
        self.open_report_modal = reports.open_report_modal
        self.shortcut = reports.shortcut
        self.report_submitted = reports.report_submitted
        self.queue = StaffQueueHome(context)
        self.delivery.on_case_change = self.refresh_home
        self.delivery.on_queue_change = self.refresh_queue

    def refresh_home(self, user_id: str) -> None:
        """Keep a requester's App Home current when one of their cases changes."""
        try:
            self.home(user_id=user_id)
        except SlackApiError as error:
            log.info("could not refresh the App Home: %s", error.response.get("error"))

    def refresh_queue(self) -> None:
        """Keep the staff queues people are looking at current when a case changes."""
        try:
            self.queue.refresh_all()
        except Exception as error:  # a refresh must never fail the change that caused it
            log.warning("could not refresh the staff queues: %s", type(error).__name__)

    def deadlines(self) -> int:
        """Deliver due reminders, missed targets, closure notices and closures, then move
        the staff queues' clocks on; returns how many fired."""
        fired = self.engine.run_timers()
        self.delivery.deliver(fired, origin=None, owner_id=None)
        try:
            self.queue.refresh_all(only_if_running=True)
        except Exception as error:
            log.warning("could not refresh the staff queues: %s", type(error).__name__)
        return len(fired)

    def queue_press(self, *, body: dict[str, Any]) -> None:
        """A button of the staff queue: a filter, Take or Open; staff only, checked here."""
        user_id = str(body["user"]["id"])
        action = body["actions"][0]
        action_id = str(action.get("action_id", ""))
        value = str(action.get("value", ""))
        if (refusal := self.gate.staff_only(user_id)) is not None:
            self.delivery.ephemeral(Place(self.delivery.open_dm(user_id)), user_id, refusal.text)
            return
        if action_id.startswith(ix.QUEUE_FILTER + ":"):
            self.queue.choose_filter(user_id=user_id, value=value)
        elif action_id == ix.QUEUE_TAKE:
            self.queue.take(user_id=user_id, number=value)
        elif action_id == ix.QUEUE_OPEN:
            self.queue.open_case(user_id=user_id, number=value, trigger_id=body["trigger_id"])

    def outbox(self) -> int:
        """Deliver what case changes still owe (their turn could not); returns how many."""
        return self.courier.sweep()

    def home(self, *, user_id: str) -> None:
        """Staff see the queue (and it is kept current); everyone else, their cases."""
        person = self.gate.person(user_id)
        if person is not None and person.is_staff:
            self.queue.opened(user_id)
            self.queue.publish(user_id, self.queue.view_for(user_id, self.queue.read()))
            return
        publish_home(
            client=self.client,
            store=self.store,
            gate=self.gate,
            zones=self.zones,
            user_id=user_id,
        )
