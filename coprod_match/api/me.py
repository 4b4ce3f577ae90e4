"""The caller's own account: the citizen's profile, suggestions, and signing up."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain_errors import InvalidInput, NotFound
from ..extensions import db
from ..matching import service as matching
from ..matching.texts import Labels, reason_text
from ..models import (
    CitizenProfile,
    Initiative,
    LanguageLevel,
    Neighbourhood,
    Role,
    User,
)
from ..queries.initiatives import initiatives_by_id
from ..schedule import mask_to_slots, parse_slot_keys, slot_key
from ..security import can_view_initiative, role_required
from ..services import citizens as citizen_service
from ..services import participation
from ..vocabulary import Gender
from .common import (
    LINK_HEADER,
    ApiBlueprint,
    PageArgsSchema,
    errors,
    json_answer,
    slice_page,
)
from .initiatives import initiatives_out
from .placements import placement_out
from .schemas.matching import SuggestionPageSchema
from .schemas.me import ApplySchema, MeSchema, ProfileUpdateSchema
from .schemas.placements import PlacementSchema

blp = ApiBlueprint("api_me", __name__, title="My account", description="The caller's own account and profile")

MAX_SUGGESTIONS = 50


def profile_out(profile: CitizenProfile | None) -> dict | None:
    if profile is None:
        return None
    return {
        "neighbourhood_id": profile.neighbourhood_id,
        "interests": sorted(interest.code for interest in profile.interests),
        "languages": [{"code": known.language_code, "level": known.level}
                      for known in sorted(profile.languages, key=lambda known: known.language_code)],
        "wants_to_practise_dutch": profile.wants_to_practise_dutch,
        "availability": [slot_key(day, part) for day, part in mask_to_slots(profile.availability_slots)],
        "max_hours_per_week": profile.max_hours_per_week,
        "max_initiatives": profile.max_initiatives,
        "consent_to_contact": profile.consent_to_contact,
        "gender": profile.gender,
        "birth_year": profile.birth_year,
        "consent_given_at": profile.consent_given_at,
        "updated_at": profile.updated_at,
    }


def me_out(user: User) -> dict:
    return {
        "id": user.id, "email": user.email, "role": user.role, "display_name": user.display_name,
        "preferred_locale": user.preferred_locale, "organisation": user.organisation,
        "created_at": user.created_at,
        "spoken_languages": [language.code for language in user.spoken_languages],
        "profile": profile_out(user.citizen_profile) if user.role == Role.CITIZEN else None,
    }


@blp.get("/me")
@role_required(*Role)
@blp.response(200, MeSchema)
@errors(blp)
def get_me():
    """Who I am; citizens also get their profile (what matching uses)"""
    return me_out(current_user)


@blp.patch("/me")
@role_required(Role.CITIZEN)
@blp.arguments(ProfileUpdateSchema(partial=True))
@blp.response(200, MeSchema)
@errors(blp, 403)
def update_me(changes):
    """Change my profile: any of its answers; the rest stay as they are"""
    current = profile_out(current_user.citizen_profile) or {
        "neighbourhood_id": None, "interests": [], "languages": [], "wants_to_practise_dutch": False,
        "availability": [], "max_hours_per_week": None, "max_initiatives": 2, "consent_to_contact": False,
        "gender": None, "birth_year": None,
    }
    merged = {**current, **changes}
    neighbourhood = None
    if merged["neighbourhood_id"] is not None:
        neighbourhood = db.session.get(Neighbourhood, merged["neighbourhood_id"])
        if neighbourhood is None:
            raise InvalidInput(_("There is no such neighbourhood."), field="neighbourhood_id")
    languages = {known["code"]: LanguageLevel(known["level"]) for known in merged["languages"]}
    citizen_service.update_citizen_profile(
        db.session, current_user,
        citizen_service.ProfileChanges(
            neighbourhood=neighbourhood, interest_codes=merged["interests"], languages=languages,
            wants_to_practise_dutch=merged["wants_to_practise_dutch"],
            availability_slots=parse_slot_keys(merged["availability"]),
            max_hours_per_week=merged["max_hours_per_week"], max_initiatives=merged["max_initiatives"],
            consent_to_contact=merged["consent_to_contact"],
            gender=Gender(merged["gender"]) if merged["gender"] else None,
            birth_year=merged["birth_year"],
        ),
        actor=current_user,
    )
    return me_out(current_user)  # the service flushed: this is the profile as it will be stored


@blp.get("/me/suggestions")
@role_required(Role.CITIZEN)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, SuggestionPageSchema, headers=LINK_HEADER)
@errors(blp, 403)
def suggestions(args):
    """Initiatives suggested for me, best first, with why in plain words"""
    matches = matching.suggestions_for_citizen(db.session, current_user.id, limit=MAX_SUGGESTIONS)
    body, headers = slice_page(matches, args)
    initiatives = initiatives_by_id(db.session, [match.initiative_id for match in body["items"]])
    shown = [initiatives[match.initiative_id] for match in body["items"]]
    out = {row["id"]: row for row in initiatives_out(shown)}
    labels = Labels(db.session)
    body["items"] = [
        {"initiative": out[match.initiative_id], "score": round(match.score, 4),
         "reasons": [{"code": reason.code, "text": reason_text(reason, labels, audience="citizen")}
                     for reason in match.reasons]}
        for match in body["items"]
    ]
    return json_answer(body, headers)


@blp.post("/me/placements")
@role_required(Role.CITIZEN)
@blp.arguments(ApplySchema)
@blp.response(201, PlacementSchema, headers={"Location": {"schema": {"type": "string"}}})
@errors(blp, 403, 404, 409)
def apply(data):
    """Sign up for an initiative ("I'd like to help"); its contacts answer"""
    initiative = db.session.get(Initiative, data["initiative_id"])
    if initiative is None or not can_view_initiative(db.session, current_user, initiative):
        raise NotFound()
    placement = participation.apply(db.session, initiative, actor=current_user, message=data["message"] or None)
    location = url_for("api_placements.get_placement", placement_id=placement.id)
    return placement_out(placement), {"Location": location}
