"""How actions speak: Rasa bot messages that also carry who they are for.

Each message is a normal Rasa response (`text`, `buttons`) plus a `custom` payload naming the
audience (requester, staff, notify), the recipients, the kind and structured data. A Rasa
channel shows the text; the supportbot engine turns the payload into an `Outbound`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

REQUESTER = "requester"
STAFF = "staff"
NOTIFY = "notify"


def button(action_id: str, label: str, payload: str) -> dict[str, str]:
    return {"title": label, "payload": payload, "action_id": action_id}


CONFIRM_BUTTONS = (
    button("confirm_case", "Confirm", "/affirm"),
    button("edit_case", "Edit", "/edit_case"),
    button("cancel_case", "Cancel", "/deny"),
)
YES_NO_BUTTONS = (
    button("answer_yes", "Yes", "/affirm"),
    button("answer_no", "No", "/deny"),
)


def say(
    dispatcher: CollectingDispatcher,
    text: str,
    *,
    kind: str,
    audience: str = REQUESTER,
    recipients: tuple[str, ...] | list[str] = (),
    case_number: str | None = None,
    buttons: tuple[dict[str, str], ...] | list[dict[str, str]] = (),
    data: dict[str, Any] | None = None,
) -> None:
    """Send one message; `text` is plain (user words are quoted, never marked up)."""
    dispatcher.utter_message(
        text=text,
        buttons=list(buttons),
        json_message={
            "audience": audience,
            "kind": kind,
            "recipients": list(recipients),
            "case_number": case_number,
            "data": data or {},
        },
    )


def quote(text: str, *, limit: int = 300) -> str:
    """User words shown back, shortened and on one line."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
