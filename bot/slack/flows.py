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
from bot.slack.answers import Answers
from bot.slack.context import SlackContext, SlackPart
from bot.slack.conversations import Conversations
from bot.slack.home import publish_home
from bot.slack.priority_requests import PriorityRequests
from bot.slack.reports import Reports
from bot.slack.staff_actions import StaffActions
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
        self.delivery.on_case_change = self.refresh_home

    def refresh_home(self, user_id: str) -> None:
        """Keep a requester's App Home current when one of their cases changes."""
        try:
            self.home(user_id=user_id)
        except SlackApiError as error:
            log.info("could not refresh the App Home: %s", error.response.get("error"))

    def deadlines(self) -> int:
        """Deliver due reminders, closure notices and closures; returns how many fired."""
        fired = self.engine.run_timers()
        self.delivery.deliver(fired, origin=None, owner_id=None)
        return len(fired)

    def outbox(self) -> int:
        """Deliver what case changes still owe (their turn could not); returns how many."""
        return self.courier.sweep()

    def home(self, *, user_id: str) -> None:
        publish_home(
            client=self.client,
            store=self.store,
            gate=self.gate,
            zones=self.zones,
            user_id=user_id,
        )
