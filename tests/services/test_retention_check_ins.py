"""Retention of the monthly check-ins: comments blanked a year after their month, the answers gone after two.

Counted from the month a check-in is about (the first day of the local month),
not from a placement's end: a volunteer who helps for years still has old
answers leave on time.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from coprod_match.models import ContactCheckIn, PlacementState, Role, VolunteerCheckIn
from coprod_match.services.retention import RetentionPeriods, months_gone_before, purge
from tests import factories

# 04:00 on 1 December 2026 in The Hague: November 2025 is twelve whole months gone, December 2025 not yet.
NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)
MONTHS = {"too_old": dt.date(2024, 11, 1), "two_years": dt.date(2024, 12, 1),
          "year_gone": dt.date(2025, 11, 1), "this_year": dt.date(2025, 12, 1)}


def test_the_month_counts_in_the_hagues_time():
    assert months_gone_before(NOW, 12) == dt.date(2025, 12, 1)
    # 23:30 UTC on 30 November is already 1 December in The Hague.
    assert months_gone_before(dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC), 12) == dt.date(2025, 12, 1)
    assert months_gone_before(dt.datetime(2026, 11, 30, 22, 30, tzinfo=dt.UTC), 12) == dt.date(2025, 11, 1)


def test_comments_are_blanked_after_a_year_and_answers_deleted_after_two(db_session, make_user):
    contact = make_user(Role.PROFESSIONAL)
    care = factories.day_care(db_session, contact=contact)
    placement = factories.placement(db_session, make_user(Role.CITIZEN), care, PlacementState.ACTIVE)
    for name, month in MONTHS.items():
        db_session.add(VolunteerCheckIn(
            placement_id=placement.id, month=month, token_hash=f"{name:0<64}"[:64],
            expires_at=NOW, answered_at=NOW, answered_via="link", still_helping="yes",
            appreciated=4, supported=4, too_much=2, comment=f"volunteer {name}"))
        db_session.add(ContactCheckIn(initiative_id=care.id, professional_id=contact.id, month=month,
                                      answered_at=NOW, hours=6, burden="same", needs_help=False,
                                      comment=f"contact {name}"))
    db_session.commit()

    dry = purge(db_session, now=NOW, periods=RetentionPeriods(), dry_run=True)
    db_session.commit()
    expected = {"volunteer_check_in_comments": 3, "contact_check_in_comments": 3,
                "volunteer_check_ins": 1, "contact_check_ins": 1}
    assert {kind: dry.counts[kind] for kind in expected} == expected
    assert db_session.scalar(sa.select(sa.func.count()).select_from(VolunteerCheckIn)) == 4

    real = purge(db_session, now=NOW, periods=RetentionPeriods())
    db_session.commit()
    assert real.counts == dry.counts
    kept = {(row.month, row.comment, row.appreciated) for row in db_session.scalars(sa.select(VolunteerCheckIn))}
    assert kept == {(MONTHS["two_years"], None, 4), (MONTHS["year_gone"], None, 4),
                    (MONTHS["this_year"], "volunteer this_year", 4)}
    contact_kept = {(row.month, row.comment, row.hours) for row in db_session.scalars(sa.select(ContactCheckIn))}
    assert contact_kept == {(MONTHS["two_years"], None, 6), (MONTHS["year_gone"], None, 6),
                            (MONTHS["this_year"], "contact this_year", 6)}
    assert purge(db_session, now=NOW, periods=RetentionPeriods()).total == 0

    # The periods are settings: with 1 and 12 months more goes.
    shorter = RetentionPeriods(check_in_comment_months=1, check_in_months=12)
    counts = purge(db_session, now=NOW, periods=shorter, dry_run=True).counts
    assert (counts["volunteer_check_in_comments"], counts["volunteer_check_ins"]) == (1, 2)
