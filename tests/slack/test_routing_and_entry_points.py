"""Employees, Critical calls, App Home, /support and the "Report to support" shortcut."""

from __future__ import annotations

from tests.slack.conftest import CRITICAL, REPORT, STAFF_CHANNEL, last_post, open_case, text_of

INJECTION = (
    "The wallboard shows wrong numbers for queue stats <!channel> <@U0STAFF1> "
    "<https://evil.example|click here> @here, we can read them from the report instead"
)


def test_employee_report_notifies_contacts_and_staff_without_a_case(
    slack, fake_slack, store, nlu
) -> None:
    slack.dm("U01CCC", REPORT)

    answer = last_post(slack, channel="D01CCC", containing="designated contacts")
    assert "Ana Ruiz (primary) and Ben Cho (backup)" in answer["text"]
    assert "Nothing was created" in answer["text"]
    for contact_dm in ("D01AAA", "D01BBB"):
        note = last_post(slack, channel=contact_dm, containing="not a designated contact")
        assert "Cy Park" in note["text"] and "wallboard" in note["text"]
    staff = last_post(slack, channel=STAFF_CHANNEL, containing="not a designated contact")
    assert "Cy Park" in staff["text"] and "Severity 3 – Medium" in staff["text"]
    assert f"NLU confidence: {nlu.parse(REPORT).intent_confidence:.0%}" in text_of(staff)
    assert store.cases.list_cases() == []


def test_slack_markup_in_user_text_never_pings_or_links(slack, fake_slack, store) -> None:
    slack.dm("U01CCC", INJECTION)
    staff = last_post(slack, channel=STAFF_CHANNEL, containing="not a designated contact")
    note = last_post(slack, channel="D01AAA", containing="not a designated contact")
    for message in (staff, note):
        rendered = text_of(message)
        assert "<!channel>" not in rendered
        assert "<@U0STAFF1>" not in rendered
        assert "<https://evil.example|click here>" not in rendered
        # Read as plain text on the way in (bot/slack/markup.py), then escaped on the way out.
        assert (
            "@\u2060channel @Sam Support click here (https\u2060://evil.example) @\u2060here"
            in rendered
        )
        assert "https\u2060://evil.example" in rendered  # where the link goes stays visible


def test_critical_goes_to_the_phone_and_alerts_staff(slack, fake_slack, store, nlu) -> None:
    slack.dm("U01AAA", CRITICAL)

    phone = last_post(slack, channel="D01AAA", containing="can't be opened in chat")
    assert "24x7" in phone["text"] and "outage line" in phone["text"]
    alert = last_post(slack, channel=STAFF_CHANNEL, containing="Critical call is coming")
    assert "Ana Ruiz" in alert["text"] and (
        f"NLU confidence: {nlu.parse(CRITICAL).intent_confidence:.0%}" in text_of(alert)
    )
    offer = last_post(slack, channel="D01AAA", containing="open the case now as High")
    labels = [
        e["text"]["text"] for b in offer["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert labels[:2] == ["Yes", "No"]
    assert store.cases.list_cases() == []  # never a Critical case from chat


def test_employee_cannot_take_the_open_as_high_offer(slack, fake_slack, store) -> None:
    slack.dm("U01CCC", CRITICAL)
    last_post(slack, channel="D01CCC", containing="Critical")
    assert not fake_slack.wait_for(
        "chat.postMessage", lambda c: "open the case now as High" in text_of(c), timeout=1
    )
    assert last_post(slack, channel=STAFF_CHANNEL, containing="Critical call is coming")
    assert store.cases.list_cases() == []


def test_app_home_lists_my_cases_and_my_organizations(slack, fake_slack, store) -> None:
    number, _card = open_case(slack)
    slack.home_opened("U01BBB")  # the backup contact of the same organization
    home = fake_slack.wait_for("views.publish", lambda c: c["user_id"] == "U01BBB")[-1]
    rendered = text_of(home) + str(home["view"])
    assert "Open cases of Acme Corp" in rendered and number in rendered

    slack.home_opened("U01CCC")  # an employee sees only their own (none)
    home = fake_slack.wait_for("views.publish", lambda c: c["user_id"] == "U01CCC")[-1]
    assert number not in str(home["view"]) and "My cases" in str(home["view"])

    slack.home_opened("U0STAFF1")
    home = fake_slack.wait_for("views.publish", lambda c: c["user_id"] == "U0STAFF1")[-1]
    assert "Staff queue" in str(home["view"]) and number in str(home["view"])


def test_support_command_with_text_answers_in_the_dm(slack, fake_slack, store) -> None:
    response = slack.command("U01AAA", REPORT)
    assert response.status == 200 and "direct messages" in response.body
    assert last_post(slack, channel="D01AAA", containing="suggest Severity 3")


def test_support_command_alone_opens_the_details_modal(slack, fake_slack, store) -> None:
    assert slack.command("U01AAA", "").status == 200
    modal = fake_slack.wait_for("views.open")[-1]
    assert modal["view"]["callback_id"] == "case_details"

    too_short = slack.submit(modal, "U01AAA", {"description": "broken"})
    assert '"response_action": "errors"' in too_short.body
    slack.submit(
        modal,
        "U01AAA",
        {
            "description": "The wallboard shows wrong numbers for queue stats",
            "impact": "we can read them from the report instead",
            "conversation_id": "",
        },
    )
    assert last_post(slack, channel="D01AAA", containing="Before I suggest a severity")


def test_message_shortcut_starts_intake_from_any_message(slack, fake_slack, store) -> None:
    slack.shortcut("U01AAA", channel="C0GENERAL", message_text=REPORT, author="U01DDD")
    modal = fake_slack.wait_for("views.open")[-1]
    prefilled = modal["view"]["blocks"][0]["element"]["initial_value"]
    assert prefilled == REPORT
    slack.submit(modal, "U01AAA", {"description": prefilled, "impact": "", "conversation_id": ""})
    assert last_post(slack, channel="D01AAA", containing="suggest Severity 3")


def test_app_home_follows_the_case_without_reopening(slack, fake_slack, store) -> None:
    number, card = open_case(slack)
    published = fake_slack.wait_for("views.publish", lambda c: c["user_id"] == "U01AAA")
    assert published and number in str(published[-1]["view"])
    slack.click(card, "U0STAFF1", label="Take")
    last_post(slack, channel="D01AAA", containing="has taken")
    assert fake_slack.wait_for(
        "views.publish", lambda c: c["user_id"] == "U01AAA", count=len(published) + 1
    )
