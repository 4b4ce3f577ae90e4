"""Test factories: the one place that knows how to build each record the tests need.

Each factory adds its record to the session and flushes, so the record has
an id; committing is left to the caller (a test's world fixture usually
commits once, at the end). Keyword arguments name what a test cares about;
anything left out keeps the factory's or the model's default. Users come
from conftest's `make_user` fixture, which commits each one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm

from coprod_match.models import (
    AlertKind,
    CitizenLanguage,
    CitizenProfile,
    ContinuityAlert,
    Initiative,
    InitiativeContact,
    InitiativeStatus,
    InterestCategory,
    Invitation,
    Language,
    Neighbourhood,
    Placement,
    PlacementState,
    Role,
    User,
    utcnow,
)
from coprod_match.schedule import slots_to_mask
from coprod_match.services.api_tokens import create_api_token
from tests.conftest import login_as

TUESDAY_MORNING = slots_to_mask([("tue", "morning")])
# The app's default (INVITATION_EXPIRY_DAYS); rows built here skip the service that reads it.
INVITATION_LIFETIME = dt.timedelta(days=14)


def neighbourhood_named(session, name: str) -> Neighbourhood:
    """A neighbourhood of the reference data, by name."""
    return session.scalar(sa.select(Neighbourhood).where(Neighbourhood.name == name))


def neighbourhoods_named(session, *names: str) -> list[Neighbourhood]:
    return [neighbourhood_named(session, name) for name in names]


def initiative(session, *, title: str = "Sports for women", neighbourhood: str = "Transvaal",
               status: InitiativeStatus = InitiativeStatus.OPEN, start_date: dt.date = dt.date(2025, 1, 1),
               volunteers_min: int = 1, volunteers_ideal: int = 4, contact: User | None = None,
               languages: Iterable[str] = (), interests: Iterable[str] = (), **fields) -> Initiative:
    """An initiative, open by default; `contact` becomes its current contact person.

    `languages` and `interests` are codes of the reference data; `fields` are
    any other columns (description, schedule_slots, end_date, hours_per_week...).
    """
    record = Initiative(
        title=title, neighbourhood=neighbourhood_named(session, neighbourhood), status=status,
        start_date=start_date, volunteers_min=volunteers_min, volunteers_ideal=volunteers_ideal,
        languages=[session.get(Language, code) for code in languages],
        interests=[session.get(InterestCategory, code) for code in interests],
        **fields,
    )
    if contact is not None:
        record.contacts.append(InitiativeContact(professional_id=contact.id))
    session.add(record)
    session.flush()
    return record


def day_care(session, *, contact: User | None = None, volunteers_min: int = 2,
             volunteers_ideal: int = 3) -> Initiative:
    """Day care for elderly migrants in Schilderswijk, on Tuesday mornings, for Turkish speakers.

    The initiative the matching tests look for people for: a citizen built with
    `profile(..., availability_slots=TUESDAY_MORNING, native_languages=["tr"])` fits it.
    """
    return initiative(session, title="Day care for elderly migrants", neighbourhood="Schilderswijk",
                      schedule_slots=TUESDAY_MORNING, languages=["tr"], volunteers_min=volunteers_min,
                      volunteers_ideal=volunteers_ideal, contact=contact)


def profile(citizen: User, *, availability_slots: int | None = None, native_languages: Iterable[str] = (),
            max_initiatives: int | None = None, consents: bool = False) -> User:
    """Fill in what a citizen says on the profile page; what is not named stays as it was.

    `consents` records that the citizen agreed to be invited, as of now.
    """
    details = citizen.citizen_profile
    if availability_slots is not None:
        details.availability_slots = availability_slots
    for code in native_languages:
        details.languages.append(CitizenLanguage(language_code=code, level="native"))
    if max_initiatives is not None:
        details.max_initiatives = max_initiatives
    if consents:  # as the profile page records it: a consent record, and the profile's column in step
        from coprod_match.services import consents as consent_records

        session = orm.object_session(citizen)
        session.flush()
        consent_records.answer_invitations(
            session, citizen, True,
            shown=consent_records.wording_shown(citizen.preferred_locale, consent_records.INVITATIONS_WORDING))
    return citizen


def placement(session, citizen: User, initiative: Initiative, state: PlacementState = PlacementState.ACTIVE, *,
              since: dt.datetime | None = None, **fields) -> Placement:
    """A citizen's placement in an initiative, written straight to its state (no moves, no events).

    `since` is when it reached that state and was last active, which the
    continuity rules read; without it both are the model's defaults.
    """
    if since is not None:
        fields = {"created_at": since, "state_changed_at": since, "last_activity_at": since, **fields}
    record = Placement(citizen_id=citizen.id, initiative_id=initiative.id, state=state, **fields)
    session.add(record)
    session.flush()
    return record


def pending_citizen(session, *, email: str, name: str = "Sam", since: dt.datetime | None = None) -> User:
    """A pending account, as an e-mail invitation makes one: no password, disabled, nowhere to be seen."""
    record = User(email=email, password_hash=None, role=Role.CITIZEN, display_name=name, preferred_locale="en",
                  is_enabled=False, pending_since=since or utcnow())
    record.citizen_profile = CitizenProfile()
    session.add(record)
    session.flush()
    return record


def invitation(session, placement: Placement, *, sender: User, sent_at: dt.datetime | None = None,
               **fields) -> Invitation:
    """The invitation row of a placement, sent by `sender`, open for the usual fourteen days.

    Its token is random and never known: tests that follow the link send
    through the invitation service instead. `fields` are the answer, opened_at...
    """
    sent_at = sent_at or utcnow()
    record = Invitation(placement_id=placement.id, sender_id=sender.id, token_hash=secrets.token_hex(32),
                        sent_at=sent_at, expires_at=sent_at + INVITATION_LIFETIME, **fields)
    session.add(record)
    session.flush()
    return record


def alert(session, initiative: Initiative, kind: AlertKind, *, details: dict | None = None,
          **fields) -> ContinuityAlert:
    """An unresolved continuity alert about an initiative, keyed as the scan keys it."""
    record = ContinuityAlert(kind=kind, initiative_id=initiative.id, condition_key=f"{kind}:i{initiative.id}",
                             neighbourhood_id=initiative.neighbourhood_id, details=details or {}, **fields)
    session.add(record)
    session.flush()
    return record


def api_headers(session, user: User, *, actor: User | None) -> dict[str, str]:
    """Request headers carrying a new API token of `user`'s, made by `actor` (None: by the system)."""
    _record, token = create_api_token(session, user, "tests", actor=actor)
    return {"Authorization": f"Bearer {token}"}


def client_for(app, user: User | None = None):
    """A test client logged in as `user`, or anonymous without one."""
    client = app.test_client()
    if user is not None:
        login_as(client, user)
    return client


def invitation_world(session, make_user) -> dict:
    """The invitation pages' people: Fatima runs the day care, Ayse (Turkish, free on Tuesday mornings) fits it."""
    contact = make_user(Role.PROFESSIONAL, name="Fatima the nurse")
    care = day_care(session, contact=contact)
    ayse = profile(make_user(Role.CITIZEN, name="Ayse", locale="nl", email="ayse@example.org"),
                   availability_slots=TUESDAY_MORNING, native_languages=["tr"], consents=True)
    session.commit()
    return {"day_care": care, "ayse": ayse, "contact": contact,
            "other": make_user(Role.PROFESSIONAL), "coordinator": make_user(Role.COORDINATOR)}


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app with `secret` shows now, or `steps_ahead` 30-second steps later."""
    import time

    import pyotp

    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def two_factor_on(session, user: User) -> tuple[str, list[str]]:
    """Set up two-factor for `user` through the service, as the setup page does: (secret, recovery codes).

    The setup used the current step's code, so the next code that works is `app_code(secret, steps_ahead=1)`.
    """
    from coprod_match.services import two_factor

    record = two_factor.begin_setup(session, user)
    codes = two_factor.enable(session, user, app_code(record.secret))
    return record.secret, codes
