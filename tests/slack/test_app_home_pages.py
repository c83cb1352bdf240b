"""App Home lists the newest cases of each section and says how many older ones there are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.slack.home import HOME_CASES
from bot.store.models import CaseDraft
from tests.slack.fake_slack.server import FakeSlack

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def add_cases(store: Any, count: int, **draft: Any) -> None:
    values: dict[str, Any] = {
        "org_short_name": "acme",
        "org_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "requester_id": "U01AAA",
        "requester_name": "Ana Ruiz",
        "title": "Agents cannot log in",
        "description": "Since 9am agents get 'login failed'.",
        "business_impact": "Half of the agents cannot take calls.",
        "severity": 3,
        **draft,
    }
    start = len(store.cases.list_cases())
    for i in range(start, start + count):
        store.cases.create_case(
            CaseDraft(**values),
            idempotency_key=f"home-{i}",
            actor_id="U01AAA",
            now=NOW + timedelta(minutes=i),
        )


def close(store: Any, *numbers: str) -> None:
    for number in numbers:
        store.cases.update_case(number, actor_id="U0STAFF1", now=NOW, changes={"status": "closed"})


def home_of(slack: Any, fake_slack: FakeSlack, user: str) -> list[dict[str, Any]]:
    slack.home_opened(user)
    return fake_slack.wait_for("views.publish", lambda c: c["user_id"] == user)[-1]["view"][
        "blocks"
    ]


def sections(blocks: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Each section's title -> the case numbers and context lines shown under it, in order."""
    found: dict[str, list[str]] = {}
    title = None
    for block in blocks:
        text = block.get("text", {}).get("text", "")
        if block["type"] == "divider":
            title = None
        elif title is None and block["type"] == "section" and "fields" not in block:
            title = text.strip("*")
            found[title] = []
        elif title is not None and block["type"] == "section":
            found[title].append(text.split("*")[1])
        elif title is not None and block["type"] == "context":
            found[title].append(block["elements"][0]["text"])
    return found


def test_designated_contact_sees_the_newest_cases_and_how_many_more(
    slack, fake_slack, store
) -> None:
    add_cases(store, 25)
    close(store, "CS-1001", "CS-1002")

    shown = sections(home_of(slack, fake_slack, "U01AAA"))

    newest = [f"CS-{n}" for n in range(1025, 1025 - HOME_CASES, -1)]
    assert shown["My cases"] == [
        *newest,
        "…and 5 older ones. Message me “status of” and a case number to see any of them.",
    ]
    assert shown["Open cases of Acme Corp"] == [
        *newest,
        "…and 3 older ones. Message me “status of” and a case number to see any of them.",
    ]


def test_few_cases_need_no_more_line(slack, fake_slack, store) -> None:
    add_cases(store, 2)
    shown = sections(home_of(slack, fake_slack, "U01AAA"))
    assert shown["My cases"] == ["CS-1002", "CS-1001"]
