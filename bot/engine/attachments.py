"""Files shared with a message: attached to the conversation's case at once, or kept for the
case an intake is about to open.

The case is the one support last wrote about (`replied_case`), else, when no intake is going
on, the conversation's latest active case (its `origin_thread` is this conversation). Without
one the files wait in the slot `pending_attachments` until `action_create_case` opens the case
(actions/attachments.py). Only the case's requester or a designated contact of its
organization may attach; a refusal changes nothing. Any text of the message is then handled
as an ordinary message, in its own turn.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from actions.attachments import (
    PENDING_ATTACHMENTS,
    attached_text,
    files_text,
    may_attach,
    pending_value,
)
from actions.ports import PersonView, find_person
from actions.runtime import bound
from bot.engine.case_reply import replied_case
from bot.engine.desk_port import DeskPort
from bot.engine.domain import Domain
from bot.engine.tracker import DialogueState
from bot.messages import Audience, Inbound, Outbound, SharedFile
from bot.store.errors import LockNotAcquired, StoreError, StoreUnavailable, VersionConflict
from bot.store.models import utc
from cases import operations as ops
from cases.entity import Attachment, Case
from cases.errors import CaseError
from cases.vocabulary import ACTIVE_STATUS_VALUES

log = logging.getLogger(__name__)

# The conversation's turn lock and message de-duplication, as in bot/engine/engine.py.
LOCK_TTL_SECONDS = 60.0
LOCK_WAIT_SECONDS = 15.0
DEDUP_TTL_SECONDS = 24 * 3600.0
MAX_FILES_PER_MESSAGE = 20
MAX_NAME_CHARS = 500
MAX_LINK_CHARS = 4000
INTAKE_LOOPS = frozenset({"case_intake_form", "severity_questions_form"})
INTAKE_CONFIRMATIONS = frozenset({"create_case", "edit_field", "open_as_high"})
UNKNOWN_MIMETYPE = "application/octet-stream"


class FilePort(DeskPort, Protocol):
    domain: Domain


def _to_requester(text: str, kind: str, case_number: str | None = None) -> Outbound:
    return Outbound(audience=Audience.REQUESTER, text=text, kind=kind, case_number=case_number)


def attachments_of(inbound: Inbound) -> tuple[Attachment, ...]:
    """The message's files as attachments by its sender; nameless or linkless ones dropped."""
    found: list[Attachment] = []
    for shared in inbound.files[:MAX_FILES_PER_MESSAGE]:
        attachment = _attachment(shared, inbound)
        if attachment is not None:
            found.append(attachment)
    return tuple(found)


def _attachment(shared: SharedFile, inbound: Inbound) -> Attachment | None:
    name = " ".join(str(shared.name or "").split())[:MAX_NAME_CHARS]
    link = str(shared.permalink or "").strip()
    if not name or not link or len(link) > MAX_LINK_CHARS:
        return None
    try:
        size = max(0, int(shared.size or 0))
    except (TypeError, ValueError):
        size = 0
    return Attachment(
        name=name,
        mimetype=str(shared.mimetype or "").strip()[:200] or UNKNOWN_MIMETYPE,
        size=size,
        permalink=link,
        added_by=inbound.sender_id,
        at=utc(inbound.received_at),
    )


class FileDesk:
    def __init__(self, *, port: FilePort) -> None:
        self.port = port

    def share(self, inbound: Inbound) -> tuple[list[Outbound], Inbound | None]:
        """What became of the files, and the rest of the message (its text) still to handle.

        Never raises for a down store or a busy conversation: the sender is told to share
        the file again.
        """
        rest = None
        if (inbound.text or "").strip():
            text_id = f"{inbound.event_id}:text" if inbound.event_id else None
            rest = replace(inbound, files=(), event_id=text_id)
        files = attachments_of(inbound)
        if not files:
            return [], rest
        shown = files_text(files)
        try:
            with self.port.store.locks.locked(
                f"conversation:{inbound.conversation_key}",
                ttl_seconds=LOCK_TTL_SECONDS,
                wait_seconds=LOCK_WAIT_SECONDS,
            ):
                if inbound.event_id and not self.port.store.dedup.first_time(
                    inbound.event_id, ttl_seconds=DEDUP_TTL_SECONDS
                ):
                    return [], None  # a redelivered message: handled the first time
                with bound(self.port.services):
                    replies, slots = self._share(inbound, files)
                self._record(inbound, replies, slots)
                return replies, rest
        except LockNotAcquired:
            text = f"I'm still working on your previous message; please share {shown} again."
            return [_to_requester(text, "busy")], rest
        except StoreUnavailable:
            text = (
                f"I couldn't reach the case store, so I haven't attached {shown}. Please "
                "share it again in a moment."
            )
            return [_to_requester(text, "store_unavailable")], rest
        except VersionConflict:
            text = (
                f"The case changed while I was attaching {shown}, so nothing was attached. "
                "Please share it again."
            )
            return [_to_requester(text, "conflict")], rest
        except StoreError as error:
            log.warning("store refused an attachment: %s", error)
            text = f"I couldn't attach {shown}: {error}. Nothing was changed."
            return [_to_requester(text, "store_error")], rest
        except Exception as error:
            log.error(
                "attaching failed in %s: %s",
                inbound.conversation_key,
                type(error).__name__,
                exc_info=True,
            )
            text = (
                f"Something went wrong on my side, so I haven't attached {shown}. Please "
                "share it again."
            )
            return [_to_requester(text, "error")], rest

    def _share(
        self, inbound: Inbound, files: tuple[Attachment, ...]
    ) -> tuple[list[Outbound], dict[str, Any]]:
        """(replies, slots to set) for the files, with the conversation locked."""
        key = inbound.conversation_key
        sender = find_person(inbound.sender_id, sender_tz=inbound.sender_tz)
        shown = files_text(files)
        if sender is None or not (sender.org_short_name or sender.is_staff):
            text = (
                "I can't find you in the directory of organizations, so I haven't attached "
                f"{shown}. Please ask your Slack admin to add you to the support directory."
            )
            return [_to_requester(text, "unknown_person")], {}
        events = self.port.store.trackers.load(key)
        state = DialogueState(sender_id=key, domain=self.port.domain, events=events)
        number = replied_case(events, conversation_key=key)
        in_intake = (
            state.active_loop in INTAKE_LOOPS
            or state.slot("pending_confirmation") in INTAKE_CONFIRMATIONS
        )
        case = self.port.store.cases.get_case(number) if number else None
        if case is None and not in_intake:
            case = self._case_of_conversation(key)
        if case is None:
            return self._keep(inbound, files, state, in_intake=in_intake)
        return self._attach(case, files, sender, now=utc(inbound.received_at)), {}

    def _case_of_conversation(self, key: str) -> Case | None:
        """The conversation's latest active case, from the store's thread index."""
        cases = self.port.store.cases.list_cases(
            origin_thread=key, statuses=ACTIVE_STATUS_VALUES, newest_first=True, limit=1
        )
        return cases[0] if cases else None

    def _keep(
        self,
        inbound: Inbound,
        files: tuple[Attachment, ...],
        state: DialogueState,
        *,
        in_intake: bool,
    ) -> tuple[list[Outbound], dict[str, Any]]:
        value = pending_value(state.slot(PENDING_ATTACHMENTS), files)
        text = f"I'll attach {files_text(files)} to the case when it's opened."
        if not in_intake and not (inbound.text or "").strip():
            text += " Tell me what the problem is, and we'll open it."
        return [_to_requester(text, "attachment_pending")], {PENDING_ATTACHMENTS: value}

    def _attach(
        self, case: Case, files: tuple[Attachment, ...], sender: PersonView, *, now: datetime
    ) -> list[Outbound]:
        shown = files_text(files)
        if not may_attach(sender, case):
            text = (
                "Only the case's requester or a designated contact of its organization can "
                f"add files to it, so I haven't attached {shown}. Nothing was changed."
            )
            return [_to_requester(text, "permission_denied")]
        if not case.is_active:
            text = (
                f"{case.number} is closed, so I haven't attached {shown}. Ask support to reopen "
                "it, or describe the problem again to open a new case."
            )
            return [_to_requester(text, "case_closed", case.number)]
        try:
            change = ops.attach(case, attachments=files, author_id=sender.slack_id, now=now)
        except CaseError:  # the case is active, so: every one is on it already
            verb = "is" if len(files) == 1 else "are"
            text = f"{shown} {verb} already attached to {case.number}."
            return [_to_requester(text, "already_attached", case.number)]
        self.port.store.cases.update_case(
            case.number,
            actor_id=sender.slack_id,
            now=now,
            changes=dict(change.fields),
            expected_version=case.version,
            action=change.action,
        )
        added: tuple[Attachment, ...] = change.events[0].details["attachments"]
        role = " (requester)" if sender.slack_id == case.requester_id else ""
        return [
            _to_requester(attached_text(case.number, added), "attached", case.number),
            Outbound(
                audience=Audience.STAFF,
                text=f"{sender.name}{role} attached {files_text(added)} to {case.number}.",
                kind="staff_attachment",
                recipients=(str(self.port.directory.staff_channel),),
                case_number=case.number,
                data={"attachments": [a.to_dict() for a in added]},
            ),
        ]

    def _record(self, inbound: Inbound, replies: list[Outbound], slots: dict[str, Any]) -> None:
        """The replies (and kept files) in the conversation's events, as a turn records them."""
        now_ts = inbound.received_at.timestamp()
        events: list[dict[str, Any]] = [
            {"event": "slot", "name": name, "value": value, "timestamp": now_ts}
            for name, value in slots.items()
        ]
        events += [
            {
                "event": "bot",
                "timestamp": now_ts,
                "text": reply.text,
                "data": {
                    "buttons": None,
                    "custom": {
                        "audience": str(reply.audience),
                        "kind": reply.kind,
                        "recipients": list(reply.recipients),
                        "case_number": reply.case_number,
                        "data": reply.data,
                    },
                },
                "metadata": {},
            }
            for reply in replies
        ]
        self.port.store.trackers.append(inbound.conversation_key, events)
