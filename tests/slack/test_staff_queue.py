"""The staff queue in App Home, on the real Bolt app: its lines, filters, Take and Open, and
how it keeps current. The clock is Wednesday 18 Nov 12:00 in Chicago (Acme's zone), where
Acme's business hours (08:00-17:00) count the targets of Severity 2-4."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.slack.queue_view import QUEUE_ROWS
from tests.slack.conftest import STAFF_CHANNEL, last_post, open_case, text_of
from tests.slack.fake_slack.server import FakeSlack
from tests.support.stores import make_draft

WEDNESDAY_NOON_CHICAGO = datetime(2026, 11, 18, 18, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def noon(clock: Any) -> None:
    clock.moment = WEDNESDAY_NOON_CHICAGO


def queue_of(slack: Any, fake_slack: FakeSlack, user: str = "U0STAFF1") -> Any:
    """Open the App Home and return the last view published for `user`."""
    before = len(published_for(fake_slack, user))
    slack.home_opened(user)
    return fake_slack.wait_for("views.publish", lambda c: c["user_id"] == user, count=before + 1)[
        -1
    ]


def published_for(fake_slack: FakeSlack, user: str) -> list[Any]:
    return [c for c in fake_slack.calls_to("views.publish") if c["user_id"] == user]


def case_lines(published: Any) -> list[str]:
    """Each listed case's section text, in order."""
    return [
        b["text"]["text"]
        for b in published["view"]["blocks"]
        if b["type"] == "section" and b["text"]["text"].startswith("*CS-")
    ]


def filter_labels(published: Any) -> list[str]:
    [row] = [b for b in published["view"]["blocks"] if b.get("block_id") == "queue_filters"]
    return [e["text"]["text"] for e in row["elements"]]


def add_case(store: Any, clock: Any, *, severity: int, minutes_ago: int, **fields: Any) -> str:
    """A case opened `minutes_ago` (within Wednesday's business hours), its response due two
    hours after, as the policy sets it."""
    opened = clock.moment - timedelta(minutes=minutes_ago)
    case, _ = store.cases.create_case(
        make_draft(
            title=f"Problem {minutes_ago}",
            severity=severity,
            response_due_at=opened + timedelta(hours=2),
            **fields,
        ),
        idempotency_key=f"queue-{minutes_ago}",
        actor_id="U01AAA",
        now=opened,
    )
    return str(case.number)


def test_staff_see_open_cases_by_time_left_with_their_clock_in_words(
    slack, fake_slack, store, clock
) -> None:
    later = add_case(store, clock, severity=3, minutes_ago=10)  # due in 1 h 50 min
    missed = add_case(store, clock, severity=2, minutes_ago=190)  # missed by 1 h 10 min
    soon = add_case(store, clock, severity=3, minutes_ago=95)  # due in 25 min

    lines = case_lines(queue_of(slack, fake_slack))

    assert [line.split("*")[1] for line in lines] == [missed, soon, later]
    assert "*Response missed by 1 h 10 min* (business hours)" in lines[0]
    assert "*Response due in 25 min* (business hours) · due Wed 18 Nov 2026, 18:25 GMT" in lines[1]
    assert "acme · nobody yet · Open" in lines[2]


def test_the_filters_show_their_counts_and_the_chosen_one_is_kept(
    slack, fake_slack, store, clock
) -> None:
    add_case(store, clock, severity=3, minutes_ago=10)
    missed = add_case(store, clock, severity=2, minutes_ago=190)
    add_case(store, clock, severity=3, minutes_ago=95, assignee_id="U0STAFF1")
    home = queue_of(slack, fake_slack)
    assert filter_labels(home) == [
        "All (3)",
        "Mine (1)",
        "Unassigned (2)",
        "At risk (1)",
        "Missed (1)",
    ]

    slack.press_in_home(home, "U0STAFF1", label="Missed (1)")
    chosen = fake_slack.wait_for("views.publish", lambda c: c["user_id"] == "U0STAFF1", count=2)[-1]
    assert [line.split("*")[1] for line in case_lines(chosen)] == [missed]
    assert [line.split("*")[1] for line in case_lines(queue_of(slack, fake_slack))] == [missed]


def test_take_from_the_queue_takes_the_case_and_moves_it_to_mine(
    slack, fake_slack, store, clock
) -> None:
    number, _card = open_case(slack)
    home = queue_of(slack, fake_slack)

    slack.press_in_home(home, "U0STAFF1", label="Take", value=number)

    assert last_post(slack, channel="D01AAA", containing="has taken")
    assert store.cases.get_case(number).assignee_id == "U0STAFF1"
    redrawn = fake_slack.wait_for(
        "views.publish",
        lambda c: c["user_id"] == "U0STAFF1" and "<@U0STAFF1>" in str(c["view"]),
    )[-1]
    assert "Mine (1)" in filter_labels(redrawn)
    assert "Take" not in str(redrawn["view"]["blocks"][-1])  # already theirs


def test_a_queue_button_pressed_by_someone_not_on_staff_changes_nothing(
    slack, fake_slack, store, clock
) -> None:
    number, _card = open_case(slack)
    home = queue_of(slack, fake_slack)

    slack.press_in_home(home, "U01AAA", label="Take", value=number)  # a forged press

    refusal = fake_slack.wait_for("chat.postEphemeral", lambda c: c["user"] == "U01AAA")
    assert refusal and "support staff" in text_of(refusal[-1]).lower()
    assert store.cases.get_case(number).assignee_id is None


def test_open_shows_the_case_with_a_link_to_its_card(slack, fake_slack, store, clock) -> None:
    number, card = open_case(slack)
    home = queue_of(slack, fake_slack)

    slack.press_in_home(home, "U0STAFF1", label="Open", value=number)

    modal = fake_slack.wait_for("views.open")[-1]["view"]
    assert modal["title"]["text"] == number
    rendered = str(modal["blocks"])
    assert "Response due in" in rendered and "wallboard" in rendered
    link = f"https://acme-support.slack.com/archives/{STAFF_CHANNEL}/p" + card.response[
        "ts"
    ].replace(".", "")
    assert link in rendered


def test_a_new_case_appears_in_an_open_queue_without_reopening_it(
    slack, fake_slack, store, clock
) -> None:
    home = queue_of(slack, fake_slack)
    assert case_lines(home) == []

    number, _card = open_case(slack)

    assert fake_slack.wait_for(
        "views.publish", lambda c: c["user_id"] == "U0STAFF1" and number in str(c["view"])
    )


def test_the_deadline_tick_moves_the_clocks_and_sends_nothing_when_nothing_moved(
    app, slack, fake_slack, store, clock
) -> None:
    add_case(store, clock, severity=3, minutes_ago=95)
    queue_of(slack, fake_slack)
    sent = len(published_for(fake_slack, "U0STAFF1"))

    app.flows.deadlines()  # same minute: the view would be the same
    assert len(published_for(fake_slack, "U0STAFF1")) == sent

    clock.moment += timedelta(minutes=5)
    app.flows.deadlines()
    assert "*Response due in 20 min*" in case_lines(published_for(fake_slack, "U0STAFF1")[-1])[0]


def test_a_missed_target_marks_the_card_and_is_told_in_the_channel_once(
    app, slack, fake_slack, store, clock
) -> None:
    number, card = open_case(slack)
    clock.moment = store.cases.get_case(number).response_due_at + timedelta(seconds=1)

    app.flows.deadlines()

    told = last_post(slack, channel=STAFF_CHANNEL, containing="missed its initial response")
    assert told["thread_ts"] == card.response["ts"] and told.get("reply_broadcast") is True
    assert fake_slack.wait_for(
        "chat.update",
        lambda c: c["ts"] == card.response["ts"] and "Initial response target missed" in text_of(c),
    )
    app.flows.deadlines()
    app.flows.deadlines()
    told_again = [
        c
        for c in fake_slack.calls_to("chat.postMessage")
        if "missed its initial response" in text_of(c)
    ]
    assert len(told_again) == 1


def test_a_long_queue_lists_the_most_urgent_and_says_how_many_more(
    slack, fake_slack, store, clock
) -> None:
    for minutes in range(QUEUE_ROWS + 2):
        add_case(store, clock, severity=3, minutes_ago=minutes)

    home = queue_of(slack, fake_slack)

    assert len(case_lines(home)) == QUEUE_ROWS
    assert len(home["view"]["blocks"]) <= 100  # Slack's limit for a view
    more = home["view"]["blocks"][-1]["elements"][0]["text"]
    assert more == "…and 2 more. Each has its card in the staff channel."


def test_a_change_during_a_refresh_is_drawn_by_one_more_round(app, monkeypatch) -> None:
    """Two threads never publish at once, and the later change is not lost."""
    import threading

    queue = app.flows.queue
    queue.opened("U0STAFF1")
    rounds: list[int] = []
    inside, release = threading.Event(), threading.Event()

    def one_round(*, only_if_running: bool) -> int:
        rounds.append(1)
        if len(rounds) == 1:
            inside.set()
            release.wait(5)
        return 1

    monkeypatch.setattr(queue, "_refresh_once", one_round)
    first = threading.Thread(target=queue.refresh_all)
    first.start()
    assert inside.wait(5)
    assert queue.refresh_all() == 0  # asked during the first: left to it
    release.set()
    first.join(5)
    assert len(rounds) == 2
