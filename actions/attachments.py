"""Files on cases: who may attach them, how they are named, and the files an intake keeps.

The engine attaches a file shared in a case's conversation at once (bot/engine/attachments.py).
A file shared while an intake is going on has no case yet: it waits in the slot
`pending_attachments` (a list of `Attachment.to_dict()`), and `action_create_case` attaches it
to the case it opens (`attach_pending`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rasa_sdk import Tracker

from actions.ports import PersonView, find_person
from actions.runtime import current
from actions.texts import joined
from cases import operations as ops
from cases.entity import Attachment, Case
from cases.errors import CaseError
from policy.contacts import ContactAction, may_perform

log = logging.getLogger(__name__)

PENDING_ATTACHMENTS = "pending_attachments"


def may_attach(person: PersonView | None, case: Case) -> bool:
    """The case's requester, or a designated contact of its organization (as for updates)."""
    if person is None:
        return False
    if person.slack_id == case.requester_id:
        return True
    same_org = bool(person.org_short_name) and person.org_short_name == case.org_short_name
    return same_org and may_perform(
        ContactAction.UPDATE, is_designated_contact=person.is_designated
    )


def files_text(attachments: Sequence[Attachment]) -> str:
    """The files with their sizes: "report.pdf (12 KB)", "a.log (2 KB) and b.png (1.2 MB)"."""
    return joined([a.label for a in attachments])


def attached_text(case_number: str, attachments: Sequence[Attachment]) -> str:
    return f"Attached {files_text(attachments)} to {case_number}."


def pending_files(tracker: Tracker) -> list[Attachment]:
    """The files kept in this conversation for the case its intake will open."""
    found: list[Attachment] = []
    for item in tracker.get_slot(PENDING_ATTACHMENTS) or []:
        try:
            found.append(Attachment.from_dict(item))
        except (KeyError, TypeError, ValueError):
            log.warning("a pending attachment could not be read; it is dropped")
    return found


def attach_pending(
    tracker: Tracker, case: Case, *, actor_id: str, now: datetime
) -> tuple[Case, tuple[Attachment, ...]]:
    """The case with the files kept during its intake, and those attached (none: unchanged).

    Only files shared by someone who may attach to the case go on it; a file already on it
    (a replayed confirmation) is not added twice.
    """
    files = [f for f in pending_files(tracker) if _may_add(f.added_by, case)]
    if not files or not case.is_active:
        return case, ()
    try:
        change = ops.attach(case, attachments=files, author_id=actor_id, now=now)
    except CaseError:
        return case, ()  # all of them are on the case already
    updated = current().store.cases.update_case(
        case.number,
        actor_id=actor_id,
        now=now,
        changes=dict(change.fields),
        expected_version=case.version,
        action=change.action,
    )
    added: tuple[Attachment, ...] = change.events[0].details["attachments"]
    return updated, added


def _may_add(slack_id: str, case: Case) -> bool:
    return slack_id == case.requester_id or may_attach(find_person(slack_id), case)


def pending_value(existing: Any, attachments: Sequence[Attachment]) -> list[dict[str, Any]]:
    """The slot's new value: what it held plus these files (each link once)."""
    kept = [dict(item) for item in existing or [] if isinstance(item, dict)]
    links = {item.get("permalink") for item in kept}
    kept += [a.to_dict() for a in attachments if a.permalink not in links]
    return kept
