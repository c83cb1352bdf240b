"""Delivering the engine's messages to the right places in Slack.

REQUESTER messages go to the conversation they belong to (the origin, or the case's thread for
staff updates); STAFF messages go to the staff channel, as a case card for a new case and in
the card's thread afterwards (a requester's priority request comes with Approve/Decline);
NOTIFY messages go by DM to each recipient. Case cards are updated in place with
`chat.update` whenever a case changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.kinds import Kind, traits_of
from bot.messages import Audience, Outbound, owed_item
from bot.slack import blocks, staff_blocks
from bot.slack.cards import REQUESTER, STAFF, CardIndex, CardRef
from bot.slack.people import TimeZones
from bot.slack.places import Place

log = logging.getLogger(__name__)

CARD_EVENT_TYPE = "supportbot_case_card"  # Slack message metadata naming the card's case
CARD_LOOKBACK_SECONDS = 60.0  # a card is posted after its case exists; allow for clock skew
CARD_LOOKUP_LIMIT = 200  # newest messages read when looking for a card that may exist


class Delivery:
    def __init__(
        self, *, client: Any, store: Any, directory: Any, cards: CardIndex, zones: TimeZones
    ) -> None:
        self.client = client
        self.store = store
        self.directory = directory
        self.cards = cards
        self.zones = zones
        # Called with the requester's ID whenever one of their cases changed (App Home).
        self.on_case_change: Callable[[str], None] = lambda _user_id: None
        # Called after a case's cards were posted or redrawn (the staff queue in App Home).
        self.on_queue_change: Callable[[], None] = lambda: None
        # Called with each outbox item the delivered messages belong to (bot.slack.outbox).
        self.on_owed: Callable[[str], object] = lambda _item_id: None

    @property
    def staff_channel(self) -> str:
        return str(self.directory.staff_channel)

    def deliver(
        self,
        outbounds: list[Outbound],
        *,
        origin: Place | None,
        owner_id: str | None,
        actor_id: str | None = None,
    ) -> None:
        """Post each message; a failing Slack call is logged and the rest still go out.

        Messages a case change owes (tagged with its outbox item) are not posted from here:
        the item is settled last, from the store's copy, together with the case's cards, so
        they go out once even when this turn and the outbox worker race.
        """
        changed: set[str] = set()
        owed: list[str] = []
        for outbound in outbounds:
            item = owed_item(outbound)
            if item is not None:
                if item not in owed:
                    owed.append(item)
                continue
            try:
                # A new case's cards are posted as they are; a refusal changed nothing.
                traits = traits_of(outbound.kind)  # an unknown kind is logged as an error
                if outbound.case_number and not (traits.fresh_card or traits.private):
                    changed.add(outbound.case_number)
                self.deliver_one(outbound, origin=origin, owner_id=owner_id, actor_id=actor_id)
            except SlackApiError as error:
                log.warning(
                    "Slack refused a %s message: %s", outbound.kind, error.response.get("error")
                )
            except Exception as error:  # one bad message must not lose the others
                log.error(
                    "could not deliver a %s message (case %s): %s",
                    outbound.kind,
                    outbound.case_number or "none",
                    type(error).__name__,
                    exc_info=True,
                )
        for number in sorted(changed):
            self.refresh_cards(number)
        for item in owed:
            self.on_owed(item)

    def deliver_one(
        self,
        outbound: Outbound,
        *,
        origin: Place | None,
        owner_id: str | None,
        actor_id: str | None = None,
    ) -> None:
        """Post one message where its audience reads it; raises when Slack refuses it."""
        if outbound.audience is Audience.REQUESTER:
            self._to_requester(outbound, origin=origin, owner_id=owner_id, actor_id=actor_id)
        elif outbound.audience is Audience.STAFF:
            self._to_staff(outbound, origin=origin, actor_id=actor_id)
        else:
            self._to_notified(outbound, origin=origin)

    def post_cards(self, case_number: str, *, maybe_posted: bool = False) -> None:
        """A new case's staff card and requester card, each posted once (raises on failure).

        The case and its known cards are read once, and what was posted is recorded in one
        write, even when the second card fails.
        """
        case = self.store.cases.get_case(case_number)
        if case is None:
            return
        known = self.cards.cards(case_number)
        roles = {card.role for card in known}
        posted: list[CardRef] = []
        try:
            if STAFF not in roles:
                staff = self._new_staff_card(
                    case, channel=self.staff_channel, maybe_posted=maybe_posted
                )
                posted += [staff] if staff else []
            if case.origin_thread and REQUESTER not in roles:
                place = Place.from_key(case.origin_thread)
                response = self.post(
                    place, blocks.requester_card(case, tz=self.zones.of(case.requester_id))
                )
                if response is not None:
                    posted.append(CardRef(REQUESTER, str(response["channel"]), str(response["ts"])))
        finally:
            if posted:
                self.cards.remember(case_number, *posted, known=known)
        if any(card.role == REQUESTER for card in posted):
            self.on_case_change(case.requester_id)
        if posted:
            self.on_queue_change()

    # ---- requester ------------------------------------------------------------------------

    def _to_requester(
        self,
        outbound: Outbound,
        *,
        origin: Place | None,
        owner_id: str | None,
        actor_id: str | None,
    ) -> None:
        key = outbound.data.get("conversation_key")
        place = Place.from_key(str(key)) if key else origin
        owner = outbound.recipients[0] if outbound.recipients else owner_id
        if place is None and owner:
            place = Place(channel=self.open_dm(owner))
        if place is None or not owner:
            log.warning("no place to deliver a %s message", outbound.kind)
            return
        private = traits_of(outbound.kind).private and actor_id and origin is not None
        if private and key is None and not place.channel.startswith("D"):
            # A refusal answers only the person who tried; the rest of the thread never sees it.
            self.ephemeral(place, str(actor_id), outbound.text)
            return
        payload = blocks.message(outbound, owner_id=owner, conversation_key=place.conversation_key)
        self.post(place, payload)

    # ---- staff ----------------------------------------------------------------------------

    def _to_staff(self, outbound: Outbound, *, origin: Place | None, actor_id: str | None) -> None:
        channel = outbound.recipients[0] if outbound.recipients else self.staff_channel
        traits = traits_of(outbound.kind)
        if traits.silent:
            return
        if traits.private and actor_id:
            self.ephemeral(origin or Place(channel), actor_id, outbound.text)
            return
        card = self.cards.card(outbound.case_number, STAFF) if outbound.case_number else None
        payload = self._staff_notice(outbound)
        if card is not None:
            if traits.broadcast:
                payload["reply_broadcast"] = True
            self.post(Place(card.channel, card.ts), payload)
            return
        if outbound.kind == Kind.CRITICAL_ALERT:
            self._add_understanding(payload, origin)
        key = str(outbound.data.get("conversation_key") or "")
        if outbound.kind == Kind.STAFF_HANDOFF_REQUEST and key:
            existing = self.cards.handoff_thread(key)
            if existing is not None:  # asked again: keep talking in the same staff thread
                self.post(Place(existing.channel, existing.ts), payload)
                return
            payload["blocks"].append(blocks.join_button(key))
            response = self.post(Place(channel), payload)
            if response is not None:
                self.cards.remember_handoff(
                    key, CardRef(STAFF, str(response["channel"]), str(response["ts"]))
                )
            return
        self.post(Place(channel), payload)

    @staticmethod
    def _staff_notice(outbound: Outbound) -> dict[str, Any]:
        """The message, with Approve/Decline when it is a requester's priority request."""
        payload = blocks.notice(outbound.text)
        requested = outbound.data.get("requested")
        if outbound.kind == Kind.STAFF_PRIORITY_REQUEST and outbound.case_number and requested:
            payload["blocks"].append(
                staff_blocks.priority_request_actions(
                    case_number=outbound.case_number, requested=str(requested)
                )
            )
        return payload

    def post_staff_card(
        self,
        case_number: str,
        *,
        channel: str,
        source: str = "New case",
        maybe_posted: bool = False,
    ) -> None:
        """Post the case's staff card unless it already has one (see `_new_staff_card`)."""
        if self.cards.card(case_number, STAFF) is not None:
            return  # a retried handoff must not post a second card
        case = self.store.cases.get_case(case_number)
        if case is None:
            return
        card = self._new_staff_card(case, channel=channel, source=source, maybe_posted=maybe_posted)
        if card is not None:
            self.cards.remember(case_number, card)

    def _new_staff_card(
        self, case: Any, *, channel: str, source: str = "New case", maybe_posted: bool = False
    ) -> CardRef | None:
        """Post the staff card of a case that has none; the card, for the caller to record.

        `maybe_posted`: an earlier attempt may have posted it and died before recording it,
        so Slack's own history of the channel is asked first (the card carries the case
        number in its message metadata) and a found card is returned instead of posted again.
        """
        if maybe_posted:
            found = self._posted_card(channel, case.number, since=case.created_at)
            if found is not None:
                return CardRef(STAFF, channel, found)
        payload = staff_blocks.staff_card(
            case,
            tz=self.zones.of(case.requester_id),
            nlu_confidence=self.nlu_confidence(case.origin_thread, report=case.description),
            source=source,
        )
        payload["metadata"] = {
            "event_type": CARD_EVENT_TYPE,
            "event_payload": {"case_number": case.number, "role": STAFF},
        }
        response = self.post(Place(channel), payload)
        if response is None:
            return None
        return CardRef(STAFF, str(response["channel"]), str(response["ts"]))

    def _posted_card(self, channel: str, case_number: str, *, since: datetime) -> str | None:
        """The ts of a staff card for this case already in the channel, from Slack itself."""
        response = self.client.conversations_history(
            channel=channel,
            include_all_metadata=True,
            oldest=f"{since.timestamp() - CARD_LOOKBACK_SECONDS:.6f}",
            limit=CARD_LOOKUP_LIMIT,
        )
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == CARD_EVENT_TYPE
                and payload.get("case_number") == case_number
                and payload.get("role") == STAFF
            ):
                return str(message["ts"])
        return None

    def nlu_confidence(
        self, conversation_key: str | None, *, report: str | None = None
    ) -> float | None:
        """How sure the NLU was that the message reporting the problem was a problem report.

        With `report` (a case's description), the message that text came from; otherwise the
        latest problem report in the conversation (the one an alert was raised for).
        """
        if not conversation_key:
            return None
        latest: float | None = None
        for event in reversed(self.store.trackers.load(conversation_key)):
            if event.get("event") != "user":
                continue
            intent = (event.get("parse_data") or {}).get("intent") or {}
            confidence = intent.get("confidence")
            if intent.get("name") != "report_issue" or not isinstance(confidence, int | float):
                continue
            text = str(event.get("text") or "").strip()
            if report is None or (text and report.startswith(text)):
                return float(confidence)
            if latest is None:
                latest = float(confidence)
        return latest

    # ---- others ---------------------------------------------------------------------------

    def _to_notified(self, outbound: Outbound, *, origin: Place | None) -> None:
        for recipient in outbound.recipients:
            dm = Place(self.open_dm(recipient))
            if outbound.buttons:  # "Open this case": only this recipient may press it
                payload = blocks.message(
                    outbound, owner_id=recipient, conversation_key=dm.conversation_key
                )
            else:
                payload = blocks.notice(outbound.text)
            self.post(dm, payload)
        if outbound.kind == Kind.NOTIFY_CONTACTS:
            payload = blocks.notice(
                "Report from an employee who is not a designated contact (no case was "
                f"created; their designated contacts were notified): {outbound.text}"
            )
            self._add_understanding(payload, origin)
            self.post(Place(self.staff_channel), payload)

    def _add_understanding(self, payload: dict[str, Any], origin: Place | None) -> None:
        """How sure the NLU was, so staff can judge an alert that has no case (yet)."""
        confidence = self.nlu_confidence(origin.conversation_key) if origin else None
        shown = f"{confidence:.0%}" if confidence is not None else "n/a"
        payload["blocks"].append(blocks.context_line(f"NLU confidence: {shown}"))

    def refresh_cards(self, case_number: str) -> None:
        """Show the case as it is now on both of its cards (chat.update)."""
        cards = self.cards.cards(case_number)
        if not cards:
            return
        case = self.store.cases.get_case(case_number)
        if case is None:
            return
        self.on_case_change(case.requester_id)
        tz = self.zones.of(case.requester_id)
        for card in cards:
            if card.role == STAFF:
                payload = staff_blocks.staff_card(
                    case,
                    tz=tz,
                    nlu_confidence=self.nlu_confidence(case.origin_thread, report=case.description),
                )
            else:
                payload = blocks.requester_card(case, tz=tz)
            try:
                self.client.chat_update(channel=card.channel, ts=card.ts, **payload)
            except SlackApiError as error:
                log.warning(
                    "could not update the card of %s: %s", case_number, error.response.get("error")
                )
        self.on_queue_change()

    # ---- Slack calls ----------------------------------------------------------------------

    def open_dm(self, user_id: str) -> str:
        response = self.client.conversations_open(users=user_id)
        return str(response["channel"]["id"])

    def post(self, place: Place, payload: dict[str, Any]) -> Any:
        arguments = dict(payload)
        if place.thread_ts:
            arguments["thread_ts"] = place.thread_ts
        return self.client.chat_postMessage(
            channel=place.channel, unfurl_links=False, unfurl_media=False, **arguments
        )

    def ephemeral(self, place: Place, user_id: str, text: str) -> None:
        payload = blocks.notice(text)
        arguments: dict[str, Any] = {"channel": place.channel, "user": user_id, **payload}
        if place.thread_ts:
            arguments["thread_ts"] = place.thread_ts
        try:
            self.client.chat_postEphemeral(**arguments)
        except SlackApiError as error:
            log.warning("could not answer privately: %s", error.response.get("error"))
