"""Designated-contact rules: who may act on cases, and whether an organization is set up.

Seeds 002/003: only designated contacts open, update and close cases (and escalate); a customer
names a primary contact and at least one backup.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class ContactAction(StrEnum):
    OPEN = "open"
    UPDATE = "update"
    CLOSE = "close"
    ESCALATE = "escalate"
    REQUEST_RCA = "request_rca"
    VIEW = "view"


class ContactRole(StrEnum):
    PRIMARY = "primary"
    BACKUP = "backup"


DESIGNATED_ONLY: frozenset[ContactAction] = frozenset(
    {
        ContactAction.OPEN,
        ContactAction.UPDATE,
        ContactAction.CLOSE,
        ContactAction.ESCALATE,
        ContactAction.REQUEST_RCA,
    }
)

NOT_DESIGNATED_EXPLANATION = (
    "Only designated contacts can open, update, close or escalate support cases. "
    "Your organization's designated contacts can do it for you."
)


def may_perform(action: ContactAction | str, *, is_designated_contact: bool) -> bool:
    """Viewing is open to anyone; changing a case needs a designated contact.

    Requesting an RCA is a change to the case (it asks support for a deliverable), so it is
    reserved to designated contacts too.
    """
    chosen = ContactAction(action)
    if chosen in DESIGNATED_ONLY:
        return is_designated_contact
    return True


def organization_problems(contacts: Sequence[tuple[str, str]]) -> list[str]:
    """Configuration problems of one organization's designated contacts; empty when fine.

    `contacts` are (contact id, role) pairs with role "primary" or "backup".
    """
    problems: list[str] = []
    primaries: list[str] = []
    backups: list[str] = []
    for contact_id, role in contacts:
        normalised = str(role).strip().lower()
        if normalised == ContactRole.PRIMARY:
            primaries.append(contact_id)
        elif normalised == ContactRole.BACKUP:
            backups.append(contact_id)
        else:
            problems.append(f"contact {contact_id} has unknown role {role!r}")
    if not primaries:
        problems.append("no primary designated contact")
    elif len(primaries) > 1:
        problems.append(f"more than one primary designated contact: {', '.join(primaries)}")
    if not backups:
        problems.append("no backup designated contact")
    both = sorted(set(primaries) & set(backups))
    if both:
        problems.append(f"the backup must be a different person from the primary: {both[0]}")
    return problems
