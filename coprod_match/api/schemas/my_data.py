"""Schemas of the "my data" blueprint: everything held about the caller, as one document.

The document is built once by services/my_data.py (the page's download is
the same file); these schemas document its keys. Times are ISO 8601 in UTC
("2026-03-01T09:30:00Z"); codes (states, reasons, roles) rather than labels.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from ...models import PlacementState, Role
from ...vocabulary import Burden, StillHelping


def _time(description: str | None = None, **kwargs) -> fields.DateTime:
    metadata = {"description": description} if description else {}
    return fields.DateTime(dump_only=True, metadata=metadata, **kwargs)


def _maybe_time(description: str | None = None) -> fields.DateTime:
    return _time(description, allow_none=True)


class MyDataAccountSchema(Schema):
    id = fields.Integer(dump_only=True)
    display_name = fields.String(dump_only=True)
    email = fields.String(dump_only=True)
    phone = fields.String(dump_only=True, allow_none=True)
    preferred_locale = fields.String(dump_only=True)
    role = fields.String(dump_only=True, metadata={"enum": [role.value for role in Role]})
    organisation = fields.String(dump_only=True, allow_none=True)
    shares_phone_with_contacts = fields.Boolean(dump_only=True, metadata={
        "description": "Contact persons of initiatives you take part in may see your phone number"})
    shares_email_with_contacts = fields.Boolean(dump_only=True, metadata={
        "description": "Contact persons of initiatives you take part in may see your e-mail address"})
    created_at = _time()
    last_login_at = _maybe_time()
    spoken_languages = fields.List(fields.String(), dump_only=True, metadata={
        "description": "Language codes a professional or coordinator speaks with residents"})


class MyDataNeighbourhoodSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    district = fields.String(dump_only=True)


class MyDataLanguageSchema(Schema):
    code = fields.String(dump_only=True)
    level = fields.String(dump_only=True)


class MyDataProfileSchema(Schema):
    neighbourhood = fields.Nested(MyDataNeighbourhoodSchema, dump_only=True, allow_none=True)
    languages = fields.List(fields.Nested(MyDataLanguageSchema), dump_only=True)
    interests = fields.List(fields.String(), dump_only=True, metadata={"description": "Interest codes"})
    wants_to_practise_dutch = fields.Boolean(dump_only=True)
    availability = fields.List(fields.String(), dump_only=True, metadata={"description": "Weekly slots, e.g. tue-morning"})
    max_hours_per_week = fields.Integer(dump_only=True, allow_none=True)
    max_initiatives = fields.Integer(dump_only=True)
    consent_to_contact = fields.Boolean(dump_only=True)
    gender = fields.String(dump_only=True, allow_none=True,
                           metadata={"description": "woman, man, other, rather_not_say; null: not said"})
    birth_year = fields.Integer(dump_only=True, allow_none=True)
    consent_given_at = _maybe_time()
    updated_at = _time()


class MyDataConsentSchema(Schema):
    kind = fields.String(dump_only=True, metadata={
        "description": "What was agreed to: privacy_statement or invitations"})
    given = fields.Boolean(dump_only=True, metadata={"description": "true: yes; false: an explicit no"})
    at = _maybe_time("When it was given")
    how = fields.String(dump_only=True, metadata={
        "description": "self (by the person), in_person (asked by a professional, for one invitation) "
                       "or imported (an organisation's list: an intention, never consent)"})
    version = fields.String(dump_only=True, metadata={"description": "SHA-256 of the text shown"})
    locale = fields.String(dump_only=True, metadata={"description": "The language the text was shown in"})
    withdrawn_at = _maybe_time("When it was withdrawn")
    organisation = fields.String(dump_only=True, allow_none=True, metadata={
        "description": "The organisation of the professional who recorded it, or whose list was imported"})
    recorded_by_role = fields.String(dump_only=True, allow_none=True)


class MyDataInitiativeSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)


class MyDataMoveSchema(Schema):
    from_state = fields.String(dump_only=True, allow_none=True)
    to_state = fields.String(dump_only=True, metadata={"enum": [state.value for state in PlacementState]})
    at = _time()
    by = fields.String(dump_only=True, metadata={
        "description": "Who made the move: you, a staff role (professional, coordinator, admin) or system; never a name"})
    reason = fields.String(dump_only=True, allow_none=True)


class MyDataCheckInSchema(Schema):
    kind = fields.String(dump_only=True)
    at = _time()
    by = fields.String(dump_only=True, metadata={"description": "you, a staff role, or system"})
    note = fields.String(dump_only=True, allow_none=True)
    minutes = fields.Integer(dump_only=True, allow_none=True, metadata={
        "description": "Time given that day, when it was recorded (attendance)"})


class MyDataMonthlyCheckInSchema(Schema):
    month = fields.Date(dump_only=True, metadata={"description": "The first day of the month it is about"})
    asked_at = _time()
    answered_at = _maybe_time("Empty while not answered")
    answered_via = fields.String(dump_only=True, allow_none=True, metadata={"description": "link or app"})
    still_helping = fields.String(dump_only=True, allow_none=True,
                                  metadata={"enum": [answer.value for answer in StillHelping]})
    appreciated = fields.Integer(dump_only=True, allow_none=True, metadata={"description": "1 (not at all) to 5"})
    supported = fields.Integer(dump_only=True, allow_none=True, metadata={"description": "1 (not at all) to 5"})
    too_much = fields.Integer(dump_only=True, allow_none=True, metadata={"description": "1 (not at all) to 5"})
    comment = fields.String(dump_only=True, allow_none=True)


class MyDataThanksSchema(Schema):
    sentence = fields.String(dump_only=True)
    written_at = _time()
    by = fields.String(dump_only=True, metadata={"description": "A staff role (never a name), or system"})


class MyDataContactCheckInSchema(Schema):
    initiative = fields.Nested(MyDataInitiativeSchema, dump_only=True)
    month = fields.Date(dump_only=True, metadata={"description": "The first day of the month it is about"})
    asked_at = _time()
    answered_at = _maybe_time("Empty while not answered")
    hours = fields.Integer(dump_only=True, allow_none=True)
    burden = fields.String(dump_only=True, allow_none=True, metadata={"enum": [answer.value for answer in Burden]})
    needs_help = fields.Boolean(dump_only=True, allow_none=True)
    comment = fields.String(dump_only=True, allow_none=True)


class MyDataConversationMessageSchema(Schema):
    at = _time()
    by = fields.String(dump_only=True, metadata={"description": "you, or a staff role (never a name)"})
    text = fields.String(dump_only=True, metadata={"description": "Empty when it was removed"})


class MyDataPlacementSchema(Schema):
    id = fields.Integer(dump_only=True)
    initiative = fields.Nested(MyDataInitiativeSchema, dump_only=True)
    state = fields.String(dump_only=True)
    created_at = _time()
    state_changed_at = _time()
    starts_on = fields.Date(dump_only=True, allow_none=True)
    last_activity_at = _maybe_time()
    your_message = fields.String(dump_only=True, allow_none=True)
    end_reason = fields.String(dump_only=True, allow_none=True)
    end_note = fields.String(dump_only=True, allow_none=True)
    history = fields.List(fields.Nested(MyDataMoveSchema), dump_only=True, metadata={"description": "Every move, oldest first"})
    check_ins = fields.List(fields.Nested(MyDataCheckInSchema), dump_only=True)
    conversation = fields.List(fields.Nested(MyDataConversationMessageSchema), dump_only=True, metadata={
        "description": "The messages between you and the contact persons, oldest first"})
    monthly_check_ins = fields.List(fields.Nested(MyDataMonthlyCheckInSchema), dump_only=True, metadata={
        "description": "Your answers to the monthly check-in, oldest first (asked ones too)"})
    thanks = fields.Nested(MyDataThanksSchema, dump_only=True, allow_none=True, metadata={
        "description": "The contact person's sentence of thanks on your statement of participation"})


class MyDataSenderSchema(Schema):
    display_name = fields.String(dump_only=True)
    organisation = fields.String(dump_only=True, allow_none=True)


class MyDataInvitationSchema(Schema):
    id = fields.Integer(dump_only=True)
    initiative = fields.Nested(MyDataInitiativeSchema, dump_only=True)
    sender = fields.Nested(MyDataSenderSchema, dump_only=True, allow_none=True)
    message = fields.String(dump_only=True)
    sent_at = _time()
    expires_at = _time()
    opened_at = _maybe_time()
    answered_at = _maybe_time()
    answer = fields.String(dump_only=True, allow_none=True)
    decline_reason = fields.String(dump_only=True, allow_none=True)
    withdrawn_at = _maybe_time()


class MyDataMessageSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True)
    details = fields.Dict(dump_only=True, metadata={"description": "The message's parameters"})
    link = fields.String(dump_only=True, allow_none=True)
    created_at = _time()
    read_at = _maybe_time()


class MyDataTokenSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    created_at = _time()
    last_used_at = _maybe_time()
    revoked_at = _maybe_time()


class MyDataLoginSchema(Schema):
    id = fields.Integer(dump_only=True)
    browser = fields.String(dump_only=True)
    platform = fields.String(dump_only=True)
    stays_logged_in = fields.Boolean(dump_only=True)
    created_at = _time()
    last_seen_at = _time()
    expires_at = _time()


class MyDataLookSchema(Schema):
    at = _time()
    organisation = fields.String(dump_only=True, allow_none=True)
    role = fields.String(dump_only=True, metadata={"description": "professional, coordinator or admin"})
    action = fields.String(dump_only=True, metadata={"description": "What kind of look, e.g. participants.viewed"})


class MyDataSchema(Schema):
    """Everything held about the caller: the same document as the download on the My data page."""

    version = fields.Integer(dump_only=True, metadata={"description": "Changes only when a key changes meaning"})
    generated_at = _time()
    account = fields.Nested(MyDataAccountSchema, dump_only=True)
    profile = fields.Nested(MyDataProfileSchema, dump_only=True, allow_none=True)
    consents = fields.List(fields.Nested(MyDataConsentSchema), dump_only=True)
    placements = fields.List(fields.Nested(MyDataPlacementSchema), dump_only=True, metadata={"description": "Newest first"})
    invitations = fields.List(fields.Nested(MyDataInvitationSchema), dump_only=True)
    messages = fields.List(fields.Nested(MyDataMessageSchema), dump_only=True)
    api_tokens = fields.List(fields.Nested(MyDataTokenSchema), dump_only=True, metadata={"description": "Never the token itself"})
    login_sessions = fields.List(fields.Nested(MyDataLoginSchema), dump_only=True)
    staff_looks = fields.List(fields.Nested(MyDataLookSchema), dump_only=True, metadata={
        "description": "Each logged look at your data by staff, newest first: organisation and role, never a name"})
    contact_check_ins = fields.List(fields.Nested(MyDataContactCheckInSchema), dump_only=True, metadata={
        "description": "A professional's own monthly check-ins about their initiatives, newest first"})
