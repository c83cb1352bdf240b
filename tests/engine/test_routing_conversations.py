"""Critical routing, several problems in one message, and knowledge-base answers."""

from __future__ import annotations

from bot.messages import Audience
from tests.engine.conftest import Parse, by_kind, texts

OUTAGE = "Nobody in the company can log in to the agent desktop, we can't take any calls"


def script_outage(nlu) -> None:  # type: ignore[no-untyped-def]
    nlu.add(
        Parse(
            text=OUTAGE,
            intent="report_issue",
            impact="blocked",
            workaround="no",
            severity=1,
            severity_reasons=["can't take any calls"],
        )
    )
    nlu.add(Parse(text="yes", intent="affirm"))
    nlu.add(Parse(text="no", intent="deny"))


def test_critical_goes_to_the_phone_and_never_becomes_a_critical_case(nlu, talk, store) -> None:
    script_outage(nlu)
    ana = talk("U01AAA")
    first = ana.say(OUTAGE)
    phone = by_kind(first, "critical_phone")
    assert "+1-866-353-6587" in phone.text and "24x7" in phone.text
    assert by_kind(first, "critical_alert").audience is Audience.STAFF
    assert by_kind(first, "offer_open_as_high")
    assert store.cases.list_cases() == []

    asked = ana.say("yes")  # open it as High now
    assert "conversation ID" in asked[-1].text
    assert "utter_ask_background" in [r.kind for r in ana.say("skip")]  # conversation ID
    summary = by_kind(ana.say("skip"), "case_summary")  # severity High is already chosen
    assert "Severity 2 – High" in summary.text
    created = by_kind(ana.say("yes"), "case_created")
    assert "quote CS-1001 to raise it to Critical" in created.text
    case = store.cases.get_case("CS-1001")
    assert case.severity == 2 and case.priority == "high"


def test_declining_the_high_case_creates_nothing(nlu, talk, store) -> None:
    script_outage(nlu)
    ana = talk("U01AAA")
    ana.say(OUTAGE)
    assert "Nothing was created" in texts(ana.say("no"))
    assert store.cases.list_cases() == []


def test_critical_from_an_employee_names_and_alerts_the_contacts(nlu, talk, store) -> None:
    script_outage(nlu)
    replies = talk("U01CCC").say(OUTAGE)
    assert by_kind(replies, "critical_phone")
    assert not [r for r in replies if r.kind == "offer_open_as_high"]
    notify = by_kind(replies, "notify_contacts")
    assert notify.recipients == ("U01AAA", "U01BBB") and "call support now" in notify.text
    assert store.cases.list_cases() == []


def test_the_phone_line_follows_the_organizations_country(nlu, talk) -> None:
    script_outage(nlu)
    replies = talk("U02AAA").say(OUTAGE)  # Bergwerk, Germany
    assert "+49-6995-106-6305" in by_kind(replies, "critical_phone").text


def test_several_problems_are_taken_one_at_a_time(nlu, talk, store) -> None:
    first = "The wallboard shows wrong queue totals since Monday"
    second = "exports of the call recordings fail with an error"
    both = f"{first}, and also {second}"
    nlu.add(
        Parse(
            text=both, intent="report_issue", impact="minor", issues=2, issue_spans=[first, second]
        )
    )
    nlu.add(Parse(text=first, intent="report_issue", impact="minor"))
    nlu.add(Parse(text=second, intent="report_issue", impact="degraded"))
    nlu.add(Parse(text="yes", intent="affirm"))
    ana = talk("U01AAA")
    opening = ana.say(both)
    assert by_kind(opening, "several_issues").data["issues"] == [first, second]
    assert "one at a time" in opening[0].text
    ana.say("Managers plan staffing on these numbers")  # business impact
    ana.say("skip")  # nothing to add to the background
    ana.say("yes")  # severity
    done = ana.say("yes")  # confirm
    assert by_kind(done, "case_created").case_number == "CS-1001"
    offer = by_kind(done, "next_issue")
    assert second in offer.text
    nxt = ana.say("yes")
    assert by_kind(nxt, "severity_suggestion").data["severity"] == 2
    assert store.cases.get_case("CS-1001").description == first


def test_kb_answer_then_intake_when_it_did_not_help(nlu, talk) -> None:
    question = "How do I reset an agent's password?"
    nlu.add(Parse(text=question, intent="ask_howto", impact="request"))
    nlu.kb[question] = ("Resetting passwords", "Admin > People > Reset password.")
    nlu.add(Parse(text="no", intent="deny"))
    nlu.add(Parse(text="yes", intent="affirm"))
    ana = talk("U01AAA")
    answer = by_kind(ana.say(question), "kb_answer")
    assert "Admin > People > Reset password." in answer.text and "Did this solve it?" in answer.text
    follow = ana.say("no")
    assert by_kind(follow, "severity_suggestion").data["severity"] == 4

    glad = talk("U01AAA", key="D-2")
    glad.say(question)
    assert "Glad" in texts(glad.say("yes"))


def test_no_kb_match_is_said_honestly(nlu, talk) -> None:
    question = "How do I teleport my agents?"
    nlu.add(Parse(text=question, intent="ask_howto", impact="request"))
    assert "I don't know the answer" in by_kind(talk("U01AAA").say(question), "kb_no_answer").text


def test_an_organization_without_a_backup_contact_gets_no_case(nlu, store, clock, tmp_path):  # type: ignore[no-untyped-def]
    from bot.directory import load_directory
    from bot.engine import Engine
    from tests.engine.conftest import Conversation

    contacts = tmp_path / "contacts.yaml"
    contacts.write_text(
        "organizations:\n"
        "  - short_name: solo\n"
        "    name: Solo Ltd\n"
        "    id: 5a0c1b52-0a4e-4f3c-9d3e-2b1f0c9e8d7a\n"
        "    timezone: Europe/London\n"
        "    country: GB\n"
        "    designated_contacts:\n"
        "      - {slack_id: U09AAA, name: Sol Oh, role: primary}\n"
        "staff:\n"
        "  channel: C0STAFF\n"
        "  members: [U0STAFF1]\n",
        encoding="utf-8",
    )
    text = "The wallboard shows wrong queue totals since Monday morning"
    nlu.add(Parse(text=text, intent="report_issue", impact="minor"))
    engine = Engine(store=store, directory=load_directory(contacts), nlu=nlu, clock=clock)
    replies = Conversation(engine, "U09AAA", "D-solo", clock).say(text)
    assert "setup is incomplete" in by_kind(replies, "organization_misconfigured").text
    assert store.cases.list_cases() == []


def test_a_contact_can_say_it_is_not_critical_after_all(nlu, talk, store) -> None:
    script_outage(nlu)
    ana = talk("U01AAA")
    offer = by_kind(ana.say(OUTAGE), "offer_open_as_high")
    replies = ana.press(offer, "not_critical")
    withdrawn = by_kind(replies, "critical_alert_withdrawn")
    assert withdrawn.audience is Audience.STAFF
    ana.say("skip")  # conversation ID
    ana.say("skip")  # nothing to add to the background
    nlu.add(Parse(text="medium", intent="change_severity"))
    summary = by_kind(ana.say("medium"), "case_summary")
    assert "Severity 3 – Medium" in summary.text
    created = by_kind(ana.say("yes"), "case_created")
    assert "raise it to Critical" not in created.text
    assert store.cases.get_case("CS-1001").severity == 3


def test_edit_changes_only_the_chosen_detail(nlu, talk, store) -> None:
    from tests.engine.test_intake_flow import REPORT, script_report

    script_report(nlu)
    ana = talk("U01AAA")
    ana.say(REPORT)
    ana.say("skip")
    ana.say("skip")  # nothing to add to the background
    summary = by_kind(ana.say("yes"), "case_summary")
    which = by_kind(ana.press(summary, "edit_case"), "edit_case")
    asked = ana.press(which, "edit_description")
    assert "Could you describe the problem" in asked[-1].text
    # The form's answer fills the requested slot whatever the NLU thinks of it.
    summary = by_kind(
        ana.say("Calls drop after 30 seconds on the Chicago billing queue"), "case_summary"
    )
    assert "Description: Calls drop after 30 seconds on the Chicago billing queue" in summary.text
    assert store.cases.list_cases() == []


def test_another_organization_named_in_a_report_is_pointed_out(nlu, talk) -> None:
    from nlu.entities import Entity

    text = "Org 7c9e6679-7425-40de-944b-e07fc1f90ae7 has broken wallboard totals since Monday"
    nlu.add(
        Parse(
            text=text,
            intent="report_issue",
            impact="minor",
            entities=[Entity("org_id", "7c9e6679-7425-40de-944b-e07fc1f90ae7", 4, 40)],
        )
    )
    note = by_kind(talk("U01AAA").say(text), "organization_note")
    assert "7c9e6679-7425-40de-944b-e07fc1f90ae7" in note.text and "Acme Corp" in note.text
