"""Contact details by choice: what a resident shares with the contact persons of their initiatives.

A resident is reached through the conversation on the site unless they choose
more (`User.shares_phone`, `User.shares_email`, off by default). What they
share is shown only to the current contact persons (and admins, who manage
every initiative) of initiatives where they hold a place: accepted, taking
part or paused. Every look at shared details is logged naming the resident.
Professionals' work details (`User.phone`, `User.work_email`,
`User.organisation`) are shown to their participants without a choice: they
are work details, given for that purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import orm

from ..models import Placement, Role, User
from ..vocabulary import PLACE_HOLDING_STATES
from .audit import audit_record


@dataclass(frozen=True)
class SharedDetails:
    """What one resident chose to share; None where they did not (or have nothing to share)."""

    phone: str | None
    email: str | None


def shared_by(resident: User) -> SharedDetails | None:
    """The details this resident shares with their contact persons; None when only messages."""
    if resident.is_erased or resident.is_pending:
        return None
    phone = resident.phone if resident.shares_phone and resident.phone else None
    email = resident.email if resident.shares_email else None
    return SharedDetails(phone, email) if phone or email else None


def shared_with_contacts(session: orm.Session, placements: list[Placement], *, actor: User,
                         initiative_id: int) -> dict[int, SharedDetails]:
    """Per placement holding a place at the initiative: what its resident shares; the look is logged.

    The caller has checked that `actor` manages the initiative (its contact, or an admin).
    """
    if actor.role == Role.CITIZEN:
        return {}
    shown = {
        placement.id: details for placement in placements
        if placement.initiative_id == initiative_id and placement.state in PLACE_HOLDING_STATES
        and (details := shared_by(placement.citizen)) is not None
    }
    if shown:
        residents = {placement.citizen_id for placement in placements if placement.id in shown}
        audit_record(session, "contact_details.viewed", "initiative", initiative_id, actor=actor,
                     residents=residents)
    return shown
