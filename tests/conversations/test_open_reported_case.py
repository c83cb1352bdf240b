"""One-click hand-over: a designated contact opens the case an employee reported."""

from __future__ import annotations

from freezegun import freeze_time

from tests.conversations.conftest import kinds, one

REPORT = "Reports in the analytics view load very slowly, but exports still work fine"


@freeze_time("2026-11-17T15:00:00+00:00")
def test_the_contacts_get_a_button_and_a_reference_to_type(person) -> None:  # type: ignore[no-untyped-def]
    notified = one(person("U01CCC").say(REPORT), "notify_contacts")
    reference = notified.data["report"]
    assert [b.label for b in notified.buttons] == ["Open this case"]
    assert f"open report {reference}" in notified.text


@freeze_time("2026-11-17T15:00:00+00:00")
def test_typing_the_reference_starts_the_intake_from_the_report(person, store) -> None:  # type: ignore[no-untyped-def]
    reference = one(person("U01CCC").say(REPORT), "notify_contacts").data["report"]
    ana = person("U01AAA")
    started = ana.say(f"open report {reference}")
    assert "severity_suggestion" in kinds(started), kinds(started)
    ana.say("Supervisors wait minutes for each report every morning")
    ana.say("skip")
    summary = one(ana.say("yes"), "case_summary")
    assert "load very slowly" in summary.text
    ana.say("confirm")
    (case,) = store.cases.list_cases()
    assert "Reported by Cy Park (U01CCC)" in case.description
    assert case.requester_id == "U01AAA"


@freeze_time("2026-11-17T15:00:00+00:00")
def test_a_contact_of_another_organization_cannot_open_it(person, store) -> None:  # type: ignore[no-untyped-def]
    reference = one(person("U01CCC").say(REPORT), "notify_contacts").data["report"]
    refused = person("U02AAA").say(f"open report {reference}")
    assert "permission_denied" in kinds(refused)
    assert store.cases.list_cases() == []


@freeze_time("2026-11-17T15:00:00+00:00")
def test_an_unknown_reference_is_said_so(person) -> None:  # type: ignore[no-untyped-def]
    assert "report_not_found" in kinds(person("U01AAA").say("open report R-000000"))
