"""The professional's workspace: their initiatives, participants and contacts."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import orm
from wtforms import SelectChoice

from ..continuity.staffing import initiatives_needing_people
from ..errors import answer_refusals
from ..extensions import db
from ..i18n import current_locale, local_today
from ..models import (
    EndReason,
    Initiative,
    InitiativeContact,
    InitiativeStatus,
    InterestCategory,
    Language,
    Neighbourhood,
    Placement,
    PlacementState,
    Role,
    TargetGroup,
    TaskKind,
    User,
)
from ..queries.initiatives import initiatives_of_contact, places_held
from ..queries.placements import participants_of
from ..reference_words import reading_order
from ..routing import page_arg
from ..schedule import mask_to_slots, parse_slot_keys, slot_key
from ..security import can_manage_initiative, is_current_contact, placement_moves_for, role_required
from ..services import attendance, contact_details, conversations, recognition
from ..services import initiatives as initiative_service
from ..services.audit import record_look
from ..services.placement_moves import make_move
from ..vocabulary import UI_LOCALES, OpenTo
from .forms.choices import chosen_neighbourhood, neighbourhood_choices, slot_choices
from .forms.contact_work import AttendanceForm
from .forms.fields import EmptyForm
from .forms.initiatives import ColleagueForm, InitiativeForm
from .forms.placements import AcceptForm, EndPlacementForm, RejectForm, end_reason_choices
from .template_helpers import PLACEMENT_STATE_LABELS

bp = Blueprint("professionals", __name__, url_prefix="/professionals")

MANAGERS = (Role.PROFESSIONAL, Role.ADMIN)

# Pending sign-ups first: they are waiting for an answer.
STATE_ORDER = [
    PlacementState.APPLIED,
    PlacementState.INVITED,
    PlacementState.ACCEPTED,
    PlacementState.ACTIVE,
    PlacementState.PAUSED,
    PlacementState.SUGGESTED,
    PlacementState.ENDED,
    PlacementState.DECLINED,
    PlacementState.REJECTED,
    PlacementState.EXPIRED,
]


@bp.get("/")
@role_required(Role.PROFESSIONAL)
def workspace():
    page = db.paginate(
        initiatives_of_contact(current_user),
        page=page_arg(request.args),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    ids = [initiative.id for initiative in page.items]
    pending = dict(
        (row.initiative_id, row.count)
        for row in db.session.execute(
            sa.select(Placement.initiative_id, sa.func.count().label("count"))
            .where(Placement.initiative_id.in_(ids), Placement.state == PlacementState.APPLIED)
            .group_by(Placement.initiative_id)
        )
    ) if ids else {}
    return render_template(
        "professionals/workspace.html", page=page, held=places_held(db.session, page.items),
        pending_counts=pending, needing_people=initiatives_needing_people(db.session, page.items),
    )


def _managed_initiative(initiative_id: int) -> Initiative:
    """An initiative the current user may manage; anything else is 'not found'."""
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not can_manage_initiative(db.session, current_user, initiative.id):
        abort(404)
    return initiative


def contacts_initiative(initiative_id: int) -> Initiative:
    """An initiative the professional is a contact of now (their month, attendance); any other is 'not found'."""
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not is_current_contact(db.session, current_user, initiative.id):
        abort(404)
    return initiative


def _fill_choices(form: InitiativeForm) -> None:
    locale = current_locale()
    form.neighbourhood_id.choices = neighbourhood_choices(_("Choose the neighbourhood"))
    form.target_groups.choices = [
        SelectChoice(g.code, g.label(locale)) for g in db.session.scalars(sa.select(TargetGroup))
    ]
    form.interests.choices = sorted(
        (SelectChoice(i.code, i.label(locale)) for i in db.session.scalars(sa.select(InterestCategory))),
        key=lambda choice: choice.label,
    )
    languages = db.session.scalars(sa.select(Language)).all()
    form.languages.choices = sorted(
        (SelectChoice(lang.code, lang.label(locale)) for lang in languages),
        key=lambda choice: (choice.value != "nl", reading_order(choice.label, locale)),
    )
    form.schedule.choices = slot_choices()


def _writers_language() -> str:
    """Most people write in the language they read the site in."""
    return current_locale() if current_locale() in UI_LOCALES else UI_LOCALES[0]


def _details_from(form: InitiativeForm, neighbourhood: Neighbourhood,
                  initiative: Initiative | None) -> initiative_service.InitiativeDetails:
    return initiative_service.InitiativeDetails(
        title=form.title.data,
        description=form.description.data,
        neighbourhood=neighbourhood,
        location=form.location.data or None,
        target_group_codes=form.target_groups.data or [],
        interest_codes=form.interests.data or [],
        language_codes=form.languages.data or [],
        core_tasks=form.core_task_list(),
        complementary_tasks=form.small_task_list(),
        schedule_slots=parse_slot_keys(form.schedule.data or []),
        hours_per_week=form.hours_per_week.data,
        volunteers_min=form.volunteers_min.data,
        volunteers_ideal=form.volunteers_ideal.data,
        welcomes_dutch_learners=form.welcomes_dutch_learners.data,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        open_to=OpenTo(form.open_to.data),
        min_age=form.min_age.data,
        max_age=form.max_age.data,
        written_in=form.written_in.data or (initiative.written_in if initiative else _writers_language()),
    )


def _save_initiative(form: InitiativeForm, initiative: Initiative | None) -> Initiative | None:
    """Create or update from a valid form; None (with the message beside the field) when the place is unknown."""
    neighbourhood = chosen_neighbourhood(form.neighbourhood_id, _("Choose the neighbourhood."))
    if neighbourhood is None:
        return None
    answer_refusals(render=lambda: _form_page(form, initiative), form=form, status=422)
    details = _details_from(form, neighbourhood, initiative)
    if initiative is None:
        return initiative_service.create_initiative(db.session, details, actor=current_user)
    return initiative_service.update_initiative(db.session, initiative, details, actor=current_user)


def _form_page(form: InitiativeForm, initiative: Initiative | None):
    return render_template("professionals/initiative_form.html", form=form, initiative=initiative)


@bp.route("/initiatives/new", methods=["GET", "POST"])
@role_required(*MANAGERS)
def new_initiative():
    form = InitiativeForm()
    _fill_choices(form)
    if request.method == "GET":
        form.start_date.data = local_today()
        form.written_in.data = _writers_language()
    if form.validate_on_submit():
        initiative = _save_initiative(form, None)
        if initiative is not None:
            flash(_("The initiative is saved as a draft. Open it when it is ready for volunteers."), "success")
            return redirect(url_for("professionals.manage_initiative", initiative_id=initiative.id))
    status = 422 if request.method == "POST" else 200
    return _form_page(form, None), status


@bp.route("/initiatives/<id:initiative_id>/edit", methods=["GET", "POST"])
@role_required(*MANAGERS)
def edit_initiative(initiative_id: int):
    initiative = _managed_initiative(initiative_id)
    form = InitiativeForm(obj=None if request.method == "POST" else initiative)
    _fill_choices(form)
    if request.method == "GET":
        form.neighbourhood_id.data = initiative.neighbourhood_id
        form.target_groups.data = [g.code for g in initiative.target_groups]
        form.interests.data = [i.code for i in initiative.interests]
        form.languages.data = [lang.code for lang in initiative.languages]
        form.core_tasks.data = "\n".join(t.title for t in initiative.tasks if t.kind == TaskKind.CORE)
        form.complementary_tasks.data = "\n".join(t.title for t in initiative.tasks if t.kind == TaskKind.COMPLEMENTARY)
        form.schedule.data = [slot_key(d, p) for d, p in mask_to_slots(initiative.schedule_slots)]
    if form.validate_on_submit() and _save_initiative(form, initiative) is not None:
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("professionals.manage_initiative", initiative_id=initiative.id))
    status = 422 if request.method == "POST" else 200
    return _form_page(form, initiative), status


def _colleague_choices(exclude_ids: set[int], contact_ids: set[int] = frozenset()) -> list[SelectChoice]:
    """Professionals to choose from; those already contact persons are marked as such."""
    colleagues = db.session.scalars(
        sa.select(User)
        .where(User.role == Role.PROFESSIONAL, User.is_enabled.is_(True), User.id.not_in(exclude_ids or {0}))
        .order_by(User.display_name)
    )
    already = _("already a contact person")
    return [SelectChoice("", _("Choose a colleague"))] + [
        SelectChoice(user.id, f"{user.display_name}" + (f" ({user.organisation})" if user.organisation else "")
                     + (f", {already}" if user.id in contact_ids else ""))
        for user in colleagues
    ]


@bp.get("/initiatives/<id:initiative_id>")
@role_required(*MANAGERS)
def manage_initiative(initiative_id: int):
    """One initiative: participants by state (sign-ups first), status and contacts."""
    initiative = _managed_initiative(initiative_id)
    placements = participants_of(db.session, initiative, actor=current_user)
    by_state = {state: [p for p in placements if p.state == state] for state in STATE_ORDER}
    moves_of = {p.id: placement_moves_for(db.session, current_user, p, manages=True) for p in placements}
    history = db.session.scalars(
        sa.select(InitiativeContact)
        .where(InitiativeContact.initiative_id == initiative.id)
        .options(orm.joinedload(InitiativeContact.professional))
        .order_by(InitiativeContact.starts_at.desc(), InitiativeContact.id.desc())
    ).all()
    current_ids = {period.professional_id for period in history if period.is_current}
    is_contact = current_user.id in current_ids
    colleague_form = ColleagueForm()
    colleague_form.colleague_id.choices = _colleague_choices(current_ids)
    # Handing over to a co-contact is allowed (services/initiatives.hand_over): you simply stop.
    hand_over_choices = _colleague_choices({current_user.id}, current_ids)
    reassign_choices = _colleague_choices(set(), current_ids)
    attendance_form = None
    if is_contact:  # only contacts record who took part (web/attendance.py); this page already logs the look
        attendance_form = AttendanceForm(day=local_today())
        attendance_form.placement_ids.choices = [SelectChoice(p.id, p.citizen.shown_name)
                                                for p in attendance.in_name_order(by_state[PlacementState.ACTIVE])]
    return render_template(
        "professionals/manage.html",
        initiative=initiative,
        by_state=by_state,
        moves_of=moves_of,
        buttons_of={p.id: _simple_buttons(p, moves_of[p.id]) for p in placements},
        active_count=len(by_state[PlacementState.ACTIVE]),
        needing_people=initiatives_needing_people(db.session, [initiative]),
        contact_history=history,
        is_contact=is_contact,
        thanked=recognition.thanked_placement_ids(db.session, [p.id for p in placements]) if is_contact else set(),
        # Messages new to me, for contacts: an admin only reads along (services/conversations.py).
        unread=conversations.unread_counts(db.session, current_user, [p.id for p in placements]) if is_contact else {},
        has_conversation=conversations.has_conversation,
        shared=contact_details.shared_with_contacts(db.session, placements, actor=current_user,
                                                    initiative_id=initiative.id),
        colleague_form=colleague_form,
        hand_over_choices=hand_over_choices,
        reassign_choices=reassign_choices,
        accept_form=AcceptForm(starts_on=local_today()),
        action_form=EmptyForm(),
        status_moves=sorted(initiative_service.STATUS_MOVES[InitiativeStatus(initiative.status)]),
        attendance_form=attendance_form,
        recorded_today=attendance.recorded_on(db.session, initiative.id, local_today()) if is_contact else [],
        today=local_today(),
    )


def _placement_of(initiative: Initiative, placement_id: int) -> Placement:
    placement = db.session.get(Placement, placement_id)
    if placement is None or placement.initiative_id != initiative.id:
        abort(404)
    return placement


def _back(initiative: Initiative):
    return redirect(url_for("professionals.manage_initiative", initiative_id=initiative.id))


def _refusals_back_to(initiative: Initiative) -> None:
    answer_refusals(redirect_to=url_for("professionals.manage_initiative", initiative_id=initiative.id))


@bp.post("/initiatives/<id:initiative_id>/placements/<id:placement_id>/accept")
@role_required(*MANAGERS)
def accept_placement(initiative_id: int, placement_id: int):
    initiative = _managed_initiative(initiative_id)
    placement = _placement_of(initiative, placement_id)
    form = AcceptForm()
    if not form.validate_on_submit():
        for error in form.starts_on.errors:
            flash(error, "error")
        return _back(initiative)
    _refusals_back_to(initiative)
    make_move(db.session, placement, PlacementState.ACCEPTED, actor=current_user, starts_on=form.starts_on.data)
    flash(_("%(name)s is accepted.", name=placement.citizen.shown_name), "success")
    return _back(initiative)


@bp.route("/initiatives/<id:initiative_id>/placements/<id:placement_id>/reject", methods=["GET", "POST"])
@role_required(*MANAGERS)
def reject_placement(initiative_id: int, placement_id: int):
    initiative = _managed_initiative(initiative_id)
    placement = _placement_of(initiative, placement_id)
    form = RejectForm()
    if form.validate_on_submit():
        _refusals_back_to(initiative)
        make_move(db.session, placement, PlacementState.REJECTED, actor=current_user, reason=form.reason.data)
        flash(_("You answered %(name)s.", name=placement.citizen.shown_name), "success")
        return _back(initiative)
    status = 422 if request.method == "POST" else 200
    record_look(db.session, [placement], "placement.viewed", actor=current_user, initiative_id=initiative.id)
    return render_template("professionals/reject.html", form=form, initiative=initiative, placement=placement), status


# Buttons for the moves that need no form: the route's action -> (the state it is offered in, the
# state it moves to, its words). Whether the person may make the move is the moves table's answer.
SIMPLE_MOVES = {
    "activate": (PlacementState.ACCEPTED, PlacementState.ACTIVE, _l("Has started")),
    "pause": (PlacementState.ACTIVE, PlacementState.PAUSED, _l("Pause")),
    "resume": (PlacementState.PAUSED, PlacementState.ACTIVE, _l("Active again")),
}


def _simple_buttons(placement: Placement, moves: frozenset[PlacementState]) -> list[tuple[str, str]]:
    return [(action, str(words)) for action, (offered_in, target, words) in SIMPLE_MOVES.items()
            if placement.state == offered_in and target in moves]


@bp.post("/initiatives/<id:initiative_id>/placements/<id:placement_id>/<any(activate, pause, resume):action>")
@role_required(*MANAGERS)
def move_placement(initiative_id: int, placement_id: int, action: str):
    initiative = _managed_initiative(initiative_id)
    placement = _placement_of(initiative, placement_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    _offered_in, target, _words = SIMPLE_MOVES[action]
    _refusals_back_to(initiative)
    make_move(db.session, placement, target, actor=current_user)
    flash(_("The status of %(name)s is now: %(state)s.", name=placement.citizen.shown_name,
            state=str(PLACEMENT_STATE_LABELS[target])), "success")
    return _back(initiative)


@bp.route("/initiatives/<id:initiative_id>/placements/<id:placement_id>/end", methods=["GET", "POST"])
@role_required(*MANAGERS)
def end_placement(initiative_id: int, placement_id: int):
    initiative = _managed_initiative(initiative_id)
    placement = _placement_of(initiative, placement_id)
    if not placement.is_live:
        flash(_("This place has already ended."), "info")
        return _back(initiative)
    form = EndPlacementForm()
    form.end_reason.choices = end_reason_choices(for_citizen=False)
    if form.validate_on_submit():
        _refusals_back_to(initiative)
        make_move(db.session, placement, PlacementState.ENDED, actor=current_user,
                  end_reason=EndReason(form.end_reason.data), reason=form.note.data or None)
        flash(_("The place of %(name)s has ended.", name=placement.citizen.shown_name), "success")
        return _back(initiative)
    status = 422 if request.method == "POST" else 200
    record_look(db.session, [placement], "placement.viewed", actor=current_user, initiative_id=initiative.id)
    return render_template("professionals/end.html", form=form, initiative=initiative, placement=placement), status


@bp.route("/initiatives/<id:initiative_id>/status/<any(open, paused, closed):status>", methods=["GET", "POST"])
@role_required(*MANAGERS)
def change_status(initiative_id: int, status: str):
    """Open or pause right away; closing first asks for confirmation (it ends every place)."""
    initiative = _managed_initiative(initiative_id)
    target = InitiativeStatus(status)
    _refusals_back_to(initiative)
    initiative_service.check_status_change(initiative, target)
    form = EmptyForm()
    if request.method == "GET":
        return render_template("professionals/confirm_status.html", initiative=initiative, status=target, form=form)
    if not form.validate_on_submit():
        abort(400)
    ended = initiative_service.change_status(db.session, initiative, target, actor=current_user)
    messages = {
        InitiativeStatus.OPEN: _("The initiative is open. Residents can find it and sign up."),
        InitiativeStatus.PAUSED: _("The initiative is paused. It takes no new sign-ups for now."),
        InitiativeStatus.CLOSED: _("The initiative is closed. %(num)d places were ended.", num=ended),
    }
    flash(messages[target], "success")
    return _back(initiative)


def _colleague(form: ColleagueForm) -> User | None:
    user = db.session.get(User, form.colleague_id.data) if form.colleague_id.data is not None else None
    if user is None or user.role != Role.PROFESSIONAL or not user.is_enabled:
        return None
    return user


@bp.post("/initiatives/<id:initiative_id>/contacts/<any(add, hand_over, reassign):action>")
@role_required(*MANAGERS)
def change_contacts(initiative_id: int, action: str):
    """Add a colleague, hand over when leaving, or (admin) reassign to one professional."""
    initiative = _managed_initiative(initiative_id)
    form = ColleagueForm()
    form.colleague_id.choices = []
    if not form.validate_on_submit() or (colleague := _colleague(form)) is None:
        flash(_("Choose a colleague."), "error")
        return _back(initiative)
    _refusals_back_to(initiative)
    if action == "add":
        initiative_service.add_contact(db.session, initiative, colleague, actor=current_user)
        flash(_("%(name)s is now also a contact person.", name=colleague.display_name), "success")
        return _back(initiative)
    if action == "reassign":
        if current_user.role != Role.ADMIN:
            abort(403)
        initiative_service.reassign(db.session, initiative, colleague, actor=current_user)
        flash(_("%(name)s is now the contact person.", name=colleague.display_name), "success")
        return _back(initiative)
    if request.form.get("confirmed") != "yes":
        # Handing over ends your own access: ask once more, naming the colleague.
        return render_template("professionals/confirm_hand_over.html", initiative=initiative,
                               colleague=colleague, form=EmptyForm())
    initiative_service.hand_over(db.session, initiative, current_user, colleague, actor=current_user)
    flash(_("You handed over %(title)s to %(name)s. Thank you!", title=initiative.title,
            name=colleague.display_name), "success")
    if current_user.role != Role.ADMIN:
        return redirect(url_for("professionals.workspace"))
    return _back(initiative)
