"""Writing the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import orm

from ..models import AuditEntry, User


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
