"""Messages: DMs, @mentions and thread replies as engine turns, and the staff-thread relay.

A DM is one conversation; an @mention starts one in that message's thread, and later
replies in the thread continue it without a mention. What staff write under a case card
reaches the requester, and what the requester adds reaches that card's thread.
"""

from __future__ import annotations

from typing import Any

from bot.engine.engine import STORE_DOWN
from bot.kinds import Kind, traits_of
from bot.logs import note_case
from bot.messages import Audience, Outbound, SharedFile
from bot.slack import blocks
from bot.slack.context import SlackPart
from bot.slack.markup import plain_text
from bot.slack.places import Place, place_of_message, shared_files
from bot.store.errors import StoreUnavailable
from cases.vocabulary import ACTIVE_STATUS_VALUES

# Not ignored: "file_share" (a message with files), whose files are attached to the case.
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


def answered_the_bot(replies: list[Outbound]) -> bool:
    """The message answered the bot's own question (an intake step, a summary to confirm, a
    question asked again): it was meant for the bot, not for a case's staff."""
    return any(traits_of(r.kind).answered_bot for r in replies)


def began_something_new(replies: list[Outbound]) -> bool:
    """The replies show the message began something new rather than continuing the case."""
    return any(traits_of(r.kind).new_topic for r in replies)


def from_a_bot(event: dict[str, Any], *, bot_user_id: str | None) -> bool:
    """Messages from any bot, including this app, never start a turn (no loops)."""
    return bool(
        event.get("bot_id")
        or event.get("bot_profile")
        or event.get("subtype") in IGNORED_SUBTYPES
        or (bot_user_id and event.get("user") == bot_user_id)
        or not event.get("user")
    )


class Conversations(SlackPart):
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
            try:
                held = bool(self.store.trackers.load(Place(channel, thread_ts).conversation_key))
            except StoreUnavailable:
                # Unknown whether the thread is ours; under our own message it surely is.
                held = False
                if bot_user_id and event.get("parent_user_id") == bot_user_id:
                    self.delivery.post(Place(channel, thread_ts), blocks.notice(STORE_DOWN))
            if not held:
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
        text = plain_text(
            str(event.get("text", "")), bot_user_id=bot_user_id, directory=self.directory
        )
        files = shared_files(event)
        self.converse(user_id=user_id, text=text, place=place, event_id=event_id, files=files)

    def converse(
        self,
        *,
        user_id: str,
        text: str,
        place: Place,
        event_id: str | None = None,
        files: tuple[SharedFile, ...] = (),
    ) -> list[Outbound]:
        inbound = place.inbound(
            sender_id=user_id,
            text=text,
            received_at=self.clock(),
            event_id=event_id,
            sender_tz=self.zones.slack_name(user_id),
            files=files,
        )
        replies = self.engine.handle(inbound)
        if case_number := next((r.case_number for r in replies if r.case_number), None):
            note_case(case_number)  # the event's log line names the case the turn was about
        self.delivery.deliver(replies, origin=place, owner_id=user_id, actor_id=user_id)
        self.relay_to_staff(user_id=user_id, text=text, place=place, replies=replies)
        return replies

    def relay_to_staff(
        self, *, user_id: str, text: str, place: Place, replies: list[Outbound]
    ) -> None:
        """What a requester says in a case's conversation also reaches the case's staff thread.

        The conversation's latest active case gets it, else an open request for a person;
        not when the message started something new (another problem, a how-to question, a
        status query), answered the bot's own question, when the engine already told staff,
        or when it dropped the message as a retried delivery.
        """
        if not replies:
            return  # the engine dropped it: a retried delivery already handled (and relayed)
        if not text.strip() or began_something_new(replies):
            return
        if answered_the_bot(replies):
            return  # an intake step: nothing to read from the store, nothing for staff
        if any(r.audience is Audience.STAFF and r.kind != Kind.STAFF_ATTACHMENT for r in replies):
            return  # the engine already told staff (an update, an escalation, a handoff)
        cases = self.store.cases.list_cases(  # the thread's index: one case read, at most
            requester_id=user_id,
            origin_thread=place.conversation_key,
            statuses=ACTIVE_STATUS_VALUES,
            newest_first=True,
            limit=1,
        )
        card = self.cards.card(cases[0].number, "staff") if cases else None
        if card is not None:
            name = cases[0].requester_name
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
        text = plain_text(
            str(event.get("text", "")), bot_user_id=bot_user_id, directory=self.directory
        )
        if number is not None:
            replies = self.engine.staff_reply(number, user_id, text)
            self.delivery.deliver(replies, origin=place, owner_id=None, actor_id=user_id)
        elif conversation is not None and text.strip():
            self.say_as_support(conversation, user_id=user_id, text=f"“{text}”")
