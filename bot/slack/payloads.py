"""Reading Slack's interactive payloads: modal values, metadata, stable IDs, validation."""

from __future__ import annotations

import json
from typing import Any


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


def view_values(view: dict[str, Any]) -> dict[str, str]:
    """Each input block's value, by block ID (text inputs, selects and radio buttons)."""
    found: dict[str, str] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        for element in actions.values():
            if element.get("type") in ("static_select", "radio_buttons"):
                found[block_id] = str((element.get("selected_option") or {}).get("value") or "")
            else:
                found[block_id] = str(element.get("value") or "")
    return found


def report_errors(view: dict[str, Any]) -> dict[str, str]:
    """Modal validation shown next to the fields (the modal stays open, nothing happens)."""
    values = view_values(view)
    errors: dict[str, str] = {}
    if len(values.get("description", "").split()) < 3:
        errors["description"] = "Describe the problem in a few words (at least 3)."
    return errors


def staff_text_errors(view: dict[str, Any]) -> dict[str, str]:
    return {} if view_values(view).get("text", "").strip() else {"text": "Write something to send."}
