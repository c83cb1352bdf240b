"""The first staff response, a take or a reply, stamps `acknowledged_at`; later ones keep it.

Both verbs go through `cases.operations` (one rule for what acknowledges a case)."""

from __future__ import annotations

from datetime import timedelta

from tests.engine.test_staff_side import open_case


def test_a_staff_reply_acknowledges_and_a_later_take_keeps_it(
    nlu, talk, engine, store, clock
) -> None:
    number = open_case(nlu, talk)
    assert store.cases.get_case(number).acknowledged_at is None
    clock.moment += timedelta(minutes=5)
    engine.staff_reply(number, "U0STAFF1", "Looking at the Dallas logs now.")
    replied = store.cases.get_case(number)
    assert replied.acknowledged_at == clock.moment
    clock.moment += timedelta(minutes=5)
    engine.staff_take(number, "U0STAFF2")
    taken = store.cases.get_case(number)
    assert taken.assignee_id == "U0STAFF2"
    assert taken.acknowledged_at == replied.acknowledged_at
