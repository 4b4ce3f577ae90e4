"""A form shown again with its errors (4xx) is rolled back, but a staff look at the resident on it is kept.

The unit of work rolls back every answer of 400 and above; looks are
registered with transaction.keep_on_refusal and written after that rollback,
while the refused change itself is not.
"""

from __future__ import annotations

import sqlalchemy as sa

from coprod_match.models import AuditEntry, AuditResident, PlacementMessage, PlacementState, Role
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for


def _looks(db_session, action: str, resident_id: int) -> int:
    db_session.expire_all()
    return db_session.scalar(
        sa.select(sa.func.count()).select_from(AuditEntry).join(AuditResident)
        .where(AuditEntry.action == action, AuditResident.citizen_id == resident_id))


def test_a_refused_rejection_still_logs_the_look_at_the_resident(app, db_session, make_user):
    resident, contact = make_user(Role.CITIZEN, name="Amina"), make_user(Role.PROFESSIONAL)
    care = factories.day_care(db_session, contact=contact)
    placement = factories.placement(db_session, resident, care, PlacementState.APPLIED)
    db_session.commit()
    client = client_for(app, contact)
    path = f"/professionals/initiatives/{care.id}/placements/{placement.id}/reject"
    answer = client.post(path, data={"reason": "", "csrf_token": csrf_token(client, path)})
    assert answer.status_code == 422 and "Amina" in answer.get_data(as_text=True)
    # One look for the form page (GET) and one for the refused form: both kept.
    assert _looks(db_session, "placement.viewed", resident.id) == 2
    db_session.refresh(placement)
    assert placement.state == PlacementState.APPLIED


def test_a_refused_message_keeps_the_look_but_not_the_message(app, db_session, make_user):
    resident, contact = make_user(Role.CITIZEN), make_user(Role.PROFESSIONAL)
    care = factories.day_care(db_session, contact=contact)
    placement = factories.placement(db_session, resident, care, PlacementState.APPLIED)
    factories.placement(db_session, make_user(Role.CITIZEN), care, PlacementState.APPLIED)
    db_session.commit()
    client = client_for(app, contact)
    token = csrf_token(client, f"/conversations/{placement.id}")
    assert _looks(db_session, "conversation.viewed", resident.id) == 1
    answer = client.post(f"/conversations/{placement.id}/messages", data={"text": "  ", "csrf_token": token})
    assert answer.status_code == 422
    assert _looks(db_session, "conversation.viewed", resident.id) == 2
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlacementMessage)) == 0
    # Only this resident's look: the other applicant was not on the page.
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditResident)) == 2
