"""Marshmallow schemas of the API: what goes out (dump) and what may come in (load).

Input schemas raise on unknown fields and never carry ids, roles or times the
server sets; those are dump_only on the output side. A professional sees less
of a citizen (CitizenSummarySchema) than the citizen sees of themselves (MeSchema).
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..models import (
    AlertKind,
    AlertStatus,
    DeclineReason,
    EndReason,
    InitiativeStatus,
    JobOutcome,
    LanguageLevel,
    PlacementState,
)
from ..models.schedule import DAYS, PARTS_OF_DAY, slot_key
from ..search import RADIUS_CHOICES_KM, SORTS
from .common import Count, Id, PageArgsSchema, StrictBoolean, StrictSchema, Text, page_schema

SLOT_KEYS = [slot_key(day, part) for day in DAYS for part in PARTS_OF_DAY]
CODE = {"validate": validate.Length(min=1, max=40)}


def Slot() -> fields.String:
    return fields.String(validate=validate.OneOf(SLOT_KEYS))


# --- reference data ------------------------------------------------------------------------


class NeighbourhoodSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    district = fields.String(dump_only=True)
    latitude = fields.Float(dump_only=True)
    longitude = fields.Float(dump_only=True)


class LanguageSchema(Schema):
    code = fields.String(dump_only=True)
    english_name = fields.String(dump_only=True)
    dutch_name = fields.String(dump_only=True)
    endonym = fields.String(dump_only=True)


class CategorySchema(Schema):
    """An interest category or a target group."""

    code = fields.String(dump_only=True)
    label_en = fields.String(dump_only=True)
    label_nl = fields.String(dump_only=True)


NeighbourhoodPageSchema = page_schema(NeighbourhoodSchema, "NeighbourhoodPageSchema")
LanguagePageSchema = page_schema(LanguageSchema, "LanguagePageSchema")
CategoryPageSchema = page_schema(CategorySchema, "CategoryPageSchema")


# --- people --------------------------------------------------------------------------------


class ContactSchema(Schema):
    """A contact professional, as anyone may see them on an initiative."""

    id = fields.Integer(dump_only=True)
    display_name = fields.String(dump_only=True)
    organisation = fields.String(dump_only=True, allow_none=True)


class CitizenSummarySchema(Schema):
    """What staff see of a citizen: enough to recognise and contact through the site, no more."""

    id = fields.Integer(dump_only=True)
    display_name = fields.String(dump_only=True)
    neighbourhood_id = fields.Integer(dump_only=True, allow_none=True)


class CitizenLanguageSchema(StrictSchema):
    code = Text(required=True, validate=validate.Length(min=1, max=8))
    level = fields.String(required=True, validate=validate.OneOf([level.value for level in LanguageLevel]))


class CitizenProfileSchema(Schema):
    """The citizen's own answers, as they see them."""

    neighbourhood_id = fields.Integer(dump_only=True, allow_none=True)
    interests = fields.List(fields.String(), dump_only=True)
    languages = fields.List(fields.Nested(CitizenLanguageSchema), dump_only=True)
    wants_to_practise_dutch = fields.Boolean(dump_only=True)
    availability = fields.List(fields.String(validate=validate.OneOf(SLOT_KEYS)), dump_only=True,
                               metadata={"description": "Weekly slots, e.g. tue-morning"})
    max_hours_per_week = fields.Integer(dump_only=True, allow_none=True)
    max_initiatives = fields.Integer(dump_only=True)
    consent_to_contact = fields.Boolean(dump_only=True, metadata={
        "description": "May professionals see the citizen as a candidate and invite them?"})
    consent_given_at = fields.DateTime(dump_only=True, allow_none=True)
    updated_at = fields.DateTime(dump_only=True)


class ProfileUpdateSchema(StrictSchema):
    """PATCH /me: any of the profile's answers; the rest stay as they are."""

    neighbourhood_id = Id(required=True)
    interests = fields.List(Text(**CODE), required=True, validate=validate.Length(max=50))
    languages = fields.List(fields.Nested(CitizenLanguageSchema), required=True,
                            validate=validate.Length(max=50))
    wants_to_practise_dutch = StrictBoolean(required=True)
    availability = fields.List(Slot(), required=True, validate=validate.Length(max=len(SLOT_KEYS)),
                               metadata={"description": "Weekly slots, e.g. tue-morning"})
    max_hours_per_week = Count(1, 60, required=True, allow_none=True)
    max_initiatives = Count(1, 10, required=True)
    consent_to_contact = StrictBoolean(required=True, metadata={
        "description": "May professionals see the citizen as a candidate and invite them?"})


class MeSchema(StrictSchema):
    """The logged-in account; the profile only for citizens."""

    id = fields.Integer(dump_only=True)
    email = fields.String(dump_only=True)
    role = fields.String(dump_only=True)
    display_name = fields.String(dump_only=True)
    preferred_locale = fields.String(dump_only=True)
    organisation = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    profile = fields.Nested(CitizenProfileSchema, dump_only=True, allow_none=True)


# --- initiatives ---------------------------------------------------------------------------


class InitiativeSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    status = fields.String(dump_only=True, validate=validate.OneOf([s.value for s in InitiativeStatus]))
    neighbourhood_id = fields.Integer(dump_only=True)
    neighbourhood = fields.String(dump_only=True)
    district = fields.String(dump_only=True)
    location = fields.String(dump_only=True, allow_none=True)
    target_groups = fields.List(fields.String(), dump_only=True)
    interests = fields.List(fields.String(), dump_only=True)
    languages = fields.List(fields.String(), dump_only=True)
    core_tasks = fields.List(fields.String(), dump_only=True)
    small_tasks = fields.List(fields.String(), dump_only=True)
    schedule = fields.List(fields.String(), dump_only=True)
    hours_per_week = fields.Integer(dump_only=True)
    volunteers_min = fields.Integer(dump_only=True)
    volunteers_ideal = fields.Integer(dump_only=True)
    active_volunteers = fields.Integer(dump_only=True)
    welcomes_dutch_learners = fields.Boolean(dump_only=True)
    start_date = fields.Date(dump_only=True)
    end_date = fields.Date(dump_only=True, allow_none=True)
    distance_km = fields.Float(dump_only=True, allow_none=True,
                               metadata={"description": "From the `near` neighbourhood, when asked"})
    contacts = fields.List(fields.Nested(ContactSchema), dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


InitiativePageSchema = page_schema(InitiativeSchema, "InitiativePageSchema")


class InitiativeInputSchema(StrictSchema):
    """What a professional writes about an initiative (POST: all required ones; PATCH: any)."""

    title = Text(required=True, validate=validate.Length(min=1, max=160))
    description = Text(required=True, validate=validate.Length(min=1, max=5000))
    neighbourhood_id = Id(required=True)
    location = Text(allow_none=True, load_default=None, validate=validate.Length(max=200))
    target_groups = fields.List(Text(**CODE), load_default=list, validate=validate.Length(max=50))
    interests = fields.List(Text(**CODE), load_default=list, validate=validate.Length(max=50))
    languages = fields.List(Text(validate=validate.Length(min=1, max=8)), load_default=list,
                            validate=validate.Length(max=50))
    core_tasks = fields.List(Text(validate=validate.Length(min=1, max=200)), load_default=list,
                             validate=validate.Length(max=30))
    small_tasks = fields.List(Text(validate=validate.Length(min=1, max=200)), load_default=list,
                              validate=validate.Length(max=30),
                              metadata={"description": "Simple complementary tasks: coffee, games..."})
    schedule = fields.List(Slot(), load_default=list, validate=validate.Length(max=len(SLOT_KEYS)))
    hours_per_week = Count(1, 40, load_default=2)
    volunteers_min = Count(0, 500, load_default=1)
    volunteers_ideal = Count(1, 500, load_default=3)
    welcomes_dutch_learners = StrictBoolean(load_default=False)
    start_date = fields.Date(required=True)
    end_date = fields.Date(allow_none=True, load_default=None)


class InitiativeChangesSchema(InitiativeInputSchema):
    """PATCH: any of the initiative's details; the rest stay as they are."""


class InitiativeStatusSchema(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(
        [InitiativeStatus.OPEN.value, InitiativeStatus.PAUSED.value, InitiativeStatus.CLOSED.value]))


class InitiativeSearchSchema(PageArgsSchema):
    """The filters of the initiatives page, with the same meaning."""

    near = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1),
                          metadata={"description": "Neighbourhood id to search around"})
    radius = fields.Integer(validate=validate.OneOf(RADIUS_CHOICES_KM),
                            metadata={"description": "Km around `near`"})
    interest = Text(validate=validate.Length(min=1, max=40))
    group = Text(validate=validate.Length(min=1, max=40), metadata={"description": "Target group code"})
    language = Text(validate=validate.Length(min=1, max=8))
    day = fields.String(validate=validate.OneOf(DAYS))
    part = fields.String(validate=validate.OneOf(PARTS_OF_DAY))
    q = Text(validate=validate.Length(min=1, max=100), metadata={"description": "Words in title or description"})
    sort = fields.String(validate=validate.OneOf(SORTS))


# --- placements ----------------------------------------------------------------------------

STATES = [state.value for state in PlacementState]


class PlacementSchema(Schema):
    """A citizen's place in an initiative. `citizen` is given to staff only."""

    id = fields.Integer(dump_only=True)
    initiative_id = fields.Integer(dump_only=True)
    initiative_title = fields.String(dump_only=True)
    state = fields.String(dump_only=True, validate=validate.OneOf(STATES))
    created_at = fields.DateTime(dump_only=True)
    state_changed_at = fields.DateTime(dump_only=True)
    starts_on = fields.Date(dump_only=True, allow_none=True)
    end_reason = fields.String(dump_only=True, allow_none=True)
    citizen_message = fields.String(dump_only=True, allow_none=True)
    citizen = fields.Nested(CitizenSummarySchema, dump_only=True)
    invitation = fields.Nested(lambda: InvitationOutSchema(), dump_only=True, allow_none=True,
                               metadata={"description": "The latest invitation, when there was one"})
    allowed_moves = fields.List(fields.String(validate=validate.OneOf(STATES)), dump_only=True,
                                metadata={"description": "States the caller may move this placement to"})


PlacementPageSchema = page_schema(PlacementSchema, "PlacementPageSchema")


class PlacementListArgsSchema(PageArgsSchema):
    initiative_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    state = fields.String(validate=validate.OneOf(STATES))


class SignUpSchema(StrictSchema):
    initiative_id = Id(required=True)
    message = Text(allow_none=True, load_default=None, validate=validate.Length(max=1000))


class MoveSchema(StrictSchema):
    """One move of the placement state machine."""

    to = fields.String(required=True, validate=validate.OneOf(STATES))
    reason = Text(allow_none=True, load_default=None, validate=validate.Length(max=1000),
                  metadata={"description": "Why (for rejected and ended)"})
    end_reason = fields.String(allow_none=True, load_default=None,
                               validate=validate.OneOf([reason.value for reason in EndReason]))
    starts_on = fields.Date(allow_none=True, load_default=None,
                            metadata={"description": "For accepted: when the citizen starts (default today)"})

    @validates_schema
    def _reason_for_rejection(self, data, **_kwargs):
        if data["to"] == PlacementState.REJECTED and not (data.get("reason") or "").strip():
            raise ValidationError("Say why, in a few words.", "reason")


class InvitationAnswerSchema(StrictSchema):
    answer = fields.String(required=True, validate=validate.OneOf(["accepted", "declined"]))
    decline_reason = fields.String(allow_none=True, load_default=None,
                                   validate=validate.OneOf([reason.value for reason in DeclineReason]),
                                   metadata={"description": "Why not (optional, for declined)"})


class InviteSchema(StrictSchema):
    citizen_id = Id(required=True)
    initiative_id = Id(required=True)
    message = Text(allow_none=True, load_default=None, validate=validate.Length(max=2000),
                   metadata={"description": "A personal message (default: a friendly standard text)"})


class InvitationOutSchema(Schema):
    """The invitation behind an invited placement."""

    id = fields.Integer(dump_only=True)
    message = fields.String(dump_only=True)
    sender = fields.Nested(ContactSchema, dump_only=True, allow_none=True)
    sent_at = fields.DateTime(dump_only=True)
    expires_at = fields.DateTime(dump_only=True)
    answer = fields.String(dump_only=True, allow_none=True)
    decline_reason = fields.String(dump_only=True, allow_none=True)


class InvitationListArgsSchema(PageArgsSchema):
    initiative_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))


# --- matching ------------------------------------------------------------------------------


class ReasonSchema(Schema):
    code = fields.String(dump_only=True)
    text = fields.String(dump_only=True, metadata={"description": "In the caller's language"})


class SuggestionSchema(Schema):
    initiative = fields.Nested(InitiativeSchema, dump_only=True)
    score = fields.Float(dump_only=True)
    reasons = fields.List(fields.Nested(ReasonSchema), dump_only=True)


class CandidateSchema(Schema):
    citizen = fields.Nested(CitizenSummarySchema, dump_only=True)
    score = fields.Float(dump_only=True)
    reasons = fields.List(fields.Nested(ReasonSchema), dump_only=True)


SuggestionPageSchema = page_schema(SuggestionSchema, "SuggestionPageSchema")
CandidatePageSchema = page_schema(CandidateSchema, "CandidatePageSchema")


class PlanArgsSchema(StrictSchema):
    district = Text(validate=validate.Length(min=1, max=120))


class PlanRowSchema(Schema):
    citizen = fields.Nested(CitizenSummarySchema, dump_only=True)
    initiative_id = fields.Integer(dump_only=True)
    initiative_title = fields.String(dump_only=True)
    score = fields.Float(dump_only=True)
    reasons = fields.List(fields.Nested(ReasonSchema), dump_only=True)


class PlanSummarySchema(Schema):
    objective = fields.Float(dump_only=True)
    objective_points = fields.Integer(dump_only=True)
    placed = fields.Integer(dump_only=True)
    at_risk_served = fields.Integer(dump_only=True)
    at_risk_servable = fields.Integer(dump_only=True)
    at_risk_in_scope = fields.Integer(dump_only=True)
    candidate_arcs = fields.Integer(dump_only=True)
    citizens_considered = fields.Integer(dump_only=True)
    initiatives_considered = fields.Integer(dump_only=True)


class PlanSchema(Schema):
    district = fields.String(dump_only=True, allow_none=True)
    summary = fields.Nested(PlanSummarySchema, dump_only=True)
    rows = fields.List(fields.Nested(PlanRowSchema), dump_only=True)


class InviteOutcomeSchema(Schema):
    invited = fields.List(fields.Nested(PlacementSchema), dump_only=True)


# --- alerts and jobs -----------------------------------------------------------------------


class AlertSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True, validate=validate.OneOf([k.value for k in AlertKind]))
    status = fields.String(dump_only=True, validate=validate.OneOf([s.value for s in AlertStatus]))
    severity = fields.Integer(dump_only=True)
    description = fields.String(dump_only=True, metadata={"description": "In plain words"})
    initiative_id = fields.Integer(dump_only=True, allow_none=True)
    initiative_title = fields.String(dump_only=True, allow_none=True)
    citizen = fields.Nested(CitizenSummarySchema, dump_only=True, allow_none=True)
    neighbourhood_id = fields.Integer(dump_only=True, allow_none=True)
    district = fields.String(dump_only=True, allow_none=True)
    assignee_id = fields.Integer(dump_only=True, allow_none=True)
    first_seen_at = fields.DateTime(dump_only=True)
    last_seen_at = fields.DateTime(dump_only=True)
    acknowledged_at = fields.DateTime(dump_only=True, allow_none=True)
    resolved_at = fields.DateTime(dump_only=True, allow_none=True)
    previous_alert_id = fields.Integer(dump_only=True, allow_none=True)


AlertPageSchema = page_schema(AlertSchema, "AlertPageSchema")


class AlertListArgsSchema(PageArgsSchema):
    kind = fields.String(validate=validate.OneOf([k.value for k in AlertKind]))
    status = fields.String(validate=validate.OneOf(
        [s.value for s in AlertStatus] + ["unresolved", "all"]), metadata={"description": "Default: unresolved"})
    severity = fields.Integer(validate=validate.Range(min=1, max=4))
    district = Text(validate=validate.Length(min=1, max=120))
    neighbourhood_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    assignee = fields.String(validate=validate.Regexp(r"^(me|nobody|[1-9][0-9]{0,8})$"),
                             metadata={"description": "me, nobody, or a user id"})
    scope = fields.String(validate=validate.OneOf(["mine", "all"]),
                          metadata={"description": "mine: the caller's work areas (default); all: the city"})


class AssignSchema(StrictSchema):
    assignee_id = Id(required=True, allow_none=True, metadata={"description": "null: nobody"})


class ResolveSchema(StrictSchema):
    reason = Text(required=True, validate=validate.Length(min=1, max=2000))


class NoteSchema(StrictSchema):
    body = Text(required=True, validate=validate.Length(min=1, max=2000))


class NoteOutSchema(Schema):
    id = fields.Integer(dump_only=True)
    alert_id = fields.Integer(dump_only=True)
    author_id = fields.Integer(dump_only=True, allow_none=True)
    body = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class JobRunSchema(Schema):
    id = fields.Integer(dump_only=True)
    job_name = fields.String(dump_only=True)
    holder = fields.String(dump_only=True)
    started_at = fields.DateTime(dump_only=True)
    finished_at = fields.DateTime(dump_only=True, allow_none=True)
    outcome = fields.String(dump_only=True, validate=validate.OneOf([o.value for o in JobOutcome]))
    counts = fields.Dict(keys=fields.String(), dump_only=True)
    error = fields.String(dump_only=True, allow_none=True)


JobRunPageSchema = page_schema(JobRunSchema, "JobRunPageSchema")


class JobRunArgsSchema(PageArgsSchema):
    job_name = Text(validate=validate.Length(min=1, max=80))
    outcome = fields.String(validate=validate.OneOf([o.value for o in JobOutcome]))
