"""Block Kit for messages, the requester's card, the report modal and the App Home.

All user words are escaped: engine text is plain and may quote what people typed, so it
always goes through `mrkdwn.escape`; only mentions of IDs the bot knows (`mrkdwn.mention`)
are real markup. On cards and the App Home each thing a person typed (or the directory
holds) sits in its own section or field, escaped with `mrkdwn.escape_literal` so it can't
format and so can't pass for one of our labels. Every text is cut to Slack's limit for its
place, in Slack's units (`limits`). The staff side (case card, staff modals) is in
`staff_blocks`, built from the helpers here.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from actions.texts import local_time as policy_local_time
from actions.texts import severity_text
from bot.kinds import Kind, traits_of
from bot.messages import Outbound
from bot.slack import interactive as ix
from bot.slack import limits
from bot.slack.limits import cut
from bot.slack.mrkdwn import escape, escape_literal, escape_plain, mention

NAME_CHARS = 200  # a name or ID on a card
STATUS_LABELS = {
    "open": "Open",
    "waiting_on_customer": "Waiting on customer",
    "resolution_proposed": "Resolution proposed",
    "closed": "Closed",
}


def section(text: str) -> dict[str, Any]:
    """A section of our own mrkdwn (any user words in it already escaped)."""
    return {"type": "section", "text": mrkdwn(text, limits.SECTION_TEXT)}


def mrkdwn(text: str, limit: int) -> dict[str, Any]:
    """A mrkdwn text object cut to `limit`; `verbatim` so Slack links no bare name or URL."""
    return {"type": "mrkdwn", "text": cut(text, limit) or " ", "verbatim": True}


def answer(label: str, words: str | None, *, limit: int = limits.SECTION_TEXT) -> dict[str, Any]:
    """What a person wrote, in a section of its own under our bold label, lines kept."""
    head = f"*{label}:* "
    shown = escape_literal(words or "—", limit=limit - limits.length(head))
    return {"type": "section", "text": mrkdwn(head + shown, limit)}


def plain(text: str, limit: int = limits.BUTTON) -> dict[str, Any]:
    """Plain text (labels, buttons, options) cut to the limit of where it goes."""
    return {"type": "plain_text", "text": cut(text, limit) or " ", "emoji": False}


def context_line(text: str) -> dict[str, Any]:
    """A small grey line under a message (our own words, already safe)."""
    return {"type": "context", "elements": [mrkdwn(text, limits.TEXT)]}


def severity_label(value: int | None) -> str:
    """The policy's own name for a level, e.g. "Severity 3 – Medium" (`severity_text`); a
    value the policy doesn't know is shown as it is, escaped."""
    try:
        return severity_text(value or None)
    except ValueError:
        return escape(str(value))


def local_time(moment: datetime | None, tz: ZoneInfo) -> str:
    """The policy's reading of a time ("Mon 23 Nov 2026, 10:30 CST"); a dash when unset."""
    return "—" if moment is None else policy_local_time(moment, tz)


# ---- conversation messages --------------------------------------------------------------


def message(outbound: Outbound, *, owner_id: str, conversation_key: str) -> dict[str, Any]:
    """chat.postMessage arguments (text + blocks) for one engine message."""
    text = escape_plain(outbound.text, limit=limits.SECTION_TEXT)
    blocks: list[dict[str, Any]] = [section(text)]
    # The policy action its buttons stand for: who may press them (policy.contacts).
    contact_action = traits_of(outbound.kind).contact_action
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
                "text": plain(button.label, limits.BUTTON),
                "value": press.encode(),
            }
            if button.action_id == "confirm_case":
                element["style"] = "primary"
            elif button.action_id == "cancel_case":
                element["style"] = "danger"
            elements.append(element)
        if outbound.kind == Kind.CASE_SUMMARY:
            elements.append(severity_select())
        context = ix.block_context(owner_id=owner_id, conversation_key=conversation_key)
        blocks.append({"type": "actions", "block_id": context, "elements": elements})
    return {"text": text, "blocks": blocks}


def severity_select() -> dict[str, Any]:
    """Change the suggested severity on the summary; Critical is phone-only, so not offered."""
    options = [
        {"text": plain(severity_label(n), limits.OPTION), "value": str(n)} for n in (2, 3, 4)
    ]
    return {
        "type": "static_select",
        "action_id": ix.SEVERITY_SELECT,
        "placeholder": plain("Change severity", limits.PLACEHOLDER),
        "options": options,
    }


def answered(outbound_text: str, *, chooser_id: str, label: str) -> dict[str, Any]:
    """The question with its buttons removed and who answered it, so it can't be pressed twice."""
    text = escape_plain(outbound_text, limit=limits.SECTION_TEXT)
    return {
        "text": text,
        "blocks": [section(text), context_line(f"{mention(chooser_id)} chose *{escape(label)}*")],
    }


# ---- case cards (the staff card is in staff_blocks) ------------------------------------


def case_fields(case: Any, *, tz: ZoneInfo) -> list[dict[str, Any]]:
    """The case at a glance: our bold label over each value, one field each."""

    def field(value: str) -> str:  # a value from a person or the directory; real ones are short
        return escape_literal(value, limit=NAME_CHARS)

    requested = case.priority_requested
    fields = [
        f"*Severity*\n{severity_label(case.severity)}",
        f"*Priority*\n{field(str(case.priority).capitalize())}"
        + (f" ({field(requested)} requested)" if requested else ""),
        f"*Status*\n{STATUS_LABELS.get(case.status) or field(case.status)}",
        f"*Organization*\n{field(case.org_short_name)} ({field(case.org_id)})",
        f"*Requester*\n{mention(case.requester_id)} {field(case.requester_name)}",
        f"*Response due*\n{local_time(case.response_due_at, tz)}"
        + (" (acknowledged)" if case.acknowledged_at else ""),
        f"*Assignee*\n{mention(case.assignee_id) if case.assignee_id else 'nobody yet'}",
    ]
    return [mrkdwn(text, limits.SECTION_FIELD) for text in fields[: limits.SECTION_FIELDS]]


def requester_card(case: Any, *, tz: ZoneInfo) -> dict[str, Any]:
    """The requester's view of their case, updated in place as it changes."""
    blocks = [
        section(f"*Case {escape(case.number)}*"),
        {"type": "section", "text": mrkdwn(escape_literal(case.title), limits.SECTION_TEXT)},
        {"type": "section", "fields": case_fields(case, tz=tz)},
        context_line(
            "This card updates as the case changes. Reply in this conversation to add information."
        ),
    ]
    text = f"Case {escape(case.number)}: {escape_literal(case.title)}"
    return {"text": cut(text, limits.MESSAGE_TEXT), "blocks": blocks}


def notice(text: str) -> dict[str, Any]:
    """A plain engine message for the staff channel or a DM (escaped, no buttons)."""
    escaped = escape_plain(text, limit=limits.SECTION_TEXT)
    return {"text": escaped, "blocks": [section(escaped)]}


def join_button(conversation_key: str) -> dict[str, Any]:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": ix.STAFF_JOIN,
                "text": plain("Join", limits.BUTTON),
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
    max_length: int = limits.INPUT_MAX_LENGTH,
    hint: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = cut(initial, max_length)
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, limits.INPUT_LABEL),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, limits.INPUT_HINT)
    return block


def report_modal(*, initial_text: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """Case details: what is broken, how it hurts the business, the conversation ID."""
    return {
        "type": "modal",
        "callback_id": ix.REPORT_MODAL,
        "title": plain("Report to support", limits.MODAL_TITLE),
        "submit": plain("Send", limits.MODAL_TITLE),
        "close": plain("Cancel", limits.MODAL_TITLE),
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
    """Lists of cases; each case's title (the person's first line) in a field of its own."""
    blocks: list[dict[str, Any]] = [section("*Support cases*")]
    if can_report:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": ix.OPEN_REPORT_MODAL,
                        "text": plain("Report a problem", limits.BUTTON),
                        "style": "primary",
                    }
                ],
            }
        )
    for title, cases in sections:
        blocks.append({"type": "divider"})
        blocks.append(section(f"*{escape_literal(title)}*"))
        if not cases:
            blocks.append(context_line("None."))
        for case in cases[:40]:
            status = STATUS_LABELS.get(case.status) or escape_literal(case.status)
            summary = f"*{escape(case.number)}* · {severity_label(case.severity)} · {status}"
            blocks.append(
                {
                    "type": "section",
                    "text": mrkdwn(summary, limits.SECTION_TEXT),
                    "fields": [
                        mrkdwn(escape_literal(case.title), limits.SECTION_FIELD),
                        mrkdwn(
                            f"Last update {local_time(case.last_update_at, tz)}",
                            limits.SECTION_FIELD,
                        ),
                    ],
                }
            )
    return {"type": "home", "blocks": blocks[: limits.VIEW_BLOCKS]}
