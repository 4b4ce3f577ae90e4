"""The domain's words: states, kinds, limits, locales and the local time zone.

Plain Python only (no Flask, no SQLAlchemy), so the pure cores (matching,
continuity rules, CSV reading and validation) and the models, forms, API
schemas and templates all take their code lists and limits from one place.
"""

from __future__ import annotations

import enum
from zoneinfo import ZoneInfo

from babel import Locale

# Times are stored in UTC and shown, and "today" is decided, in The Hague's zone.
LOCAL_TIME_ZONE_NAME = "Europe/Amsterdam"
LOCAL_ZONE = ZoneInfo(LOCAL_TIME_ZONE_NAME)

# Interface languages; the first is the default.
# The interface languages: those the neighbourhoods speak (issue 15). Dutch first: the default.
UI_LOCALES = ("nl", "en", "tr", "ar", "pl", "bg", "uk")


def _own_name(code: str) -> str:
    name = Locale.parse(code).get_display_name(code)
    return name[:1].upper() + name[1:]


# Each language named in itself ("Türkçe", "العربية"), so a person finds theirs whatever the page's language.
LANGUAGE_SELF_NAMES: dict[str, str] = {code: _own_name(code) for code in UI_LOCALES}


class Role(enum.StrEnum):
    CITIZEN = "citizen"
    PROFESSIONAL = "professional"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


# Staff who oversee every initiative (the plan, alerts, drafts).
OVERSEER_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})


class LanguageLevel(enum.StrEnum):
    NATIVE = "native"
    FLUENT = "fluent"
    CONVERSATIONAL = "conversational"
    BASIC = "basic"


class InitiativeStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


# Initiatives anyone may look at; drafts only by those who manage or oversee them.
PUBLIC_INITIATIVE_STATUSES = frozenset(
    {InitiativeStatus.OPEN, InitiativeStatus.PAUSED, InitiativeStatus.CLOSED}
)


class Gender(enum.StrEnum):
    """What a resident may say about themselves; not saying anything is allowed too (no value)."""

    WOMAN = "woman"
    MAN = "man"
    OTHER = "other"
    RATHER_NOT_SAY = "rather_not_say"


class OpenTo(enum.StrEnum):
    """Who an initiative is open to (sports for migrant women: women only)."""

    EVERYONE = "everyone"
    WOMEN = "women"
    MEN = "men"


class TaskKind(enum.StrEnum):
    CORE = "core"
    # Simple tasks beside the core work (coffee, games, cleaning, accompanying):
    # an easy first step for people who doubt they can contribute.
    COMPLEMENTARY = "complementary"


class PlacementState(enum.StrEnum):
    SUGGESTED = "suggested"
    INVITED = "invited"
    # The citizen applied ("I'd like to help"; the pages say "sign up") and waits for an answer.
    # The same word names the page's route, the service and the notification kind.
    APPLIED = "applied"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REJECTED = "rejected"
    EXPIRED = "expired"
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


FINAL_STATES = frozenset(
    {PlacementState.DECLINED, PlacementState.REJECTED, PlacementState.EXPIRED, PlacementState.ENDED}
)
LIVE_STATES = frozenset(PlacementState) - FINAL_STATES
# States that hold one of the initiative's places (at most volunteers_ideal of them).
PLACE_HOLDING_STATES = frozenset(
    {PlacementState.ACCEPTED, PlacementState.ACTIVE, PlacementState.PAUSED}
)
# A citizen's live involvement apart from a mere suggestion.
COMMITTED_STATES = LIVE_STATES - {PlacementState.SUGGESTED}


class EndReason(enum.StrEnum):
    NO_TIME = "no_time"
    HEALTH = "health"
    MOVED = "moved"
    NOT_A_FIT = "not_a_fit"
    INITIATIVE_CLOSED = "initiative_closed"
    OTHER = "other"
    # The person erased their account (or it was erased): nobody chooses this in a form.
    LEFT_SERVICE = "left_service"


# End reasons a person may pick on a page or in the API; the others are set by the system.
CHOSEN_END_REASONS = tuple(reason for reason in EndReason if reason != EndReason.LEFT_SERVICE)


class CheckInKind(enum.StrEnum):
    # The professional records that the volunteer took part.
    ACTIVITY = "activity"
    # The citizen confirms "I'm still helping" (a monthly check-in answered "yes").
    CITIZEN_CONFIRMED = "citizen_confirmed"
    # The citizen says "I helped today" from My initiatives.
    CITIZEN_HELPED = "citizen_helped"


class CameThrough(enum.StrEnum):
    """How a volunteer came into a placement: the channels the dashboard compares."""

    # A professional (a linking pin) invited them personally.
    INVITATION = "invitation"
    # They found the initiative and signed up themselves.
    OWN = "own"
    # A coordinator invited them from the district plan.
    PLAN = "plan"


class StillHelping(enum.StrEnum):
    """A volunteer's answer to "Are you still helping at X?"."""

    YES = "yes"
    PAUSED = "paused"
    STOPPED = "stopped"


class Burden(enum.StrEnum):
    """A contact professional's answer to "The volunteers make my work ..."."""

    LIGHTER = "lighter"
    SAME = "same"
    HEAVIER = "heavier"


# The five-point scales of a volunteer check-in ("I feel appreciated": 1 = not at all, 5 = very much).
SCALE_MIN, SCALE_MAX = 1, 5


class InvitationAnswer(enum.StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"


class DeclineReason(enum.StrEnum):
    NOT_NOW = "not_now"
    NOT_MY_THING = "not_my_thing"
    TOO_FAR = "too_far"
    LANGUAGE = "language"
    OTHER = "other"


class AlertKind(enum.StrEnum):
    SINGLE_VOLUNTEER = "single_volunteer"
    NO_VOLUNTEERS = "no_volunteers"
    BELOW_MINIMUM = "below_minimum"
    NO_CONTACT = "no_contact"
    ENDING_SOON = "ending_soon"
    VOLUNTEER_OVERLOAD = "volunteer_overload"
    VOLUNTEER_INACTIVE = "volunteer_inactive"
    # From the monthly check-ins: a volunteer under strain, a contact under strain,
    # an initiative whose volunteers stopped answering.
    VOLUNTEER_STRAIN = "volunteer_strain"
    CONTACT_STRAIN = "contact_strain"
    CHECK_INS_UNANSWERED = "check_ins_unanswered"


class AlertStatus(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class JobOutcome(enum.StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"


class Limits:
    """How long a text and how large a number may be, wherever it is entered.

    Forms, API schemas, CSV validation and the services read these, so a value
    accepted by one door is accepted by every door. Text limits match the
    database columns where a column has a length.
    """

    EMAIL = 254
    PERSON_NAME = 120
    PASSWORD_MIN = 10
    PASSWORD_MAX = 200
    ORGANISATION = 160
    API_TOKEN_NAME = 80

    INITIATIVE_TITLE = 160
    INITIATIVE_DESCRIPTION = 5000
    INITIATIVE_LOCATION = 200
    TASK_TITLE = 200
    TASKS_PER_KIND = 30
    # The task lists as one text, one task a line.
    TASK_LIST_TEXT = 3000
    HOURS_PER_WEEK_MAX = 40
    VOLUNTEERS_MAX = 500

    CITIZEN_HOURS_MAX = 60
    # A check-in's comment and a contact's sentence of thanks on a recognition statement.
    CHECK_IN_COMMENT = 1000
    THANKS_SENTENCE = 300
    # Hours a contact professional may report for one initiative in one month.
    CONTACT_HOURS_PER_MONTH_MAX = 300
    # Minutes of one attendance record ("I helped today": at most a long day).
    ATTENDANCE_MINUTES_MAX = 12 * 60
    CITIZEN_INITIATIVES_MAX = 10
    # An initiative's age range, and the birth years a resident may give (the age reached that year).
    AGE_MAX = 120
    BIRTH_YEAR_MIN = 1900

    # A sign-up message, a reason for stopping or rejecting, a note.
    SHORT_MESSAGE = 1000
    INVITATION_MESSAGE = 1000
    # One message in a placement's conversation (services/conversations.py).
    CONVERSATION_MESSAGE = 2000
    ALERT_NOTE = 2000
    SEARCH_TEXT = 100
    DISTRICT = 120
    JOB_NAME = 80
    CODE = 40
    LANGUAGE_CODE = 8
    CODES_PER_LIST = 50

    # Ids are 32-bit integers in the database; a larger number names no record.
    ID_MAX = 2**31 - 1
    PAGE_MAX = 100_000
