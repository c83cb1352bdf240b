"""Block Kit for the staff queue in App Home, and the case modal its Open button shows.

Each case is one section (number, severity, organization, assignee, its clock in words, its
title) and one row of buttons. The clock reads "due in 25 min" or "missed by 1 h 10 min",
counted on the customer's business hours where the policy counts that target so; the due
time itself is shown in the viewer's own zone, with the zone named.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.engine.queue import FILTER_LABELS, QueueEntry, QueueFilter, StaffQueue
from bot.slack import interactive as ix
from bot.slack import limits
from bot.slack.blocks import (
    STATUS_LABELS,
    answer,
    case_fields,
    context_line,
    local_time,
    plain,
    section,
    severity_label,
)
from bot.slack.mrkdwn import escape, escape_literal, mention
from bot.slack.staff_blocks import target_marks
from cases.clocks import TargetClock

QUEUE_ROWS = 30  # cases listed (two blocks each), so a view stays under Slack's 100 blocks
TITLE_CHARS = 120  # of a case's title in its queue line
NOTES_IN_MODAL = 3  # the newest timeline entries the Open modal shows
QUEUE_BLOCK = "queue:"  # block_id prefix of a case's row of buttons: "queue:CS-1042"


def clock_line(clock: TargetClock | None, *, viewer_tz: ZoneInfo) -> str:
    """ "⏳ *Response due in 25 min* · Mon 23 Nov 2026, 10:30 CET", or that no target runs."""
    if clock is None:
        return "No target running (answered, and restored or no restoration target)"
    icon = ":rotating_light:" if clock.missed else ":hourglass:" if clock.at_risk else ":clock3:"
    verb = "was due" if clock.missed else "due"
    return (
        f"{icon} *{clock.phrase()}*{clock.basis()} · {verb} {local_time(clock.due_at, viewer_tz)}"
    )


def queue_blocks(
    queue: StaffQueue, *, chosen: QueueFilter, viewer_id: str, viewer_tz: ZoneInfo
) -> list[dict[str, Any]]:
    """The staff queue: a heading, the filter buttons with their counts, then the cases."""
    counts = queue.counts(viewer_id)
    shown = queue.shown(chosen, viewer_id)
    heading = f"*Staff queue* · {counts[QueueFilter.ALL]:,} open " + (
        "case" if counts[QueueFilter.ALL] == 1 else "cases"
    )
    blocks: list[dict[str, Any]] = [
        section(heading),
        context_line(
            "By time left to each case's next target: the initial response, then restoration. "
            f"Updated {local_time(queue.read_at, viewer_tz)}."
        ),
        _filters(counts, chosen),
    ]
    if not shown:
        blocks.append(context_line(f"No open cases in “{FILTER_LABELS[chosen]}”."))
    for entry in shown[:QUEUE_ROWS]:
        blocks += _case_rows(entry, viewer_id=viewer_id, viewer_tz=viewer_tz)
    hidden = len(shown) - QUEUE_ROWS
    if hidden > 0:
        blocks.append(
            context_line(f"…and {hidden:,} more. Each has its card in the staff channel.")
        )
    if not queue.complete:
        blocks.append(context_line(f"Only the newest {len(queue.entries):,} open cases were read."))
    return blocks


def _filters(counts: dict[QueueFilter, int], chosen: QueueFilter) -> dict[str, Any]:
    buttons = []
    for option, label in FILTER_LABELS.items():
        button: dict[str, Any] = {
            "type": "button",
            "action_id": f"{ix.QUEUE_FILTER}:{option.value}",
            "text": plain(f"{label} ({counts[option]:,})"),
            "value": option.value,
        }
        if option is chosen:
            button["style"] = "primary"
        buttons.append(button)
    return {"type": "actions", "block_id": "queue_filters", "elements": buttons}


def _case_rows(entry: QueueEntry, *, viewer_id: str, viewer_tz: ZoneInfo) -> list[dict[str, Any]]:
    case = entry.case
    assignee = mention(case.assignee_id) if case.assignee_id else "nobody yet"
    status = STATUS_LABELS.get(case.status) or escape_literal(case.status)
    head = (
        f"*{escape(case.number)}* · {severity_label(case.severity)} · "
        f"{escape_literal(case.org_short_name, limit=60)} · {assignee} · {status}"
    )
    title = escape_literal(case.title, limit=TITLE_CHARS)
    text = f"{head}\n{clock_line(entry.clock, viewer_tz=viewer_tz)}\n{title}"
    buttons = []
    if case.assignee_id != viewer_id:
        buttons.append(_button(ix.QUEUE_TAKE, "Take", case.number, style="primary"))
    buttons.append(_button(ix.QUEUE_OPEN, "Open", case.number))
    return [
        section(text),
        {"type": "actions", "block_id": f"{QUEUE_BLOCK}{case.number}", "elements": buttons},
    ]


def _button(action_id: str, label: str, number: str, *, style: str = "") -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": plain(label),
        "value": number,
    }
    if style:
        button["style"] = style
    return button


def case_modal(entry: QueueEntry, *, viewer_tz: ZoneInfo, card_link: str | None) -> dict[str, Any]:
    """What Open shows: the case at a glance, its clock, its words and latest entries."""
    case = entry.case
    blocks: list[dict[str, Any]] = [
        section(f"*{escape(case.number)}* · {severity_label(case.severity)}"),
        {"type": "section", "fields": case_fields(case, tz=entry.tz)},
        section(clock_line(entry.clock, viewer_tz=viewer_tz)),
        *target_marks(case, tz=entry.tz),
        answer("Title", case.title, limit=500),
        answer("Description", case.description, limit=limits.SECTION_TEXT),
        answer("Business impact", case.business_impact, limit=2000),
    ]
    for note in case.notes[-NOTES_IN_MODAL:]:
        when = local_time(note.at, viewer_tz)
        blocks.append(answer(f"{note.kind.replace('_', ' ').capitalize()}, {when}", note.text))
    footer = "Due times on the card are in the customer's time"
    if card_link:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": ix.QUEUE_CARD_LINK,
                        "text": plain("Go to its card"),
                        "url": card_link,
                    }
                ],
            }
        )
    blocks.append(context_line(f"{footer} ({entry.tz.key})."))
    return {
        "type": "modal",
        "title": plain(case.number, limits.MODAL_TITLE),
        "close": plain("Close", limits.MODAL_TITLE),
        "blocks": blocks[: limits.VIEW_BLOCKS],
    }
