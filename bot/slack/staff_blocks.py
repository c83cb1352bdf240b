"""Block Kit for the staff side: the case card, its modals and the priority-request buttons.

Every button carries only what it acts on (a case number, or the request as staff saw it);
who may press it is decided on the press and again on a modal's submission, never here.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from actions.texts import optional_details
from bot.slack import interactive as ix
from bot.slack import limits
from bot.slack.blocks import (
    answer,
    case_fields,
    context_line,
    local_time,
    plain,
    section,
    severity_label,
    text_input,
)
from bot.slack.mrkdwn import escape, escape_literal
from cases.clocks import duration_words
from cases.vocabulary import Priority

# Text modals: the button they open from -> (title, input label). Titles fit Slack's 24 chars.
TEXT_MODALS = {
    ix.STAFF_REQUEST_INFO: ("Request info", "Question for the requester"),
    ix.STAFF_PROPOSE: ("Propose resolution", "Proposed resolution"),
    ix.STAFF_RCA: ("Deliver RCA", "Root-cause analysis for the requester"),
    ix.STAFF_SUMMARY: ("Deliver summary", "Case summary for the requester (cause and fixes)"),
}
RESTORATION_CHOICES = (
    ("platform", "Platform-level incident"),
    ("isolated", "Isolated to this organization"),
)


# ---- the case card ---------------------------------------------------------------------

# How much of each answer the card shows. Each has a section of its own, so the description
# may fill one (Slack's limit); the rest get less because Slack also refuses a message whose
# blocks hold too much text in all ("msg_blocks_too_long", undocumented, seen from about
# 11,000 characters: slackapi/bolt-js#2509 and #2867), so a whole card stays under 10,000.
DESCRIPTION_CHARS = limits.SECTION_TEXT
IMPACT_CHARS = 2000
DETAIL_CHARS = 600  # each of conversation ID, troubleshooting, recent changes


def staff_card(
    case: Any, *, tz: ZoneInfo, nlu_confidence: float | None, source: str = "New case"
) -> dict[str, Any]:
    """The staff channel's card for a case: details, due time and the staff buttons.

    Description, business impact and each other answer are sections of their own, so
    nothing a person typed can run into a label or pass for a field.
    """
    header = f"*{escape(source)} {escape(case.number)}* · {severity_label(case.severity)}"
    details = [
        answer("Description", case.description, limit=DESCRIPTION_CHARS),
        answer("Business impact", case.business_impact, limit=IMPACT_CHARS),
        *(answer(label, text, limit=DETAIL_CHARS) for label, text in optional_details(case)),
    ]
    if getattr(case, "attachments", ()):
        details.append(section(f"*Attachments:* {attachment_links(case.attachments)}"))
    confidence = f"{nlu_confidence:.0%}" if nlu_confidence is not None else "n/a (typed fields)"
    blocks: list[dict[str, Any]] = [
        section(header),
        {"type": "section", "fields": case_fields(case, tz=tz)},
        *target_marks(case, tz=tz),
        *details,
        context_line(f"NLU confidence: {confidence} · due times in the customer's time ({tz.key})"),
        *card_actions(case.number, closed=case.status == "closed"),
    ]
    text = (
        f"{escape(source)} {escape(case.number)} · {severity_label(case.severity)} · "
        f"{escape_literal(case.org_short_name)}"
    )
    return {"text": limits.cut(text, limits.MESSAGE_TEXT), "blocks": blocks}


def target_marks(case: Any, *, tz: ZoneInfo) -> list[dict[str, Any]]:
    """The card's mark for each target the case missed, and how late a late answer came."""
    marks = []
    if getattr(case, "response_missed_at", None) is not None:
        due = local_time(case.response_due_at, tz)
        if getattr(case, "response_late_minutes", None) is not None:
            late = duration_words(timedelta(minutes=case.response_late_minutes))
            marks.append(f":warning: *Initial response target missed*: answered {late} late")
        elif case.acknowledged_at is None:
            marks.append(f":rotating_light: *Initial response target missed* (was due {due})")
    if getattr(case, "restoration_missed_at", None) is not None:
        due = local_time(case.restoration_due_at, tz)
        restored = " (since restored)" if case.restored_at is not None else ""
        marks.append(f":rotating_light: *Restoration target missed* (was due {due}){restored}")
    return [section(mark) for mark in marks]


# Only a plain https link becomes a Slack link; a local path (terminal) is shown as text.
_LINKABLE = re.compile(r"^https://[^\s<>|]+$")
ATTACHMENTS_CHARS = 1500
ATTACHMENT_NAME_CHARS = 200


def attachment_links(attachments: Any) -> str:
    """The files as "report.pdf (12 KB), …", each name a link to its file, cut to fit.

    Whole items only, counted in Slack's units, so no link is ever cut in half.
    """
    shown: list[str] = []
    used = 0
    for index, attachment in enumerate(attachments):
        label = escape_literal(attachment.label, limit=ATTACHMENT_NAME_CHARS).replace("|", "¦")
        link = str(attachment.permalink)
        item = f"<{link}|{label}>" if _LINKABLE.match(link) and len(link) <= 1000 else label
        if shown and used + limits.length(item) > ATTACHMENTS_CHARS:
            shown.append(f"and {len(attachments) - index} more")
            break
        shown.append(item)
        used += limits.length(item) + 2
    return ", ".join(shown)


def card_actions(case_number: str, *, closed: bool) -> list[dict[str, Any]]:
    """Working the case in one row, finishing it in a second. A closed case can reopen, and
    still take its RCA or case summary (those often come after closure)."""
    deliver = [
        _button(ix.STAFF_RCA, "Deliver RCA", case_number),
        _button(ix.STAFF_SUMMARY, "Deliver summary", case_number),
    ]
    if closed:
        reopen = [_button(ix.STAFF_REOPEN, "Reopen", case_number, style="primary"), *deliver]
        return [_actions(f"staff:{case_number}", reopen)]
    work = [
        _button(ix.STAFF_TAKE, "Take", case_number, style="primary"),
        _button(ix.STAFF_REQUEST_INFO, "Request info", case_number),
        _button(ix.STAFF_PROPOSE, "Propose resolution", case_number),
        _button(ix.STAFF_SEVERITY, "Change severity", case_number),
    ]
    finish = [
        _button(ix.STAFF_PRIORITY, "Change priority", case_number),
        _button(ix.STAFF_RESTORED, "Restored", case_number),
        *deliver,
        _close_button(case_number),
    ]
    return [_actions(f"staff:{case_number}", work), _actions(f"staff-end:{case_number}", finish)]


def _actions(block_id: str, elements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "actions", "block_id": block_id[:255], "elements": elements}


def _button(action_id: str, label: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": plain(label, limits.BUTTON),
        "value": value[: ix.MAX_VALUE_CHARS],
    }
    if style:
        element["style"] = style
    return element


def _close_button(case_number: str) -> dict[str, Any]:
    """Close acts at once, so Slack asks first (the requester is told it was closed)."""
    button = _button(ix.STAFF_CLOSE, "Close", case_number, style="danger")
    button["confirm"] = {
        "title": plain("Close the case?", limits.CONFIRM_TITLE),
        "text": plain(f"{case_number} is closed and its requester told.", limits.CONFIRM_TEXT),
        "confirm": plain("Close", limits.CONFIRM_BUTTON),
        "deny": plain("Cancel", limits.CONFIRM_BUTTON),
        "style": "danger",
    }
    return button


# ---- a requester's priority request ------------------------------------------------------


def priority_request_actions(*, case_number: str, requested: str) -> dict[str, Any]:
    """Approve or decline the priority a requester asked for (staff decide, seed 003)."""
    value = ix.priority_request_value(case_number=case_number, level=requested)
    return _actions(
        f"priority-request:{case_number}",
        [
            _button(ix.STAFF_APPROVE_PRIORITY, "Approve", value, style="primary"),
            _button(ix.STAFF_DECLINE_PRIORITY, "Decline", value, style="danger"),
        ],
    )


# ---- modals ----------------------------------------------------------------------------


def _modal(
    *, callback_id: str, title: str, submit: str, metadata: dict[str, str], blocks: list[Any]
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, limits.MODAL_TITLE),
        "submit": plain(submit, limits.MODAL_TITLE),
        "private_metadata": json.dumps(metadata)[:3000],
        "blocks": blocks,
    }


def _choice(
    block_id: str,
    label: str,
    options: list[dict[str, Any]],
    *,
    element_type: str = "static_select",
    initial: str | None = None,
    hint: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": element_type, "action_id": "value", "options": options}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, limits.INPUT_LABEL),
        "element": element,
    }
    if hint:
        block["hint"] = plain(hint, limits.INPUT_HINT)
    return block


def staff_text_modal(*, action_id: str, case_number: str, channel: str) -> dict[str, Any]:
    """Words for the requester; the button it came from (in the metadata) picks the verb."""
    title, label = TEXT_MODALS.get(action_id, TEXT_MODALS[ix.STAFF_PROPOSE])
    return _modal(
        callback_id=ix.STAFF_TEXT_MODAL,
        title=title,
        submit="Send",
        metadata={"action": action_id, "case": case_number, "channel": channel},
        blocks=[text_input("text", label, multiline=True, optional=False)],
    )


def staff_severity_modal(*, case_number: str, current: int, channel: str) -> dict[str, Any]:
    options = [
        {"text": plain(severity_label(n), limits.OPTION), "value": str(n)} for n in (1, 2, 3, 4)
    ]
    initial = str(current) if current in (1, 2, 3, 4) else "2"
    return _modal(
        callback_id=ix.STAFF_SEVERITY_MODAL,
        title="Change severity",
        submit="Change",
        metadata={"case": case_number, "channel": channel},
        blocks=[
            _choice("severity", f"New severity for {case_number}", options, initial=initial),
            text_input(
                "reason",
                "Reason (shared with the requester)",
                multiline=True,
                optional=True,
                max_length=1000,
            ),
        ],
    )


def staff_priority_modal(
    *, case_number: str, current: str, requested: str | None, channel: str
) -> dict[str, Any]:
    """Any priority; a waiting request is named, since choosing it approves the request."""
    options = [
        {"text": plain(p.value.capitalize(), limits.OPTION), "value": p.value} for p in Priority
    ]
    hint = (
        f"The requester asked for {requested}; choosing it approves their request."
        if requested
        else None
    )
    return _modal(
        callback_id=ix.STAFF_PRIORITY_MODAL,
        title="Change priority",
        submit="Change",
        metadata={"case": case_number, "channel": channel},
        blocks=[
            _choice(
                "priority",
                f"New priority for {case_number}",
                options,
                initial=current,
                hint=hint,
            )
        ],
    )


def staff_restoration_modal(
    *, case_number: str, platform_level: bool | None, channel: str
) -> dict[str, Any]:
    """Service is back: whether it was platform-level decides an RCA or a case summary."""
    options = [
        {"text": plain(label, limits.OPTION), "value": value}
        for value, label in RESTORATION_CHOICES
    ]
    initial = None if platform_level is None else ("platform" if platform_level else "isolated")
    return _modal(
        callback_id=ix.STAFF_RESTORATION_MODAL,
        title="Service restored",
        submit="Record",
        metadata={"case": case_number, "channel": channel},
        blocks=[
            _choice(
                "scope",
                f"What was {case_number}?",
                options,
                element_type="radio_buttons",
                initial=initial,
                hint="This decides whether the requester gets an RCA or a case summary.",
            )
        ],
    )
