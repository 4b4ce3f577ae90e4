"""A small city for API tests: two professionals' initiatives, placements, invitations, alerts.

Every record has an "own" and an "other" version from the point of view of
the role's user, so tests can ask for both and expect 404 for the other.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa

from coprod_match.models import (
    AlertKind,
    CitizenLanguage,
    ContinuityAlert,
    Initiative,
    InitiativeContact,
    InitiativeStatus,
    Invitation,
    JobRun,
    Language,
    Neighbourhood,
    Placement,
    PlacementState,
    Role,
    User,
    utcnow,
)
from coprod_match.schedule import slots_to_mask
from coprod_match.services.api_tokens import create_api_token

TUESDAY_MORNING = slots_to_mask([("tue", "morning")])
ALL_WEEK = (1 << 21) - 1


@dataclass
class World:
    users: dict[Role, User]
    tokens: dict[Role, str]
    ids: dict[str, int] = field(default_factory=dict)

    def headers(self, role: Role | None) -> dict[str, str]:
        return {} if role is None else {"Authorization": f"Bearer {self.tokens[role]}"}


def _initiative(session, place, title, contact, status=InitiativeStatus.OPEN) -> Initiative:
    initiative = Initiative(title=title, description=f"{title}: what happens and for whom.",
                            neighbourhood=place, status=status, start_date=dt.date(2025, 1, 1),
                            schedule_slots=TUESDAY_MORNING, volunteers_min=2, volunteers_ideal=4)
    initiative.languages.append(session.get(Language, "tr"))
    initiative.contacts.append(InitiativeContact(professional_id=contact.id))
    session.add(initiative)
    session.flush()
    return initiative


def _placement(session, citizen, initiative, state) -> Placement:
    placement = Placement(citizen_id=citizen.id, initiative_id=initiative.id, state=state)
    session.add(placement)
    session.flush()
    return placement


def _invitation(session, citizen, initiative, sender) -> Placement:
    """An invited placement with its invitation, as the invitation service leaves them."""
    placement = _placement(session, citizen, initiative, PlacementState.INVITED)
    now = utcnow()
    session.add(Invitation(placement_id=placement.id, sender_id=sender.id, message="Would you like to join?",
                           token_hash=secrets.token_hex(32), sent_at=now, expires_at=now + dt.timedelta(days=14)))
    session.flush()
    return placement


def _fits(citizen: User) -> User:
    """Make a citizen someone matching would suggest for Tuesday-morning initiatives."""
    profile = citizen.citizen_profile
    profile.availability_slots = ALL_WEEK
    profile.consent_to_contact, profile.consent_given_at = True, utcnow()
    profile.max_initiatives = 5
    profile.languages.append(CitizenLanguage(language_code="tr", level="native"))
    return citizen


def build_world(session, make_user) -> World:
    users = {role: make_user(role) for role in Role}
    other_citizen = make_user(Role.CITIZEN, neighbourhood="Transvaal")
    other_professional = make_user(Role.PROFESSIONAL)
    fit_own, fit_other = make_user(Role.CITIZEN, neighbourhood="Transvaal"), make_user(
        Role.CITIZEN, neighbourhood="Transvaal")
    place = session.scalar(sa.select(Neighbourhood).where(Neighbourhood.name == "Transvaal"))
    for citizen in (users[Role.CITIZEN], fit_own, fit_other):
        _fits(citizen)

    own = _initiative(session, place, "Sports for women in Transvaal", users[Role.PROFESSIONAL])
    other = _initiative(session, place, "Homework club", other_professional)
    other_draft = _initiative(session, place, "Draft: repair cafe", other_professional, InitiativeStatus.DRAFT)
    to_sign_up = _initiative(session, place, "Coffee morning", other_professional)
    ids = {
        "initiative_own": own.id, "initiative_other": other.id, "initiative_other_draft": other_draft.id,
        "initiative_sign_up": to_sign_up.id,
        "placement_own": _placement(session, users[Role.CITIZEN], own, PlacementState.ACTIVE).id,
        "placement_other": _placement(session, other_citizen, other, PlacementState.ACTIVE).id,
        "invitation_own": _invitation(session, users[Role.CITIZEN], other, other_professional).id,
        "invitation_other": _invitation(session, other_citizen, own, users[Role.PROFESSIONAL]).id,
        "citizen_fit_own": fit_own.id, "citizen_fit_other": fit_other.id,
        "professional_other": other_professional.id,
    }
    for name, initiative in (("alert_own", own), ("alert_other", other)):
        alert = ContinuityAlert(kind=AlertKind.BELOW_MINIMUM, initiative_id=initiative.id,
                                condition_key=f"below_minimum:i{initiative.id}",
                                details={"active": 1, "minimum": 2}, severity=2)
        session.add(alert)
        session.flush()
        ids[name] = alert.id
    session.add(JobRun(job_name="continuity_scan", holder="test", outcome="succeeded", counts={"opened": 2},
                       finished_at=utcnow()))
    tokens = {role: create_api_token(session, user, "tests", actor=None)[1] for role, user in users.items()}
    session.commit()
    return World(users=users, tokens=tokens, ids=ids)
