"""The volunteer's monthly check-in: asked once a month per placement, answered once.

`ask_volunteers` is the daily job's body: it finds, in one query, every active
placement (in an open initiative, active long enough, its volunteer able to
log in) that has no check-in for this month yet, inserts their rows together,
and tells each volunteer in the app and by mail in their own language. The
unique (placement, month) keeps a second run in the same month from asking
again, so the job can run every day.

`answer_check_in` stores the answer and does what it means, through the same
doors as the pages: "yes" records that the volunteer still helps (a
PlacementCheckIn, which answers the "not seen for a while" alert), "paused"
and "stopped" move the placement with `make_move`, which tells the contacts.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ...domain_errors import InvalidInput, NotFound
from ...initiative_text import text_for_reader
from ...links import PageLink, page_url
from ...mail import mail_locale, send_in_language
from ...models import (
    EndReason,
    Initiative,
    Placement,
    PlacementCheckIn,
    PlacementState,
    User,
    VolunteerCheckIn,
)
from ...queries.initiative_versions import versions_of
from ...vocabulary import LOCAL_ZONE, CheckInKind, InitiativeStatus, Limits, StillHelping
from ..audit import audit_record
from ..notifications import can_receive_mail, notify
from ..placement_moves import make_move
from ..tokens import hash_token
from .answers import MISSING, OFF_SCALE, TOO_LONG, VolunteerAnswer, answer_problems
from .links import (
    ANSWERED,
    LINK_EXPIRED,
    LINK_INVALID,
    LINK_USED,
    CheckInLinkError,
    check_in_token,
    read_token,
)

ASKED = "check_in.asked"  # the inbox message's kind

PROBLEM_MESSAGES = {
    MISSING: _l("Choose one answer."),
    OFF_SCALE: _l("Choose one of the five answers."),
    TOO_LONG: _l("Use at most %(max)d characters.", max=Limits.CHECK_IN_COMMENT),
}


def month_of(now: dt.datetime) -> dt.date:
    """The first day of the local month `now` falls in: what a check-in is about."""
    return now.astimezone(LOCAL_ZONE).date().replace(day=1)


def _candidates(session: orm.Session, month: dt.date, active_since: dt.datetime, most: int):
    already_asked = sa.exists().where(VolunteerCheckIn.placement_id == Placement.id,
                                      VolunteerCheckIn.month == month)
    return session.execute(
        sa.select(Placement, User, Initiative)
        .join(User, User.id == Placement.citizen_id)
        .join(Initiative, Initiative.id == Placement.initiative_id)
        .where(Placement.state == PlacementState.ACTIVE, Initiative.status == InitiativeStatus.OPEN,
               User.is_enabled, User.erased_at.is_(None),
               # Active since its last move: someone back from a pause a week ago is asked next month.
               Placement.state_changed_at <= active_since, ~already_asked)
        .order_by(Placement.id).limit(most)
    ).tuples().all()


def ask_volunteers(session: orm.Session, *, now: dt.datetime, link_days: int | None = None,
                   active_days: int | None = None, most: int | None = None) -> int:
    """Ask the volunteers who are due this month (see the module); returns how many were asked.

    At most `most` in one run: each mail costs a few milliseconds to build, so a
    large city is asked over the first days of the month, within the job's lease.
    """
    config = current_app.config
    link_days = int(config["CHECK_IN_LINK_DAYS"]) if link_days is None else link_days
    active_days = int(config["CHECK_IN_AFTER_ACTIVE_DAYS"]) if active_days is None else active_days
    most = int(config["CHECK_IN_MOST_PER_RUN"]) if most is None else most
    month = month_of(now)
    due = _candidates(session, month, now - dt.timedelta(days=active_days), most)
    if not due:
        return 0
    secret_key = config["SECRET_KEY"]
    expires_at = now + dt.timedelta(days=link_days)
    tokens, rows = {}, []
    for placement, _volunteer, _initiative in due:
        token = check_in_token(placement.id, month, expires_at, secret_key)
        tokens[placement.id] = token
        rows.append(VolunteerCheckIn(placement_id=placement.id, month=month, asked_at=now,
                                     token_hash=hash_token(token), expires_at=expires_at))
    session.add_all(rows)
    session.flush()  # one batched INSERT; the ids name the in-app pages
    versions = versions_of(session, {initiative.id for _p, _v, initiative in due})
    for check_in, (placement, volunteer, initiative) in zip(rows, due, strict=True):
        notify(session, [volunteer.id], ASKED, PageLink("check_ins.mine", check_in_id=check_in.id),
               initiative_id=initiative.id, initiative_title=initiative.title)
        if can_receive_mail(volunteer):
            locale = mail_locale(volunteer.preferred_locale)
            text = text_for_reader(title=initiative.title, description="", written_in=initiative.written_in,
                                   reader_locale=locale, version=versions.get(initiative.id, {}).get(locale))
            _queue_mail(session, volunteer, text.title, text.lang, tokens[placement.id], expires_at)
    return len(rows)


def _queue_mail(session: orm.Session, volunteer: User, title: str, title_lang: str, token: str,
                expires_at: dt.datetime) -> None:
    send_in_language(
        session, volunteer.email, volunteer.preferred_locale, "check_in",
        lambda: _("How is it going at %(initiative)s?", initiative=title), kind="check_in",
        volunteer=volunteer, initiative_title=title, title_lang=title_lang, expires_at=expires_at,
        link=page_url("check_ins.by_link", token=token),
    )


def check_in_from_token(session: orm.Session, token: str, secret_key: str, *,
                        now: dt.datetime) -> VolunteerCheckIn:
    """The check-in a mailed link is for, while it waits for its answer; else CheckInLinkError."""
    placement_id, month, ends = read_token(token, secret_key)
    check_in = session.scalar(sa.select(VolunteerCheckIn).where(VolunteerCheckIn.token_hash == hash_token(token)))
    if check_in is None or check_in.placement_id != placement_id or check_in.month.isoformat() != month:
        raise CheckInLinkError(LINK_INVALID)
    ensure_open(check_in, now=now)
    if ends <= now.timestamp():
        raise CheckInLinkError(LINK_EXPIRED)
    return check_in


def ensure_open(check_in: VolunteerCheckIn, *, now: dt.datetime, via: str = "link") -> None:
    """Raise CheckInLinkError unless the check-in still waits for its answer (`via` the link or the app)."""
    if check_in.answered_at is not None:
        raise CheckInLinkError(LINK_USED if via == "link" else ANSWERED)
    if check_in.expires_at <= now:
        raise CheckInLinkError(LINK_EXPIRED)


def own_check_in(session: orm.Session, check_in_id: int, volunteer: User) -> VolunteerCheckIn:
    """The volunteer's own check-in; anyone else's is 'not found', so ids reveal nothing."""
    check_in = session.get(VolunteerCheckIn, check_in_id)
    if check_in is None or check_in.placement.citizen_id != volunteer.id:
        raise NotFound()
    return check_in


def open_check_ins_of(session: orm.Session, volunteer_id: int, *, now: dt.datetime) -> dict[int, VolunteerCheckIn]:
    """Placement id -> the check-in waiting for this volunteer's answer (for "My initiatives")."""
    return {check_in.placement_id: check_in for check_in in session.scalars(
        sa.select(VolunteerCheckIn).join(Placement, Placement.id == VolunteerCheckIn.placement_id)
        .where(Placement.citizen_id == volunteer_id, VolunteerCheckIn.answered_at.is_(None),
               VolunteerCheckIn.expires_at > now,
               # Stopped meanwhile: nothing left to ask about this placement.
               Placement.state.in_((PlacementState.ACTIVE, PlacementState.PAUSED)))
        .order_by(VolunteerCheckIn.month))}


def answer_check_in(session: orm.Session, check_in: VolunteerCheckIn, answer: VolunteerAnswer, *,
                    via: str, now: dt.datetime, end_reason: EndReason | None = None,
                    note: str | None = None) -> VolunteerCheckIn:
    """Store the volunteer's answer (once) and do what it means for the placement; flushes.

    `end_reason` and `note` are the stop page's questions, asked on the same page when
    the answer is "stopped".
    """
    ensure_open(check_in, now=now, via=via)
    problems = answer_problems(answer)
    if answer.still_helping == StillHelping.STOPPED and end_reason is None:
        problems.setdefault("end_reason", MISSING)
    if note is not None and len(note) > Limits.SHORT_MESSAGE:
        problems.setdefault("note", TOO_LONG)
    if problems:
        field, problem = next(iter(problems.items()))
        raise InvalidInput(PROBLEM_MESSAGES[problem], field=field)
    placement = check_in.placement
    volunteer = placement.citizen
    check_in.answered_at, check_in.answered_via = now, via
    check_in.still_helping = answer.still_helping.value
    check_in.appreciated, check_in.supported, check_in.too_much = (
        answer.appreciated, answer.supported, answer.too_much)
    check_in.comment = answer.comment or None
    _act_on(session, placement, answer.still_helping, volunteer, now=now, end_reason=end_reason, note=note)
    audit_record(session, "check_in.answered", "volunteer_check_in", check_in.id, actor=volunteer,
                 initiative_id=placement.initiative_id, via=via, still_helping=check_in.still_helping)
    session.flush()
    return check_in


def _act_on(session: orm.Session, placement: Placement, still_helping: StillHelping, volunteer: User, *,
            now: dt.datetime, end_reason: EndReason | None, note: str | None) -> None:
    """What the answer means for the placement, when it is still live (it may have ended meanwhile)."""
    today = now.astimezone(LOCAL_ZONE).date()
    state = PlacementState(placement.state)
    if still_helping == StillHelping.YES and state in (PlacementState.ACTIVE, PlacementState.PAUSED):
        session.add(PlacementCheckIn(placement_id=placement.id, kind=CheckInKind.CITIZEN_CONFIRMED,
                                     recorded_by_id=volunteer.id, at=now))
    elif still_helping == StillHelping.PAUSED and state == PlacementState.ACTIVE:
        make_move(session, placement, PlacementState.PAUSED, actor=volunteer, today=today)
    elif still_helping == StillHelping.STOPPED and placement.is_live:
        make_move(session, placement, PlacementState.ENDED, actor=volunteer, today=today,
                  end_reason=end_reason, reason=note or None)
