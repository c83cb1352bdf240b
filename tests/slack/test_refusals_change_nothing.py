"""A refused request touches nothing: no card is redrawn, no App Home is republished."""

from __future__ import annotations

from tests.slack.conftest import last_post, open_case


def test_a_refused_look_up_of_another_orgs_case_refreshes_none_of_its_cards(
    slack, fake_slack
) -> None:
    number, _card = open_case(slack)
    assert slack.app.listener_pool.drain(timeout=30)  # the case's own updates are all done
    updates = len(fake_slack.calls_to("chat.update"))
    homes = len(fake_slack.calls_to("views.publish"))

    slack.dm("U02AAA", f"what is the status of {number}?")  # Bergwerk asks about Acme's case

    refusal = last_post(slack, channel="D02AAA", containing=number)
    assert "Ana" not in refusal["text"]  # nothing about the case is shown
    assert len(fake_slack.calls_to("chat.update")) == updates
    assert len(fake_slack.calls_to("views.publish")) == homes
