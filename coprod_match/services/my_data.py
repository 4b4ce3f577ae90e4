"""Everything held about one resident, read in a fixed number of statements, and as one JSON document.

`collect` reads it all: account, profile, consents, placements with every
move, check-in (attendance minutes included), monthly check-in answer, thanks and conversation message,
a professional's own monthly check-ins about their initiatives, invitations, messages, API tokens, logins, and which
staff looked at the resident's data (from `audit_log_residents`). `document`
turns it into the plain, documented JSON the download and the API give; the
page shows what `collect` read. So the page, the download and the API show
the same data, read the same way.

Staff who looked are shown by organisation and role, never by name: the
resident sees that their data is used, not who to call about it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import (
    ApiToken,
    AuditEntry,
    AuditResident,
    CitizenLanguage,
    CitizenProfile,
    Consent,
    ContactCheckIn,
    Initiative,
    Invitation,
    LoginSession,
    Notification,
    Placement,
    PlacementCheckIn,
    PlacementEvent,
    PlacementMessage,
    PlacementThanks,
    Role,
    User,
    VolunteerCheckIn,
    utcnow,
)
from ..queries.paging import Page
from ..schedule import mask_to_slots, slot_key

LOOKS_PER_PAGE = 50
# Bumped when a key changes meaning or goes away; new keys may be added without it.
DOCUMENT_VERSION = 1


@dataclass(frozen=True)
class ConsentLine:
    """One consent the resident gave or refused: what, the answer, since when, and how it was given."""

    kind: str
    given: bool
    at: dt.datetime | None
    how: str  # self, in_person (recorded by a professional) or imported (an organisation's list)
    version: str  # SHA-256 of the text shown
    locale: str  # the language it was shown in
    withdrawn_at: dt.datetime | None
    organisation: str | None  # of the professional who asked in person, or whose list was imported
    recorded_by_role: str | None


@dataclass(frozen=True)
class StaffLook:
    """A look at the resident's data by staff: when, which organisation and role, and what kind of look."""

    at: dt.datetime
    organisation: str | None
    role: str
    action: str


@dataclass
class MyData:
    """What `collect` read about one person; rows by placement where they belong to one."""

    user: User
    profile: CitizenProfile | None
    consents: list[ConsentLine]
    placements: list[Placement]
    events: dict[int, list[PlacementEvent]]
    check_ins: dict[int, list[PlacementCheckIn]]
    # The conversation of each placement, oldest first (services/conversations.py).
    conversations: dict[int, list[PlacementMessage]]
    invitations: list[Invitation]
    notifications: list[Notification]
    api_tokens: list[ApiToken]
    login_sessions: list[LoginSession]
    looks: Page
    # The monthly check-ins of each placement (asked and answered), oldest first, and the contact's thanks.
    monthly_check_ins: dict[int, list[VolunteerCheckIn]] = field(default_factory=dict)
    thanks: dict[int, PlacementThanks] = field(default_factory=dict)
    # A professional's own monthly check-ins about the initiatives they are a contact person of.
    contact_check_ins: list[ContactCheckIn] = field(default_factory=list)
    # Who made a move or recorded a check-in, by user id: their role only (no names).
    actor_roles: dict[int, str] = field(default_factory=dict)


def consent_lines(session: orm.Session, user: User) -> list[ConsentLine]:
    """Every consent record of the person, newest first: what, the answer, which text, when, how, withdrawn."""
    recorder = orm.aliased(User)
    rows = session.execute(
        sa.select(Consent, recorder.organisation, recorder.role)
        .outerjoin(recorder, recorder.id == Consent.recorded_by_id)
        .where(Consent.user_id == user.id)
        .order_by(Consent.given_at.desc(), Consent.id.desc())
    ).all()
    return [ConsentLine(kind=record.kind, given=record.granted, at=record.given_at, how=record.source,
                        version=record.version, locale=record.locale, withdrawn_at=record.withdrawn_at,
                        organisation=record.organisation or organisation, recorded_by_role=role)
            for record, organisation, role in rows]


def looks_at(session: orm.Session, user: User, *, page: int | None) -> Page:
    """Staff looks at this resident's data, newest first: page `page` of 50, or all of them (None)."""
    actor = orm.aliased(User)
    query = (
        sa.select(AuditEntry.at, actor.organisation, actor.role, AuditEntry.action)
        .join(AuditResident, AuditResident.entry_id == AuditEntry.id)
        .join(actor, actor.id == AuditEntry.actor_id)
        .where(AuditResident.citizen_id == user.id, actor.role != Role.CITIZEN, actor.id != user.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if page is None:
        rows = [StaffLook(*row) for row in session.execute(query)]
        return Page(rows, 1, max(len(rows), 1), len(rows))
    count = sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    rows = [StaffLook(*row) for row in session.execute(
        query.limit(LOOKS_PER_PAGE).offset((page - 1) * LOOKS_PER_PAGE))]
    return Page(rows, page, LOOKS_PER_PAGE, session.scalar(count) or 0)


def collect(session: orm.Session, user: User, *, looks_page: int | None = None,
            now: dt.datetime | None = None) -> MyData:
    """Everything held about `user`, in the same number of statements however much there is.

    `looks_page` picks one page of staff looks (the page shows 50 at a time);
    None reads them all (the download and the printable page).
    """
    now = now or utcnow()
    profile = None
    if user.role == Role.CITIZEN:
        profile = session.scalar(
            sa.select(CitizenProfile).where(CitizenProfile.user_id == user.id).options(
                orm.joinedload(CitizenProfile.neighbourhood),
                orm.selectinload(CitizenProfile.interests),
                orm.selectinload(CitizenProfile.languages).joinedload(CitizenLanguage.language),
            ))
    placements = list(session.scalars(
        sa.select(Placement).where(Placement.citizen_id == user.id)
        .options(orm.joinedload(Placement.initiative).joinedload(Initiative.neighbourhood))
        .order_by(Placement.created_at.desc(), Placement.id.desc())
    ).unique())
    mine = sa.select(Placement.id).where(Placement.citizen_id == user.id).scalar_subquery()
    events: dict[int, list[PlacementEvent]] = defaultdict(list)
    actor_roles: dict[int, str] = {}
    for event, role in session.execute(
            sa.select(PlacementEvent, User.role).outerjoin(User, User.id == PlacementEvent.actor_id)
            .where(PlacementEvent.placement_id.in_(mine)).order_by(PlacementEvent.at, PlacementEvent.id)):
        events[event.placement_id].append(event)
        if role is not None:
            actor_roles[event.actor_id] = role
    check_ins: dict[int, list[PlacementCheckIn]] = defaultdict(list)
    for check_in, role in session.execute(
            sa.select(PlacementCheckIn, User.role).outerjoin(User, User.id == PlacementCheckIn.recorded_by_id)
            .where(PlacementCheckIn.placement_id.in_(mine)).order_by(PlacementCheckIn.at, PlacementCheckIn.id)):
        check_ins[check_in.placement_id].append(check_in)
        if role is not None:
            actor_roles[check_in.recorded_by_id] = role
    conversations: dict[int, list[PlacementMessage]] = defaultdict(list)
    for message, role in session.execute(
            sa.select(PlacementMessage, User.role).outerjoin(User, User.id == PlacementMessage.author_id)
            .where(PlacementMessage.placement_id.in_(mine)).order_by(PlacementMessage.id)):
        conversations[message.placement_id].append(message)
        if role is not None:
            actor_roles[message.author_id] = role
    monthly_check_ins: dict[int, list[VolunteerCheckIn]] = defaultdict(list)
    for answer in session.scalars(sa.select(VolunteerCheckIn).where(VolunteerCheckIn.placement_id.in_(mine))
                                  .order_by(VolunteerCheckIn.month, VolunteerCheckIn.id)):
        monthly_check_ins[answer.placement_id].append(answer)
    thanks: dict[int, PlacementThanks] = {}
    for written, role in session.execute(
            sa.select(PlacementThanks, User.role).outerjoin(User, User.id == PlacementThanks.author_id)
            .where(PlacementThanks.placement_id.in_(mine))):
        thanks[written.placement_id] = written
        if role is not None:
            actor_roles[written.author_id] = role
    contact_check_ins = list(session.scalars(
        sa.select(ContactCheckIn).where(ContactCheckIn.professional_id == user.id)
        .options(orm.joinedload(ContactCheckIn.initiative))
        .order_by(ContactCheckIn.month.desc(), ContactCheckIn.id.desc())))
    invitations = list(session.scalars(
        sa.select(Invitation).join(Invitation.placement).where(Placement.citizen_id == user.id)
        .options(orm.contains_eager(Invitation.placement).joinedload(Placement.initiative),
                 orm.joinedload(Invitation.sender))
        .order_by(Invitation.sent_at.desc(), Invitation.id.desc())
    ).unique())
    return MyData(
        user=user,
        profile=profile,
        consents=consent_lines(session, user),
        placements=placements,
        events=dict(events),
        check_ins=dict(check_ins),
        conversations=dict(conversations),
        invitations=invitations,
        notifications=list(session.scalars(
            sa.select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))),
        api_tokens=list(session.scalars(
            sa.select(ApiToken).where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))),
        login_sessions=list(session.scalars(
            sa.select(LoginSession).where(LoginSession.user_id == user.id, LoginSession.expires_at > now)
            .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc()))),
        looks=looks_at(session, user, page=looks_page),
        monthly_check_ins=dict(monthly_check_ins),
        thanks=thanks,
        contact_check_ins=contact_check_ins,
        actor_roles=actor_roles,
    )


def who(data: MyData, actor_id: int | None) -> str:
    """Who made a move or recorded a check-in, without a name: "you", a staff role, or "system"."""
    if actor_id is None:
        return "system"
    if actor_id == data.user.id:
        return "you"
    return data.actor_roles.get(actor_id, "system")


def my_data_document(session: orm.Session, user: User, *, now: dt.datetime | None = None) -> dict:
    """The whole JSON document of `user`'s data (the download and GET /api/v1/me/data)."""
    now = now or utcnow()
    return document(collect(session, user, now=now), now=now)


def document(data: MyData, *, now: dt.datetime) -> dict:
    """`data` as the documented JSON document: stable keys, codes rather than labels, times in UTC."""
    user = data.user
    return {
        "version": DOCUMENT_VERSION,
        "generated_at": _time(now),
        "account": {
            "id": user.id, "display_name": user.display_name, "email": user.email, "phone": user.phone,
            "preferred_locale": user.preferred_locale, "role": user.role, "organisation": user.organisation,
            "shares_phone_with_contacts": user.shares_phone, "shares_email_with_contacts": user.shares_email,
            "created_at": _time(user.created_at), "last_login_at": _time(user.last_login_at),
            # Professionals and coordinators: the languages they speak with residents (account details).
            "spoken_languages": [language.code for language in user.spoken_languages],
        },
        "profile": _profile(data.profile),
        "consents": [{"kind": line.kind, "given": line.given, "at": _time(line.at), "how": line.how,
                      "version": line.version, "locale": line.locale, "withdrawn_at": _time(line.withdrawn_at),
                      "organisation": line.organisation, "recorded_by_role": line.recorded_by_role}
                     for line in data.consents],
        "placements": [_placement(data, placement) for placement in data.placements],
        "invitations": [_invitation(invitation) for invitation in data.invitations],
        "messages": [
            {"id": message.id, "kind": message.kind, "details": message.payload or {}, "link": message.link,
             "created_at": _time(message.created_at), "read_at": _time(message.read_at)}
            for message in data.notifications
        ],
        "api_tokens": [
            {"id": token.id, "name": token.name, "created_at": _time(token.created_at),
             "last_used_at": _time(token.last_used_at), "revoked_at": _time(token.revoked_at)}
            for token in data.api_tokens
        ],
        "login_sessions": [
            {"id": login.id, "browser": login.browser, "platform": login.platform,
             "stays_logged_in": login.remembered, "created_at": _time(login.created_at),
             "last_seen_at": _time(login.last_seen_at), "expires_at": _time(login.expires_at)}
            for login in data.login_sessions
        ],
        "staff_looks": [
            {"at": _time(look.at), "organisation": look.organisation, "role": look.role, "action": look.action}
            for look in data.looks.items
        ],
        "contact_check_ins": [
            {"initiative": {"id": answer.initiative.id, "title": answer.initiative.title},
             "month": answer.month.isoformat(), "asked_at": _time(answer.asked_at),
             "answered_at": _time(answer.answered_at), "hours": answer.hours, "burden": answer.burden,
             "needs_help": answer.needs_help, "comment": answer.comment}
            for answer in data.contact_check_ins
        ],
    }


def _profile(profile: CitizenProfile | None) -> dict | None:
    if profile is None:
        return None
    return {
        "neighbourhood": ({"id": profile.neighbourhood.id, "name": profile.neighbourhood.name,
                           "district": profile.neighbourhood.district} if profile.neighbourhood else None),
        "languages": [{"code": known.language_code, "level": known.level}
                      for known in sorted(profile.languages, key=lambda known: known.language_code)],
        "interests": sorted(interest.code for interest in profile.interests),
        "wants_to_practise_dutch": profile.wants_to_practise_dutch,
        "availability": [slot_key(day, part) for day, part in mask_to_slots(profile.availability_slots)],
        "max_hours_per_week": profile.max_hours_per_week,
        "max_initiatives": profile.max_initiatives,
        "consent_to_contact": profile.consent_to_contact,
        "gender": profile.gender,
        "birth_year": profile.birth_year,
        "consent_given_at": _time(profile.consent_given_at),
        "updated_at": _time(profile.updated_at),
    }


def _placement(data: MyData, placement: Placement) -> dict:
    return {
        "id": placement.id,
        "initiative": {"id": placement.initiative.id, "title": placement.initiative.title},
        "state": placement.state,
        "created_at": _time(placement.created_at),
        "state_changed_at": _time(placement.state_changed_at),
        "starts_on": placement.starts_on.isoformat() if placement.starts_on else None,
        "last_activity_at": _time(placement.last_activity_at),
        "your_message": placement.citizen_message,
        "end_reason": placement.end_reason,
        "end_note": placement.end_note,
        "history": [
            {"from_state": event.from_state, "to_state": event.to_state, "at": _time(event.at),
             "by": who(data, event.actor_id), "reason": event.reason}
            for event in data.events.get(placement.id, [])
        ],
        "check_ins": [
            {"kind": check_in.kind, "at": _time(check_in.at), "by": who(data, check_in.recorded_by_id),
             "note": check_in.note, "minutes": check_in.minutes}
            for check_in in data.check_ins.get(placement.id, [])
        ],
        "monthly_check_ins": [
            {"month": answer.month.isoformat(), "asked_at": _time(answer.asked_at),
             "answered_at": _time(answer.answered_at), "answered_via": answer.answered_via,
             "still_helping": answer.still_helping, "appreciated": answer.appreciated,
             "supported": answer.supported, "too_much": answer.too_much, "comment": answer.comment}
            for answer in data.monthly_check_ins.get(placement.id, [])
        ],
        "thanks": _thanks(data, data.thanks.get(placement.id)),
        # Who wrote each message is "you" or a staff role, as for moves: never a name.
        "conversation": [
            {"at": _time(message.sent_at), "by": who(data, message.author_id), "text": message.body}
            for message in data.conversations.get(placement.id, [])
        ],
    }


def _thanks(data: MyData, thanks: PlacementThanks | None) -> dict | None:
    if thanks is None:
        return None
    return {"sentence": thanks.sentence, "written_at": _time(thanks.written_at), "by": who(data, thanks.author_id)}


def _invitation(invitation: Invitation) -> dict:
    sender = invitation.sender
    return {
        "id": invitation.id,
        "initiative": {"id": invitation.placement.initiative.id, "title": invitation.placement.initiative.title},
        # An erased sender's row stays for history, without a name: shown as nobody in particular.
        "sender": ({"display_name": sender.display_name, "organisation": sender.organisation}
                   if sender is not None and not sender.is_erased else None),
        "message": invitation.message,
        "sent_at": _time(invitation.sent_at), "expires_at": _time(invitation.expires_at),
        "opened_at": _time(invitation.opened_at), "answered_at": _time(invitation.answered_at),
        "answer": invitation.answer, "decline_reason": invitation.decline_reason,
        "withdrawn_at": _time(invitation.revoked_at),
    }


def _time(value: dt.datetime | None) -> str | None:
    """ISO 8601 in UTC, to the second, with a Z: one form for every time in the document."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def as_json(document: dict) -> str:
    """The document as the file a resident downloads: readable, UTF-8, keys in their documented order."""
    return json.dumps(document, ensure_ascii=False, indent=2)
