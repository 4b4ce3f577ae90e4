"""`seed_demo`: write the generated demo to the database, adding only what is missing.

Rows go in with COPY on PostgreSQL and big executemany batches elsewhere
(`bulk.write_rows`); a second run finds everything by its natural key and
adds nothing. The caller commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import orm

from ..folding import fold
from ..links import PageLink
from ..models import (
    CitizenLanguage,
    CitizenProfile,
    Consent,
    ConsentKind,
    ConsentSource,
    ContactCheckIn,
    Initiative,
    InitiativeContact,
    InitiativeTask,
    InitiativeTaskVersion,
    InitiativeVersion,
    InterestCategory,
    Invitation,
    Language,
    Neighbourhood,
    Notification,
    Placement,
    PlacementCheckIn,
    PlacementEvent,
    PlacementThanks,
    Role,
    TargetGroup,
    User,
    VolunteerCheckIn,
    citizen_interests,
    initiative_interests,
    initiative_languages,
    initiative_target_groups,
    user_languages,
    user_work_areas,
)
from ..passwords import hash_password
from ..reference_data import load_reference_data
from ..services import consents
from ..services.check_ins.links import check_in_token
from ..services.check_ins.volunteers import ASKED
from ..services.search_text import refresh_search_text
from ..services.tokens import hash_token
from .accounts import DEFAULT_CITIZENS, DEFAULT_SEED, DEMO_PASSWORD
from .bulk import write_rows
from .generator import generate_demo
from .monthly import LINK_DAYS, months_until
from .seeds import DemoData, InitiativeSeed

# Counted before and after loading them, to report what the load added.
_REFERENCE_MODELS = (Neighbourhood, Language, InterestCategory, TargetGroup)


def _count(session: orm.Session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def seed_demo(
    session: orm.Session,
    *,
    seed: int = DEFAULT_SEED,
    citizens: int = DEFAULT_CITIZENS,
    initiatives: int | None = None,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Load reference data and add the demo's missing rows; returns rows added per table.

    Idempotent by natural keys (e-mail, initiative title, citizen and
    initiative): existing records are left as they are, including their
    children, so a record someone edited in the demo is not "repaired". An
    initiative that already has placements gets no new ones, which keeps
    "never more active volunteers than ideal" true whatever the sizes.
    Does not commit.
    """
    added: dict[str, int] = {}
    before = {model.__tablename__: _count(session, model) for model in _REFERENCE_MODELS}
    load_reference_data(session)
    for model in _REFERENCE_MODELS:
        added[model.__tablename__] = _count(session, model) - before[model.__tablename__]

    neighbourhood_ids: dict[str, int] = {}
    districts: dict[str, str] = {}
    query = sa.select(Neighbourhood.id, Neighbourhood.name, Neighbourhood.district)
    for row in session.execute(query):
        neighbourhood_ids[row.name] = row.id
        districts[row.name] = row.district
    today = today or dt.datetime.now(dt.UTC).date()
    data = generate_demo(
        seed=seed,
        citizens=citizens,
        initiatives=initiatives,
        today=today,
        neighbourhoods=districts,
    )
    _check_taxonomies(session, data)
    user_ids = _write_users(session, data, neighbourhood_ids, added)
    initiative_ids = _write_initiatives(session, data, neighbourhood_ids, user_ids, added)
    # The generator's "now" (monthly.months_until): this month's questions wait in the inbox.
    current_month = months_until(dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC))[-1]
    _write_placements(session, data, user_ids, initiative_ids, added,
                      secret_key=current_app.config["SECRET_KEY"], current_month=current_month)
    return added


def _check_taxonomies(session: orm.Session, data: DemoData) -> None:
    """Fail clearly when a municipality's own lists lack a code the demo uses."""
    needed = {
        Language: {code for c in data.citizens for code, _ in c.languages}
        | {code for i in data.initiatives for code in i.languages}
        | {code for s in data.staff for code in s.languages},
        InterestCategory: {code for c in data.citizens for code in c.interests}
        | {code for i in data.initiatives for code in i.interests},
        TargetGroup: {code for i in data.initiatives for code in i.target_groups},
    }
    for model, codes in needed.items():
        missing = codes - set(session.scalars(sa.select(model.code)))
        if missing:
            raise ValueError(
                f"the demo needs {model.__tablename__} codes missing from the reference data: "
                + ", ".join(sorted(missing))
            )


def _write_users(
    session: orm.Session, data: DemoData, neighbourhood_ids: Mapping[str, int], added: dict
) -> dict[str, int]:
    existing = set(session.scalars(sa.select(User.email)))
    new_staff = [s for s in data.staff if s.email not in existing]
    new_citizens = [c for c in data.citizens if c.email not in existing]
    # scrypt is slow on purpose: hash the shared password once, not once per account.
    password_hash = hash_password(DEMO_PASSWORD) if new_staff or new_citizens else None
    # Bulk rows go around the ORM event that folds a name for the resident search: they carry it themselves.
    user_rows = [
        {"email": s.email, "password_hash": password_hash, "role": s.role,
         "display_name": s.display_name, "search_name": fold(s.display_name)[:120],
         "preferred_locale": s.preferred_locale,
         "organisation": s.organisation, "is_enabled": s.is_enabled, "created_at": s.created_at,
         "is_municipal": s.is_municipal, "phone": s.phone, "work_email": s.work_email,
         "shares_phone": False, "shares_email": False}
        for s in new_staff
    ] + [
        {"email": c.email, "password_hash": password_hash, "role": Role.CITIZEN.value,
         "display_name": c.display_name, "search_name": fold(c.display_name)[:120],
         "preferred_locale": c.preferred_locale,
         "organisation": None, "is_enabled": True, "created_at": c.created_at,
         "is_municipal": False, "phone": c.phone, "work_email": None,
         "shares_phone": c.shares_phone, "shares_email": c.shares_email}
        for c in new_citizens
    ]
    added[User.__tablename__] = write_rows(session, User, user_rows)
    user_ids = {email: user_id for email, user_id in session.execute(
        sa.select(User.email, User.id)
    )}

    added[user_work_areas.name] = write_rows(session, user_work_areas, [
        {"user_id": user_ids[s.email], "neighbourhood_id": neighbourhood_ids[name]}
        for s in new_staff for name in s.work_areas
    ])
    added[user_languages.name] = write_rows(session, user_languages, [
        {"user_id": user_ids[s.email], "language_code": code}
        for s in new_staff for code in s.languages
    ])
    added[CitizenProfile.__tablename__] = write_rows(session, CitizenProfile, [
        {"user_id": user_ids[c.email],
         "neighbourhood_id": neighbourhood_ids[c.neighbourhood] if c.neighbourhood else None,
         "wants_to_practise_dutch": c.wants_to_practise_dutch,
         "availability_slots": c.availability_slots,
         "max_hours_per_week": c.max_hours_per_week,
         "max_initiatives": c.max_initiatives,
         "consent_to_contact": c.consent_to_contact,
         "consent_given_at": c.consent_given_at,
         "gender": c.gender, "birth_year": c.birth_year,
         "updated_at": c.consent_given_at or c.created_at}
        for c in new_citizens
    ])
    # Each yes is a record too, as if said on the profile page (services/consents.py keeps them in step).
    consenting = [c for c in new_citizens if c.consent_to_contact]
    wording = {locale: consents.wording_shown(locale, consents.INVITATIONS_WORDING, consents.INVITATIONS_HINT)
               for locale in {c.preferred_locale for c in consenting}}
    added[Consent.__tablename__] = write_rows(session, Consent, [
        {"user_id": user_ids[c.email], "kind": ConsentKind.INVITATIONS.value, "granted": True,
         "version": wording[c.preferred_locale].version, "locale": c.preferred_locale,
         "given_at": c.consent_given_at, "source": ConsentSource.SELF.value, "recorded_by_id": None,
         "organisation": None, "invitation_id": None, "withdrawn_at": None}
        for c in consenting
    ])
    added[CitizenLanguage.__tablename__] = write_rows(session, CitizenLanguage, [
        {"citizen_id": user_ids[c.email], "language_code": code, "level": str(level)}
        for c in new_citizens for code, level in c.languages
    ])
    added[citizen_interests.name] = write_rows(session, citizen_interests, [
        {"citizen_id": user_ids[c.email], "interest_code": code}
        for c in new_citizens for code in c.interests
    ])
    return user_ids


def _write_initiatives(
    session: orm.Session,
    data: DemoData,
    neighbourhood_ids: Mapping[str, int],
    user_ids: Mapping[str, int],
    added: dict,
) -> dict[str, int]:
    existing = set(session.scalars(sa.select(Initiative.title)))
    new = [i for i in data.initiatives if i.title not in existing]
    added[Initiative.__tablename__] = write_rows(session, Initiative, [
        {"title": i.title, "description": i.description,
         "neighbourhood_id": neighbourhood_ids[i.neighbourhood], "location": i.location,
         "status": i.status, "schedule_slots": i.schedule_slots,
         "hours_per_week": i.hours_per_week, "volunteers_min": i.volunteers_min,
         "volunteers_ideal": i.volunteers_ideal,
         "welcomes_dutch_learners": i.welcomes_dutch_learners,
         "open_to": i.open_to, "written_in": i.written_in,
         "start_date": i.start_date, "end_date": i.end_date,
         "created_by_id": user_ids[i.contacts[0].professional_email],
         "created_at": i.created_at, "updated_at": i.created_at}
        for i in new
    ])
    # Titles are not unique in the schema: the oldest initiative with a title is the demo's.
    initiative_ids: dict[str, int] = {}
    for title, initiative_id in session.execute(
        sa.select(Initiative.title, Initiative.id).order_by(Initiative.id)
    ).tuples():
        initiative_ids.setdefault(title, initiative_id)

    def rows(attribute: str, column: str) -> list[dict]:
        return [{"initiative_id": initiative_ids[i.title], column: code}
                for i in new for code in getattr(i, attribute)]

    added[initiative_interests.name] = write_rows(
        session, initiative_interests, rows("interests", "interest_code"))
    added[initiative_target_groups.name] = write_rows(
        session, initiative_target_groups, rows("target_groups", "target_group_code"))
    added[initiative_languages.name] = write_rows(
        session, initiative_languages, rows("languages", "language_code"))
    added[InitiativeTask.__tablename__] = write_rows(session, InitiativeTask, [
        {"initiative_id": initiative_ids[i.title], "position": position, "title": title,
         "kind": str(kind)}
        for i in new for position, (title, kind) in enumerate(i.tasks)
    ])
    added[InitiativeContact.__tablename__] = write_rows(session, InitiativeContact, [
        {"initiative_id": initiative_ids[i.title],
         "professional_id": user_ids[c.professional_email],
         "starts_at": c.starts_at, "ends_at": c.ends_at}
        for i in new for c in i.contacts
    ])
    _write_versions(session, new, initiative_ids, added)
    # A contact's monthly answers belong to the initiative: written with it, once.
    titles = {i.title for i in new}
    added[ContactCheckIn.__tablename__] = write_rows(session, ContactCheckIn, [
        {"initiative_id": initiative_ids[c.initiative_title],
         "professional_id": user_ids[c.professional_email], "month": c.month, "asked_at": c.asked_at,
         "answered_at": c.answered_at, "hours": c.hours, "burden": c.burden,
         "needs_help": c.needs_help, "comment": c.comment}
        for c in data.contact_check_ins if c.initiative_title in titles
    ])
    # The search document of each initiative is rebuilt by a flush hook that bulk writes go around.
    refresh_search_text(session, [initiative_ids[i.title] for i in new])
    return initiative_ids


def _write_versions(
    session: orm.Session, new: Sequence[InitiativeSeed], initiative_ids: Mapping[str, int], added: dict
) -> None:
    """The new initiatives' other languages, each version's tasks paired with the original's by position.

    Only for initiatives written in this run, like their tasks: a version
    someone edited or removed in the demo stays as it is.
    """
    added[InitiativeVersion.__tablename__] = write_rows(session, InitiativeVersion, [
        {"initiative_id": initiative_ids[i.title], "locale": v.locale, "title": v.title,
         "description": v.description, "updated_at": i.created_at}
        for i in new for v in i.versions
    ])
    with_versions = [i for i in new if i.versions]
    if not with_versions:
        added[InitiativeTaskVersion.__tablename__] = 0
        return
    wanted = {initiative_ids[i.title] for i in with_versions}
    task_ids = {
        (initiative_id, position): task_id
        for task_id, initiative_id, position in session.execute(
            sa.select(InitiativeTask.id, InitiativeTask.initiative_id, InitiativeTask.position)
            .where(InitiativeTask.initiative_id.in_(wanted))
        ).tuples()
    }
    added[InitiativeTaskVersion.__tablename__] = write_rows(session, InitiativeTaskVersion, [
        {"task_id": task_ids[initiative_ids[i.title], position], "locale": v.locale, "title": title}
        for i in with_versions for v in i.versions for position, title in enumerate(v.tasks)
    ])


def _write_placements(
    session: orm.Session,
    data: DemoData,
    user_ids: Mapping[str, int],
    initiative_ids: Mapping[str, int],
    added: dict,
    *,
    secret_key: str,
    current_month: dt.date,
) -> None:
    existing_pairs = set(
        session.execute(sa.select(Placement.citizen_id, Placement.initiative_id)).tuples()
    )
    staffed = {initiative_id for _, initiative_id in existing_pairs}
    new = []
    for p in data.placements:
        key = (user_ids[p.citizen_email], initiative_ids[p.initiative_title])
        if key[1] not in staffed and key not in existing_pairs:
            new.append((key, p))
    added[Placement.__tablename__] = write_rows(session, Placement, [
        {"citizen_id": citizen_id, "initiative_id": initiative_id, "state": p.state,
         "created_at": p.created_at, "state_changed_at": p.state_changed_at,
         "starts_on": p.starts_on, "last_activity_at": p.last_activity_at,
         "end_reason": p.end_reason, "end_note": p.end_note,
         "citizen_message": p.citizen_message, "came_through": p.came_through}
        for (citizen_id, initiative_id), p in new
    ])
    if not new:
        for table in (PlacementEvent, PlacementCheckIn, Invitation, VolunteerCheckIn, PlacementThanks,
                      Notification):
            added[table.__tablename__] = 0
        return
    new_initiatives = {initiative_id for (_, initiative_id), _ in new}
    # The pairs were new, so each maps to exactly one placement id.
    placement_ids = {
        (citizen_id, initiative_id): placement_id
        for placement_id, citizen_id, initiative_id in session.execute(
            sa.select(Placement.id, Placement.citizen_id, Placement.initiative_id)
        ).tuples()
        if initiative_id in new_initiatives
    }

    def actor(email: str | None) -> int | None:
        return None if email is None else user_ids[email]

    added[PlacementEvent.__tablename__] = write_rows(session, PlacementEvent, [
        {"placement_id": placement_ids[key], "from_state": e.from_state, "to_state": e.to_state,
         "actor_id": actor(e.actor_email), "at": e.at, "reason": e.reason}
        for key, p in new for e in p.events
    ])
    added[PlacementCheckIn.__tablename__] = write_rows(session, PlacementCheckIn, [
        {"placement_id": placement_ids[key], "kind": c.kind,
         "recorded_by_id": actor(c.recorded_by_email), "at": c.at, "note": c.note,
         "minutes": c.minutes}
        for key, p in new for c in p.check_ins
    ])
    def check_in_hash(placement_id: int, c) -> str:
        # The showcase's link is real (signed with the app's key, `flask demo logins` prints it);
        # as with invitations, every other link's token is random and thrown away.
        if c.signed_link:
            return hash_token(check_in_token(placement_id, c.month, c.asked_at + dt.timedelta(days=LINK_DAYS),
                                             secret_key))
        return hashlib.sha256(secrets.token_bytes(32)).hexdigest()

    added[VolunteerCheckIn.__tablename__] = write_rows(session, VolunteerCheckIn, [
        {"placement_id": placement_ids[key], "month": c.month, "asked_at": c.asked_at,
         "token_hash": check_in_hash(placement_ids[key], c),
         "expires_at": c.asked_at + dt.timedelta(days=LINK_DAYS), "answered_at": c.answered_at,
         "answered_via": c.answered_via, "still_helping": c.still_helping,
         "appreciated": c.appreciated, "supported": c.supported, "too_much": c.too_much,
         "comment": c.comment}
        for key, p in new for c in p.volunteer_check_ins
    ])
    _write_check_in_messages(session, {placement_ids[key] for key, _ in new}, current_month, added)
    added[PlacementThanks.__tablename__] = write_rows(session, PlacementThanks, [
        {"placement_id": placement_ids[key], "author_id": actor(p.thanks.author_email),
         "sentence": p.thanks.sentence, "written_at": p.thanks.written_at}
        for key, p in new if p.thanks is not None
    ])
    # Only the hash of an invitation token is stored; demo links are never sent, so the
    # tokens behind these hashes are random and thrown away.
    added[Invitation.__tablename__] = write_rows(session, Invitation, [
        {"placement_id": placement_ids[key], "sender_id": actor(p.invitation.sender_email),
         "message": p.invitation.message,
         "token_hash": hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
         "sent_at": p.invitation.sent_at, "expires_at": p.invitation.expires_at,
         "opened_at": p.invitation.opened_at, "reminded_at": None,
         "answered_at": p.invitation.answered_at, "answer": p.invitation.answer,
         "decline_reason": p.invitation.decline_reason, "revoked_at": None}
        for key, p in new if p.invitation is not None
    ])


def _write_check_in_messages(session: orm.Session, placement_ids: set[int], month: dt.date, added: dict) -> None:
    """The inbox message of each question of this month still waiting, as services/check_ins leaves it.

    Its mail is not sent: the demo's addresses are not real.
    """
    waiting = session.execute(
        sa.select(VolunteerCheckIn.id, VolunteerCheckIn.asked_at, Placement.citizen_id, Initiative.id,
                  Initiative.title)
        .join(Placement, Placement.id == VolunteerCheckIn.placement_id)
        .join(Initiative, Initiative.id == Placement.initiative_id)
        .where(VolunteerCheckIn.month == month, VolunteerCheckIn.answered_at.is_(None),
               VolunteerCheckIn.placement_id.in_(placement_ids))
    ).tuples().all()
    # A plain INSERT, not write_rows: COPY would not encode the JSON payload; these rows are few.
    messages = [
        {"user_id": citizen_id, "kind": ASKED,
         "payload": {"initiative_id": initiative_id, "initiative_title": title},
         "link": PageLink("check_ins.mine", check_in_id=check_in_id).path(), "created_at": asked_at,
         "read_at": None}
        for check_in_id, asked_at, citizen_id, initiative_id, title in waiting
    ]
    if messages:
        session.execute(sa.insert(Notification), messages)
    added[Notification.__tablename__] = len(messages)
