"""Every kind of message the engine and the actions produce, and how adapters treat each.

`Outbound.kind` says what a message is ("case_created", "permission_denied", ...). This is
the one list of them: an adapter reads a kind's traits here (is it private, is it shown at
all, does it begin something new) instead of keeping sets of names of its own, and a kind
missing from the table is an error (`known_kind`), so a typo cannot pass silently.

The actions (a lower layer) write kinds as plain strings; `bot.engine.outbound.to_outbound`
checks each against this table, and tests/engine/test_kinds.py checks every kind written in
the source and every response of the domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.messages import Audience
from policy.contacts import ContactAction


class Kind(StrEnum):
    """What one outbound message is; the value is the string `Outbound.kind` holds."""

    TEXT = "text"  # a response that names no kind

    # ---- to the requester: intake, questions and answers (actions) ------------------------
    ASK_CASE_NUMBER = "ask_case_number"
    ASK_PRIORITY = "ask_priority"
    ASK_SEVERITY = "ask_severity"
    ASK_UPDATE = "ask_update"
    ASK_WHICH_CASE = "ask_which_case"
    ATTACHED = "attached"
    CANCELLED = "cancelled"
    CASE_CLOSED = "case_closed"
    CASE_CREATED = "case_created"
    CASE_NOT_FOUND = "case_not_found"
    CASE_SUMMARY = "case_summary"
    CASE_UPDATED = "case_updated"
    CLOSE_CANCELLED = "close_cancelled"
    CONFIRM_CLOSE = "confirm_close"
    CONTACT_CHECK = "contact_check"
    CRITICAL_PHONE = "critical_phone"
    EDIT_CASE = "edit_case"
    ESCALATION_ANSWER = "escalation_answer"
    EXPLAIN_PENDING = "explain_pending"
    FALLBACK = "fallback"
    HUMAN_HANDOFF = "human_handoff"
    INVALID_CASE_NUMBER = "invalid_case_number"
    KB_ANSWER = "kb_answer"
    KB_NO_ANSWER = "kb_no_answer"
    KB_NOT_SOLVED = "kb_not_solved"
    NEXT_ISSUE = "next_issue"
    NO_DESIGNATED_CONTACTS = "no_designated_contacts"
    NOT_CRITICAL = "not_critical"
    NOTHING_PENDING = "nothing_pending"
    OFFER_OPEN_AS_HIGH = "offer_open_as_high"
    ORGANIZATION_MISCONFIGURED = "organization_misconfigured"
    ORGANIZATION_NOTE = "organization_note"
    PERMISSION_DENIED = "permission_denied"
    PRIORITY_CHANGE = "priority_change"
    RCA_CASE_SUMMARY = "rca_case_summary"  # rca_<plan kind> (policy.lifecycle.RcaKind)
    RCA_DELIVERED_CASE_SUMMARY = "rca_delivered_case_summary"  # rca_delivered_<note kind>
    RCA_DELIVERED_RCA = "rca_delivered_rca"
    RCA_NONE = "rca_none"
    RCA_PENDING = "rca_pending"
    RCA_RCA = "rca_rca"
    REASK_PENDING = "reask_pending"
    REPORT_NOT_FOUND = "report_not_found"
    SEVERAL_ISSUES = "several_issues"
    SEVERITY_QUESTION = "severity_question"
    SEVERITY_SUGGESTION = "severity_suggestion"
    SKIP_ISSUES = "skip_issues"
    STATUS = "status"
    UNKNOWN_PERSON = "unknown_person"
    VALIDATION_ERROR = "validation_error"

    # ---- to the requester: the engine's own answers (bot/engine) ----------------------------
    ALREADY_ATTACHED = "already_attached"
    ATTACHMENT_PENDING = "attachment_pending"
    BUSY = "busy"
    CASE_AUTO_CLOSED = "case_auto_closed"
    CLOSURE_NOTICE = "closure_notice"
    CONFLICT = "conflict"
    EMPTY_MESSAGE = "empty_message"
    ERROR = "error"
    NLU_TIMEOUT = "nlu_timeout"
    NOT_YOUR_QUESTION = "not_your_question"
    STORE_ERROR = "store_error"
    STORE_UNAVAILABLE = "store_unavailable"
    TRUNCATED = "truncated"

    # ---- to the requester: what support staff did (bot/engine/staff.py) -------------------
    STAFF_CASE_SUMMARY = "staff_case_summary"
    STAFF_CLOSED = "staff_closed"
    STAFF_INFO_REQUEST = "staff_info_request"
    STAFF_PRIORITY_CHANGE = "staff_priority_change"
    STAFF_PRIORITY_DECLINED = "staff_priority_declined"
    STAFF_RCA = "staff_rca"
    STAFF_REOPENED = "staff_reopened"
    STAFF_REPLY = "staff_reply"
    STAFF_RESOLUTION = "staff_resolution"
    STAFF_RESTORED = "staff_restored"
    STAFF_SEVERITY_CHANGE = "staff_severity_change"
    STAFF_TOOK_CASE = "staff_took_case"

    # ---- to staff ----------------------------------------------------------------------------
    CRITICAL_ALERT = "critical_alert"
    CRITICAL_ALERT_WITHDRAWN = "critical_alert_withdrawn"
    REFUSED = "refused"
    RESPONSE_REMINDER = "response_reminder"
    STAFF_ATTACHMENT = "staff_attachment"
    STAFF_CASE_AUTO_CLOSED = "staff_case_auto_closed"
    STAFF_TARGET_MISSED = "staff_target_missed"
    STAFF_CASE_CLOSED = "staff_case_closed"
    STAFF_CASE_UPDATE = "staff_case_update"
    STAFF_ESCALATION = "staff_escalation"
    STAFF_HANDOFF = "staff_handoff"
    STAFF_HANDOFF_REQUEST = "staff_handoff_request"
    STAFF_PRIORITY_CHANGED = "staff_priority_changed"
    STAFF_PRIORITY_REQUEST = "staff_priority_request"
    USAGE = "usage"
    # The staff desk's receipt of each staff action: "<kind sent to the requester>_receipt".
    STAFF_CASE_SUMMARY_RECEIPT = "staff_case_summary_receipt"
    STAFF_CLOSED_RECEIPT = "staff_closed_receipt"
    STAFF_INFO_REQUEST_RECEIPT = "staff_info_request_receipt"
    STAFF_PRIORITY_CHANGE_RECEIPT = "staff_priority_change_receipt"
    STAFF_PRIORITY_DECLINED_RECEIPT = "staff_priority_declined_receipt"
    STAFF_RCA_RECEIPT = "staff_rca_receipt"
    STAFF_REOPENED_RECEIPT = "staff_reopened_receipt"
    STAFF_REPLY_RECEIPT = "staff_reply_receipt"
    STAFF_RESOLUTION_RECEIPT = "staff_resolution_receipt"
    STAFF_RESTORED_RECEIPT = "staff_restored_receipt"
    STAFF_SEVERITY_CHANGE_RECEIPT = "staff_severity_change_receipt"
    STAFF_TOOK_CASE_RECEIPT = "staff_took_case_receipt"

    # ---- to others -------------------------------------------------------------------------
    NOTIFY_CONTACTS = "notify_contacts"

    # ---- the domain's responses (bot/dialogue/domain.yml): the kind is the response name ---
    UTTER_ASK_BACKGROUND = "utter_ask_background"
    UTTER_ASK_BUSINESS_IMPACT = "utter_ask_business_impact"
    UTTER_ASK_CONVERSATION_ID = "utter_ask_conversation_id"
    UTTER_ASK_DESCRIPTION = "utter_ask_description"
    UTTER_CANCELLED = "utter_cancelled"
    UTTER_DEFAULT = "utter_default"
    UTTER_GLAD = "utter_glad"
    UTTER_GOODBYE = "utter_goodbye"
    UTTER_GREET = "utter_greet"
    UTTER_NOTHING_PENDING = "utter_nothing_pending"
    UTTER_WELCOME = "utter_welcome"


@dataclass(frozen=True)
class KindTraits:
    """How a kind of message is shown; each flag is off unless the table says otherwise."""

    audience: Audience  # who usually reads it (a private refusal answers whoever acted)
    # Only the person who acted sees it (a refusal, a usage hint); nothing changed.
    private: bool = False
    # A staff notice in a case's thread that the staff channel sees too.
    broadcast: bool = False
    # Not shown in Slack: what it says is already there (a staff reply's receipt).
    silent: bool = False
    # Comes with a new case's cards, which are posted as they are: nothing to refresh.
    fresh_card: bool = False
    # The message it answers began something new: not relayed to a case's staff thread.
    new_topic: bool = False
    # The message it answers was meant for the bot (an intake step, a summary to confirm, a
    # question asked again): not relayed to a case's staff thread either.
    answered_bot: bool = False
    # Support staff's words or action, sent into the requester's conversation.
    from_staff: bool = False
    # What pressing its buttons does, which only some people may (policy.contacts).
    contact_action: ContactAction | None = None


_REQUESTER = KindTraits(Audience.REQUESTER)
_STAFF = KindTraits(Audience.STAFF)
_PRIVATE = KindTraits(Audience.REQUESTER, private=True)
_NEW_TOPIC = KindTraits(Audience.REQUESTER, new_topic=True)
_ASKING = KindTraits(Audience.REQUESTER, answered_bot=True)
_FROM_STAFF = KindTraits(Audience.REQUESTER, from_staff=True)

TRAITS: dict[Kind, KindTraits] = {
    Kind.TEXT: _REQUESTER,
    # to the requester: intake, questions and answers
    Kind.ASK_CASE_NUMBER: _REQUESTER,
    Kind.ASK_PRIORITY: _REQUESTER,
    Kind.ASK_SEVERITY: KindTraits(
        Audience.REQUESTER, answered_bot=True, contact_action=ContactAction.OPEN
    ),
    Kind.ASK_UPDATE: _REQUESTER,
    Kind.ASK_WHICH_CASE: _REQUESTER,
    Kind.ATTACHED: _REQUESTER,
    Kind.CANCELLED: _REQUESTER,
    Kind.CASE_CLOSED: _PRIVATE,
    Kind.CASE_CREATED: KindTraits(Audience.REQUESTER, fresh_card=True, new_topic=True),
    Kind.CASE_NOT_FOUND: _PRIVATE,
    Kind.CASE_SUMMARY: KindTraits(
        Audience.REQUESTER, answered_bot=True, contact_action=ContactAction.OPEN
    ),
    Kind.CASE_UPDATED: _REQUESTER,
    Kind.CLOSE_CANCELLED: _REQUESTER,
    Kind.CONFIRM_CLOSE: KindTraits(Audience.REQUESTER, contact_action=ContactAction.CLOSE),
    Kind.CONTACT_CHECK: _REQUESTER,
    Kind.CRITICAL_PHONE: _NEW_TOPIC,
    Kind.EDIT_CASE: _REQUESTER,
    Kind.ESCALATION_ANSWER: _REQUESTER,
    Kind.EXPLAIN_PENDING: _REQUESTER,
    Kind.FALLBACK: _REQUESTER,
    Kind.HUMAN_HANDOFF: _REQUESTER,
    Kind.INVALID_CASE_NUMBER: _PRIVATE,
    Kind.KB_ANSWER: _NEW_TOPIC,
    Kind.KB_NO_ANSWER: _NEW_TOPIC,
    Kind.KB_NOT_SOLVED: _REQUESTER,
    Kind.NEXT_ISSUE: _REQUESTER,
    Kind.NO_DESIGNATED_CONTACTS: _REQUESTER,
    Kind.NOT_CRITICAL: _REQUESTER,
    Kind.NOTHING_PENDING: _REQUESTER,
    Kind.OFFER_OPEN_AS_HIGH: KindTraits(Audience.REQUESTER, contact_action=ContactAction.OPEN),
    Kind.ORGANIZATION_MISCONFIGURED: _REQUESTER,
    Kind.ORGANIZATION_NOTE: _REQUESTER,
    Kind.PERMISSION_DENIED: _PRIVATE,
    Kind.PRIORITY_CHANGE: _REQUESTER,
    Kind.RCA_CASE_SUMMARY: _REQUESTER,
    Kind.RCA_DELIVERED_CASE_SUMMARY: _REQUESTER,
    Kind.RCA_DELIVERED_RCA: _REQUESTER,
    Kind.RCA_NONE: _REQUESTER,
    Kind.RCA_PENDING: _REQUESTER,
    Kind.RCA_RCA: _REQUESTER,
    Kind.REASK_PENDING: _ASKING,
    Kind.REPORT_NOT_FOUND: _REQUESTER,
    Kind.SEVERAL_ISSUES: _NEW_TOPIC,
    Kind.SEVERITY_QUESTION: _NEW_TOPIC,
    Kind.SEVERITY_SUGGESTION: _NEW_TOPIC,
    Kind.SKIP_ISSUES: _REQUESTER,
    Kind.STATUS: _NEW_TOPIC,
    Kind.UNKNOWN_PERSON: _REQUESTER,
    Kind.VALIDATION_ERROR: _REQUESTER,
    # to the requester: the engine's own answers
    Kind.ALREADY_ATTACHED: _REQUESTER,
    Kind.ATTACHMENT_PENDING: _REQUESTER,
    Kind.BUSY: _REQUESTER,
    Kind.CASE_AUTO_CLOSED: _REQUESTER,
    Kind.CLOSURE_NOTICE: _REQUESTER,
    Kind.CONFLICT: _REQUESTER,
    Kind.EMPTY_MESSAGE: _REQUESTER,
    Kind.ERROR: _REQUESTER,
    Kind.NLU_TIMEOUT: _PRIVATE,
    Kind.NOT_YOUR_QUESTION: _PRIVATE,
    Kind.STORE_ERROR: _PRIVATE,
    Kind.STORE_UNAVAILABLE: _PRIVATE,
    Kind.TRUNCATED: _REQUESTER,
    # to the requester: what support staff did
    Kind.STAFF_CASE_SUMMARY: _FROM_STAFF,
    Kind.STAFF_CLOSED: _FROM_STAFF,
    Kind.STAFF_INFO_REQUEST: _FROM_STAFF,
    Kind.STAFF_PRIORITY_CHANGE: _FROM_STAFF,
    Kind.STAFF_PRIORITY_DECLINED: _FROM_STAFF,
    Kind.STAFF_RCA: _FROM_STAFF,
    Kind.STAFF_REOPENED: _FROM_STAFF,
    Kind.STAFF_REPLY: _FROM_STAFF,
    Kind.STAFF_RESOLUTION: _FROM_STAFF,
    Kind.STAFF_RESTORED: _FROM_STAFF,
    Kind.STAFF_SEVERITY_CHANGE: _FROM_STAFF,
    Kind.STAFF_TOOK_CASE: _FROM_STAFF,
    # to staff
    Kind.CRITICAL_ALERT: _STAFF,
    Kind.CRITICAL_ALERT_WITHDRAWN: _STAFF,
    Kind.REFUSED: _STAFF,  # not private: shown in the case's thread
    Kind.RESPONSE_REMINDER: _STAFF,
    Kind.STAFF_ATTACHMENT: _STAFF,
    Kind.STAFF_CASE_AUTO_CLOSED: _STAFF,
    Kind.STAFF_TARGET_MISSED: KindTraits(Audience.STAFF, broadcast=True),  # told in the channel
    Kind.STAFF_CASE_CLOSED: KindTraits(Audience.STAFF, broadcast=True),
    Kind.STAFF_CASE_UPDATE: _STAFF,
    Kind.STAFF_ESCALATION: KindTraits(Audience.STAFF, broadcast=True),
    Kind.STAFF_HANDOFF: KindTraits(Audience.STAFF, fresh_card=True),
    Kind.STAFF_HANDOFF_REQUEST: _STAFF,
    Kind.STAFF_PRIORITY_CHANGED: _STAFF,
    Kind.STAFF_PRIORITY_REQUEST: _STAFF,
    Kind.USAGE: KindTraits(Audience.STAFF, private=True),
    Kind.STAFF_CASE_SUMMARY_RECEIPT: _STAFF,
    Kind.STAFF_CLOSED_RECEIPT: _STAFF,
    Kind.STAFF_INFO_REQUEST_RECEIPT: _STAFF,
    Kind.STAFF_PRIORITY_CHANGE_RECEIPT: _STAFF,
    Kind.STAFF_PRIORITY_DECLINED_RECEIPT: _STAFF,
    Kind.STAFF_RCA_RECEIPT: _STAFF,
    Kind.STAFF_REOPENED_RECEIPT: _STAFF,
    Kind.STAFF_REPLY_RECEIPT: KindTraits(Audience.STAFF, silent=True),  # the reply is there
    Kind.STAFF_RESOLUTION_RECEIPT: _STAFF,
    Kind.STAFF_RESTORED_RECEIPT: _STAFF,
    Kind.STAFF_SEVERITY_CHANGE_RECEIPT: _STAFF,
    Kind.STAFF_TOOK_CASE_RECEIPT: _STAFF,
    # to others
    Kind.NOTIFY_CONTACTS: KindTraits(Audience.NOTIFY),
    # the domain's responses; each utter_ask_* is an intake step
    Kind.UTTER_ASK_BACKGROUND: _ASKING,
    Kind.UTTER_ASK_BUSINESS_IMPACT: _ASKING,
    Kind.UTTER_ASK_CONVERSATION_ID: _ASKING,
    Kind.UTTER_ASK_DESCRIPTION: _ASKING,
    Kind.UTTER_CANCELLED: _REQUESTER,
    Kind.UTTER_DEFAULT: _REQUESTER,
    Kind.UTTER_GLAD: _REQUESTER,
    Kind.UTTER_GOODBYE: _REQUESTER,
    Kind.UTTER_GREET: _REQUESTER,
    Kind.UTTER_NOTHING_PENDING: _REQUESTER,
    Kind.UTTER_WELCOME: _REQUESTER,
}


def known_kind(kind: str) -> Kind:
    """The table's kind of that name; ValueError for a name it doesn't list (a typo)."""
    try:
        return Kind(kind)
    except ValueError:
        raise ValueError(f"unknown message kind {kind!r}: add it to bot.kinds") from None


def traits_of(kind: str) -> KindTraits:
    """How a kind of message is shown; ValueError for a kind the table doesn't list."""
    return TRAITS[known_kind(kind)]
