"""Bolt listeners: ack at once, then hand the payload to `Flows` on the listener pool.

Bolt (process_before_response=False) answers Slack as soon as `ack()` runs and keeps running
the listener on its thread pool, so a slow NLU or store never delays the 3-second ack.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.slack import interactive as ix
from bot.slack.flows import Flows
from bot.slack.payloads import report_errors, staff_text_errors

log = logging.getLogger(__name__)

REPORT_SHORTCUT = "report_to_support"
SUPPORT_COMMAND = "/support"


def one_of(names: tuple[str, ...]) -> re.Pattern[str]:
    """Exactly one of these action or callback IDs (Bolt matches a pattern with search)."""
    return re.compile("^(" + "|".join(re.escape(n) for n in names) + ")$")


STAFF_BUTTONS = one_of(ix.STAFF_ACTIONS)
PRIORITY_REQUEST_BUTTONS = one_of(ix.PRIORITY_REQUEST_ACTIONS)
STAFF_CHOICE_VIEWS = one_of(ix.STAFF_CHOICE_MODALS)


def guarded(work: Callable[[], Any], *, what: str) -> None:
    """Run one piece of work; failures are logged by type only (payloads may hold secrets)."""
    try:
        work()
    except Exception as error:
        log.error(
            "%s failed: %s", what, type(error).__name__, exc_info=log.isEnabledFor(logging.DEBUG)
        )


def register_listeners(app: App, flows: Flows) -> None:
    @app.event("message")
    def on_message(ack: Ack, body: dict, event: dict, context: BoltContext) -> None:
        ack()
        guarded(
            lambda: flows.message(
                event=event, event_id=body.get("event_id"), bot_user_id=context.bot_user_id
            ),
            what="message",
        )

    @app.event("app_mention")
    def on_mention(ack: Ack, body: dict, event: dict, context: BoltContext) -> None:
        ack()
        guarded(
            lambda: flows.mention(
                event=event, event_id=body.get("event_id"), bot_user_id=context.bot_user_id
            ),
            what="app_mention",
        )

    @app.event("app_home_opened")
    def on_home(ack: Ack, event: dict) -> None:
        ack()
        if event.get("tab", "home") == "home":
            guarded(lambda: flows.home(user_id=str(event["user"])), what="app_home")

    @app.command(SUPPORT_COMMAND)
    def on_support(ack: Ack, command: dict) -> None:
        refusal = flows.gate.known(str(command.get("user_id", "")))
        if refusal is not None:
            ack(refusal.text)  # a directory lookup in memory: fast enough for the ack
            return
        if str(command.get("text") or "").strip():
            ack("Got it, I'll answer in our direct messages.")
        else:
            ack()
        guarded(lambda: flows.support_command(command=command), what="/support")

    @app.shortcut(REPORT_SHORTCUT)
    def on_report_shortcut(ack: Ack, body: dict) -> None:
        ack()
        guarded(lambda: flows.shortcut(body=body), what="shortcut")

    @app.action(re.compile("^" + re.escape(ix.ENGINE_ACTION_PREFIX)))
    def on_engine_button(ack: Ack, body: dict) -> None:
        ack()
        guarded(lambda: flows.press(body=body), what="button")

    @app.action(ix.SEVERITY_SELECT)
    def on_severity_select(ack: Ack, body: dict) -> None:
        ack()
        guarded(lambda: flows.severity_choice(body=body), what="severity select")

    @app.action(STAFF_BUTTONS)
    def on_staff_button(ack: Ack, body: dict) -> None:
        ack()
        guarded(lambda: flows.staff_button(body=body), what="staff button")

    @app.action(PRIORITY_REQUEST_BUTTONS)
    def on_priority_request(ack: Ack, body: dict) -> None:
        ack()
        guarded(lambda: flows.priority_answer(body=body), what="priority request button")

    @app.action(ix.STAFF_JOIN)
    def on_staff_join(ack: Ack, body: dict) -> None:
        ack()
        guarded(lambda: flows.staff_join(body=body), what="join")

    @app.action(ix.OPEN_REPORT_MODAL)
    def on_open_report(ack: Ack, body: dict) -> None:
        ack()
        guarded(
            lambda: flows.open_report_modal(
                user_id=str(body["user"]["id"]), trigger_id=body["trigger_id"], source="home"
            ),
            what="report modal",
        )

    @app.view(ix.REPORT_MODAL)
    def on_report(ack: Ack, body: dict, view: dict) -> None:
        refusal = flows.gate.known(str(body["user"]["id"]))
        errors = {"description": refusal.text[:150]} if refusal else report_errors(view)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        guarded(
            lambda: flows.report_submitted(user_id=str(body["user"]["id"]), view=view),
            what="report modal submission",
        )

    @app.view(ix.STAFF_TEXT_MODAL)
    def on_staff_text(ack: Ack, body: dict, view: dict) -> None:
        errors = staff_text_errors(view)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        guarded(
            lambda: flows.staff_modal(
                user_id=str(body["user"]["id"]), view=view, callback_id=ix.STAFF_TEXT_MODAL
            ),
            what="staff modal",
        )

    @app.view(STAFF_CHOICE_VIEWS)
    def on_staff_choice(ack: Ack, body: dict, view: dict) -> None:
        """Severity, priority and restoration: Slack requires their selection before submit."""
        ack()
        guarded(
            lambda: flows.staff_modal(
                user_id=str(body["user"]["id"]), view=view, callback_id=str(view["callback_id"])
            ),
            what="staff choice modal",
        )
