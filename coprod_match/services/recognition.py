"""Recognition: a volunteer's statement of participation, and the contact's sentence of thanks on it.

A statement is for a job application or an integration route, so it shows
only what the app can vouch for: placements that were really active, from
the day they first became active to the day they ended, the hours and days
recorded on attendance, the organisations of the contact persons of that
time, and the contact's own words of thanks. A sign-up that never started is
not on it.

Only a current contact person of the initiative writes thanks: they are the
ones who saw the volunteer help. Coordinators and admins do not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import InvalidInput, NotAllowed, NotFound
from ..links import PageLink
from ..models import (
    Initiative,
    InitiativeContact,
    Placement,
    PlacementCheckIn,
    PlacementEvent,
    PlacementState,
    Role,
    User,
    utcnow,
)
from ..models.check_in import PlacementThanks
from ..security import is_current_contact
from ..vocabulary import LOCAL_ZONE, Limits
from .audit import audit_record
from .notifications import notify


@dataclass(frozen=True)
class StatementLine:
    """One initiative on the statement: where, when, how much, with whom, and the thanks."""

    placement: Placement
    initiative: Initiative
    started_on: dt.date
    ended_on: dt.date | None  # None: still helping ("until now")
    minutes: int
    days: int
    organisations: list[str]
    thanks: str | None
    thanked_by: str | None  # the name of who wrote the thanks, None when unknown or erased


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL_ZONE).date()


def statement_lines(session: orm.Session, citizen: User) -> list[StatementLine]:
    """Every placement of `citizen` that was ever active, first started first, in a fixed number of reads."""
    first_active = dict(session.execute(
        sa.select(PlacementEvent.placement_id, sa.func.min(PlacementEvent.at))
        .join(Placement, Placement.id == PlacementEvent.placement_id)
        .where(Placement.citizen_id == citizen.id, PlacementEvent.to_state == PlacementState.ACTIVE)
        .group_by(PlacementEvent.placement_id)
    ).all())
    if not first_active:
        return []
    placements = session.scalars(
        sa.select(Placement).where(Placement.id.in_(first_active))
        .options(orm.joinedload(Placement.initiative).joinedload(Initiative.neighbourhood),
                 orm.joinedload(Placement.initiative).selectinload(Initiative.versions))
    ).unique().all()
    ended = dict(session.execute(
        sa.select(PlacementEvent.placement_id, sa.func.max(PlacementEvent.at))
        .where(PlacementEvent.placement_id.in_(first_active), PlacementEvent.to_state == PlacementState.ENDED)
        .group_by(PlacementEvent.placement_id)
    ).all())
    # Attendance: minutes added up, and each day counted once however many records it has.
    minutes: dict[int, int] = {}
    days: dict[int, set[dt.date]] = {}
    for placement_id, at, spent in session.execute(
            sa.select(PlacementCheckIn.placement_id, PlacementCheckIn.at, PlacementCheckIn.minutes)
            .where(PlacementCheckIn.placement_id.in_(first_active), PlacementCheckIn.minutes.is_not(None))):
        minutes[placement_id] = minutes.get(placement_id, 0) + spent
        days.setdefault(placement_id, set()).add(_local_date(at))
    thanks = {row.placement_id: row for row in session.scalars(
        sa.select(PlacementThanks).where(PlacementThanks.placement_id.in_(first_active))
        .options(orm.joinedload(PlacementThanks.author)))}
    contact_periods = session.execute(
        sa.select(InitiativeContact.initiative_id, InitiativeContact.starts_at, InitiativeContact.ends_at,
                  User.organisation)
        .join(User, User.id == InitiativeContact.professional_id)
        .where(InitiativeContact.initiative_id.in_({p.initiative_id for p in placements}))
        .order_by(InitiativeContact.starts_at)
    ).all()
    now = utcnow()
    lines = []
    for placement in placements:
        start = first_active[placement.id]
        # Ended without a recorded move (rows loaded in bulk): the time its state last changed.
        end = (ended.get(placement.id) or placement.state_changed_at) if placement.state == PlacementState.ENDED \
            else None
        # The contacts of the time the volunteer helped: their periods overlap the placement's.
        organisations = []
        for initiative_id, contact_from, contact_until, organisation in contact_periods:
            overlaps = contact_from <= (end or now) and (contact_until is None or contact_until >= start)
            if initiative_id == placement.initiative_id and overlaps and organisation \
                    and organisation not in organisations:
                organisations.append(organisation)
        written = thanks.get(placement.id)
        author = written.author if written is not None else None
        lines.append(StatementLine(
            placement=placement, initiative=placement.initiative, started_on=_local_date(start),
            ended_on=_local_date(end) if end is not None else None,
            minutes=minutes.get(placement.id, 0), days=len(days.get(placement.id, ())),
            organisations=organisations, thanks=written.sentence if written is not None else None,
            thanked_by=author.display_name if author is not None and not author.is_erased else None))
    return sorted(lines, key=lambda line: (line.started_on, line.placement.id))


def _was_active(session: orm.Session, placement: Placement) -> bool:
    return session.scalar(sa.select(PlacementEvent.id).where(
        PlacementEvent.placement_id == placement.id, PlacementEvent.to_state == PlacementState.ACTIVE
    ).limit(1)) is not None


def placement_to_thank(session: orm.Session, initiative_id: int, placement_id: int, *,
                       actor: User) -> tuple[Placement, PlacementThanks | None]:
    """The volunteer a contact wants to thank, and the thanks written so far; logged as a look at them.

    Only a current contact person of the initiative may; someone else's placement is not found.
    """
    if actor.role != Role.PROFESSIONAL or not is_current_contact(session, actor, initiative_id):
        raise NotAllowed(_not_a_contact())
    placement = session.get(Placement, placement_id)
    if placement is None or placement.initiative_id != initiative_id:
        raise NotFound()
    audit_record(session, "thanks.viewed", "placement", placement.id, actor=actor,
                 residents=[placement.citizen_id], initiative_id=initiative_id)
    return placement, session.get(PlacementThanks, placement.id)


def _not_a_contact():
    return _l("Only a contact person of this initiative can thank its volunteers.")


def write_thanks(session: orm.Session, placement: Placement, sentence: str, *, actor: User) -> PlacementThanks:
    """Write or change the contact's sentence of thanks; the volunteer is told in their inbox the first time.

    Thanks go on the statement, so only for someone who really helped (a placement that was active).
    A change of wording is not news to the volunteer: only new thanks send a message.
    """
    if not is_current_contact(session, actor, placement.initiative_id):
        raise NotAllowed(_not_a_contact())
    if not _was_active(session, placement):
        raise InvalidInput(_l("You can thank someone once they have started helping."))
    # One sentence on a printed page: line breaks and runs of spaces become one space.
    text = " ".join((sentence or "").split())
    if not text:
        raise InvalidInput(_l("Write a sentence of thanks first."), field="sentence")
    if len(text) > Limits.THANKS_SENTENCE:
        raise InvalidInput(_l("Use at most %(max)d characters.", max=Limits.THANKS_SENTENCE), field="sentence")
    thanks = session.get(PlacementThanks, placement.id)
    if thanks is not None and thanks.sentence == text:
        return thanks
    is_new = thanks is None
    if is_new:
        thanks = PlacementThanks(placement_id=placement.id)
        session.add(thanks)
    thanks.sentence, thanks.author_id, thanks.written_at = text, actor.id, utcnow()
    session.flush()
    audit_record(session, "thanks.written" if is_new else "thanks.changed", "placement", placement.id,
                 actor=actor, residents=[placement.citizen_id])
    if not is_new:
        return thanks
    notify(session, [placement.citizen_id], "placement.thanked", PageLink("recognition.statement"),
           sender_name=actor.display_name, initiative_id=placement.initiative_id,
           initiative_title=placement.initiative.title)
    return thanks


def thanked_placement_ids(session: orm.Session, placement_ids: list[int]) -> set[int]:
    """Which of these placements have a sentence of thanks (the contact's link says "Change" for them)."""
    if not placement_ids:
        return set()
    return set(session.scalars(
        sa.select(PlacementThanks.placement_id).where(PlacementThanks.placement_id.in_(placement_ids))))


def remove_thanks(session: orm.Session, placement: Placement, *, actor: User) -> bool:
    """Take the sentence of thanks off the statement; False when there was none."""
    if not is_current_contact(session, actor, placement.initiative_id):
        raise NotAllowed(_not_a_contact())
    thanks = session.get(PlacementThanks, placement.id)
    if thanks is None:
        return False
    session.delete(thanks)
    session.flush()
    audit_record(session, "thanks.removed", "placement", placement.id, actor=actor,
                 residents=[placement.citizen_id])
    return True
