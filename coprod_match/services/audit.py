"""Writing the audit log: who did what, and which staff looked at which residents."""

from __future__ import annotations

from typing import Any

from sqlalchemy import orm

from ..models import AuditEntry, Placement, Role, User


def audit_record(
    session: orm.Session,
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    actor: User | None,
    **details: Any,
) -> AuditEntry:
    """Add one audit entry. Details must be ids and codes, never personal data."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        details=details,
    )
    session.add(entry)
    return entry


def record_look(session: orm.Session, placements: list[Placement], action: str, *, actor: User,
                initiative_id: int | None = None) -> None:
    """Staff saw the residents of these placements: log who saw whom (a citizen's own look is not logged).

    A look at one initiative's participants is an entry about that initiative;
    any other list is about the placements, with the initiatives they belong to.
    """
    if actor.role == Role.CITIZEN or not placements:
        return
    citizen_ids = sorted({placement.citizen_id for placement in placements})
    if initiative_id is not None:
        audit_record(session, action, "initiative", initiative_id, actor=actor, citizen_ids=citizen_ids)
        return
    audit_record(session, action, "placement", None, actor=actor, citizen_ids=citizen_ids,
                 initiative_ids=sorted({placement.initiative_id for placement in placements}))
