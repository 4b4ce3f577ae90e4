"""Initiatives: search (the same filters as the initiatives page), detail, create, update, status."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain_errors import InvalidInput, NotFound
from ..extensions import db
from ..initiative_text import VersionText
from ..models import (
    Initiative,
    InitiativeStatus,
    Neighbourhood,
    Role,
)
from ..queries.initiative_versions import versions_of
from ..queries.initiatives import current_contacts, initiative_codes, places_held, spoken_languages
from ..queries.paging import page_of
from ..queries.search import DEFAULT_RADIUS_KM, InitiativeSearch, search_query
from ..schedule import mask_to_slots, parse_slot_keys, slot_key
from ..security import can_manage_initiative, can_view_initiative, role_required
from ..services import initiative_versions as version_service
from ..services import initiatives as initiative_service
from ..services.open_to import searching_resident
from ..vocabulary import OpenTo
from .common import LINK_HEADER, ApiBlueprint, errors, json_answer, page_body
from .schemas.initiatives import (
    InitiativeChangesSchema,
    InitiativeInputSchema,
    InitiativePageSchema,
    InitiativeSchema,
    InitiativeSearchSchema,
    InitiativeStatusSchema,
    VersionInputSchema,
)

blp = ApiBlueprint("api_initiatives", __name__, title="Initiatives", description="Neighbourhood initiatives")

MANAGERS = (Role.PROFESSIONAL, Role.ADMIN)
ID = "<id:initiative_id>"


def initiatives_out(initiatives: list[Initiative], distances: dict[int, float] | None = None) -> list[dict]:
    """Initiatives as the API shows them: places held, contacts, their languages and lists in four grouped queries."""
    ids = [initiative.id for initiative in initiatives]
    held = places_held(db.session, initiatives)
    contacts = current_contacts(db.session, ids)
    spoken = spoken_languages(db.session, [person.id for people in contacts.values() for person in people])
    lists = initiative_codes(db.session, ids)
    versions = versions_of(db.session, ids)
    distances = distances or {}
    return [
        {
            "id": i.id, "title": i.title, "description": i.description, "status": i.status,
            "written_in": i.written_in,
            "versions": [_version_out(version, lists[i.id].task_ids)
                         for version in versions.get(i.id, {}).values()],
            "neighbourhood_id": i.neighbourhood_id, "neighbourhood": i.neighbourhood.name,
            "district": i.neighbourhood.district, "location": i.location,
            "target_groups": lists[i.id].target_groups, "interests": lists[i.id].interests,
            "languages": lists[i.id].languages,
            "core_tasks": lists[i.id].core_tasks, "complementary_tasks": lists[i.id].complementary_tasks,
            "schedule": [slot_key(day, part) for day, part in mask_to_slots(i.schedule_slots)],
            "hours_per_week": i.hours_per_week, "volunteers_min": i.volunteers_min,
            "volunteers_ideal": i.volunteers_ideal, "active_volunteers": held[i.id].active,
            "volunteers_needed": held[i.id].needed,
            "welcomes_dutch_learners": i.welcomes_dutch_learners,
            "open_to": i.open_to, "min_age": i.min_age, "max_age": i.max_age,
            "start_date": i.start_date, "end_date": i.end_date,
            "distance_km": round(distances[i.neighbourhood_id], 2) if i.neighbourhood_id in distances else None,
            "contacts": [{"id": p.id, "display_name": p.display_name, "organisation": p.organisation,
                          "spoken_languages": spoken.get(p.id, [])}
                         for p in contacts.get(i.id, [])],
            "created_at": i.created_at, "updated_at": i.updated_at,
        }
        for i in initiatives
    ]


def _version_out(version: VersionText, task_ids: list[int]) -> dict:
    return {"locale": version.locale, "title": version.title, "description": version.description,
            "tasks": [version.task_titles.get(task_id) for task_id in task_ids]}


def visible_initiative(initiative_id: int) -> Initiative:
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not can_view_initiative(db.session, current_user, initiative):
        raise NotFound()
    return initiative


def managed_initiative(initiative_id: int) -> Initiative:
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not can_manage_initiative(db.session, current_user, initiative.id):
        raise NotFound()
    return initiative


@blp.get("/initiatives")
@blp.arguments(InitiativeSearchSchema, location="query")
@blp.response(200, InitiativePageSchema, headers=LINK_HEADER)
@errors(blp)
def list_initiatives(args):
    """Search open initiatives: near a neighbourhood, by interest, target group, language, day and time"""
    search = InitiativeSearch(
        near=args.get("near"), radius=args.get("radius", DEFAULT_RADIUS_KM),
        interest=args.get("interest"), group=args.get("group"), language=args.get("language"),
        speaks=args.get("speaks"),
        day=args.get("day"), part=args.get("part"), q=args.get("q"),
        sort=args.get("sort") or ("nearest" if args.get("near") else "newest"),
        open_to_me=args.get("open_to_me", False),
    )
    # The initiatives page's query and count; the API also shows each one's lists.
    found = search_query(db.session, search, resident=searching_resident(current_user))
    page = page_of(db.session, found.select, count=found.count,
                   page=args["page"], per_page=args["per_page"])
    body, headers = page_body(initiatives_out(list(page.items), found.distances), page.page, page.per_page,
                              page.total)
    return json_answer(body, headers)


def _details(data: dict) -> initiative_service.InitiativeDetails:
    """Checked input as the service's details (the service refuses unknown codes and contradictions)."""
    neighbourhood = db.session.get(Neighbourhood, data["neighbourhood_id"])
    if neighbourhood is None:
        raise InvalidInput(_("There is no such neighbourhood."), field="neighbourhood_id")
    return initiative_service.InitiativeDetails(
        title=data["title"].strip() or data["title"], description=data["description"],
        neighbourhood=neighbourhood, location=data["location"] or None,
        target_group_codes=data["target_groups"], interest_codes=data["interests"],
        language_codes=data["languages"],
        core_tasks=data["core_tasks"], complementary_tasks=data["complementary_tasks"],
        schedule_slots=parse_slot_keys(data["schedule"]), hours_per_week=data["hours_per_week"],
        volunteers_min=data["volunteers_min"], volunteers_ideal=data["volunteers_ideal"],
        welcomes_dutch_learners=data["welcomes_dutch_learners"],
        start_date=data["start_date"], end_date=data["end_date"],
        open_to=OpenTo(data["open_to"]), min_age=data["min_age"], max_age=data["max_age"],
        written_in=data["written_in"],
    )


def _current(initiative: Initiative) -> dict:
    """An initiative's details in the input schema's shape (PATCH changes some of them)."""
    out = initiatives_out([initiative])[0]
    keys = InitiativeInputSchema().fields.keys()
    return {key: out[key] for key in keys}


def _one(initiative: Initiative) -> dict:
    """The initiative as it will be stored: read back from this request's transaction, before its commit."""
    db.session.flush()
    db.session.refresh(initiative)
    return initiatives_out([initiative])[0]


@blp.post("/initiatives")
@role_required(*MANAGERS)
@blp.arguments(InitiativeInputSchema)
@blp.response(201, InitiativeSchema, headers={"Location": {"schema": {"type": "string"}}})
@errors(blp, 403)
def create_initiative(data):
    """Create an initiative (a draft; the professional who creates it is its contact)"""
    initiative = initiative_service.create_initiative(db.session, _details(data), actor=current_user)
    location = url_for("api_initiatives.get_initiative", initiative_id=initiative.id)
    return _one(initiative), {"Location": location}


@blp.get(f"/initiatives/{ID}")
@blp.response(200, InitiativeSchema)
@errors(blp, 404)
def get_initiative(initiative_id):
    """One initiative (drafts only for their contacts, coordinators and admins)"""
    return initiatives_out([visible_initiative(initiative_id)])[0]


@blp.patch(f"/initiatives/{ID}")
@role_required(*MANAGERS)
@blp.arguments(InitiativeChangesSchema(partial=True))
@blp.response(200, InitiativeSchema)
@errors(blp, 403, 404)
def update_initiative(changes, initiative_id):
    """Change some of an initiative's details (its contacts and admins)"""
    initiative = managed_initiative(initiative_id)
    details = _details({**_current(initiative), **changes})
    initiative_service.update_initiative(db.session, initiative, details, actor=current_user)
    return _one(initiative)


@blp.post(f"/initiatives/{ID}/status")
@role_required(*MANAGERS)
@blp.arguments(InitiativeStatusSchema)
@blp.response(200, InitiativeSchema)
@errors(blp, 403, 404, 409)
def change_status(data, initiative_id):
    """Open, pause or close an initiative (closing ends every live placement)"""
    initiative = managed_initiative(initiative_id)
    initiative_service.change_status(db.session, initiative, InitiativeStatus(data["status"]), actor=current_user)
    return _one(initiative)



def _version_details(initiative: Initiative, locale: str, data: dict) -> version_service.VersionDetails:
    """The body's task list (in the order of core_tasks, then complementary_tasks) as titles by task id."""
    task_ids = initiative_codes(db.session, [initiative.id])[initiative.id].task_ids
    if len(data["tasks"]) > len(task_ids):
        raise InvalidInput(_("There are more task titles than tasks (%(count)d).", count=len(task_ids)),
                           field="tasks")
    return version_service.VersionDetails(
        locale=locale, title=data["title"], description=data["description"],
        task_titles={task_id: title for task_id, title in zip(task_ids, data["tasks"], strict=False) if title})


@blp.put(f"/initiatives/{ID}/versions/<locale>")
@role_required(*MANAGERS)
@blp.arguments(VersionInputSchema)
@blp.response(200, InitiativeSchema)
@errors(blp, 403, 404, 422)
def put_version(data, initiative_id, locale):
    """Write the initiative's title, description and tasks in another language (its contacts and admins)"""
    initiative = managed_initiative(initiative_id)
    version_service.save_version(db.session, initiative, _version_details(initiative, locale, data),
                                 actor=current_user)
    return _one(initiative)


@blp.delete(f"/initiatives/{ID}/versions/<locale>")
@role_required(*MANAGERS)
@blp.response(204)
@errors(blp, 403, 404)
def delete_version(initiative_id, locale):
    """Remove the initiative's version in one language (readers of it get the original again)"""
    initiative = managed_initiative(initiative_id)
    version_service.remove_version(db.session, initiative, locale, actor=current_user)
    return ""
