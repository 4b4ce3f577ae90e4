"""Erasure and the issue-16 data: check-in comments blanked, thanks to an erased volunteer removed."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from coprod_match.models import (
    ContactCheckIn,
    PlacementState,
    PlacementThanks,
    Role,
    VolunteerCheckIn,
    utcnow,
)
from coprod_match.services.erasure import erase_account
from tests import factories

MONTH = dt.date(2026, 10, 1)


def test_erasure_blanks_check_in_words_keeps_the_scales_and_removes_thanks_to_the_volunteer(db_session, make_user):
    fatima = make_user(Role.PROFESSIONAL, name="Fatima the nurse")
    ayse, bram = make_user(Role.CITIZEN, name="Ayse"), make_user(Role.CITIZEN, name="Bram")
    care = factories.day_care(db_session, contact=fatima)
    placements = {person.display_name: factories.placement(db_session, person, care, PlacementState.ACTIVE)
                  for person in (ayse, bram)}
    now = utcnow()
    for name, placement in placements.items():
        db_session.add(VolunteerCheckIn(placement_id=placement.id, month=MONTH, token_hash=name.ljust(64, "0"),
                                        expires_at=now, answered_at=now, answered_via="app", still_helping="yes",
                                        appreciated=2, supported=3, too_much=5, comment=f"{name} is tired"))
        db_session.add(PlacementThanks(placement_id=placement.id, author_id=fatima.id, sentence=f"Thanks, {name}"))
    db_session.add(ContactCheckIn(initiative_id=care.id, professional_id=fatima.id, month=MONTH, answered_at=now,
                                  hours=20, burden="heavier", needs_help=True, comment="Too much for me alone"))
    db_session.commit()

    result = erase_account(db_session, ayse, actor=None, reason="own_request")
    db_session.commit()
    assert result.thanks_removed == 1
    answers = {row.placement_id: (row.comment, row.too_much) for row in db_session.scalars(sa.select(VolunteerCheckIn))}
    assert answers == {placements["Ayse"].id: (None, 5), placements["Bram"].id: ("Bram is tired", 5)}
    assert set(db_session.scalars(sa.select(PlacementThanks.sentence))) == {"Thanks, Bram"}

    erase_account(db_session, fatima, actor=None, reason="admin")
    db_session.commit()
    contact_answer = db_session.scalar(sa.select(ContactCheckIn))
    assert (contact_answer.comment, contact_answer.hours, contact_answer.burden) == (None, 20, "heavier")
    # Bram's thanks stay on his statement: they are his recognition, now from "the contact person".
    assert db_session.get(PlacementThanks, placements["Bram"].id).sentence == "Thanks, Bram"
