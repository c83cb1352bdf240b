"""Bad input through Slack: huge or empty messages, odd Unicode, a store that is down."""

from __future__ import annotations

import sqlite3

from tests.slack.conftest import REPORT, last_post, open_case, text_of


def test_a_100_kb_message_is_read_in_part_and_answered(slack, fake_slack, store) -> None:
    huge = REPORT + " " + ("and the numbers keep changing " * 3500)
    assert len(huge) > 100_000
    assert slack.dm("U01AAA", huge).status == 200
    notice = last_post(slack, channel="D01AAA", containing="very long")
    assert "read only the first 4,000" in notice["text"]
    assert store.cases.list_cases() == []


def test_an_empty_message_gets_a_hint(slack, fake_slack) -> None:
    slack.dm("U01AAA", "   ")
    assert last_post(slack, channel="D01AAA", containing="didn't get any text")


def test_odd_unicode_and_entities_come_back_readable_and_inert(slack, fake_slack) -> None:
    slack.dm(
        "U01CCC",
        "Wallboard zeigt falsche Zahlen \u202e&lt;!here&gt; \u200b for queue stats, "
        "we can read them from the report instead 🚀",
    )
    staff = last_post(slack, channel="C0STAFF", containing="not a designated contact")
    rendered = text_of(staff)
    assert "\u202e" not in rendered and "\u200b" not in rendered
    assert "<!here>" not in rendered and "&lt;!here&gt;" in rendered and "🚀" in rendered


def test_a_store_that_is_down_gets_a_clear_answer_and_nothing_changes(
    slack, fake_slack, store, tmp_path
) -> None:
    number, card = open_case(slack)
    breaker = sqlite3.connect(tmp_path / "data" / "supportbot.sqlite3")
    breaker.execute(
        "CREATE TRIGGER refuse BEFORE UPDATE ON cases BEGIN SELECT RAISE(ABORT, 'disk'); END"
    )
    breaker.commit()
    try:
        slack.click(card, "U0STAFF1", label="Take")
        refusal = fake_slack.wait_for(
            "chat.postEphemeral", lambda c: c["user"] == "U0STAFF1" and "store" in text_of(c)
        )
        assert refusal and "Nothing was changed" in text_of(refusal[-1])
        assert store.cases.get_case(number).acknowledged_at is None
    finally:
        breaker.execute("DROP TRIGGER refuse")
        breaker.commit()
        breaker.close()
    slack.click(card, "U0STAFF1", label="Take")  # works again once the store is back
    assert last_post(slack, channel="D01AAA", containing="has taken")


def test_staff_home_shows_times_in_their_slack_time_zone(slack, fake_slack, store) -> None:
    """Staff are not in any organization: their zone comes from users.info."""
    number, _card = open_case(slack)
    slack.home_opened("U0STAFF1")
    home = fake_slack.wait_for("views.publish", lambda c: c["user_id"] == "U0STAFF1")[-1]
    assert number in str(home["view"]) and "GMT" in str(home["view"])
    assert fake_slack.wait_for("users.info", lambda c: c["user"] == "U0STAFF1")
