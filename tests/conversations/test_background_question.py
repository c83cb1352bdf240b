"""The intake's optional background question: what was tried, what changed recently."""

from __future__ import annotations

from freezegun import freeze_time

from tests.conversations.conftest import kinds, one, texts

REPORT = "Reports in the analytics view load very slowly, but exports still work fine"
IMPACT = "Supervisors wait minutes for each report every morning"


def summary_after(person, background: str):  # type: ignore[no-untyped-def]
    """Ana reports, gives the impact and `background`, accepts the severity: the summary."""
    ana = person("U01AAA")
    ana.say(REPORT)
    ana.say(IMPACT)
    ana.say(background)
    return ana, one(ana.say("yes"), "case_summary")


@freeze_time("2026-11-17T15:00:00+00:00")
def test_the_background_is_asked_after_the_impact(person) -> None:  # type: ignore[no-untyped-def]
    ana = person("U01AAA")
    ana.say(REPORT)
    asked = ana.say(IMPACT)
    assert asked[-1].kind == "utter_ask_background", texts(asked)
    assert "what have you already tried" in asked[-1].text
    assert "ask_severity" not in kinds(asked)  # the severity comes after it
    assert "ask_severity" in kinds(ana.say("skip"))


@freeze_time("2026-11-17T15:00:00+00:00")
def test_skip_leaves_nothing_on_the_case(person, store) -> None:  # type: ignore[no-untyped-def]
    ana, summary = summary_after(person, "skip")
    assert "Already tried:" not in summary.text and "Recent changes:" not in summary.text
    assert "case_created" in kinds(ana.say("confirm"))
    [case] = store.cases.list_cases()
    assert case.troubleshooting is None
    assert case.environment_changes is None


@freeze_time("2026-11-17T15:00:00+00:00")
def test_what_was_tried_and_what_changed_are_kept_apart(person, store) -> None:  # type: ignore[no-untyped-def]
    tried = "We restarted the browser and cleared the cache."
    changed = "The reporting module was updated on Monday."
    ana, summary = summary_after(person, f"{tried} {changed}")
    assert "Already tried:" in summary.text and "Recent changes:" in summary.text
    assert "restarted the browser" in summary.text and "updated on Monday" in summary.text
    assert "case_created" in kinds(ana.say("confirm"))
    [case] = store.cases.list_cases()
    assert case.troubleshooting == tried
    assert case.environment_changes == changed
