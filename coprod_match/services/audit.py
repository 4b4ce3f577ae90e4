"""Writing the audit log: who did what, and which staff looked at which residents."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import orm

from ..models import AuditEntry, AuditResident, Placement, Role, User
from ..transaction import keep_on_refusal


def audit_record(
    session: orm.Session,
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    actor: User | None,
    residents: Iterable[int] = (),
    **details: Any,
) -> AuditEntry:
    """Add one audit entry about the residents (user ids) it concerns.

    Details must be ids and codes, never personal data.
    """
    resident_ids = sorted(set(residents))
    actor_id = actor.id if actor is not None else None  # read now: a rollback expires the actor

    def make_entry() -> AuditEntry:
        return AuditEntry(
            actor_id=actor_id,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            details=details,
            residents=[AuditResident(citizen_id=citizen_id) for citizen_id in resident_ids],
        )

    entry = make_entry()
    session.add(entry)
    if is_look(action) and resident_ids:
        # A form shown again with its errors (4xx) is rolled back, but the staff member saw the resident.
        keep_on_refusal(session, make_entry)
    return entry


def is_look(action: str) -> bool:
    """Whether the entry records staff seeing residents ("...viewed", "...searched"), not a change."""
    return action.endswith(("viewed", "searched"))


def record_look(session: orm.Session, placements: list[Placement], action: str, *, actor: User,
                initiative_id: int | None = None) -> None:
    """Staff saw the residents of these placements: log who saw whom (a citizen's own look is not logged).

    A look at one initiative's participants is an entry about that initiative;
    any other list is about the placements, with the initiatives they belong to.
    """
    if actor.role == Role.CITIZEN or not placements:
        return
    residents = {placement.citizen_id for placement in placements}
    if initiative_id is not None:
        audit_record(session, action, "initiative", initiative_id, actor=actor, residents=residents)
        return
    audit_record(session, action, "placement", None, actor=actor, residents=residents,
                 initiative_ids=sorted({placement.initiative_id for placement in placements}))
