"""App Home: my cases, and for designated contacts their organization's open cases.

Staff see the staff queue instead (bot.slack.staff_queue).

Each section shows the newest HOME_CASES from the store's indexes, with a line saying how
many older ones there are and where to find them, so the view costs the same whether a
person has three cases or thirty thousand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.slack import blocks, limits
from bot.slack.people import Gate, TimeZones
from bot.store.base import Store
from cases.entity import Case
from cases.vocabulary import ACTIVE_STATUS_VALUES

HOME_CASES = 20  # the newest cases each section lists
COUNTED_CASES = 1000  # older ones are counted up to this, then shown as "980+"
ASK_BY_NUMBER = "Message me “status of” and a case number to see any of them."


@dataclass(frozen=True, kw_only=True)
class Section:
    title: str
    cases: list[Case]
    more: str = ""  # the line under a list that shows only the newest cases


def _section(store: Store, title: str, hint: str, **query: Any) -> Section:
    page = store.cases.newest_cases(**query, limit=HOME_CASES, count_at_most=COUNTED_CASES)
    cases, total = page.cases, page.total
    hidden = total - len(cases)
    if hidden <= 0:
        return Section(title=title, cases=cases)
    plus = "+" if total >= COUNTED_CASES else ""
    ones = "one" if hidden == 1 and not plus else "ones"
    return Section(title=title, cases=cases, more=f"…and {hidden:,}{plus} older {ones}. {hint}")


def home_sections(*, store: Store, gate: Gate, user_id: str) -> list[Section]:
    person = gate.person(user_id)
    if person is None:
        return []
    sections = [_section(store, "My cases", ASK_BY_NUMBER, requester_id=user_id)]
    if person.is_designated and person.org is not None:
        sections.append(
            _section(
                store,
                f"Open cases of {person.org.name}",
                ASK_BY_NUMBER,
                org_short_name=person.org.short_name,
                statuses=ACTIVE_STATUS_VALUES,
            )
        )
    return sections


def _with_more_lines(view: dict[str, Any], sections: list[Section]) -> dict[str, Any]:
    """`blocks.home_view` opens each section with a divider; a section's "more" line goes
    after its last case, just before the next divider."""

    def more(index: int) -> list[dict[str, Any]]:
        if 0 <= index < len(sections) and sections[index].more:
            return [blocks.context_line(sections[index].more)]
        return []

    out: list[dict[str, Any]] = []
    current = -1
    for block in view["blocks"]:
        if block.get("type") == "divider":
            out += more(current)
            current += 1
        out.append(block)
    out += more(current)
    return {**view, "blocks": out[: limits.VIEW_BLOCKS]}


def publish_home(*, client: Any, store: Store, gate: Gate, zones: TimeZones, user_id: str) -> None:
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
        sections = home_sections(store=store, gate=gate, user_id=user_id)
        view = _with_more_lines(
            blocks.home_view(
                sections=[(s.title, s.cases) for s in sections],
                tz=zones.of(user_id),
                can_report=not person.is_staff,
            ),
            sections,
        )
    client.views_publish(user_id=user_id, view=view)
