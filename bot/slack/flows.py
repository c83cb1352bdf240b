"""What each Slack entry point does, after the request has been acknowledged.

Listeners (bot.slack.listeners) only ack and call one method here; each method turns the
Slack payload into engine calls, checks permission first, and hands the engine's messages
to `Delivery`. Nothing here runs on the ack path, so slow NLU or store work never makes Slack
retry.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.messages import Audience, Inbound, Outbound
from bot.slack import blocks
from bot.slack import interactive as ix
from bot.slack.cards import CardIndex
from bot.slack.delivery import Delivery
from bot.slack.home import publish_home
from bot.slack.people import Gate, Refusal, TimeZones
from bot.slack.places import Place, place_of_message, plain_text

log = logging.getLogger(__name__)

IGNORED_SUBTYPES = frozenset(
    {
        "bot_message",
        "message_changed",
        "message_deleted",
        "channel_join",
        "channel_leave",
        "channel_topic",
        "channel_purpose",
        "channel_name",
        "thread_broadcast",
        "ekm_access_denied",
    }
)
ACTIVE_STATUSES = ("open", "waiting_on_customer", "resolution_proposed")
# Replies that show a message began something new rather than continuing the case.
NEW_TOPIC_KINDS = frozenset(
    {
        "severity_suggestion",
        "several_issues",
        "critical_phone",
        "kb_answer",
        "kb_no_answer",
        "status",
        "case_created",
    }
)


def from_a_bot(event: dict[str, Any], *, bot_user_id: str | None) -> bool:
    """Messages from any bot, including this app, never start a turn (no loops)."""
    return bool(
        event.get("bot_id")
        or event.get("bot_profile")
        or event.get("subtype") in IGNORED_SUBTYPES
        or (bot_user_id and event.get("user") == bot_user_id)
        or not event.get("user")
    )


class Flows:
    def __init__(
        self,
        *,
        engine: Any,
        store: Any,
        directory: Any,
        client: Any,
        clock: Callable[[], datetime],
    ) -> None:
        self.engine = engine
        self.store = store
        self.directory = directory
        self.client = client
        self.clock = clock
        self.gate = Gate(directory=directory)
        self.zones = TimeZones(directory=directory, client=client)
        self.cards = CardIndex(store=store)
        self.delivery = Delivery(
            client=client, store=store, directory=directory, cards=self.cards, zones=self.zones
        )

    @property
    def staff_channel(self) -> str:
        return str(self.directory.staff_channel)

    # ---- messages -------------------------------------------------------------------------

    def message(
        self, *, event: dict[str, Any], event_id: str | None, bot_user_id: str | None
    ) -> None:
        """A DM, a reply in a conversation thread, or a staff reply in a case thread."""
        if from_a_bot(event, bot_user_id=bot_user_id):
            return
        channel = str(event.get("channel", ""))
        thread_ts = event.get("thread_ts")
        if channel == self.staff_channel:
            if thread_ts:
                self.staff_thread_reply(event=event, bot_user_id=bot_user_id)
            return
        is_dm = event.get("channel_type") == "im" or channel.startswith("D")
        if not is_dm:
            # Channel messages count only inside a thread the assistant is already holding;
            # a message that mentions the app arrives as app_mention instead.
            if not thread_ts or (bot_user_id and f"<@{bot_user_id}" in str(event.get("text"))):
                return
            if not self.store.trackers.load(Place(channel, thread_ts).conversation_key):
                return
        self.turn(event=event, event_id=event_id, bot_user_id=bot_user_id)

    def mention(
        self, *, event: dict[str, Any], event_id: str | None, bot_user_id: str | None
    ) -> None:
        """@mention in a channel: the conversation lives in that message's thread."""
        if from_a_bot(event, bot_user_id=bot_user_id):
            return
        if str(event.get("channel", "")) == self.staff_channel:
            return  # staff talk to cases through their card threads
        self.turn(event=event, event_id=event_id, bot_user_id=bot_user_id)

    def turn(self, *, event: dict[str, Any], event_id: str | None, bot_user_id: str | None) -> None:
        """One message event as one engine turn, answered where it was said."""
        place = place_of_message(event)
        user_id = str(event["user"])
        text = plain_text(str(event.get("text", "")), bot_user_id=bot_user_id)
        self.converse(user_id=user_id, text=text, place=place, event_id=event_id)

    def converse(
        self, *, user_id: str, text: str, place: Place, event_id: str | None = None
    ) -> list[Outbound]:
        inbound = Inbound(
            sender_id=user_id,
            text=text,
            conversation_key=place.conversation_key,
            received_at=self.clock(),
            channel=place.channel,
            thread_ts=place.thread_ts,
            event_id=event_id,
        )
        replies = self.engine.handle(inbound)
        self.delivery.deliver(replies, origin=place, owner_id=user_id, actor_id=user_id)
        self.relay_to_staff(user_id=user_id, text=text, place=place, replies=replies)
        return replies

    def relay_to_staff(
        self, *, user_id: str, text: str, place: Place, replies: list[Outbound]
    ) -> None:
        """What a requester says in a case's conversation also reaches the case's staff thread.

        The conversation's latest active case gets it, else an open request for a person;
        not when the message started something new (another problem, a how-to question, a
        status query) or when the engine already told staff.
        """
        if not text.strip() or any(r.kind in NEW_TOPIC_KINDS for r in replies):
            return
        if any(r.audience is Audience.STAFF for r in replies):
            return  # the engine already told staff (an update, an escalation, a handoff)
        cases = [
            c
            for c in self.store.cases.list_cases(requester_id=user_id, statuses=ACTIVE_STATUSES)
            if c.origin_thread == place.conversation_key
        ]
        card = self.cards.card(cases[-1].number, "staff") if cases else None
        if card is not None:
            name = cases[-1].requester_name
            target = Place(card.channel, card.ts)
            note = f"{name} (requester) wrote: “{text}”"
        else:
            handoff = self.cards.handoff_thread(place.conversation_key)
            if handoff is None:
                return
            person = self.gate.person(user_id)
            target = Place(handoff.channel, handoff.ts)
            note = f"{person.name if person else user_id} wrote: “{text}”"
        self.delivery.post(target, blocks.notice(note))

    def staff_thread_reply(self, *, event: dict[str, Any], bot_user_id: str | None) -> None:
        """A staff reply under a case card or a request for a person reaches the requester."""
        channel, thread_ts = str(event["channel"]), str(event["thread_ts"])
        number = self.cards.case_of_staff_thread(channel, thread_ts)
        conversation = self.cards.conversation_of_staff_thread(channel, thread_ts)
        if number is None and conversation is None:
            return
        user_id = str(event["user"])
        place = Place(channel, thread_ts)
        if (refusal := self.gate.staff_only(user_id)) is not None:
            self.delivery.ephemeral(place, user_id, refusal.text)
            return
        text = plain_text(str(event.get("text", "")), bot_user_id=bot_user_id)
        if number is not None:
            replies = self.engine.staff_reply(number, user_id, text)
            self.delivery.deliver(replies, origin=place, owner_id=None, actor_id=user_id)
        elif conversation is not None and text.strip():
            self.say_as_support(conversation, user_id=user_id, text=f"“{text}”")

    def say_as_support(self, conversation_key: str, *, user_id: str, text: str) -> None:
        """A staff member's words in a requester's conversation, kept in its history too."""
        person = self.gate.person(user_id)
        name = person.name if person else "Support"
        message = Outbound(
            audience=Audience.REQUESTER, text=f"Support ({name}): {text}", kind="staff_reply"
        )
        self.delivery.post(Place.from_key(conversation_key), blocks.notice(message.text))
        self.engine.append_bot_messages(conversation_key, [message])

    # ---- buttons --------------------------------------------------------------------------

    def press(self, *, body: dict[str, Any]) -> None:
        """A requester-side button: only its owner may press it, with the policy's permission."""
        user_id = str(body["user"]["id"])
        action = body["actions"][0]
        press = ix.Press.decode(str(action.get("value", "")))
        place = self._container_place(body)
        if press is None:
            self.delivery.ephemeral(place, user_id, "That button is no longer valid.")
            return
        refusal = self.gate.answer(
            user_id=user_id, owner_id=press.owner_id, contact_action=press.contact_action
        )
        if refusal is None and Place.from_key(press.conversation_key).channel != place.channel:
            refusal = Refusal("That button belongs to another conversation; nothing was changed.")
        if refusal is not None:
            self.delivery.ephemeral(place, user_id, refusal.text)
            return
        label = str((action.get("text") or {}).get("text") or press.action_id)
        self._mark_answered(body, chooser_id=user_id, label=label)
        self._engine_press(
            user_id=user_id,
            place=Place.from_key(press.conversation_key),
            action_id=press.action_id,
            payload=press.payload,
            label=label,
            event_id=_action_id(body, action),
        )

    def severity_choice(self, *, body: dict[str, Any]) -> None:
        user_id = str(body["user"]["id"])
        action = body["actions"][0]
        place = self._container_place(body)
        context = ix.read_block_context(str(action.get("block_id", "")))
        level = str((action.get("selected_option") or {}).get("value", ""))
        if context is None or level not in ("2", "3", "4"):
            self.delivery.ephemeral(place, user_id, "That choice is no longer valid.")
            return
        key, owner = context
        refusal = self.gate.answer(user_id=user_id, owner_id=owner, contact_action="open")
        if refusal is None and Place.from_key(key).channel != place.channel:
            refusal = Refusal("That choice belongs to another conversation; nothing was changed.")
        if refusal is not None:
            self.delivery.ephemeral(place, user_id, refusal.text)
            return
        self._mark_answered(body, chooser_id=user_id, label=blocks.severity_label(int(level)))
        self._engine_press(
            user_id=user_id,
            place=Place.from_key(key),
            action_id="change_severity",
            payload=f'/change_severity{{"severity": "{level}"}}',
            label=blocks.severity_label(int(level)),
            event_id=_action_id(body, action),
        )

    def _engine_press(
        self,
        *,
        user_id: str,
        place: Place,
        action_id: str,
        payload: str,
        label: str,
        event_id: str | None,
    ) -> None:
        inbound = Inbound(
            sender_id=user_id,
            text=label,
            conversation_key=place.conversation_key,
            received_at=self.clock(),
            channel=place.channel,
            thread_ts=place.thread_ts,
            event_id=event_id,
            action=action_id,
            action_value=payload,
        )
        replies = self.engine.handle(inbound)
        self.delivery.deliver(replies, origin=place, owner_id=user_id, actor_id=user_id)

    def _mark_answered(self, body: dict[str, Any], *, chooser_id: str, label: str) -> None:
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id") or body.get("container", {}).get(
            "channel_id"
        )
        if not message.get("ts") or not channel:
            return
        first = (message.get("blocks") or [{}])[0]
        shown = plain_text(str((first.get("text") or {}).get("text", "")), bot_user_id=None)
        try:
            self.client.chat_update(
                channel=channel,
                ts=message["ts"],
                **blocks.answered(shown, chooser_id=chooser_id, label=label),
            )
        except SlackApiError as error:
            log.info("could not mark a question answered: %s", error.response.get("error"))

    def _container_place(self, body: dict[str, Any]) -> Place:
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or ""
        thread = container.get("thread_ts") or (body.get("message") or {}).get("thread_ts")
        return Place(str(channel), thread)

    # ---- staff ----------------------------------------------------------------------------

    def staff_button(self, *, body: dict[str, Any]) -> None:
        """Take / Request info / Propose resolution / Change severity on a staff card."""
        user_id = str(body["user"]["id"])
        action = body["actions"][0]
        number = str(action.get("value", ""))
        place = self._container_place(body)
        if (refusal := self.gate.staff_only(user_id)) is not None:
            self.delivery.ephemeral(place, user_id, refusal.text)
            return
        action_id = action["action_id"]
        if action_id == ix.STAFF_TAKE:
            replies = self.engine.staff_take(number, user_id)
            self.delivery.deliver(replies, origin=place, owner_id=None, actor_id=user_id)
            return
        if action_id == ix.STAFF_SEVERITY:
            case = self.store.cases.get_case(number)
            if case is None:
                self.delivery.ephemeral(place, user_id, f"There is no case {number}.")
                return
            view = blocks.staff_severity_modal(
                case_number=number, current=case.severity, channel=place.channel
            )
        else:
            view = blocks.staff_text_modal(
                action_id=action_id, case_number=number, channel=place.channel
            )
        self.client.views_open(trigger_id=body["trigger_id"], view=view)

    def staff_join(self, *, body: dict[str, Any]) -> None:
        user_id = str(body["user"]["id"])
        place = self._container_place(body)
        if (refusal := self.gate.staff_only(user_id)) is not None:
            self.delivery.ephemeral(place, user_id, refusal.text)
            return
        key = str(body["actions"][0].get("value", ""))
        if self.cards.handoff_thread(key) is None:
            self.delivery.ephemeral(place, user_id, "That conversation is no longer waiting.")
            return
        self.say_as_support(
            key, user_id=user_id, text="I've joined this conversation and will reply here."
        )

    def staff_modal(self, *, user_id: str, view: dict[str, Any], callback_id: str) -> None:
        """The staff modals, re-checked on submission: a forged submission changes nothing."""
        meta = _metadata(view)
        number = str(meta.get("case", ""))
        place = Place(str(meta.get("channel") or self.staff_channel))
        if (refusal := self.gate.staff_only(user_id)) is not None:
            self.delivery.ephemeral(place, user_id, refusal.text)
            return
        values = _values(view)
        if callback_id == ix.STAFF_SEVERITY_MODAL:
            try:
                level = int(values.get("severity") or 0)
            except ValueError:
                level = 0
            replies = self.engine.staff_change_severity(
                number, user_id, level, values.get("reason") or ""
            )
        elif meta.get("action") == ix.STAFF_REQUEST_INFO:
            replies = self.engine.staff_request_info(number, user_id, values.get("text") or "")
        elif meta.get("action") == ix.STAFF_PROPOSE:
            replies = self.engine.staff_propose_resolution(
                number, user_id, values.get("text") or ""
            )
        else:
            return
        self.delivery.deliver(replies, origin=place, owner_id=None, actor_id=user_id)

    # ---- reports: command, shortcut, modal ------------------------------------------------

    def support_command(self, *, command: dict[str, Any]) -> None:
        """`/support [text]`: with text, a turn in the user's DM; without, the details modal."""
        user_id = str(command["user_id"])
        text = str(command.get("text") or "").strip()
        if not text:
            self.open_report_modal(user_id=user_id, trigger_id=command["trigger_id"])
            return
        dm = Place(self.delivery.open_dm(user_id))
        self.converse(user_id=user_id, text=plain_text(text, bot_user_id=None), place=dm)

    def open_report_modal(
        self, *, user_id: str, trigger_id: str, initial_text: str = "", source: str = ""
    ) -> None:
        view = blocks.report_modal(
            initial_text=initial_text, metadata={"source": source, "user": user_id}
        )
        self.client.views_open(trigger_id=trigger_id, view=view)

    def shortcut(self, *, body: dict[str, Any]) -> None:
        """ "Report to support" on any message: the details modal, prefilled with that message."""
        user_id = str(body["user"]["id"])
        if (refusal := self.gate.known(user_id)) is not None:
            self.delivery.ephemeral(self._container_place(body), user_id, refusal.text)
            return
        message = body.get("message") or {}
        text = plain_text(str(message.get("text", "")), bot_user_id=None)
        source = f"{(body.get('channel') or {}).get('id', '')}:{message.get('ts', '')}"
        self.open_report_modal(
            user_id=user_id, trigger_id=body["trigger_id"], initial_text=text, source=source
        )

    def report_submitted(self, *, user_id: str, view: dict[str, Any]) -> None:
        """The details modal: its fields become the first message of a DM conversation."""
        values = _values(view)
        parts = [values.get("description", "").strip()]
        if values.get("impact"):
            parts.append(f"Business impact: {values['impact'].strip()}")
        if values.get("conversation_id"):
            parts.append(f"Conversation ID: {values['conversation_id'].strip()}")
        dm = Place(self.delivery.open_dm(user_id))
        self.converse(user_id=user_id, text="\n".join(p for p in parts if p), place=dm)

    # ---- deadlines ------------------------------------------------------------------------

    def deadlines(self) -> int:
        """Deliver due reminders, closure notices and closures; returns how many fired."""
        fired = self.engine.run_timers()
        self.delivery.deliver(fired, origin=None, owner_id=None)
        return len(fired)

    # ---- App Home -------------------------------------------------------------------------

    def home(self, *, user_id: str) -> None:
        publish_home(
            client=self.client,
            store=self.store,
            gate=self.gate,
            zones=self.zones,
            user_id=user_id,
        )


def _action_id(body: dict[str, Any], action: dict[str, Any]) -> str:
    """A stable ID for one press, so a double delivery is handled once by the engine."""
    message_ts = (body.get("container") or {}).get("message_ts")
    return f"action:{message_ts}:{action.get('action_id')}:{action.get('action_ts')}"


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return meta if isinstance(meta, dict) else {}


def _values(view: dict[str, Any]) -> dict[str, str]:
    """Each input block's value, by block ID (text inputs and selects)."""
    found: dict[str, str] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        for element in actions.values():
            if element.get("type") == "static_select":
                found[block_id] = str((element.get("selected_option") or {}).get("value") or "")
            else:
                found[block_id] = str(element.get("value") or "")
    return found


def report_errors(view: dict[str, Any]) -> dict[str, str]:
    """Modal validation shown next to the fields (the modal stays open, nothing happens)."""
    values = _values(view)
    errors: dict[str, str] = {}
    if len(values.get("description", "").split()) < 3:
        errors["description"] = "Describe the problem in a few words (at least 3)."
    return errors


def staff_text_errors(view: dict[str, Any]) -> dict[str, str]:
    return {} if _values(view).get("text", "").strip() else {"text": "Write something to send."}
