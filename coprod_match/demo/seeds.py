"""What the demo generator produces: plain values keyed by natural keys, no database ids."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StaffSeed:
    email: str
    role: str
    display_name: str
    organisation: str
    preferred_locale: str
    is_enabled: bool
    work_areas: tuple[str, ...]
    created_at: dt.datetime
    is_municipal: bool = False
    # Work details residents see on "My initiatives" (demo/contact.py); professionals only.
    phone: str | None = None
    work_email: str | None = None
    # Languages they speak with residents (user_languages); professionals only.
    languages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CitizenSeed:
    email: str
    display_name: str
    preferred_locale: str
    neighbourhood: str | None
    languages: tuple[tuple[str, str], ...]
    interests: tuple[str, ...]
    availability_slots: int
    max_hours_per_week: int | None
    max_initiatives: int
    wants_to_practise_dutch: bool
    consent_to_contact: bool
    consent_given_at: dt.datetime | None
    created_at: dt.datetime
    # Optional answers (open_to.py); None: not said.
    gender: str | None = None
    birth_year: int | None = None
    # Contact details and whether the resident shares them with their contact persons (demo/contact.py).
    phone: str | None = None
    shares_phone: bool = False
    shares_email: bool = False


@dataclass(frozen=True, slots=True)
class ContactSeed:
    professional_email: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class InitiativeVersionSeed:
    """The initiative in another language: its tasks pair with the original's by position."""

    locale: str
    title: str
    description: str
    tasks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InitiativeSeed:
    title: str
    description: str
    neighbourhood: str
    location: str
    status: str
    schedule_slots: int
    hours_per_week: int
    volunteers_min: int
    volunteers_ideal: int
    welcomes_dutch_learners: bool
    start_date: dt.date
    end_date: dt.date | None
    target_groups: tuple[str, ...]
    interests: tuple[str, ...]
    languages: tuple[str, ...]
    tasks: tuple[tuple[str, str], ...]
    contacts: tuple[ContactSeed, ...]
    created_at: dt.datetime
    open_to: str = "everyone"
    written_in: str = "nl"  # the language of title, description and tasks
    versions: tuple[InitiativeVersionSeed, ...] = ()


@dataclass(frozen=True, slots=True)
class EventSeed:
    from_state: str | None
    to_state: str
    at: dt.datetime
    actor_email: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class CheckInSeed:
    kind: str
    recorded_by_email: str
    at: dt.datetime
    note: str | None
    # Time given that day (attendance and "I helped today"), when recorded.
    minutes: int | None = None


@dataclass(frozen=True, slots=True)
class VolunteerCheckInSeed:
    """One month's question to a volunteer about one placement, and the answer if any."""

    month: dt.date  # first day of the local month
    asked_at: dt.datetime
    answered_at: dt.datetime | None
    answered_via: str | None
    still_helping: str | None
    appreciated: int | None
    supported: int | None
    too_much: int | None
    comment: str | None
    # The showcase's open question: the writer stores the hash of a real signed link, so the
    # link `flask demo logins` prints works (once).
    signed_link: bool = False


@dataclass(frozen=True, slots=True)
class ContactCheckInSeed:
    """One month's question to a contact professional about one initiative, and the answer if any."""

    initiative_title: str
    professional_email: str
    month: dt.date
    asked_at: dt.datetime
    answered_at: dt.datetime | None
    hours: int | None
    burden: str | None
    needs_help: bool | None
    comment: str | None


@dataclass(frozen=True, slots=True)
class ThanksSeed:
    author_email: str
    sentence: str
    written_at: dt.datetime


@dataclass(frozen=True, slots=True)
class InvitationSeed:
    sender_email: str | None
    message: str
    sent_at: dt.datetime
    expires_at: dt.datetime
    opened_at: dt.datetime | None
    answered_at: dt.datetime | None
    answer: str | None
    decline_reason: str | None


@dataclass(frozen=True, slots=True)
class PlacementSeed:
    citizen_email: str
    initiative_title: str
    state: str
    created_at: dt.datetime
    state_changed_at: dt.datetime
    starts_on: dt.date | None
    last_activity_at: dt.datetime | None
    end_reason: str | None
    end_note: str | None
    citizen_message: str | None
    events: tuple[EventSeed, ...]
    check_ins: tuple[CheckInSeed, ...]
    invitation: InvitationSeed | None
    came_through: str = "own"
    volunteer_check_ins: tuple[VolunteerCheckInSeed, ...] = ()
    thanks: ThanksSeed | None = None


@dataclass(frozen=True)
class DemoData:
    staff: tuple[StaffSeed, ...]
    citizens: tuple[CitizenSeed, ...]
    initiatives: tuple[InitiativeSeed, ...]
    placements: tuple[PlacementSeed, ...]
    contact_check_ins: tuple[ContactCheckInSeed, ...] = ()
