"""The summary's own controls: the severity picker, Edit and Cancel."""

from __future__ import annotations

from tests.slack.conftest import IMPACT, REPORT, last_post


def reach_summary(slack, user: str = "U01AAA"):  # type: ignore[no-untyped-def]
    dm = "D" + user[1:]
    slack.dm(user, REPORT)
    last_post(slack, channel=dm, containing="business impact")
    slack.dm(user, IMPACT)
    last_post(slack, channel=dm, containing="Anything support should know")
    slack.dm(user, "skip")
    question = last_post(slack, channel=dm, containing="Shall I use Severity 3")
    slack.click(question, user, label="Yes")
    return last_post(slack, channel=dm, containing="ready to open")


def test_picking_another_severity_on_the_summary(slack, fake_slack, store) -> None:
    summary = reach_summary(slack)
    slack.click(summary, "U01AAA", action_id="sb_severity", value="2")
    updated = slack.posted(
        lambda c: c["channel"] == "D01AAA" and "Severity: Severity 2 – High" in c["text"]
    )
    assert updated
    slack.click(updated[-1], "U01AAA", label="Confirm")
    assert last_post(slack, channel="D01AAA", containing="Opened CS-1001 with Severity 2 – High")
    assert store.cases.get_case("CS-1001").severity == 2


def test_the_picker_refuses_someone_else(slack, fake_slack, store) -> None:
    summary = reach_summary(slack)
    slack.click(summary, "U01BBB", action_id="sb_severity", value="4")
    assert fake_slack.wait_for(
        "chat.postEphemeral", lambda c: c["user"] == "U01BBB" and "someone else" in c["text"]
    )
    assert not slack.posted(lambda c: "Severity: Severity 4" in c["text"], timeout=1)


def test_edit_offers_each_detail_as_a_button(slack, fake_slack, store) -> None:
    summary = reach_summary(slack)
    slack.click(summary, "U01AAA", label="Edit")
    asked = last_post(slack, channel="D01AAA", containing="Which detail do you want to change?")
    slack.click(asked, "U01AAA", label="Business impact")
    assert last_post(slack, channel="D01AAA", containing="What is the business impact?")
    assert store.cases.list_cases() == []


def test_cancel_creates_nothing(slack, fake_slack, store) -> None:
    summary = reach_summary(slack)
    slack.click(summary, "U01AAA", label="Cancel")
    assert last_post(slack, channel="D01AAA", containing="Nothing was created")
    assert store.cases.list_cases() == []
