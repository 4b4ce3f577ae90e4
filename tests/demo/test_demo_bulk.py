"""Seeding by bulk writes: COPY on PostgreSQL, executemany batches on SQLite.

Whatever the path, the database must hold exactly the generated world, and
the app's own inserts afterwards must get fresh ids (the sequences moved on
with the copied rows).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from coprod_match.demo import bulk, generate_demo, seed_demo
from coprod_match.models import (
    Base,
    CitizenLanguage,
    CitizenProfile,
    ContactCheckIn,
    Initiative,
    InitiativeContact,
    InitiativeTask,
    InitiativeTaskVersion,
    InitiativeVersion,
    Invitation,
    Language,
    Neighbourhood,
    Placement,
    PlacementCheckIn,
    PlacementEvent,
    PlacementState,
    PlacementThanks,
    Role,
    User,
    VolunteerCheckIn,
    citizen_interests,
    user_languages,
)
from coprod_match.services.accounts import register_citizen
from coprod_match.services.placements import create_placement
from tests import factories

TODAY = dt.date(2026, 3, 2)
WORLD = {"seed": 5, "citizens": 60, "initiatives": 40, "today": TODAY}


def _plain(*values) -> tuple:
    """A row as plain values: enum members as their stored strings."""
    return tuple(str(v) if isinstance(v, enum.Enum) else v for v in values)


def _rows(session: orm.Session, query) -> Counter:
    return Counter(_plain(*row) for row in session.execute(query))


def _generated(session: orm.Session):
    query = sa.select(Neighbourhood.name, Neighbourhood.district)
    districts = dict(session.execute(query).tuples().all())
    return generate_demo(neighbourhoods=districts, **WORLD)


def test_the_database_holds_exactly_the_generated_world(db_session):
    added = seed_demo(db_session, **WORLD)
    db_session.commit()
    data = _generated(db_session)
    for table in Base.metadata.sorted_tables:
        if table.name in added:
            count = db_session.scalar(sa.select(sa.func.count()).select_from(table))
            assert count == added[table.name], table.name

    citizen = orm.aliased(User)
    actor = orm.aliased(User)
    assert _rows(db_session, sa.select(
        User.email, User.role, User.display_name, User.preferred_locale, User.organisation,
        User.is_enabled, User.created_at, User.last_login_at, User.pending_since,
    )) == Counter(
        [_plain(s.email, s.role, s.display_name, s.preferred_locale, s.organisation,
                s.is_enabled, s.created_at, None, None) for s in data.staff]
        + [_plain(c.email, Role.CITIZEN, c.display_name, c.preferred_locale, None, True,
                  c.created_at, None, None) for c in data.citizens]
    )
    assert _rows(db_session, sa.select(
        User.email, Neighbourhood.name, CitizenProfile.availability_slots,
        CitizenProfile.max_hours_per_week, CitizenProfile.max_initiatives,
        CitizenProfile.wants_to_practise_dutch, CitizenProfile.consent_to_contact,
        CitizenProfile.consent_given_at,
    ).join(CitizenProfile.user).outerjoin(CitizenProfile.neighbourhood)) == Counter(
        _plain(c.email, c.neighbourhood, c.availability_slots, c.max_hours_per_week,
               c.max_initiatives, c.wants_to_practise_dutch, c.consent_to_contact,
               c.consent_given_at)
        for c in data.citizens
    )
    assert _rows(db_session, sa.select(
        User.email, CitizenLanguage.language_code, CitizenLanguage.level
    ).join(User, User.id == CitizenLanguage.citizen_id)) == Counter(
        _plain(c.email, code, level) for c in data.citizens for code, level in c.languages
    )
    assert _rows(db_session, sa.select(User.email, citizen_interests.c.interest_code).join(
        User, User.id == citizen_interests.c.citizen_id
    )) == Counter((c.email, code) for c in data.citizens for code in c.interests)

    assert _rows(db_session, sa.select(
        Initiative.title, Initiative.description, Neighbourhood.name, Initiative.location,
        Initiative.status, Initiative.schedule_slots, Initiative.hours_per_week,
        Initiative.volunteers_min, Initiative.volunteers_ideal,
        Initiative.welcomes_dutch_learners, Initiative.start_date, Initiative.end_date,
        User.email, Initiative.created_at, Initiative.updated_at,
    ).join(Initiative.neighbourhood).join(User, User.id == Initiative.created_by_id)) == Counter(
        _plain(i.title, i.description, i.neighbourhood, i.location, i.status, i.schedule_slots,
               i.hours_per_week, i.volunteers_min, i.volunteers_ideal, i.welcomes_dutch_learners,
               i.start_date, i.end_date, i.contacts[0].professional_email, i.created_at,
               i.created_at)
        for i in data.initiatives
    )
    assert _rows(db_session, sa.select(
        Initiative.title, InitiativeTask.position, InitiativeTask.title, InitiativeTask.kind
    ).join(InitiativeTask, InitiativeTask.initiative_id == Initiative.id)) == Counter(
        _plain(i.title, position, title, kind)
        for i in data.initiatives for position, (title, kind) in enumerate(i.tasks)
    )
    assert _rows(db_session, sa.select(
        Initiative.title, User.email, InitiativeContact.starts_at, InitiativeContact.ends_at
    ).join(InitiativeContact, InitiativeContact.initiative_id == Initiative.id)
     .join(User, User.id == InitiativeContact.professional_id)) == Counter(
        (i.title, c.professional_email, c.starts_at, c.ends_at)
        for i in data.initiatives for c in i.contacts
    )
    assert _rows(db_session, sa.select(
        Initiative.title, Initiative.written_in, InitiativeVersion.locale, InitiativeVersion.title,
        InitiativeVersion.description, InitiativeVersion.updated_at,
    ).join(InitiativeVersion, InitiativeVersion.initiative_id == Initiative.id)) == Counter(
        (i.title, i.written_in, v.locale, v.title, v.description, i.created_at)
        for i in data.initiatives for v in i.versions
    )
    assert _rows(db_session, sa.select(
        Initiative.title, InitiativeTask.position, InitiativeTaskVersion.locale, InitiativeTaskVersion.title
    ).join(InitiativeTask, InitiativeTask.initiative_id == Initiative.id)
     .join(InitiativeTaskVersion, InitiativeTaskVersion.task_id == InitiativeTask.id)) == Counter(
        (i.title, position, v.locale, title)
        for i in data.initiatives for v in i.versions for position, title in enumerate(v.tasks)
    )
    assert _rows(db_session, sa.select(User.email, user_languages.c.language_code).join(
        User, User.id == user_languages.c.user_id
    )) == Counter((s.email, code) for s in data.staff for code in s.languages)

    by_placement = (
        sa.select(citizen.email, Initiative.title)
        .select_from(Placement)
        .join(citizen, citizen.id == Placement.citizen_id)
        .join(Initiative, Initiative.id == Placement.initiative_id)
    )
    assert _rows(db_session, by_placement.add_columns(
        Placement.state, Placement.created_at, Placement.state_changed_at, Placement.starts_on,
        Placement.last_activity_at, Placement.end_reason, Placement.end_note,
        Placement.citizen_message, Placement.came_through,
    )) == Counter(
        _plain(p.citizen_email, p.initiative_title, p.state, p.created_at, p.state_changed_at,
               p.starts_on, p.last_activity_at, p.end_reason, p.end_note, p.citizen_message,
               p.came_through)
        for p in data.placements
    )
    assert _rows(db_session, by_placement.add_columns(
        PlacementEvent.from_state, PlacementEvent.to_state, PlacementEvent.at, actor.email,
        PlacementEvent.reason,
    ).join(PlacementEvent, PlacementEvent.placement_id == Placement.id)
     .outerjoin(actor, actor.id == PlacementEvent.actor_id)) == Counter(
        _plain(p.citizen_email, p.initiative_title, e.from_state, e.to_state, e.at,
               e.actor_email, e.reason)
        for p in data.placements for e in p.events
    )
    assert _rows(db_session, by_placement.add_columns(
        PlacementCheckIn.kind, actor.email, PlacementCheckIn.at, PlacementCheckIn.note,
        PlacementCheckIn.minutes,
    ).join(PlacementCheckIn, PlacementCheckIn.placement_id == Placement.id)
     .outerjoin(actor, actor.id == PlacementCheckIn.recorded_by_id)) == Counter(
        _plain(p.citizen_email, p.initiative_title, c.kind, c.recorded_by_email, c.at, c.note,
               c.minutes)
        for p in data.placements for c in p.check_ins
    )
    assert _rows(db_session, by_placement.add_columns(
        VolunteerCheckIn.month, VolunteerCheckIn.asked_at, VolunteerCheckIn.expires_at,
        VolunteerCheckIn.answered_at, VolunteerCheckIn.answered_via, VolunteerCheckIn.still_helping,
        VolunteerCheckIn.appreciated, VolunteerCheckIn.supported, VolunteerCheckIn.too_much,
        VolunteerCheckIn.comment, sa.func.length(VolunteerCheckIn.token_hash),
    ).join(VolunteerCheckIn, VolunteerCheckIn.placement_id == Placement.id)) == Counter(
        _plain(p.citizen_email, p.initiative_title, c.month, c.asked_at,
               c.asked_at + dt.timedelta(days=21), c.answered_at, c.answered_via, c.still_helping,
               c.appreciated, c.supported, c.too_much, c.comment, 64)
        for p in data.placements for c in p.volunteer_check_ins
    )
    assert _rows(db_session, by_placement.add_columns(
        actor.email, PlacementThanks.sentence, PlacementThanks.written_at,
    ).join(PlacementThanks, PlacementThanks.placement_id == Placement.id)
     .outerjoin(actor, actor.id == PlacementThanks.author_id)) == Counter(
        (p.citizen_email, p.initiative_title, t.author_email, t.sentence, t.written_at)
        for p in data.placements if (t := p.thanks) is not None
    )
    assert _rows(db_session, sa.select(
        Initiative.title, User.email, ContactCheckIn.month, ContactCheckIn.asked_at,
        ContactCheckIn.answered_at, ContactCheckIn.hours, ContactCheckIn.burden,
        ContactCheckIn.needs_help, ContactCheckIn.comment,
    ).join(ContactCheckIn, ContactCheckIn.initiative_id == Initiative.id)
     .join(User, User.id == ContactCheckIn.professional_id)) == Counter(
        (c.initiative_title, c.professional_email, c.month, c.asked_at, c.answered_at, c.hours,
         c.burden, c.needs_help, c.comment)
        for c in data.contact_check_ins
    )
    assert _rows(db_session, by_placement.add_columns(
        actor.email, Invitation.message, Invitation.sent_at, Invitation.expires_at,
        Invitation.opened_at, Invitation.reminded_at, Invitation.answered_at, Invitation.answer,
        Invitation.decline_reason, Invitation.revoked_at, sa.func.length(Invitation.token_hash),
    ).join(Invitation, Invitation.placement_id == Placement.id)
     .outerjoin(actor, actor.id == Invitation.sender_id)) == Counter(
        _plain(p.citizen_email, p.initiative_title, v.sender_email, v.message, v.sent_at,
               v.expires_at, v.opened_at, None, v.answered_at, v.answer, v.decline_reason,
               None, 64)
        for p in data.placements if (v := p.invitation) is not None
    )


def _max_id(session: orm.Session, model) -> int:
    return session.scalar(sa.select(sa.func.max(model.id)))


def test_the_app_inserts_after_seeding_with_fresh_ids(db_session):
    seed_demo(db_session, **WORLD)
    db_session.commit()
    seeded = {model: _max_id(db_session, model)
              for model in (User, Initiative, InitiativeContact, Placement, PlacementEvent,
                            Invitation)}
    assert all(seeded.values())
    professional = db_session.scalar(sa.select(User).where(User.role == Role.PROFESSIONAL))

    resident = register_citizen(
        db_session, email="new.resident@example.org", password="Long-enough-passphrase-7",
        display_name="New Resident", neighbourhood=None, preferred_locale="nl",
    )
    walks = factories.initiative(db_session, title="A new walking group", contact=professional)
    applied = create_placement(db_session, resident, walks, PlacementState.APPLIED,
                               actor=resident)
    neighbour = db_session.scalar(
        sa.select(User).where(User.role == Role.CITIZEN, User.id < resident.id)
        .order_by(User.id.desc()).limit(1)
    )
    invited = create_placement(db_session, neighbour, walks, PlacementState.INVITED,
                               actor=professional)
    invitation = factories.invitation(db_session, invited, sender=professional)
    db_session.commit()

    assert resident.id > seeded[User]
    assert walks.id > seeded[Initiative]
    assert walks.contacts[0].id > seeded[InitiativeContact]
    assert min(applied.id, invited.id) > seeded[Placement]
    assert min(e.id for e in applied.events) > seeded[PlacementEvent]
    assert invitation.id > seeded[Invitation]


def test_every_sequence_is_past_the_copied_ids(db_session, db_backend):
    if db_backend != "postgresql":
        pytest.skip("SQLite has no sequences: a new row takes max(id) + 1")
    seed_demo(db_session, **WORLD)
    db_session.commit()
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.autoincrement:
            continue
        sequence = db_session.scalar(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"),
                                     {"t": table.name})
        if sequence is None:
            continue
        highest = db_session.scalar(sa.select(sa.func.max(table.c.id)))
        if highest is not None:
            last_value = db_session.scalar(sa.text(f"SELECT last_value FROM {sequence}"))
            assert last_value >= highest, table.name


def test_rows_go_in_batches_and_say_every_defaulted_column(db_session, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH_SIZE", 7)
    rows = [{"code": f"x{n:02d}", "english_name": f"Language {n}", "dutch_name": f"Taal {n}",
             "endonym": f"Lingua {n}"} for n in range(23)]
    assert bulk.write_rows(db_session, Language, iter(rows)) == 23
    assert bulk.write_rows(db_session, Language, []) == 0
    db_session.commit()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Language)) == 23
    assert db_session.get(Language, "x22").endonym == "Lingua 22"

    # Leaving out created_at would be filled in by an INSERT but not by COPY: refused.
    with pytest.raises(ValueError, match="created_at"):
        bulk.write_rows(db_session, User, [
            {"email": "x@example.org", "role": "citizen", "display_name": "X",
             "preferred_locale": "nl", "is_enabled": True, "password_hash": None},
        ])


def test_a_seed_rolled_back_leaves_nothing(db_session):
    """The copied rows belong to the session's transaction: one rollback takes them all back."""
    seed_demo(db_session, **WORLD)
    db_session.rollback()
    for model in (User, CitizenProfile, Initiative, Placement, PlacementEvent, Invitation):
        assert db_session.scalar(sa.select(sa.func.count()).select_from(model)) == 0, model
