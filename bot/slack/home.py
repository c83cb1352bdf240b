"""App Home: my cases, and for designated contacts their organization's open cases."""

from __future__ import annotations

from typing import Any

from bot.slack import blocks
from bot.slack.people import Gate, TimeZones
from cases.vocabulary import ACTIVE_STATUS_VALUES


def home_sections(*, store: Any, gate: Gate, user_id: str) -> list[tuple[str, list[Any]]]:
    person = gate.person(user_id)
    if person is None:
        return []
    if person.is_staff:
        open_cases = store.cases.list_cases(statuses=ACTIVE_STATUS_VALUES)
        return [
            ("Cases assigned to you", [c for c in open_cases if c.assignee_id == user_id]),
            ("Open cases nobody has taken", [c for c in open_cases if not c.assignee_id]),
        ]
    sections = [("My cases", store.cases.list_cases(requester_id=user_id))]
    if person.is_designated and person.org is not None:
        org_cases = store.cases.list_cases(
            org_short_name=person.org.short_name, statuses=ACTIVE_STATUS_VALUES
        )
        sections.append((f"Open cases of {person.org.name}", org_cases))
    return sections


def publish_home(*, client: Any, store: Any, gate: Gate, zones: TimeZones, user_id: str) -> None:
    person = gate.person(user_id)
    if person is None:
        view = {
            "type": "home",
            "blocks": [
                blocks.notice(
                    "You're not in the support directory yet, so there are no cases to show. "
                    "Ask your organization's designated contact to add you."
                )["blocks"][0]
            ],
        }
    else:
        view = blocks.home_view(
            sections=home_sections(store=store, gate=gate, user_id=user_id),
            tz=zones.of(user_id),
            can_report=not person.is_staff,
        )
    client.views_publish(user_id=user_id, view=view)
