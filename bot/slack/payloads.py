"""Reading Slack's interactive payloads: modal values, metadata, stable IDs, validation."""

from __future__ import annotations

import json
from typing import Any

from bot.slack import interactive as ix
from bot.slack import staff_blocks


def action_event_id(body: dict[str, Any], action: dict[str, Any]) -> str:
    """A stable ID for one press, so a double delivery is handled once by the engine."""
    message_ts = (body.get("container") or {}).get("message_ts")
    return f"action:{message_ts}:{action.get('action_id')}:{action.get('action_ts')}"


def view_metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return meta if isinstance(meta, dict) else {}


CHOICE_ELEMENTS = ("static_select", "radio_buttons")
UNREADABLE = "This value could not be read. Enter it again."
CHOOSE_ONE = "Choose one of the options."


def _element_value(element: Any) -> str | None:
    """What was entered ("" for nothing), or None when not shaped as Slack sends it."""
    if not isinstance(element, dict):
        return None
    if element.get("type") in CHOICE_ELEMENTS:
        option = element.get("selected_option")
        if option is None:
            return ""
        value = option.get("value") if isinstance(option, dict) else None
    else:
        value = element.get("value")
        if value is None:  # an optional text input left empty
            return ""
    return value if isinstance(value, str) else None


def _state_values(view: Any) -> dict[str, str | None]:
    """Each input block's value by block ID, None where it cannot be read; {} without state."""
    state = view.get("state") if isinstance(view, dict) else None
    blocks = state.get("values") if isinstance(state, dict) else None
    if not isinstance(blocks, dict):
        return {}
    found: dict[str, str | None] = {}
    for block_id, actions in blocks.items():
        elements = list(actions.values()) if isinstance(actions, dict) else [None]
        for element in elements:
            found[str(block_id)] = _element_value(element)
    return found


def view_values(view: dict[str, Any]) -> dict[str, str]:
    """Each input block's value, by block ID (text inputs, selects and radio buttons); a
    value of the wrong type is left out, so it reads as missing rather than raising."""
    return {k: v for k, v in _state_values(view).items() if v is not None}


def unreadable_errors(view: dict[str, Any]) -> dict[str, str]:
    """A form error on each field whose value is of the wrong type (a number, a list)."""
    return {k: UNREADABLE for k, v in _state_values(view).items() if v is None}


def report_errors(view: dict[str, Any]) -> dict[str, str]:
    """Modal validation shown next to the fields (the modal stays open, nothing happens)."""
    values = view_values(view)
    errors = unreadable_errors(view)
    if len(values.get("description", "").split()) < 3:
        errors["description"] = "Describe the problem in a few words (at least 3)."
    return errors


def staff_text_errors(view: dict[str, Any]) -> dict[str, str]:
    errors = unreadable_errors(view)
    if not view_values(view).get("text", "").strip():
        errors["text"] = "Write something to send."
    return errors


def _offered(modal: dict[str, Any]) -> dict[str, frozenset[str]]:
    """Each choice block of a modal with the option values it offers."""
    return {
        block["block_id"]: frozenset(o["value"] for o in block["element"]["options"])
        for block in modal["blocks"]
        if block.get("type") == "input" and block["element"]["type"] in CHOICE_ELEMENTS
    }


# The values the staff choice modals offer, read from the modals themselves so the check
# cannot drift from what staff are shown.
STAFF_CHOICES: dict[str, dict[str, frozenset[str]]] = {
    ix.STAFF_SEVERITY_MODAL: _offered(
        staff_blocks.staff_severity_modal(case_number="", current=2, channel="")
    ),
    ix.STAFF_PRIORITY_MODAL: _offered(
        staff_blocks.staff_priority_modal(case_number="", current="", requested=None, channel="")
    ),
    ix.STAFF_RESTORATION_MODAL: _offered(
        staff_blocks.staff_restoration_modal(case_number="", platform_level=None, channel="")
    ),
}


def staff_choice_errors(view: dict[str, Any]) -> dict[str, str]:
    """Severity, priority and restoration: Slack requires a choice before submit, so a
    missing, wrong-typed or unknown one is a forged or broken submission; it gets a form
    error and changes nothing."""
    errors = unreadable_errors(view)
    values = view_values(view)
    for block_id, offered in STAFF_CHOICES.get(str(view.get("callback_id")), {}).items():
        if block_id not in errors and values.get(block_id) not in offered:
            errors[block_id] = CHOOSE_ONE
    return errors
