"""Which Slack messages show a case, kept durably so cards can be updated in place.

Two messages per case: the staff card in the staff channel (its thread is where staff talk
about the case) and the requester's card in their conversation. The index lives in the
store's tracker space under a `slack:` prefix, so it works on SQLite and Redis alike and
survives restarts and replicas.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.base import Store

STAFF = "staff"
REQUESTER = "requester"


@dataclass(frozen=True)
class CardRef:
    role: str
    channel: str
    ts: str


class CardIndex:
    def __init__(self, *, store: Store) -> None:
        self.trackers = store.trackers

    def remember(
        self, case_number: str, *cards: CardRef, known: list[CardRef] | None = None
    ) -> None:
        """Record these cards of the case, each replacing the one of its role.

        `known` is the case's cards as the caller just read them, so they are not read again.
        """
        roles = {card.role for card in cards}
        current = self.cards(case_number) if known is None else known
        kept = [*(c for c in current if c.role not in roles), *cards]
        self.trackers.save(
            f"slack:cards:{case_number}",
            [{"role": c.role, "channel": c.channel, "ts": c.ts} for c in kept],
        )
        for card in cards:
            if card.role == STAFF:
                self.trackers.save(
                    f"slack:thread:{card.channel}:{card.ts}", [{"case_number": case_number}]
                )

    def cards(self, case_number: str) -> list[CardRef]:
        rows = self.trackers.load(f"slack:cards:{case_number}")
        return [CardRef(role=r["role"], channel=r["channel"], ts=r["ts"]) for r in rows]

    def card(self, case_number: str, role: str) -> CardRef | None:
        return next((c for c in self.cards(case_number) if c.role == role), None)

    def case_of_staff_thread(self, channel: str, thread_ts: str) -> str | None:
        rows = self.trackers.load(f"slack:thread:{channel}:{thread_ts}")
        return str(rows[0]["case_number"]) if rows and rows[0].get("case_number") else None

    # A request for a person (no case yet): its staff-channel message is the staff side's
    # thread for that conversation, both ways.

    def remember_handoff(self, conversation_key: str, card: CardRef) -> None:
        self.trackers.save(
            f"slack:handoff:{conversation_key}", [{"channel": card.channel, "ts": card.ts}]
        )
        self.trackers.save(
            f"slack:thread:{card.channel}:{card.ts}", [{"conversation_key": conversation_key}]
        )

    def handoff_thread(self, conversation_key: str) -> CardRef | None:
        rows = self.trackers.load(f"slack:handoff:{conversation_key}")
        return CardRef(STAFF, rows[0]["channel"], rows[0]["ts"]) if rows else None

    def conversation_of_staff_thread(self, channel: str, thread_ts: str) -> str | None:
        rows = self.trackers.load(f"slack:thread:{channel}:{thread_ts}")
        key = rows[0].get("conversation_key") if rows else None
        return str(key) if key else None
