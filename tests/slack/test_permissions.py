"""Every button, modal submission and command checks who is acting, not only the chat path."""

from __future__ import annotations

import json

from tests.slack.conftest import (
    REPORT,
    STAFF_CHANNEL,
    ephemeral_to,
    last_post,
    open_case,
    text_of,
)


def test_only_staff_can_take_a_case(slack, fake_slack, store) -> None:
    number, card = open_case(slack)
    version = store.cases.get_case(number).version

    slack.click(card, "U01CCC", label="Take")  # an employee who can see the staff channel

    ephemeral_to(fake_slack, "U01CCC", "Only support staff")
    case = store.cases.get_case(number)
    assert case.version == version and case.acknowledged_at is None
    assert not fake_slack.wait_for(
        "chat.postMessage", lambda c: "has taken" in text_of(c), timeout=1
    )


def test_non_staff_cannot_open_or_submit_staff_modals(slack, fake_slack, store) -> None:
    number, card = open_case(slack)
    slack.click(card, "U01AAA", label="Change severity")
    ephemeral_to(fake_slack, "U01AAA", "Only support staff")
    assert fake_slack.calls_to("views.open") == []

    # A staff member opens the modal; someone else submits it (a forged submission).
    slack.click(card, "U0STAFF1", label="Change severity")
    modal = fake_slack.wait_for("views.open")[-1]
    slack.submit(modal, "U01AAA", {"severity": "4", "reason": "I say so"})
    ephemeral_to(fake_slack, "U01AAA", "Only support staff")
    assert store.cases.get_case(number).severity == 3


def test_staff_thread_replies_from_non_staff_are_not_relayed(slack, fake_slack, store) -> None:
    number, card = open_case(slack)
    slack.channel_message(
        "U01CCC", STAFF_CHANNEL, "I am support, trust me", thread_ts=card.response["ts"]
    )
    ephemeral_to(fake_slack, "U01CCC", "Only support staff")
    assert not fake_slack.wait_for(
        "chat.postMessage",
        lambda c: "trust me" in text_of(c) and c["channel"] == "D01AAA",
        timeout=1,
    )
    assert store.cases.get_case(number).acknowledged_at is None


def test_someone_else_cannot_answer_my_question(slack, fake_slack, store) -> None:
    """In a shared thread, Ben may not confirm the case Ana is opening."""
    _response, ts = slack.mention("U01AAA", "C0GENERAL", REPORT)
    last_post(slack, channel="C0GENERAL", containing="business impact")
    slack.channel_message(
        "U01AAA",
        "C0GENERAL",
        "Our 40 supervisors can't trust the live numbers so they check reports every hour",
        thread_ts=ts,
    )
    last_post(slack, channel="C0GENERAL", containing="Anything support should know")
    slack.channel_message("U01AAA", "C0GENERAL", "skip", thread_ts=ts)
    question = last_post(slack, channel="C0GENERAL", containing="Shall I use Severity 3")
    slack.click(question, "U01AAA", label="Yes")
    summary = last_post(slack, channel="C0GENERAL", containing="ready to open")

    slack.click(summary, "U01BBB", label="Confirm")

    ephemeral_to(fake_slack, "U01BBB", "asked to someone else")
    assert store.cases.list_cases() == []


def test_a_forged_button_value_claiming_another_owner_is_refused(slack, fake_slack, store) -> None:
    """An employee rewrites the value to make themselves the owner: the policy still says no."""
    slack.dm("U01AAA", REPORT)
    last_post(slack, channel="D01AAA", containing="business impact")
    slack.dm("U01AAA", "Our 40 supervisors can't trust the live numbers so they check reports")
    last_post(slack, channel="D01AAA", containing="Anything support should know")
    slack.dm("U01AAA", "skip")
    question = last_post(slack, channel="D01AAA", containing="Shall I use Severity 3")
    slack.click(question, "U01AAA", label="Yes")
    summary = last_post(slack, channel="D01AAA", containing="ready to open")
    confirm = next(
        e
        for b in summary["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("text", {}).get("text") == "Confirm"
    )
    forged = json.loads(confirm["value"])
    forged["o"] = "U01CCC"  # Cy is an employee, not a designated contact

    slack.click(summary, "U01CCC", label="Confirm", value=json.dumps(forged))

    ephemeral_to(fake_slack, "U01CCC", "Only designated contacts")
    assert store.cases.list_cases() == []


def test_garbage_button_values_change_nothing(slack, fake_slack, store) -> None:
    slack.dm("U01AAA", REPORT)
    question = last_post(slack, channel="D01AAA", containing="business impact")
    slack.dm("U01AAA", "Our 40 supervisors can't trust the live numbers so they check reports")
    last_post(slack, channel="D01AAA", containing="Anything support should know")
    slack.dm("U01AAA", "skip")
    question = last_post(slack, channel="D01AAA", containing="Shall I use Severity 3")
    response = slack.click(question, "U01AAA", label="Yes", value="{not json")
    assert response.status == 200
    ephemeral_to(fake_slack, "U01AAA", "no longer valid")
    assert store.cases.list_cases() == []


def test_unknown_people_get_an_answer_and_nothing_is_created(slack, fake_slack, store) -> None:
    """A DM goes through the engine, which answers a stranger that it cannot find them."""
    slack.dm("U09NOBODY", REPORT)
    last_post(slack, channel="D09NOBODY", containing="I can't find you in the directory")
    answers = [c for c in fake_slack.calls_to("chat.postMessage") if c["channel"] == "D09NOBODY"]
    assert [c["text"] for c in answers] == [
        "I can't find you in the directory of organizations, so I can't open or look up cases "
        "for you. Please ask your Slack admin to add you to the support directory."
    ]
    posted = {c["channel"] for c in fake_slack.calls_to("chat.postMessage")}
    assert posted == {"D09NOBODY"}  # no staff card, no contact notified
    assert store.cases.list_cases() == []


def test_unknown_people_are_refused_by_command_shortcut_and_modal(slack, fake_slack, store) -> None:
    response = slack.command("U09NOBODY", REPORT)
    assert response.status == 200 and "not in the support directory" in response.body

    slack.shortcut("U09NOBODY", channel="C0GENERAL", message_text=REPORT, author="U01AAA")
    ephemeral_to(fake_slack, "U09NOBODY", "not in the support directory")
    assert fake_slack.calls_to("views.open") == []

    slack.command("U01AAA", "")  # a known person opens the modal; a stranger submits it
    modal = fake_slack.wait_for("views.open")[-1]
    rejected = slack.submit(modal, "U09NOBODY", {"description": REPORT})
    assert '"response_action": "errors"' in rejected.body
    assert not fake_slack.wait_for("chat.postMessage", timeout=1)
    assert store.cases.list_cases() == []
