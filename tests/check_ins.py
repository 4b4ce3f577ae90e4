"""Check-in rows written straight to the tables, as answers would leave them (no mail, no link)."""

from __future__ import annotations

import datetime as dt
import secrets

from coprod_match.models import ContactCheckIn, VolunteerCheckIn


def volunteer_check_in(session, placement, month: dt.date, *, answered: bool = True, still_helping="yes",
                       appreciated: int | None = 4, supported: int | None = 4, too_much: int | None = 2,
                       comment: str | None = None) -> VolunteerCheckIn:
    asked_at = dt.datetime.combine(month, dt.time(9), tzinfo=dt.UTC) + dt.timedelta(days=27)
    record = VolunteerCheckIn(
        placement_id=placement.id, month=month, asked_at=asked_at, token_hash=secrets.token_hex(32),
        expires_at=asked_at + dt.timedelta(days=14),
    )
    if answered:
        record.answered_at, record.answered_via = asked_at + dt.timedelta(days=1), "link"
        record.still_helping, record.comment = still_helping, comment
        record.appreciated, record.supported, record.too_much = appreciated, supported, too_much
    session.add(record)
    session.flush()
    return record


def contact_check_in(session, initiative, professional, month: dt.date, *, burden="same",
                     needs_help=False, hours=6, comment=None) -> ContactCheckIn:
    asked_at = dt.datetime.combine(month, dt.time(9), tzinfo=dt.UTC) + dt.timedelta(days=27)
    record = ContactCheckIn(initiative_id=initiative.id, professional_id=professional.id, month=month,
                            asked_at=asked_at, answered_at=asked_at + dt.timedelta(days=1), hours=hours,
                            burden=burden, needs_help=needs_help, comment=comment)
    session.add(record)
    session.flush()
    return record
