"""First look at a reported problem: severity suggestion, contact check and routing.

One action decides where a report goes, because the policy's branches depend on each other:
several problems are split first, Critical goes to the phone for everyone, a person who is
not a designated contact gets their contacts named and notified, and only a designated
contact starts the intake form.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import INTAKE_FORM, INTAKE_SLOTS, requester, requester_id, sender_tz
from actions.ports import (
    PersonView,
    designated_contacts,
    find_person,
    now,
    organization_problems,
    phone_line,
    staff_channel,
)
from actions.question_form import start_questions
from actions.replies import NOTIFY, STAFF, YES_NO_BUTTONS, button, quote, say
from actions.reported import keep_report, open_report_button
from actions.runtime import current
from actions.texts import people_list, severity_text
from actions.understanding import Understanding, read, to_parse_data
from actions.validation import canonical_conversation_id
from nlu.impact_text import impact_statement
from policy.countries import country_of_zone
from policy.severity import Impact, Severity, suggest_severity

MIN_DESCRIPTION_WORDS = 6


def suggestion_for(understanding: Understanding) -> tuple[Severity, list[str]]:
    """The NLU's severity reading (policy matrix plus the user's words), else the matrix."""
    if understanding.nlu_severity in (1, 2, 3, 4) and understanding.severity_reasons:
        return Severity(int(understanding.nlu_severity)), list(understanding.severity_reasons)
    if understanding.impact is not None:
        suggestion = suggest_severity(understanding.impact, understanding.workaround)
        return suggestion.severity, list(suggestion.reasons)
    if understanding.nlu_severity in (1, 2, 3, 4):
        return Severity(int(understanding.nlu_severity)), []
    fallback = suggest_severity(Impact.MINOR, understanding.workaround)
    reasons = ["I couldn't tell the business impact, so I started from Medium"]
    return fallback.severity, reasons


def suggestion_text(severity: Severity, reasons: list[str], understanding: Understanding) -> str:
    lines = [f"I'd suggest {severity_text(severity)}, because:"]
    lines += [f"  • {quote(reason, limit=300)}" for reason in reasons]
    return "\n".join(lines)


def problem_summary(person: PersonView, text: str, severity: Severity) -> str:
    return (
        f"{person.name} ({person.org_name or person.org_short_name}) reported: “{quote(text)}”\n"
        f"Suggested severity: {severity_text(severity)}."
    )


class ActionTriageIssue(Action):
    def name(self) -> str:
        return "action_triage_issue"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if find_person(requester_id(tracker)) is None:
            critical_from_stranger(dispatcher, tracker)
        person = requester(tracker, dispatcher)
        if person is None:
            return []
        understanding = read(tracker.latest_message)
        events: list[dict[str, Any]] = []
        spans = [s for s in understanding.issue_spans if s.strip()]
        if understanding.issues > 1 and len(spans) > 1:
            listed = "\n".join(f"  {n}. “{quote(s, limit=160)}”" for n, s in enumerate(spans, 1))
            say(
                dispatcher,
                f"I see {len(spans)} separate problems here:\n{listed}\n"
                "Support tracks each problem in its own case, so let's take them one at a "
                "time, starting with the first.",
                kind="several_issues",
                data={"issues": spans},
            )
            understanding = read(to_parse_data(current().nlu.parse(spans[0])))
            events.append(SlotSet("issue_queue", spans[1:]))
        return events + triage_or_ask(dispatcher, person, understanding)


def triage_or_ask(
    dispatcher: CollectingDispatcher, person: PersonView, understanding: Understanding
) -> list[dict[str, Any]]:
    """Triage the problem, or first ask the rubric's questions when the message leaves its
    severity open (they decide before any routing, Critical included). Only the intake of a
    designated contact asks: an employee's report goes to the contacts as it was written."""
    if understanding.ask and person.is_designated:
        return start_questions(understanding.text)
    return triage(dispatcher, person, understanding)


def triage(
    dispatcher: CollectingDispatcher, person: PersonView, understanding: Understanding
) -> list[dict[str, Any]]:
    """Route one problem; returns the events that start the right next step."""
    severity, reasons = suggestion_for(understanding)
    say(
        dispatcher,
        suggestion_text(severity, reasons, understanding),
        kind="severity_suggestion",
        data={
            "severity": int(severity),
            "reasons": reasons,
            "quotes": understanding.severity_reasons,
        },
    )
    facts = [
        SlotSet("suggested_severity", float(severity)),
        SlotSet("severity_reasons", reasons),
        SlotSet("impact", understanding.impact.value if understanding.impact else None),
        SlotSet("workaround", understanding.workaround.value),
        SlotSet("org_short_name", person.org_short_name),
        SlotSet("requester_role", person.role),
    ]
    if severity is Severity.CRITICAL:
        return facts + route_critical(dispatcher, person, understanding)
    if not person.is_designated:
        refer_to_contacts(dispatcher, person, understanding.text, severity)
        return [*facts, *[SlotSet(name, None) for name in INTAKE_SLOTS], *next_issue_offer()]
    problems = organization_problems(person.org_short_name)
    if problems:
        say(
            dispatcher,
            "Your organization's support setup is incomplete ("
            + "; ".join(problems)
            + "), so I can't open cases for it yet. Please ask your admin to fix the "
            "directory: support needs a primary and at least one backup designated contact.",
            kind="organization_misconfigured",
            data={"problems": list(problems)},
        )
        return [*facts, *[SlotSet(name, None) for name in INTAKE_SLOTS]]
    mentioned = other_organization_mentioned(person, understanding)
    if mentioned:
        say(
            dispatcher,
            f"You mentioned {mentioned}, but you're a designated contact of "
            f"{person.org_name or person.org_short_name} ({person.org_short_name}, ID "
            f"{person.org_id}), so the case will be for that organization.",
            kind="organization_note",
        )
    return facts + start_intake(person, understanding)


def other_organization_mentioned(person: PersonView, understanding: Understanding) -> str | None:
    """An organization named in the message that is not the requester's own."""
    for value in understanding.entity_values("org_short_name"):
        if value.strip().lower() != (person.org_short_name or "").lower():
            return f"the organization “{quote(value, limit=40)}”"
    for value in understanding.entity_values("org_id"):
        if value.strip().lower() != (person.org_id or "").lower():
            return f"the organization ID {quote(value, limit=40)}"
    return None


def start_intake(person: PersonView, understanding: Understanding) -> list[dict[str, Any]]:
    """Prefill what the message already says and hand over to the intake form."""
    text = understanding.text.strip()
    words = len(text.split())
    labelled = understanding.entity("conversation_id")
    conversation_id = canonical_conversation_id(labelled) if labelled else None
    return [
        SlotSet("description", text if words >= MIN_DESCRIPTION_WORDS else None),
        # Only an impact stated apart from the problem; otherwise the form asks for it.
        SlotSet("business_impact", impact_statement(text)),
        SlotSet("conversation_id", conversation_id),
        SlotSet("severity", None),
        # A yes/no left open before this report (close a case?) must not take the intake's
        # answers: a new report replaces it.
        SlotSet("pending_confirmation", None),
        SlotSet("close_target", None),
        FollowupAction(INTAKE_FORM),
    ]


def give_phone_line(dispatcher: CollectingDispatcher, country: str | None) -> None:
    """Tell the reporter which outage line to call for a Critical problem, and why."""
    line = phone_line(country)
    numbers = " / ".join(line.numbers)
    note = f" ({line.note}.)" if line.note else ""
    say(
        dispatcher,
        f"This sounds Critical (Code Red). Critical problems can't be opened in chat: the "
        f"support policy requires them to be raised by telephone, where an engineer responds "
        f"within 10 minutes, 24x7. Call the {line.region} outage line now: {numbers}. "
        f"Outages are taken on this line 24x7 (its office hours for other matters: "
        f"{line.hours}).{note}",
        kind="critical_phone",
        data={
            "region": line.region,
            "numbers": list(line.numbers),
            "hours": line.hours,
            "country": country,
        },
    )


def critical_from_stranger(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Someone the directory doesn't know reports a Critical problem: still give the line.

    The line is the one for the country of their Slack time zone; nothing else changes (they
    are told next that they are not in the directory).
    """
    understanding = read(tracker.latest_message)
    severity, _ = suggestion_for(understanding)
    if severity is not Severity.CRITICAL:
        return
    give_phone_line(dispatcher, country_of_zone(sender_tz(tracker)))
    say(
        dispatcher,
        f"Heads-up: a Critical call may be coming from {requester_id(tracker)}, who is not in "
        f"the support directory. They reported: “{quote(understanding.text)}”",
        kind="critical_alert",
        audience=STAFF,
        recipients=(staff_channel(),),
        data={"org_short_name": None, "requester_id": requester_id(tracker)},
    )


def route_critical(
    dispatcher: CollectingDispatcher, person: PersonView, understanding: Understanding
) -> list[dict[str, Any]]:
    """Critical goes to the phone, for everyone; never a Critical case from chat."""
    give_phone_line(dispatcher, person.country)
    say(
        dispatcher,
        "Heads-up: a Critical call is coming. "
        + problem_summary(person, understanding.text, Severity.CRITICAL),
        kind="critical_alert",
        audience=STAFF,
        recipients=(staff_channel(),),
        data={"org_short_name": person.org_short_name, "requester_id": person.slack_id},
    )
    if person.is_designated:
        say(
            dispatcher,
            "The recommended path is to open the case now as High, then call and ask to raise "
            "it to Critical, quoting the case number. Shall I open it as High now? (If it "
            "isn't Critical after all, say so and we'll go through it normally.)",
            kind="offer_open_as_high",
            buttons=(
                *YES_NO_BUTTONS,
                button("not_critical", "It isn't Critical", "/change_severity"),
            ),
        )
        text = understanding.text.strip()
        return [
            SlotSet("description", text if len(text.split()) >= MIN_DESCRIPTION_WORDS else None),
            SlotSet(
                "business_impact",
                impact_statement(text)
                or (text if len(text.split()) >= MIN_DESCRIPTION_WORDS else None),
            ),
            SlotSet("critical_reported", True),
            SlotSet("pending_confirmation", "open_as_high"),
        ]
    refer_to_contacts(dispatcher, person, understanding.text, Severity.CRITICAL)
    return [*[SlotSet(name, None) for name in INTAKE_SLOTS], *next_issue_offer()]


def refer_to_contacts(
    dispatcher: CollectingDispatcher, person: PersonView, text: str, severity: Severity
) -> None:
    """Nothing is created: name the designated contacts and send them the summary."""
    contacts = designated_contacts(person.org_short_name or "")
    if not contacts:
        say(
            dispatcher,
            "Only your organization's designated contacts may open support cases, and I "
            "couldn't find any for your organization. Please ask your IT department.",
            kind="no_designated_contacts",
        )
        return
    urgency = " Please call support now." if severity is Severity.CRITICAL else ""
    report = keep_report(person, text, now=now())
    say(
        dispatcher,
        "Only your organization's designated contacts may open, update or close support cases, "
        f"so I haven't opened one. Your designated contacts are {people_list(contacts)}; "
        "I've sent them your report so they can take it from here. Nothing was created.",
        kind="contact_check",
        data={"contacts": [c.slack_id for c in contacts], "created": False},
    )
    say(
        dispatcher,
        "A problem was reported to me by someone who is not a designated contact. "
        f"{problem_summary(person, text, severity)}{urgency}\n"
        f"To open a case from it, press Open this case (or tell me “open report "
        f"{report.reference}”); or reply to {person.name}.",
        kind="notify_contacts",
        audience=NOTIFY,
        recipients=tuple(c.slack_id for c in contacts),
        buttons=(open_report_button(report),),
        data={
            "requester_id": person.slack_id,
            "severity": int(severity),
            "report": report.reference,
        },
    )


def next_issue_offer() -> list[dict[str, Any]]:
    """Marker for the engine-independent follow-up: the next queued problem, if any."""
    return [FollowupAction("action_offer_next_issue")]
