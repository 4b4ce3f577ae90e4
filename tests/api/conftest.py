"""A small city for API tests: two professionals' initiatives, placements, invitations, alerts.

Every record has an "own" and an "other" version from the point of view of
the role's user, so tests can ask for both and expect 404 for the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from coprod_match.models import (
    AlertKind,
    InitiativeStatus,
    InitiativeVersion,
    JobRun,
    PlacementState,
    Role,
    User,
    utcnow,
)
from coprod_match.schedule import SLOT_MASK_ALL
from tests import factories


@dataclass
class World:
    users: dict[Role, User]
    api_headers: dict[Role, dict[str, str]]
    ids: dict[str, int] = field(default_factory=dict)

    def headers(self, role: Role | None) -> dict[str, str]:
        return {} if role is None else self.api_headers[role]


def _fits(citizen: User) -> User:
    """Make a citizen someone matching would suggest for Tuesday-morning initiatives."""
    return factories.profile(citizen, availability_slots=SLOT_MASK_ALL, native_languages=["tr"],
                             max_initiatives=5, consents=True)


def _initiative(session, title: str, contact: User, status=InitiativeStatus.OPEN):
    return factories.initiative(session, title=title, description=f"{title}: what happens and for whom.",
                                status=status, schedule_slots=factories.TUESDAY_MORNING, volunteers_min=2,
                                languages=["tr"], contact=contact)


def _invited(session, citizen: User, initiative, sender: User) -> int:
    """An invited placement with its invitation, as the invitation service leaves them.

    Returns the placement's id: the API names an invitation by its placement.
    """
    placement = factories.placement(session, citizen, initiative, PlacementState.INVITED)
    factories.invitation(session, placement, sender=sender, message="Would you like to join?")
    return placement.id


def _build(session, make_user) -> World:
    users = {role: make_user(role) for role in Role}
    other_citizen = make_user(Role.CITIZEN, neighbourhood="Transvaal")
    other_professional = make_user(Role.PROFESSIONAL)
    fit_own, fit_other = make_user(Role.CITIZEN, neighbourhood="Transvaal"), make_user(
        Role.CITIZEN, neighbourhood="Transvaal")
    for citizen in (users[Role.CITIZEN], fit_own, fit_other):
        _fits(citizen)

    own = _initiative(session, "Sports for women in Transvaal", users[Role.PROFESSIONAL])
    other = _initiative(session, "Homework club", other_professional)
    other_draft = _initiative(session, "Draft: repair cafe", other_professional, InitiativeStatus.DRAFT)
    to_sign_up = _initiative(session, "Coffee morning", other_professional)
    for initiative in (own, other):  # a version to change or remove (issue 15)
        initiative.versions.append(InitiativeVersion(locale="tr", title=f"{initiative.title} (tr)"))
    ids = {
        "initiative_own": own.id, "initiative_other": other.id, "initiative_other_draft": other_draft.id,
        "initiative_sign_up": to_sign_up.id,
        "placement_own": factories.placement(session, users[Role.CITIZEN], own).id,
        "placement_other": factories.placement(session, other_citizen, other).id,
        "invitation_own": _invited(session, users[Role.CITIZEN], other, other_professional),
        "invitation_other": _invited(session, other_citizen, own, users[Role.PROFESSIONAL]),
        "citizen_fit_own": fit_own.id, "citizen_fit_other": fit_other.id,
        "professional_other": other_professional.id,
    }
    for name, initiative in (("alert_own", own), ("alert_other", other)):
        ids[name] = factories.alert(session, initiative, AlertKind.BELOW_MINIMUM,
                                    details={"active": 1, "minimum": 2}, severity=2).id
    session.add(JobRun(job_name="continuity_scan", holder="test", outcome="succeeded", counts={"opened": 2},
                       finished_at=utcnow()))
    headers = {role: factories.api_headers(session, user, actor=None) for role, user in users.items()}
    session.commit()
    return World(users=users, api_headers=headers, ids=ids)


@pytest.fixture
def new_world(db_session, make_user) -> Callable[[], World]:
    """Builds a fresh world at each call, beside the ones before (the matrix starts every role from its own)."""
    return lambda: _build(db_session, make_user)


@pytest.fixture
def world(new_world) -> World:
    return new_world()
