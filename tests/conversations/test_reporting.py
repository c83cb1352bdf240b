"""PRODUCT.md conversations 1-5, end to end with the real NLU and a real store."""

from __future__ import annotations

from freezegun import freeze_time

from bot.messages import Audience
from tests.conversations.conftest import kinds, one, texts, to

# Friday 16:30 in Chicago (acme's zone): two business hours later is Monday 09:30.
FRIDAY_1630_CHICAGO = "2026-11-20T22:30:00+00:00"
# Critical function degraded for a share of agents, nothing said of a workaround: High.
DEGRADED_REPORT = (
    "Inbound calls on the billing queue have bad audio quality for some agents since this "
    "morning, and customers keep asking them to repeat themselves"
)
OUTAGE = "the whole contact center is down, no agent can take any calls"
GOOD_ID = "3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6b"


@freeze_time(FRIDAY_1630_CHICAGO)
def test_1_designated_contact_reports_confirms_and_staff_get_the_case(person, store) -> None:
    ana = person("U01AAA")
    first = ana.say(DEGRADED_REPORT)
    suggestion = one(first, "severity_suggestion")
    assert suggestion.data["severity"] == 2, texts(first)
    assert "performance is degraded" in suggestion.text
    assert "conversation ID" in first[-1].text  # it concerns calls
    assert store.cases.list_cases() == []

    bad = ana.say("3f2b9c1e-8a4d-4e5f")
    assert "isn't a conversation ID" in texts(bad) and "conversation ID" in bad[-1].text
    assert "utter_ask_background" in kinds(ana.say(GOOD_ID))
    assert one(ana.say("skip"), "ask_severity").text.startswith("Shall I use Severity 2")
    summary = one(ana.say("yes"), "case_summary")
    assert "Acme Corp" in summary.text and GOOD_ID in summary.text
    assert store.cases.list_cases() == []  # nothing before the explicit confirmation

    done = ana.say("confirm")
    created = one(done, "case_created")
    assert created.case_number == "CS-1001"
    assert "Severity 2 – High" in created.text
    assert "Mon 23 Nov 2026, 09:30 CST (your time)" in created.text
    handoff = one(done, "staff_handoff")
    assert handoff.audience is Audience.STAFF and handoff.recipients == ("C0STAFF",)
    assert "CS-1001" in handoff.text and "Ana Ruiz" in handoff.text

    assert one(ana.say("yes"), "utter_nothing_pending")  # a second yes creates nothing
    [case] = store.cases.list_cases()
    assert (case.severity, case.conversation_id, case.requester_id) == (2, GOOD_ID, "U01AAA")


def test_2_employee_gets_no_case_and_their_contacts_are_named_and_notified(person, store) -> None:
    replies = person("U01CCC").say(DEGRADED_REPORT)
    assert one(replies, "severity_suggestion").data["severity"] == 2
    check = one(replies, "contact_check")
    assert "Ana Ruiz (primary) and Ben Cho (backup)" in check.text
    assert "Nothing was created" in check.text
    notify = one(replies, "notify_contacts")
    assert notify.audience is Audience.NOTIFY
    assert notify.recipients == ("U01AAA", "U01BBB")
    assert "Cy Park" in notify.text and "bad audio quality" in notify.text
    assert store.cases.list_cases() == []


def test_3_critical_goes_to_the_phone_and_is_opened_as_high_on_request(person, store) -> None:
    ana = person("U01AAA")
    first = ana.say(OUTAGE)
    phone = one(first, "critical_phone")
    assert "+1-866-353-6587" in phone.text and "24x7" in phone.text
    assert "raised by telephone" in phone.text
    alert = one(first, "critical_alert")
    assert alert.audience is Audience.STAFF and "Critical call is coming" in alert.text
    assert one(first, "offer_open_as_high")
    assert store.cases.list_cases() == []

    ana.say("yes")
    ana.say("skip")  # no conversation ID at hand
    ana.say("skip")  # nothing to add to the background
    created = one(ana.say("yes"), "case_created")
    assert "Severity 2 – High" in created.text and "raise it to Critical" in created.text
    [case] = store.cases.list_cases()
    assert case.severity == 2 and case.priority == "high"


def test_3_critical_for_a_german_employee_names_the_german_line(person, store) -> None:
    replies = person("U02CCC").say(OUTAGE)
    assert "+49-6995-106-6305" in one(replies, "critical_phone").text
    assert "offer_open_as_high" not in kinds(replies)
    assert one(replies, "notify_contacts").recipients == ("U02AAA", "U02BBB")
    assert store.cases.list_cases() == []


def test_4_several_problems_are_taken_one_at_a_time(person, store) -> None:
    ana = person("U01AAA")
    message = (
        "The wallboard shows wrong queue totals since Monday. Also exporting call "
        "recordings fails with an error for all supervisors"
    )
    first = ana.say(message)
    split = one(first, "several_issues")
    assert len(split.data["issues"]) == 2 and "one at a time" in split.text
    assert one(first, "severity_question")  # the wallboard's impact is open: asked first
    assert one(ana.say("unaffected"), "severity_suggestion").data["severity"] == 3
    assert store.cases.list_cases() == []
    ana.say("Team leads plan the staffing on these numbers every morning")  # impact
    ana.say("skip")  # nothing to add to the background
    ana.say("yes")  # severity
    done = ana.say("confirm")
    assert one(done, "case_created").case_number == "CS-1001", texts(done)
    assert "exporting call recordings" in one(done, "next_issue").text
    second = ana.say("yes")
    assert one(second, "severity_question"), texts(second)
    assert one(ana.say("unaffected"), "severity_suggestion").data["severity"] == 3
    [case] = store.cases.list_cases()
    assert "wallboard" in case.description and "recordings" not in case.description


def test_5_howto_answer_then_intake_when_it_did_not_help(person, store) -> None:
    ana = person("U01AAA")
    answer = one(ana.say("How do I find the conversation ID of a call?"), "kb_answer")
    assert "Did this solve it?" in answer.text
    follow = ana.say("no")
    assert "severity_suggestion" in kinds(follow), texts(follow)


def test_5_unknown_howto_is_answered_honestly(person) -> None:
    """Understood as a how-to question the FAQ does not answer: says so, never guesses."""
    replies = person("U01AAA").say("How do I teleport my cat to the moon?")
    assert kinds(replies) == ["kb_no_answer"], texts(replies)
    answer = replies[0].text
    assert answer.startswith("I don't know the answer to that, and I'd rather not guess."), answer
    assert "describe the problem" in answer and "ask for a person" in answer
    assert not to(replies, Audience.STAFF)
