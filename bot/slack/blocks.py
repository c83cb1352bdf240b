"""Block Kit for messages, the requester's card, the report modal and the App Home.

All user words are escaped: engine text is plain and may quote what people typed, so it
always goes through `mrkdwn.escape`; only mentions of IDs the bot knows (`mrkdwn.mention`)
are real markup. The staff side (case card, staff modals) is in `staff_blocks`, built from
the helpers here.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.messages import Outbound
from bot.slack import interactive as ix
from bot.slack.mrkdwn import escape, escape_plain, mention
from policy.calendar import local_time as policy_local_time
from policy.severity import severity_label as policy_label

SECTION_LIMIT = 2900
STATUS_LABELS = {
    "open": "Open",
    "waiting_on_customer": "Waiting on customer",
    "resolution_proposed": "Resolution proposed",
    "closed": "Closed",
}
# Which policy action a requester-side question stands for (policy.contacts.ContactAction).
CONTACT_ACTION_FOR_KIND = {
    "case_summary": "open",
    "offer_open_as_high": "open",
    "ask_severity": "open",
    "confirm_close": "close",
}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT] or " "}}


def plain(text: str, limit: int = 75) -> dict[str, Any]:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return {"type": "plain_text", "text": shown or " ", "emoji": False}


def context_line(text: str) -> dict[str, Any]:
    """A small grey line under a message (our own words, already safe)."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:SECTION_LIMIT]}]}


def severity_label(value: int | None) -> str:
    """The policy's own name for a level, e.g. "Severity 3 – Medium"."""
    try:
        return f"Severity {int(value)} – {policy_label(int(value))}" if value else "not set"
    except ValueError:
        return escape(str(value))


def local_time(moment: datetime | None, tz: ZoneInfo) -> str:
    """The policy's reading of a time ("Mon 23 Nov 2026, 10:30 CST"); a dash when unset."""
    return "—" if moment is None else policy_local_time(moment, tz)


# ---- conversation messages --------------------------------------------------------------


def message(outbound: Outbound, *, owner_id: str, conversation_key: str) -> dict[str, Any]:
    """chat.postMessage arguments (text + blocks) for one engine message."""
    text = escape_plain(outbound.text, limit=SECTION_LIMIT)
    blocks: list[dict[str, Any]] = [section(text)]
    contact_action = CONTACT_ACTION_FOR_KIND.get(outbound.kind)
    if outbound.buttons:
        elements = []
        for index, button in enumerate(outbound.buttons[:5]):
            press = ix.Press(
                action_id=button.action_id,
                payload=button.value,
                conversation_key=conversation_key,
                owner_id=owner_id,
                contact_action=contact_action,
            )
            element: dict[str, Any] = {
                "type": "button",
                "action_id": f"{ix.ENGINE_ACTION_PREFIX}{index}",
                "text": plain(button.label),
                "value": press.encode(),
            }
            if button.action_id == "confirm_case":
                element["style"] = "primary"
            elif button.action_id == "cancel_case":
                element["style"] = "danger"
            elements.append(element)
        if outbound.kind == "case_summary":
            elements.append(severity_select())
        context = ix.block_context(owner_id=owner_id, conversation_key=conversation_key)
        blocks.append({"type": "actions", "block_id": context, "elements": elements})
    return {"text": text, "blocks": blocks}


def severity_select() -> dict[str, Any]:
    """Change the suggested severity on the summary; Critical is phone-only, so not offered."""
    options = [{"text": plain(severity_label(n)), "value": str(n)} for n in (2, 3, 4)]
    return {
        "type": "static_select",
        "action_id": ix.SEVERITY_SELECT,
        "placeholder": plain("Change severity"),
        "options": options,
    }


def answered(outbound_text: str, *, chooser_id: str, label: str) -> dict[str, Any]:
    """The question with its buttons removed and who answered it, so it can't be pressed twice."""
    text = escape_plain(outbound_text, limit=SECTION_LIMIT)
    return {
        "text": text,
        "blocks": [section(text), context_line(f"{mention(chooser_id)} chose *{escape(label)}*")],
    }


# ---- case cards (the staff card is in staff_blocks) ------------------------------------


def case_fields(case: Any, *, tz: ZoneInfo) -> list[dict[str, Any]]:
    fields = [
        f"*Severity*\n{severity_label(case.severity)}",
        f"*Priority*\n{escape(str(case.priority).capitalize())}"
        + (f" ({escape(case.priority_requested)} requested)" if case.priority_requested else ""),
        f"*Status*\n{STATUS_LABELS.get(case.status, escape(case.status))}",
        f"*Organization*\n{escape(case.org_short_name)} ({escape(case.org_id)})",
        f"*Requester*\n{mention(case.requester_id)} {escape(case.requester_name)}",
        f"*Response due*\n{local_time(case.response_due_at, tz)}"
        + (" (acknowledged)" if case.acknowledged_at else ""),
        f"*Assignee*\n{mention(case.assignee_id) if case.assignee_id else 'nobody yet'}",
    ]
    return [{"type": "mrkdwn", "text": f} for f in fields]


def requester_card(case: Any, *, tz: ZoneInfo) -> dict[str, Any]:
    """The requester's view of their case, updated in place as it changes."""
    blocks = [
        section(f"*Case {escape(case.number)}* · {escape_plain(case.title, limit=200)}"),
        {"type": "section", "fields": case_fields(case, tz=tz)},
        context_line(
            "This card updates as the case changes. Reply in this conversation to add information."
        ),
    ]
    return {"text": escape(f"Case {case.number}: {case.title}"), "blocks": blocks}


def notice(text: str) -> dict[str, Any]:
    """A plain engine message for the staff channel or a DM (escaped, no buttons)."""
    escaped = escape_plain(text, limit=SECTION_LIMIT)
    return {"text": escaped, "blocks": [section(escaped)]}


def join_button(conversation_key: str) -> dict[str, Any]:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": ix.STAFF_JOIN,
                "text": plain("Join"),
                "value": conversation_key[: ix.MAX_VALUE_CHARS],
            }
        ],
    }


# ---- modals ----------------------------------------------------------------------------


def text_input(
    block_id: str,
    label: str,
    *,
    multiline: bool,
    optional: bool,
    initial: str = "",
    max_length: int = 3000,
    hint: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, limit=150)
    return block


def report_modal(*, initial_text: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """Case details: what is broken, how it hurts the business, the conversation ID."""
    return {
        "type": "modal",
        "callback_id": ix.REPORT_MODAL,
        "title": plain("Report to support"),
        "submit": plain("Send"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps(metadata)[:3000],
        "blocks": [
            text_input(
                "description",
                "What is going wrong?",
                multiline=True,
                optional=False,
                initial=initial_text,
            ),
            text_input(
                "impact",
                "Business impact",
                multiline=True,
                optional=True,
                hint="What can't people do, how many are affected, is there a workaround?",
            ),
            text_input(
                "conversation_id",
                "Conversation ID (if any)",
                multiline=False,
                optional=True,
                max_length=64,
            ),
        ],
    }


# ---- App Home --------------------------------------------------------------------------


def home_view(
    *, sections: list[tuple[str, list[Any]]], tz: ZoneInfo, can_report: bool
) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [section("*Support cases*")]
    if can_report:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": ix.OPEN_REPORT_MODAL,
                        "text": plain("Report a problem"),
                        "style": "primary",
                    }
                ],
            }
        )
    for title, cases in sections:
        blocks.append({"type": "divider"})
        blocks.append(section(f"*{escape(title)}*"))
        if not cases:
            blocks.append(context_line("None."))
        for case in cases[:40]:
            blocks.append(
                section(
                    f"*{escape(case.number)}* · {severity_label(case.severity)} · "
                    f"{STATUS_LABELS.get(case.status, escape(case.status))}\n"
                    f"{escape_plain(case.title, limit=200)}\n"
                    f"Last update {local_time(case.last_update_at, tz)}"
                )
            )
    return {"type": "home", "blocks": blocks[:100]}
