"""Files shared in Slack (message subtype "file_share") are attached to the case by reference."""

from __future__ import annotations

import time
from typing import Any

from tests.slack.conftest import (
    IMPACT,
    REPORT,
    STAFF_CHANNEL,
    SlackDriver,
    ephemeral_to,
    last_post,
    text_of,
)
from tests.slack.fake_slack.server import BOT_USER_ID, TEAM_ID

PERMALINK = "https://acme-support.slack.com/files/U01AAA/F0REPORT/report.pdf"


def slack_file(name: str = "report.pdf", *, size: int = 12 * 1024, **extra: Any) -> dict:
    """A file object as Slack puts it in a message event (nothing of it is downloaded)."""
    file_id = "F0" + name.split(".")[0].upper()
    return {
        "id": file_id,
        "created": 1763478000,
        "timestamp": 1763478000,
        "name": name,
        "title": name,
        "mimetype": "application/pdf",
        "filetype": "pdf",
        "pretty_type": "PDF",
        "user": "U01AAA",
        "user_team": TEAM_ID,
        "editable": False,
        "size": size,
        "mode": "hosted",
        "is_external": False,
        "external_type": "",
        "is_public": False,
        "public_url_shared": False,
        "display_as_bot": False,
        "username": "",
        "url_private": f"https://files.slack.com/files-pri/{TEAM_ID}-{file_id}/{name}",
        "url_private_download": f"https://files.slack.com/files-pri/{TEAM_ID}-{file_id}/download/{name}",
        "permalink": f"https://acme-support.slack.com/files/U01AAA/{file_id}/{name}",
        "permalink_public": f"https://slack-files.com/{TEAM_ID}-{file_id}-0a1b2c3d4e",
        "has_rich_preview": False,
        "file_access": "visible",
        **extra,
    }


def share(
    slack: SlackDriver,
    user: str,
    channel: str,
    files: list[dict],
    *,
    text: str = "",
    thread_ts: str | None = None,
):
    ts = slack.next_ts()
    event = {
        "type": "message",
        "subtype": "file_share",
        "text": text,
        "files": files,
        "upload": False,
        "user": user,
        "display_as_bot": False,
        "ts": ts,
        "team": TEAM_ID,
        "channel": channel,
        "event_ts": ts,
        "channel_type": "im" if channel.startswith("D") else "channel",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
        event["parent_user_id"] = BOT_USER_ID
    return slack.send_event(event)


def open_case_in_thread(slack: SlackDriver, store) -> tuple[str, str, Any]:  # type: ignore[no-untyped-def]
    """Ana reports with an @mention in #general; returns (case number, thread ts, staff card)."""
    _response, ts = slack.mention("U01AAA", "C0GENERAL", REPORT)
    last_post(slack, channel="C0GENERAL", containing="business impact")
    slack.channel_message("U01AAA", "C0GENERAL", IMPACT, thread_ts=ts)
    last_post(slack, channel="C0GENERAL", containing="Anything support should know")
    slack.channel_message("U01AAA", "C0GENERAL", "skip", thread_ts=ts)
    question = last_post(slack, channel="C0GENERAL", containing="Shall I use Severity 3")
    slack.click(question, "U01AAA", label="Yes")
    summary = last_post(slack, channel="C0GENERAL", containing="ready to open")
    slack.click(summary, "U01AAA", label="Confirm")
    created = last_post(slack, channel="C0GENERAL", containing="Opened CS-")
    number = str(created.get("text")).split("Opened ", 1)[1].split(" ", 1)[0]
    card = last_post(slack, channel=STAFF_CHANNEL, containing=f"New case {number}")
    deadline = time.monotonic() + 10  # the app records the card once Slack has answered
    while slack.app.flows.cards.card(number, "staff") is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert store.cases.get_case(number).origin_thread == f"C0GENERAL:{ts}"
    return number, ts, card


def test_a_file_in_the_case_thread_is_attached_and_shown_on_the_staff_card(
    slack, fake_slack, store
) -> None:
    number, ts, card = open_case_in_thread(slack, store)

    response = share(slack, "U01AAA", "C0GENERAL", [slack_file()], thread_ts=ts)  # no text

    assert response.status == 200
    told = last_post(slack, channel="C0GENERAL", containing="Attached report.pdf")
    assert told["thread_ts"] == ts
    assert f"Attached report.pdf (12 KB) to {number}." in told["text"]
    staff = last_post(slack, channel=STAFF_CHANNEL, containing="attached report.pdf")
    assert staff["thread_ts"] == card.response["ts"]  # in the case card's thread
    (attachment,) = store.cases.get_case(number).attachments
    assert (attachment.name, attachment.mimetype, attachment.size, attachment.permalink) == (
        "report.pdf",
        "application/pdf",
        12 * 1024,
        PERMALINK,
    )
    updated = fake_slack.wait_for(
        "chat.update",
        lambda c: c["channel"] == STAFF_CHANNEL and "Attachments:" in text_of(c),
    )
    assert updated, [text_of(c)[:200] for c in fake_slack.calls_to("chat.update")]
    assert f"*Attachments:* <{PERMALINK}|report.pdf (12 KB)>" in text_of(updated[-1])
    assert not fake_slack.wait_for(
        "chat.postMessage", lambda c: "didn't get any text" in text_of(c), timeout=0.5
    )


def test_a_file_with_text_in_a_dm_attaches_then_reads_the_text(slack, fake_slack, store) -> None:
    number, _ts, _card = open_case_in_thread(slack, store)
    store.cases.update_case(  # Ana's own DM holds this case too
        number,
        actor_id="U01AAA",
        now=store.cases.get_case(number).created_at,
        changes={"origin_thread": "D01AAA"},
        action="move",
    )
    share(
        slack,
        "U01AAA",
        "D01AAA",
        [slack_file("trace.har", size=2_200_000), slack_file("gone.png", mode="tombstone")],
        text=f"what's the status of {number}?",
    )
    told = last_post(slack, channel="D01AAA", containing="Attached")
    assert f"Attached trace.har (2.1 MB) to {number}." in told["text"]
    assert "gone.png" not in told["text"]  # a deleted file has nothing to attach
    status = last_post(slack, channel="D01AAA", containing="wallboard")  # then the question
    assert number in status["text"] and "Attached" not in status["text"]
    assert [a.name for a in store.cases.get_case(number).attachments] == ["trace.har"]


def test_someone_else_s_file_in_the_case_thread_is_refused_privately(
    slack, fake_slack, store
) -> None:
    number, ts, _card = open_case_in_thread(slack, store)
    version = store.cases.get_case(number).version

    share(slack, "U01CCC", "C0GENERAL", [slack_file()], thread_ts=ts)  # not a designated contact

    ephemeral_to(fake_slack, "U01CCC", "haven't attached report.pdf")
    case = store.cases.get_case(number)
    assert case.attachments == () and case.version == version
    assert not fake_slack.wait_for(
        "chat.postMessage", lambda c: "attached report.pdf" in text_of(c).lower(), timeout=0.5
    )


def test_a_bot_s_file_share_is_ignored(slack, fake_slack, store) -> None:
    number, ts, _card = open_case_in_thread(slack, store)
    ts_bot = slack.next_ts()
    slack.send_event(
        {
            "type": "message",
            "subtype": "file_share",
            "text": "",
            "files": [slack_file()],
            "bot_id": "B0OTHERBOT",
            "user": "U0OTHERBOT",
            "ts": ts_bot,
            "channel": "C0GENERAL",
            "thread_ts": ts,
            "event_ts": ts_bot,
            "channel_type": "channel",
        }
    )
    assert not fake_slack.wait_for(
        "chat.postMessage", lambda c: "report.pdf" in text_of(c), timeout=0.5
    )
    assert store.cases.get_case(number).attachments == ()
