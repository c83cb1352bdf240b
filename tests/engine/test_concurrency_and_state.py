"""Two deliveries at once never make two cases; long conversations keep their state."""

from __future__ import annotations

import threading

from bot.engine.domain import load_domain
from bot.engine.tracker import MAX_STORED_EVENTS, DialogueState
from tests.engine.test_intake_flow import REPORT, script_report


def test_simultaneous_confirmations_create_one_case(nlu, talk, store) -> None:
    script_report(nlu)
    ana = talk("U01AAA")
    ana.say(REPORT)
    ana.say("skip")
    ana.say("skip")  # nothing to add to the background
    ana.say("yes")  # the summary waits for confirmation
    results: list[list[str]] = []
    barrier = threading.Barrier(2)

    def confirm() -> None:
        barrier.wait()
        results.append([r.kind for r in ana.say("yes")])

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == sorted([["case_created", "staff_handoff"], ["utter_nothing_pending"]])
    assert len(store.cases.list_cases()) == 1


def test_compaction_keeps_slots_and_the_active_form() -> None:
    domain = load_domain()
    events = [{"event": "slot", "name": "last_case_number", "value": "CS-1001"}]
    events.append({"event": "active_loop", "name": "case_intake_form"})
    events += [{"event": "action", "name": "action_listen"}] * (MAX_STORED_EVENTS + 50)
    state = DialogueState(sender_id="D1", domain=domain, events=events)
    compacted = state.compacted_events()
    assert len(compacted) < len(events)
    replayed = DialogueState(sender_id="D1", domain=domain, events=compacted)
    assert replayed.slot("last_case_number") == "CS-1001"
    assert replayed.active_loop == "case_intake_form"
