"""The transport-neutral entry point: `Engine.handle(Inbound) -> list[Outbound]`."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from actions.runtime import Services, bound
from actions.understanding import to_parse_data
from bot import metrics
from bot.directory.models import Directory
from bot.engine.attachments import FileDesk
from bot.engine.case_reply import gate_case_reply, replied_case
from bot.engine.dialogue import FALLBACK_INTENT, DialogueRunner, build_executor
from bot.engine.domain import Domain, Rule, load_domain, load_rules
from bot.engine.inputs import MAX_MESSAGE_CHARS, clean, command_parse, payload_parse
from bot.engine.pending_answer import gate_pending_answer
from bot.engine.question_owner import question_owner
from bot.engine.queue import QueueReader
from bot.engine.staff import StaffDesk
from bot.engine.texts import STORE_DOWN
from bot.engine.timers import TimerDesk
from bot.engine.tracker import DialogueState
from bot.engine.zones import case_zone
from bot.messages import Audience, Inbound, Outbound
from bot.metrics import Metrics
from bot.store.base import Store, Turn
from bot.store.errors import LockNotAcquired, StoreError, StoreUnavailable, VersionConflict
from nlu.budget import NluTimedOut
from nlu.port import NluPort

log = logging.getLogger(__name__)

DEFAULT_FALLBACK_THRESHOLD = 0.2
TURN_LOCK_TTL_SECONDS = 60.0
TURN_LOCK_WAIT_SECONDS = 15.0
DEDUP_TTL_SECONDS = 24 * 3600.0

BUSY = "I'm still working on your previous message; please send this again in a moment."
CONFLICT = "That case changed while I was working on it. Nothing was changed; please try again."
BROKEN = "Something went wrong on my side, so I didn't change anything. Please try again."
EMPTY = (
    "I didn't get any text. Describe a problem, ask how to do something, or ask about a case "
    "(e.g. “status of CS-1001”)."
)
# Kind "nlu_timeout": the NLU's time budget (nlu.budget.PARSE_BUDGET_SECONDS) ran out.
NLU_TIMEOUT = (
    "That message took me too long to read, so I didn't change anything. Please send a "
    "shorter description; logs and long pastes can be attached to the case as files."
)

T = TypeVar("T")


def _reply(text: str, kind: str) -> list[Outbound]:
    return [Outbound(audience=Audience.REQUESTER, text=text, kind=kind)]


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


_thread_loops = threading.local()


def _loop_of_this_thread() -> asyncio.AbstractEventLoop:
    """One event loop per thread, reused: creating a loop per message cost ~15% of a turn."""
    loop: asyncio.AbstractEventLoop | None = getattr(_thread_loops, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _thread_loops.loop = loop
    return loop


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from sync code, also when the caller is inside an event loop."""
    if not _loop_running():
        return _loop_of_this_thread().run_until_complete(coroutine)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the caller's thread
            box["error"] = error

    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


class Engine:
    """Holds conversations on a store, with a directory, an NLU and a clock."""

    def __init__(
        self,
        *,
        store: Store,
        directory: Directory,
        nlu: NluPort,
        clock: Callable[[], datetime] | None = None,
        domain: Domain | None = None,
        rules: list[Rule] | None = None,
        fallback_threshold: float = DEFAULT_FALLBACK_THRESHOLD,
    ) -> None:
        self.store = store
        self.directory = directory
        self.nlu = nlu
        self.clock = clock or (lambda: datetime.now(UTC))
        self.domain = domain or load_domain()
        self.fallback_threshold = fallback_threshold
        self.runner = DialogueRunner(
            domain=self.domain, rules=rules or load_rules(), executor=build_executor()
        )
        self.metrics = Metrics()  # this engine's own registry: served on /metrics
        self.staff = StaffDesk(port=self, metrics=self.metrics)
        self.timers = TimerDesk(port=self, metrics=self.metrics)
        self.files = FileDesk(port=self)
        self.queue = QueueReader(store=store, directory=directory, zone_of=self.case_zone)

    @property
    def services(self) -> Services:
        return Services(store=self.store, directory=self.directory, nlu=self.nlu, clock=self.clock)

    # ---- requester side ---------------------------------------------------------------

    def handle(self, inbound: Inbound) -> list[Outbound]:
        """Process one message or button press; never raises for bad input or a down store."""
        return run_sync(self.handle_async(inbound))

    async def handle_async(self, inbound: Inbound) -> list[Outbound]:
        if inbound.files:  # attached (or kept for the intake) first, then the text as usual
            shared, rest = self.files.share(inbound)
            return shared + (await self.handle_async(rest) if rest is not None else [])
        cleaned = clean(inbound.action_value if inbound.action else inbound.text)
        if not cleaned.text:
            return _reply(EMPTY, "empty_message")
        prefix: list[Outbound] = []
        if cleaned.truncated_from:
            prefix = _reply(
                f"Your message was very long ({cleaned.truncated_from:,} characters), so I "
                f"read only the first {MAX_MESSAGE_CHARS:,}. Attach logs to the case instead.",
                "truncated",
            )
        started = self.metrics.started()
        try:
            # Lock + de-duplication + load in one step, the turn's write + unlock in another.
            turn = self.store.turns.begin(
                inbound.conversation_key,
                event_id=inbound.event_id or None,
                lock_ttl_seconds=TURN_LOCK_TTL_SECONDS,
                wait_seconds=TURN_LOCK_WAIT_SECONDS,
                dedup_ttl_seconds=DEDUP_TTL_SECONDS,
            )
            if turn is None:
                self.metrics.turn_ended(metrics.DROPPED_RETRY, started)
                return []  # a redelivered event: handled the first time
            try:
                answered = prefix + await self._turn(inbound, cleaned.text, turn)
                self.metrics.turn_ended(metrics.ANSWERED, started)
                return answered
            finally:
                self.store.turns.abandon(turn)  # releases the lock unless the turn finished
        except LockNotAcquired as error:
            self.metrics.store_error(error)
            self.metrics.turn_ended(metrics.BUSY, started)
            return _reply(BUSY, "busy")
        except NluTimedOut:
            self.metrics.turn_ended(metrics.NLU_TIMEOUT, started)
            log.warning("reading a message timed out in %s", inbound.conversation_key)
            return _reply(NLU_TIMEOUT, "nlu_timeout")
        except StoreUnavailable as error:
            self.metrics.store_error(error)
            self.metrics.turn_ended(metrics.STORE_DOWN, started)
            log.warning("store unavailable during a turn of %s", inbound.conversation_key)
            return _reply(STORE_DOWN, "store_unavailable")
        except VersionConflict as error:
            self.metrics.store_error(error)
            self.metrics.turn_ended(metrics.CONFLICT, started)
            return _reply(CONFLICT, "conflict")
        except StoreError as error:
            self.metrics.store_error(error)
            self.metrics.turn_ended(metrics.REFUSED, started)
            log.warning("store refused a change: %s", error)
            return _reply(f"I couldn't do that: {error}. Nothing was changed.", "store_error")
        except Exception as error:
            self.metrics.turn_ended(metrics.ERROR, started)
            # The stack trace goes to the log (ERROR), never to the chat user.
            log.error(
                "turn failed in %s: %s",
                inbound.conversation_key,
                type(error).__name__,
                exc_info=True,
            )
            return _reply(BROKEN, "error")

    async def _turn(self, inbound: Inbound, text: str, turn: Turn) -> list[Outbound]:
        events = turn.events
        state = DialogueState(sender_id=inbound.conversation_key, domain=self.domain, events=events)
        waiting = bool(state.active_loop or state.slot("pending_confirmation"))
        owner = question_owner(events, waiting=waiting)
        if owner and owner != inbound.sender_id:
            return self._not_your_question(owner)  # nothing is recorded or changed
        now_ts = inbound.received_at.timestamp()
        parse_data = self._understand(text, pressed=inbound.action is not None)
        if not parse_data.pop("from_button", False):
            pending = state.slot("pending_confirmation")
            parse_data = gate_pending_answer(
                parse_data, pending=pending, in_form=bool(state.active_loop)
            )
            parse_data = gate_case_reply(
                parse_data,
                case_number=replied_case(events, conversation_key=inbound.conversation_key),
                busy=bool(state.active_loop or pending),
            )
        parse_data["metadata"] = {
            "user_id": inbound.sender_id,
            "conversation_key": inbound.conversation_key,
            "channel": inbound.channel,
            "thread_ts": inbound.thread_ts,
            "received_at": inbound.received_at.isoformat(),
            "sender_tz": inbound.sender_tz,
        }
        state.add(
            {
                "event": "user",
                "timestamp": now_ts,
                "text": text,
                "parse_data": parse_data,
                "input_channel": inbound.channel or None,
                "message_id": inbound.event_id,
                "metadata": parse_data["metadata"],
            }
        )
        with bound(self.services):
            out = await self.runner.user_turn(state, now_ts=now_ts)
        compacted = state.compacted_events()
        replace = None if compacted is state.events else compacted
        if not self.store.turns.finish(turn, added=state.new_events, replace=replace):
            log.warning("a turn of %s outlived its lock", inbound.conversation_key)
        return [o for o in out if o.text or o.buttons]

    def _not_your_question(self, owner_id: str) -> list[Outbound]:
        person = self.directory.person(owner_id)
        name = person.name if person is not None else owner_id
        return _reply(
            f"This question was asked to {name}; only they can answer it, so nothing was "
            "changed. To report something yourself, message me directly.",
            "not_your_question",
        )

    def _understand(self, text: str, *, pressed: bool) -> dict[str, Any]:
        # A payload is honoured only from a button press: typed "/change_severity{…}" is text.
        parsed = payload_parse(text, known_intents=self.domain.intents) if pressed else None
        parsed = parsed or command_parse(text)
        if parsed is not None:
            return {**parsed, "from_button": True}
        parse_started = self.metrics.started()
        result = self.nlu.parse(text)
        self.metrics.nlu_parsed(parse_started)
        if getattr(result, "timed_out", False):
            # Nothing was understood: raised before the turn records or changes anything.
            raise NluTimedOut(len(text))
        parse_data = to_parse_data(result)
        intent = parse_data["intent"]
        if intent.get("confidence", 0.0) < self.fallback_threshold or not intent.get("name"):
            parse_data["intent_ranking"] = [dict(intent)]
            parse_data["intent"] = {"name": FALLBACK_INTENT, "confidence": intent["confidence"]}
        return parse_data

    def append_bot_messages(self, conversation_key: str, messages: list[Outbound]) -> None:
        """Record messages that reached a requester from outside a turn (staff replies)."""
        now_ts = self.clock().timestamp()
        events = [
            {
                "event": "bot",
                "timestamp": now_ts,
                "text": m.text,
                "data": {
                    "custom": {
                        "audience": str(m.audience),
                        "kind": m.kind,
                        "case_number": m.case_number,
                    }
                },
                "metadata": {},
            }
            for m in messages
        ]
        # One step: appended once no turn holds the conversation (LockNotAcquired otherwise).
        self.store.turns.append(conversation_key, events, wait_seconds=TURN_LOCK_WAIT_SECONDS)

    def case_zone(self, case: Any) -> ZoneInfo:
        """The zone a case's times are shown in outside the requester's turn (see zones.py)."""
        return case_zone(store=self.store, directory=self.directory, case=case)

    # ---- deadlines -----------------------------------------------------------------------

    def run_timers(self, now: datetime | None = None) -> list[Outbound]:
        """Fire due reminders and closures; call it periodically. Never raises on store errors."""
        try:
            return self.timers.run_due(now)
        except StoreError as error:
            self.metrics.store_error(error)
            log.warning("timers not run: %s", type(error).__name__)
            return []

    # ---- staff side (delegated to StaffDesk) -------------------------------------------

    def staff_take(self, case_number: str, staff_id: str) -> list[Outbound]:
        return self.staff.take(case_number, staff_id)

    def staff_request_info(self, case_number: str, staff_id: str, text: str) -> list[Outbound]:
        return self.staff.request_info(case_number, staff_id, text)

    def staff_propose_resolution(
        self, case_number: str, staff_id: str, text: str
    ) -> list[Outbound]:
        return self.staff.propose_resolution(case_number, staff_id, text)

    def staff_change_severity(
        self, case_number: str, staff_id: str, severity: int, reason: str = ""
    ) -> list[Outbound]:
        return self.staff.change_severity(case_number, staff_id, severity, reason)

    def staff_reply(self, case_number: str, staff_id: str, text: str) -> list[Outbound]:
        return self.staff.reply(case_number, staff_id, text)
