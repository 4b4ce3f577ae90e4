"""Every model, imported here so Alembic and the app see the whole schema."""

from .audit import AuditEntry, AuditResident
from .base import Base, utcnow
from .check_in import ContactCheckIn, PlacementThanks, VolunteerCheckIn
from .citizen import CitizenLanguage, CitizenProfile, LanguageLevel, citizen_interests
from .consent import Consent, ConsentKind, ConsentSource
from .continuity import AlertKind, AlertNote, AlertStatus, ContinuityAlert
from .conversation import ConversationRead, PlacementMessage
from .initiative import (
    Initiative,
    InitiativeContact,
    InitiativeSearchText,
    InitiativeStatus,
    InitiativeTask,
    InitiativeTaskVersion,
    InitiativeVersion,
    TaskKind,
    initiative_interests,
    initiative_languages,
    initiative_target_groups,
)
from .jobs import JobLease, JobOutcome, JobRun
from .lockout import LoginLockout
from .login_session import LoginSession
from .matching import MatchingChange, PublishedSnapshot
from .messaging import ApiToken, Notification
from .outbox import MailStatus, OutboxMail
from .placement import (
    FINAL_STATES,
    LIVE_STATES,
    CheckInKind,
    DeclineReason,
    EndReason,
    Invitation,
    InvitationAnswer,
    Placement,
    PlacementCheckIn,
    PlacementEvent,
    PlacementState,
)
from .plan import WAITING_PLAN_STATES, PlanRow, PlanRun, PlanState, scope_key
from .reference import InterestCategory, Language, Neighbourhood, TargetGroup, haversine_km
from .two_factor import RecoveryCode, TwoFactor
from .user import Role, User, user_languages, user_work_areas

__all__ = [
    "FINAL_STATES",
    "LIVE_STATES",
    "WAITING_PLAN_STATES",
    "AlertKind",
    "AlertNote",
    "AlertStatus",
    "ApiToken",
    "AuditEntry",
    "AuditResident",
    "Base",
    "CheckInKind",
    "CitizenLanguage",
    "CitizenProfile",
    "Consent",
    "ConsentKind",
    "ConsentSource",
    "ContactCheckIn",
    "ContinuityAlert",
    "ConversationRead",
    "DeclineReason",
    "EndReason",
    "Initiative",
    "InitiativeContact",
    "InitiativeSearchText",
    "InitiativeStatus",
    "InitiativeTask",
    "InitiativeTaskVersion",
    "InitiativeVersion",
    "InterestCategory",
    "Invitation",
    "InvitationAnswer",
    "JobLease",
    "JobOutcome",
    "JobRun",
    "Language",
    "LanguageLevel",
    "LoginLockout",
    "LoginSession",
    "MailStatus",
    "MatchingChange",
    "Neighbourhood",
    "Notification",
    "OutboxMail",
    "Placement",
    "PlacementCheckIn",
    "PlacementEvent",
    "PlacementMessage",
    "PlacementState",
    "PlacementThanks",
    "PlanRow",
    "PlanRun",
    "PlanState",
    "PublishedSnapshot",
    "RecoveryCode",
    "Role",
    "TargetGroup",
    "TaskKind",
    "TwoFactor",
    "User",
    "VolunteerCheckIn",
    "citizen_interests",
    "haversine_km",
    "initiative_interests",
    "initiative_languages",
    "initiative_target_groups",
    "scope_key",
    "user_languages",
    "user_work_areas",
    "utcnow",
]
