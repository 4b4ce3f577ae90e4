"""What staff read while inviting; every look at residents' data is logged by the read that shows it.

Professionals see residents' data only as their work needs it, and each look
is written to the audit log by the one function that reads it, so no page
(or API endpoint) can show the data and forget the log.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from ...domain_errors import NotFound
from ...folding import fold
from ...models import (
    CitizenProfile,
    Initiative,
    InitiativeContact,
    InitiativeStatus,
    Invitation,
    Role,
    User,
)
from ...queries import invitation_funnel
from ...queries.search import residents_open_to
from ...vocabulary import Limits
from .. import access
from ..audit import audit_record
from ..open_to import local_year

SEARCH_RESULTS = 20
SEARCH_MIN_LENGTH = 2


def find_invitable_residents(session: orm.Session, words: str, *, initiative: Initiative,
                             actor: User) -> list[User]:
    """Residents who agreed to be invited whose name holds `words`; nobody else is ever found."""
    words = words.strip()[:Limits.SEARCH_TEXT]
    if len(words) < SEARCH_MIN_LENGTH:
        return []
    # Folded like the stored name (folding.py), so "ayse" and "AYSE" find "Ayşe", "celik" finds "Çelik".
    escaped = fold(words).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    people = list(session.scalars(
        sa.select(User)
        .join(CitizenProfile, CitizenProfile.user_id == User.id)
        .where(User.role == Role.CITIZEN, User.is_enabled.is_(True), User.pending_since.is_(None),
               CitizenProfile.consent_to_contact.is_(True),
               # Nobody the initiative is not open to (a man for a women-only class) shows up.
               residents_open_to(initiative.open_to, initiative.min_age, initiative.max_age, year=local_year()),
               User.search_name.like(f"%{escaped}%", escape="\\"))
        .options(orm.joinedload(User.citizen_profile).joinedload(CitizenProfile.neighbourhood))
        .order_by(User.display_name, User.id)
        .limit(SEARCH_RESULTS)
    ).unique())
    audit_record(session, "invitations.citizens_searched", "initiative", initiative.id,
                 actor=actor, residents=[person.id for person in people])
    return people


def invitable_resident(session: orm.Session, citizen_id: int, *, actor: User) -> User:
    """A resident who agreed to be invited, to see what inviting needs; anyone else is NotFound."""
    person = session.get(User, citizen_id)
    profile = person.citizen_profile if person is not None else None
    if (person is None or person.role != Role.CITIZEN or person.is_pending or not person.is_enabled
            or profile is None or not profile.consent_to_contact):
        raise NotFound()
    audit_record(session, "citizen.viewed", "user", person.id, actor=actor, residents=[person.id])
    return person


def resident_to_invite(session: orm.Session, citizen_id: int, *, initiative: Initiative, actor: User) -> User:
    """The resident a personal invitation would go to, as the invitation page shows them.

    Only a resident the actor may see (services/access.py: they agreed to be
    invited, or take part in the actor's initiatives); anyone else is
    NotFound, like a missing id. The look is logged.
    """
    person = session.get(User, citizen_id)
    if (person is None or person.role != Role.CITIZEN or person.is_pending
            or not access.may_see_resident(session, actor, person.id)):
        raise NotFound()
    audit_record(session, "invitations.resident_viewed", "initiative", initiative.id, actor=actor,
                 residents=[person.id])
    return person


def sent_invitations(session: orm.Session, initiative: Initiative, *, actor: User) -> list[Invitation]:
    """One initiative's invitations to follow up, newest first, with who they went to."""
    invitations = invitation_funnel.invitations_for_initiative(session, initiative.id)
    if invitations:
        audit_record(session, "invitations.viewed", "initiative", initiative.id, actor=actor,
                     residents={invitation.placement.citizen_id for invitation in invitations})
    return invitations


def initiatives_to_invite_to(session: orm.Session, *, actor: User) -> list[Initiative]:
    """Open initiatives the actor may invite to: those they are a contact for, or those in an overseer's areas."""
    query = sa.select(Initiative).where(Initiative.status == InitiativeStatus.OPEN)
    if actor.role == Role.PROFESSIONAL:
        query = query.join(InitiativeContact, InitiativeContact.initiative_id == Initiative.id).where(
            InitiativeContact.professional_id == actor.id, InitiativeContact.is_current)
    else:
        query = query.where(access.in_neighbourhoods(Initiative.neighbourhood_id, actor))
    return list(session.scalars(query.order_by(Initiative.title, Initiative.id)))
