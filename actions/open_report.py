"""A designated contact opens the case an employee reported (button or "open report R-…")."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import requester
from actions.replies import say
from actions.reported import find_report
from actions.runtime import current
from actions.triage import triage_or_ask
from actions.understanding import read, to_parse_data


class ActionOpenReport(Action):
    """A designated contact takes an employee's report: the intake starts from its words,
    and the case will name the reporter."""

    def name(self) -> str:
        return "action_open_report"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        person = requester(tracker, dispatcher)
        if person is None:
            return []
        reference = read(tracker.latest_message).entity("report") or ""
        report = find_report(reference) if reference else None
        if report is None:
            say(
                dispatcher,
                f"I can't find a report {reference or 'with that reference'}; references "
                "look like R-1A2B3C.",
                kind="report_not_found",
            )
            return []
        if not person.is_designated or person.org_short_name != report.org_short_name:
            say(
                dispatcher,
                "Only the designated contacts of the reporter's organization can open a case "
                "from this report; nothing was created.",
                kind="permission_denied",
            )
            return []
        understanding = read(to_parse_data(current().nlu.parse(report.text)))
        reporter = f"{report.reporter_name} ({report.reporter_id})"
        return [SlotSet("reported_by", reporter), *triage_or_ask(dispatcher, person, understanding)]
