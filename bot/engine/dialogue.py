"""One turn of dialogue: choose actions by rules, run forms, run actions via rasa-sdk.

This is the part of Rasa Core the project needs (RulePolicy, forms, fallback), working on
the same events and calling the same action server code, in-process.
"""

from __future__ import annotations

import logging
from typing import Any

import rasa_sdk
from rasa_sdk.executor import ActionExecutor

import actions
from bot.engine.domain import Domain, Rule
from bot.engine.outbound import bot_event, to_outbound
from bot.engine.tracker import DialogueState
from bot.messages import Outbound

log = logging.getLogger(__name__)

MAX_ACTIONS_PER_TURN = 12
FALLBACK_INTENT = "nlu_fallback"
FORM_EXIT_INTENTS = frozenset({"human_handoff"})
FORM_EXIT_WORDS = frozenset({"cancel", "stop", "abort", "never mind", "nevermind", "/deny"})
# Rasa-style form interruptions: while the form waits for a short structured answer, a
# message confidently read as one of these intents is answered by its rule, then the form's
# question is asked again. Free-text slots (description, impact) take any text as is.
INTERRUPTING_INTENTS = frozenset(
    {"check_status", "escalate", "close_case", "update_case", "request_rca", "ask_howto"}
)
INTERRUPTIBLE_SLOTS = frozenset({"conversation_id", "severity"})
INTERRUPTION_CONFIDENCE = 0.8
# Yes/no questions an interruption may leave open inside the form (closing a case).
IN_FORM_CONFIRMATIONS = frozenset({"close_case"})
IN_FORM_CONFIRMATION_CONFIDENCE = 0.5  # "yes"/"no" score 0.8-0.95; an ID read as yes, ~0.4


def build_executor() -> ActionExecutor:
    executor = ActionExecutor()
    executor.register_package(actions)
    return executor


class DialogueRunner:
    """Runs turns for one engine: rules, forms and the rasa-sdk executor."""

    def __init__(self, *, domain: Domain, rules: list[Rule], executor: ActionExecutor) -> None:
        self.domain = domain
        self.rules = sorted(rules, key=lambda r: -r.specificity)
        self.executor = executor

    # ---- choosing -------------------------------------------------------------------------

    def rule_for_intent(self, intent: str, state: DialogueState) -> Rule | None:
        for rule in self.rules:
            if rule.intent == intent and self._conditions_hold(rule, state):
                return rule
        return None

    def rule_after_loop(self, form: str, state: DialogueState) -> Rule | None:
        for rule in self.rules:
            if rule.after_action == form and rule.loop_completed:
                return rule
        return None

    @staticmethod
    def _conditions_hold(rule: Rule, state: DialogueState) -> bool:
        if rule.active_loop and rule.active_loop != state.active_loop:
            return False
        return all(state.slot(name) == value for name, value in rule.slot_conditions.items())

    # ---- running --------------------------------------------------------------------------

    async def user_turn(self, state: DialogueState, *, now_ts: float) -> list[Outbound]:
        """React to the user event just added to `state`."""
        intent = (state.latest_message.get("intent") or {}).get("name") or FALLBACK_INTENT
        text = str(state.latest_message.get("text") or "").strip().lower()
        out: list[Outbound] = []
        if intent != FALLBACK_INTENT and state.slot("fallback_count"):
            state.add(_slot("fallback_count", 0.0, now_ts))
        if state.active_loop:
            form = state.active_loop
            if self._answers_in_form_confirmation(intent, state):
                await self._interrupt_form(state, form, intent, out, now_ts=now_ts)
                return out
            if intent in FORM_EXIT_INTENTS or text in FORM_EXIT_WORDS:
                state.add({"event": "active_loop", "name": None, "timestamp": now_ts})
                state.add(_slot("requested_slot", None, now_ts))
                exit_intent = "deny" if text in FORM_EXIT_WORDS else intent
                rule = self.rule_for_intent(exit_intent, state)
                name = "action_cancel_intake" if exit_intent == "deny" else None
                actions_to_run = [name] if name else list(rule.actions if rule else ())
                await self.run_actions(state, actions_to_run, out, now_ts=now_ts)
                return out
            if state.slot("pending_confirmation") in IN_FORM_CONFIRMATIONS:
                # Answered the form instead: the unanswered yes/no lapses (nothing changes).
                state.add(_slot("pending_confirmation", None, now_ts))
                state.add(_slot("close_target", None, now_ts))
            if self._interrupts_form(state):
                await self._interrupt_form(state, form, intent, out, now_ts=now_ts)
                return out
            await self.run_form(state, form, out, now_ts=now_ts, user_turn=True)
            return out
        rule = self.rule_for_intent(intent, state) or self.rule_for_intent(FALLBACK_INTENT, state)
        await self.run_actions(state, list(rule.actions if rule else ()), out, now_ts=now_ts)
        return out

    @staticmethod
    def _answers_in_form_confirmation(intent: str, state: DialogueState) -> bool:
        """A clear yes/no to a question an interruption asked inside the form (close it?)."""
        if intent not in ("affirm", "deny"):
            return False
        if state.slot("pending_confirmation") not in IN_FORM_CONFIRMATIONS:
            return False
        message = state.latest_message
        confidence = float((message.get("intent") or {}).get("confidence") or 0.0)
        requested = state.slot("requested_slot")
        carries_answer = any(e.get("entity") == requested for e in message.get("entities") or [])
        return confidence >= IN_FORM_CONFIRMATION_CONFIDENCE and not carries_answer

    @staticmethod
    def _interrupts_form(state: DialogueState) -> bool:
        """Is the latest message a confident other request rather than the form's answer?"""
        requested = state.slot("requested_slot")
        if requested not in INTERRUPTIBLE_SLOTS:
            return False
        message = state.latest_message
        intent = message.get("intent") or {}
        if intent.get("name") not in INTERRUPTING_INTENTS:
            return False
        if float(intent.get("confidence") or 0.0) < INTERRUPTION_CONFIDENCE:
            return False
        # A message that carries the asked-for value is an answer, whatever else it says.
        return not any(e.get("entity") == requested for e in message.get("entities") or [])

    async def _interrupt_form(
        self, state: DialogueState, form: str, intent: str, out: list[Outbound], *, now_ts: float
    ) -> None:
        """Answer the message by its intent's rule, then ask the form's question again."""
        rule = self.rule_for_intent(intent, state)
        await self.run_actions(state, list(rule.actions if rule else ()), out, now_ts=now_ts)
        if state.active_loop == form:
            await self.run_form(state, form, out, now_ts=now_ts, user_turn=False)

    async def run_actions(
        self, state: DialogueState, names: list[str], out: list[Outbound], *, now_ts: float
    ) -> None:
        queue = list(names)
        budget = MAX_ACTIONS_PER_TURN
        while queue and budget > 0:
            budget -= 1
            name = queue.pop(0)
            if name in self.domain.forms:
                await self.run_form(state, name, out, now_ts=now_ts, user_turn=False)
            else:
                await self.run_action(state, name, out, now_ts=now_ts)
            followup = state.take_followup()
            if followup:
                queue.insert(0, followup)

    async def run_action(
        self, state: DialogueState, name: str, out: list[Outbound], *, now_ts: float
    ) -> None:
        action_event = {"event": "action", "name": name, "policy": "rules", "timestamp": now_ts}
        if name.startswith("utter_"):
            state.add(action_event)
            response = self.domain.response(name)
            if response is not None:
                response["response"] = name
                state.add(bot_event(response, timestamp=now_ts))
                out.append(to_outbound(response, default_kind=name))
            return
        payload = {
            "next_action": name,
            "sender_id": state.sender_id,
            "tracker": state.as_rasa_tracker(),
            "domain": self.domain.raw,
            "version": rasa_sdk.__version__,
        }
        result = await self.executor.run(payload)
        state.add(action_event)
        if result is None:
            return
        for event in result.events:
            event.setdefault("timestamp", now_ts)
            state.add(event)
        for response in result.responses:
            state.add(bot_event(response, timestamp=now_ts))
            out.append(to_outbound(response))

    async def run_form(
        self,
        state: DialogueState,
        form: str,
        out: list[Outbound],
        *,
        now_ts: float,
        user_turn: bool,
    ) -> None:
        """Activate or continue a form: extract, validate, then ask or complete."""
        required = self.domain.form_slots(form)
        state.add({"event": "action", "name": form, "policy": "rules", "timestamp": now_ts})
        if state.active_loop != form:
            state.add({"event": "active_loop", "name": form, "timestamp": now_ts})
            candidates = {s: state.slot(s) for s in required if state.slot(s) is not None}
        else:
            candidates = self._extract(state, form) if user_turn else {}
        for slot, value in candidates.items():
            state.add(_slot(slot, value, now_ts))
        validator = f"validate_{form}"
        validator_events: list[dict[str, Any]] = []
        if validator in self.executor.actions:
            before = len(state.events)
            await self.run_action(state, validator, out, now_ts=now_ts)
            validator_events = state.events[before:]
        said_next = any(
            e.get("event") == "slot" and e.get("name") == "requested_slot" for e in validator_events
        )
        if said_next:
            next_slot = state.slot("requested_slot")
        else:
            next_slot = next((s for s in required if state.slot(s) is None), None)
        if next_slot is None:
            state.add({"event": "active_loop", "name": None, "timestamp": now_ts})
            state.add(_slot("requested_slot", None, now_ts))
            rule = self.rule_after_loop(form, state)
            await self.run_actions(state, list(rule.actions if rule else ()), out, now_ts=now_ts)
            return
        if not said_next:
            state.add(_slot("requested_slot", next_slot, now_ts))
        asker = f"action_ask_{next_slot}"
        name = asker if asker in self.executor.actions else f"utter_ask_{next_slot}"
        await self.run_action(state, name, out, now_ts=now_ts)

    def _extract(self, state: DialogueState, form: str) -> dict[str, Any]:
        """Slot values the latest message gives, by the domain's slot mappings."""
        requested = state.slot("requested_slot")
        message = state.latest_message
        found: dict[str, Any] = {}
        for slot in self.domain.form_slots(form):
            for mapping in self.domain.slot_mappings(slot):
                conditions = mapping.get("conditions") or [{}]
                applies = any(
                    c.get("active_loop", form) == form
                    and c.get("requested_slot", requested) == requested
                    for c in conditions
                )
                if not applies:
                    continue
                if mapping.get("type") == "from_entity":
                    value = next(
                        (
                            e.get("value")
                            for e in message.get("entities") or []
                            if e.get("entity") == mapping.get("entity")
                        ),
                        None,
                    )
                elif mapping.get("type") == "from_text" and slot == requested:
                    value = message.get("text")
                else:
                    value = None
                if value not in (None, ""):
                    found[slot] = value
                    break
        return found


def _slot(name: str, value: Any, timestamp: float) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value, "timestamp": timestamp}
