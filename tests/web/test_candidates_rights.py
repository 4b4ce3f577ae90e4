"""Whoever may see the people who could join an initiative may also invite them.

The candidates page relies on this: it checks access once (in
read_candidates) and shows the invitation forms on an open initiative
without asking again.
"""

from __future__ import annotations

import pytest

from coprod_match.models import Role
from coprod_match.security import can_invite, can_see_candidates
from tests import factories


@pytest.mark.parametrize("role", list(Role))
def test_seeing_candidates_means_being_allowed_to_invite_them(db_session, make_user, role):
    contact = make_user(Role.PROFESSIONAL)
    initiative = factories.initiative(db_session, contact=contact)
    db_session.commit()
    for user in (make_user(role), contact):
        if can_see_candidates(db_session, user, initiative.id):
            assert can_invite(db_session, user, initiative.id), user.role


def test_a_professional_who_is_not_its_contact_sees_no_candidates(db_session, make_user):
    initiative = factories.initiative(db_session, contact=make_user(Role.PROFESSIONAL))
    db_session.commit()
    assert not can_see_candidates(db_session, make_user(Role.PROFESSIONAL), initiative.id)
