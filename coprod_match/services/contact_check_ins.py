"""The contact professional's monthly check-in: hours given, how the volunteers weigh, whether help is needed.

Once a month each current contact of an open or paused initiative is asked,
in the app and by one short mail in their language listing their
initiatives. The row made when asking is what response rates count; the
answer fills it in. Answering again in the same month corrects the answer:
a professional's own month, not a vote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import InvalidInput, NotFound
from ..links import PageLink
from ..mail import send_in_language
from ..models import ContactCheckIn, Initiative, InitiativeContact, InitiativeStatus, User, utcnow
from ..security import is_current_contact
from ..vocabulary import LOCAL_ZONE, Burden, Limits
from .notifications import can_receive_mail, notify

# The inbox message's kind; its own mail goes out here (notifications.MAILED_BY_THEIR_SERVICE).
ASKED_KIND = "contact.check_in"
# Initiatives whose contacts are asked: closed and draft ones have no month to tell about.
ASKED_STATUSES = (InitiativeStatus.OPEN, InitiativeStatus.PAUSED)


def month_of(moment: dt.datetime) -> dt.date:
    """The first day of the local month `moment` falls in (the month a check-in is about)."""
    return moment.astimezone(LOCAL_ZONE).date().replace(day=1)


@dataclass(frozen=True)
class Asked:
    initiative_id: int
    title: str
    link: str


def ask_contacts(session: orm.Session, *, now: dt.datetime) -> int:
    """Ask every current contact who was not asked this month yet; returns how many questions were made.

    Set-based: one query finds who to ask, one finds the people; a second run in the same month asks nobody.
    """
    month = month_of(now)
    already = sa.exists().where(
        ContactCheckIn.initiative_id == InitiativeContact.initiative_id,
        ContactCheckIn.professional_id == InitiativeContact.professional_id,
        ContactCheckIn.month == month,
    )
    to_ask = session.execute(
        sa.select(InitiativeContact.initiative_id, InitiativeContact.professional_id, Initiative.title)
        .join(Initiative, Initiative.id == InitiativeContact.initiative_id)
        .where(InitiativeContact.is_current, Initiative.status.in_(ASKED_STATUSES), ~already)
        .distinct()
        .order_by(InitiativeContact.professional_id, InitiativeContact.initiative_id)
    ).all()
    if not to_ask:
        return 0
    people = {user.id: user for user in session.scalars(
        sa.select(User).where(User.id.in_({row.professional_id for row in to_ask})))}
    per_person: dict[int, list[Asked]] = {}
    for row in to_ask:
        session.add(ContactCheckIn(initiative_id=row.initiative_id, professional_id=row.professional_id,
                                   month=month, asked_at=now))
        link = PageLink("contact_month.my_month", initiative_id=row.initiative_id)
        notify(session, [row.professional_id], ASKED_KIND, link,
               initiative_id=row.initiative_id, initiative_title=row.title)
        per_person.setdefault(row.professional_id, []).append(Asked(row.initiative_id, row.title, link.url()))
    session.flush()
    for person_id, asked in per_person.items():
        person = people.get(person_id)
        if person is not None and can_receive_mail(person):
            send_in_language(session, person.email, person.preferred_locale, "contact_check_in",
                             lambda: _("How was your month?"),
                             kind="contact_check_in", recipient=person, asked=asked)
    return len(to_ask)


@dataclass(frozen=True)
class MonthAnswer:
    """What the contact tells about one month at one initiative."""

    hours: int | None
    burden: Burden
    needs_help: bool
    comment: str | None = None


def answer_contact_check_in(session: orm.Session, initiative: Initiative, answer: MonthAnswer, *,
                            actor: User, now: dt.datetime | None = None) -> ContactCheckIn:
    """Store (or correct) this month's answer of a current contact of the initiative."""
    now = now or utcnow()
    if not is_current_contact(session, actor, initiative.id):
        raise NotFound()
    _check(answer)
    month = month_of(now)
    check_in = session.scalar(sa.select(ContactCheckIn).where(
        ContactCheckIn.initiative_id == initiative.id, ContactCheckIn.professional_id == actor.id,
        ContactCheckIn.month == month))
    if check_in is None:  # answered before the job asked (from the page): the question is made now
        check_in = ContactCheckIn(initiative_id=initiative.id, professional_id=actor.id, month=month, asked_at=now)
        session.add(check_in)
    check_in.hours = answer.hours
    check_in.burden = Burden(answer.burden).value
    check_in.needs_help = answer.needs_help
    check_in.comment = answer.comment or None
    check_in.answered_at = now
    session.flush()
    return check_in


HOURS_RANGE = _l("Choose a number from %(min)d to %(max)d.", min=0, max=Limits.CONTACT_HOURS_PER_MONTH_MAX)


def _check(answer: MonthAnswer) -> None:
    # The form says the same; this guards every other door.
    if answer.hours is not None and not 0 <= answer.hours <= Limits.CONTACT_HOURS_PER_MONTH_MAX:
        raise InvalidInput(HOURS_RANGE, field="hours")
    if answer.burden not in set(Burden):
        raise InvalidInput(field="burden")
    if answer.comment and len(answer.comment) > Limits.CHECK_IN_COMMENT:
        raise InvalidInput(field="comment")


def this_month(session: orm.Session, initiative_id: int, professional_id: int, *, now: dt.datetime) -> ContactCheckIn | None:
    return session.scalar(sa.select(ContactCheckIn).where(
        ContactCheckIn.initiative_id == initiative_id, ContactCheckIn.professional_id == professional_id,
        ContactCheckIn.month == month_of(now)))


def earlier_answers(session: orm.Session, initiative_id: int, professional_id: int, *, now: dt.datetime,
                    months: int = 12) -> list[ContactCheckIn]:
    """The contact's own answered months before this one, newest first."""
    return list(session.scalars(
        sa.select(ContactCheckIn)
        .where(ContactCheckIn.initiative_id == initiative_id, ContactCheckIn.professional_id == professional_id,
               ContactCheckIn.month < month_of(now), ContactCheckIn.answered_at.is_not(None))
        .order_by(ContactCheckIn.month.desc())
        .limit(months)))


def asking_day_reached(now: dt.datetime, day_of_month: int) -> bool:
    """Whether the month's question may go out: from `day_of_month` on (near the end, when the month is known)."""
    # Every month has a 28th: a larger setting still asks in February.
    return now.astimezone(LOCAL_ZONE).day >= min(day_of_month, 28)
