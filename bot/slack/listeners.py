"""Bolt listeners: ack, then queue the work for `Flows` on the fair pool.

Bolt answers Slack when a listener returns, which is at once: the work runs later on the
`FairPool`, keyed by the conversation it touches (the engine's lock key where there is one,
else the case or the person), so a slow NLU or store never delays the 3-second ack and one
person's slow turn never delays another's. A person with too much work waiting is told,
once per burst, to slow down; what they sent meanwhile is dropped.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.logs import EVENTS_LOGGER, milliseconds, work_context
from bot.slack import interactive as ix
from bot.slack.fair_pool import FairPool
from bot.slack.flows import Flows
from bot.slack.payloads import (
    report_errors,
    staff_choice_errors,
    staff_text_errors,
    view_metadata,
)
from bot.slack.places import Place, place_of_message
from bot.slack.replay_guard import ReplayGuard, as_dict, first_action

log = logging.getLogger(__name__)
events = logging.getLogger(EVENTS_LOGGER)  # one line per event's work (see `guarded`)

REPORT_SHORTCUT = "report_to_support"
SUPPORT_COMMAND = "/support"
SLOW_DOWN = (
    "You're sending me requests faster than I can answer, so I skipped some of them. "
    "Wait for my replies, then send again what is still missing."
)


def one_of(names: tuple[str, ...]) -> re.Pattern[str]:
    """Exactly one of these action or callback IDs (Bolt matches a pattern with search)."""
    return re.compile("^(" + "|".join(re.escape(n) for n in names) + ")$")


STAFF_BUTTONS = one_of(ix.STAFF_ACTIONS)
PRIORITY_REQUEST_BUTTONS = one_of(ix.PRIORITY_REQUEST_ACTIONS)
STAFF_CHOICE_VIEWS = one_of(ix.STAFF_CHOICE_MODALS)


def guarded(
    work: Callable[[], Any], *, what: str, reference: str = "", queued_at: float | None = None
) -> None:
    """Run one piece of work in its log context (`reference`: the conversation's key, or a
    case's `case:CS-1001`), then log one line for it: INFO when it went well, ERROR with the
    exception's type and stack trace when it failed; with its duration (and the time it
    waited in the queue), never the payload or a message text (they may hold secrets)."""
    started = time.monotonic()
    timing = {} if queued_at is None else {"queued_ms": milliseconds(started - queued_at)}
    with work_context(reference, event=what):
        try:
            work()
        except Exception as error:
            timing["duration_ms"] = milliseconds(time.monotonic() - started)
            events.error(
                "%s failed: %s",
                what,
                type(error).__name__,
                exc_info=True,
                extra={"outcome": "failed", **timing},
            )
        else:
            timing["duration_ms"] = milliseconds(time.monotonic() - started)
            events.info("%s ok", what, extra={"outcome": "ok", **timing})


def user_of(body: dict) -> str:
    """Who sent an interactive payload or command ("" when Slack did not say)."""
    return str(as_dict(body.get("user")).get("id") or body.get("user_id") or "")


def press_key(body: dict) -> str:
    """The conversation a requester-side button or choice acts in: the engine's lock key."""
    action = first_action(body)
    press = ix.Press.decode(str(action.get("value", "")))
    if press is not None:
        return press.conversation_key
    context = ix.read_block_context(str(action.get("block_id", "")))
    return context[0] if context else f"user:{user_of(body)}"


def case_key(number: object, body: dict) -> str:
    """Staff work on one case runs in order; without a case number, the person's own queue."""
    return f"case:{number}" if number else f"user:{user_of(body)}"


def register_listeners(app: App, flows: Flows, *, pool: FairPool, replays: ReplayGuard) -> None:
    def later(
        key: str,
        user: str,
        work: Callable[[], Any],
        *,
        what: str,
        tell: bool = True,
        where: Place | None = None,
    ) -> None:
        """Queue the work; a person over their cap is told once per burst (`where` they
        wrote, else in their DM) unless `tell` is False."""

        def slow_down() -> None:
            place = where or Place(flows.delivery.open_dm(user))
            flows.delivery.ephemeral(place, user, SLOW_DOWN)

        queued_at = time.monotonic()
        taken = pool.submit(
            key,
            user,
            lambda: guarded(work, what=what, reference=key, queued_at=queued_at),
            on_refused=(lambda: guarded(slow_down, what="slow-down notice", reference=key))
            if user and tell
            else None,
        )
        if not taken:  # its one line: the pool refused it (over the cap, or shutting down)
            with work_context(key, event=what):
                events.info("%s dropped", what, extra={"outcome": "dropped"})

    def later_event(event: dict, work: Callable[[], Any], *, what: str, to_us: bool) -> None:
        """Only someone talking to the app (a DM, a mention) hears a slow-down notice; any
        other channel message is dropped quietly (it is mostly not for us)."""
        place = place_of_message(event)
        user = str(event.get("user") or event.get("bot_id") or "")
        later(place.conversation_key, user, work, what=what, tell=to_us, where=place)

    @app.event("message")
    def on_message(ack: Ack, body: dict, event: dict, context: BoltContext) -> None:
        ack()
        later_event(
            event,
            lambda: flows.message(
                event=event, event_id=body.get("event_id"), bot_user_id=context.bot_user_id
            ),
            what="message",
            to_us=event.get("channel_type") == "im" or str(event.get("channel")).startswith("D"),
        )

    @app.event("app_mention")
    def on_mention(ack: Ack, body: dict, event: dict, context: BoltContext) -> None:
        ack()
        later_event(
            event,
            lambda: flows.mention(
                event=event, event_id=body.get("event_id"), bot_user_id=context.bot_user_id
            ),
            what="app_mention",
            to_us=True,
        )

    @app.event("app_home_opened")
    def on_home(ack: Ack, event: dict) -> None:
        ack()
        user = str(event.get("user") or "")
        if event.get("tab", "home") == "home" and user:
            # No slow-down notice: reopening a tab is nothing to warn about.
            later(f"home:{user}", user, lambda: flows.home(user_id=user), what="home", tell=False)

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
        user = user_of(command)
        later(f"user:{user}", user, lambda: flows.support_command(command=command), what="/support")

    @app.shortcut(REPORT_SHORTCUT)
    def on_report_shortcut(ack: Ack, body: dict) -> None:
        ack()
        user = user_of(body)
        later(f"user:{user}", user, lambda: flows.shortcut(body=body), what="shortcut")

    @app.action(re.compile("^" + re.escape(ix.ENGINE_ACTION_PREFIX)))
    def on_engine_button(ack: Ack, body: dict) -> None:
        ack()
        later(press_key(body), user_of(body), lambda: flows.press(body=body), what="button")

    @app.action(ix.SEVERITY_SELECT)
    def on_severity_select(ack: Ack, body: dict) -> None:
        ack()
        later(
            press_key(body),
            user_of(body),
            lambda: flows.severity_choice(body=body),
            what="severity select",
        )

    @app.action(STAFF_BUTTONS)
    def on_staff_button(ack: Ack, body: dict) -> None:
        ack()
        key = case_key(first_action(body).get("value"), body)
        later(key, user_of(body), lambda: flows.staff_button(body=body), what="staff button")

    @app.action(PRIORITY_REQUEST_BUTTONS)
    def on_priority_request(ack: Ack, body: dict) -> None:
        ack()
        request = ix.read_priority_request(str(first_action(body).get("value", "")))
        later(
            case_key(request[0] if request else None, body),
            user_of(body),
            lambda: flows.priority_answer(body=body),
            what="priority request button",
        )

    @app.action(ix.STAFF_JOIN)
    def on_staff_join(ack: Ack, body: dict) -> None:
        ack()
        key = str(first_action(body).get("value") or f"user:{user_of(body)}")
        later(key, user_of(body), lambda: flows.staff_join(body=body), what="join")

    @app.action(ix.OPEN_REPORT_MODAL)
    def on_open_report(ack: Ack, body: dict) -> None:
        ack()
        user = user_of(body)
        later(
            f"user:{user}",
            user,
            lambda: flows.open_report_modal(
                user_id=user, trigger_id=body["trigger_id"], source="home"
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
        if replays.first_submission(body):
            user = user_of(body)
            later(
                f"user:{user}",
                user,
                lambda: flows.report_submitted(user_id=user, view=view),
                what="report modal submission",
            )

    @app.view(ix.STAFF_TEXT_MODAL)
    def on_staff_text(ack: Ack, body: dict, view: dict) -> None:
        errors = staff_text_errors(view)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        if replays.first_submission(body):
            later(
                case_key(view_metadata(view).get("case"), body),
                user_of(body),
                lambda: flows.staff_modal(
                    user_id=user_of(body), view=view, callback_id=ix.STAFF_TEXT_MODAL
                ),
                what="staff modal",
            )

    @app.view(STAFF_CHOICE_VIEWS)
    def on_staff_choice(ack: Ack, body: dict, view: dict) -> None:
        """Severity, priority and restoration: Slack requires their selection before submit,
        so a missing, wrong-typed or unknown one (a forged submission) gets a form error."""
        errors = staff_choice_errors(view)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        if replays.first_submission(body):
            later(
                case_key(view_metadata(view).get("case"), body),
                user_of(body),
                lambda: flows.staff_modal(
                    user_id=user_of(body), view=view, callback_id=str(view["callback_id"])
                ),
                what="staff choice modal",
            )

    # ---- the staff queue in App Home ----------------------------------------------------

    @app.action(re.compile("^" + re.escape(ix.QUEUE_FILTER) + ":"))
    def on_queue_filter(ack: Ack, body: dict) -> None:
        ack()
        user = user_of(body)
        later(f"user:{user}", user, lambda: flows.queue_press(body=body), what="queue filter")

    @app.action(ix.QUEUE_TAKE)
    def on_queue_take(ack: Ack, body: dict) -> None:
        ack()
        key = case_key(first_action(body).get("value"), body)
        later(key, user_of(body), lambda: flows.queue_press(body=body), what="queue take")

    @app.action(ix.QUEUE_OPEN)
    def on_queue_open(ack: Ack, body: dict) -> None:
        ack()
        user = user_of(body)
        later(f"user:{user}", user, lambda: flows.queue_press(body=body), what="queue open")

    @app.action(ix.QUEUE_CARD_LINK)
    def on_queue_card_link(ack: Ack) -> None:
        ack()  # a link button: Slack opened the link; nothing to do
