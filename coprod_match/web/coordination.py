"""The coordinator's home: continuity alerts by place, their history, actions and charts."""

from __future__ import annotations

from itertools import groupby

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from ..continuity import charts, reads
from ..continuity.actions import (
    alert_acknowledge,
    alert_add_note,
    alert_assign,
    alert_offers,
    alert_resolve,
)
from ..continuity.staffing import NEEDS_PEOPLE
from ..continuity.wording import (
    ALERT_KIND_LABELS,
    BURDEN_WORDS,
    STILL_HELPING_WORDS,
    describe,
    open_for,
    scale_words,
)
from ..errors import answer_refusals
from ..extensions import db
from ..links import safe_next
from ..models import (
    AlertKind,
    AlertStatus,
    ContinuityAlert,
    Initiative,
    Neighbourhood,
    Role,
    User,
    utcnow,
)
from ..queries.check_in_answers import answers_behind_alert
from ..queries.paging import Page
from ..routing import id_arg, page_arg
from ..security import can_oversee_alert, oversees_initiative, role_required
from ..services import access
from . import evidence
from .forms.coordination import AssignForm, NoteForm, ResolveForm
from .template_helpers import ALERT_STATUS_LABELS, listed

bp = Blueprint("coordination", __name__, url_prefix="/coordination")
COORDINATION_ROLES = (Role.COORDINATOR, Role.ADMIN)

SEVERITY_LABELS = {
    4: _l("Most urgent"),
    3: _l("Urgent"),
    2: _l("Important"),
    1: _l("Keep an eye on it"),
}


# --- helpers ------------------------------------------------------------------------------------


def _scope_arg() -> str:
    """ "mine" or "all"; only those who oversee the whole city may choose "all"."""
    if request.args.get("scope") == "all" and access.sees_whole_city(current_user):
        return "all"
    return "mine"


def _viewer_areas(scope: str) -> list[int] | None:
    """The neighbourhoods the dashboard shows: the viewer's own, or the whole city (None).

    A coordinator who is not municipal always sees their own districts only
    (none when they have none); an admin or municipal coordinator without
    areas of their own sees the whole city.
    """
    if scope == "all":
        return None
    own = [place.id for place in current_user.work_areas]
    if access.sees_whole_city(current_user):
        return own or None
    return own


def _candidates_url(alert: ContinuityAlert) -> str | None:
    """Matching's candidate list for the initiative, when that part of the site exists."""
    if (alert.initiative_id is None or alert.kind not in NEEDS_PEOPLE
            or "matching.candidates" not in current_app.view_functions):
        return None
    return url_for("matching.candidates", initiative_id=alert.initiative_id)


def _get_alert(alert_id: int) -> ContinuityAlert:
    """An alert the viewer oversees; one outside their districts is not found, like a missing one."""
    alert = db.session.get(ContinuityAlert, alert_id)
    if alert is None or not can_oversee_alert(current_user, alert):
        abort(404)
    return alert


def _citizen_name(alert: ContinuityAlert) -> str | None:
    return alert.citizen.shown_name if alert.citizen is not None else None


@bp.app_context_processor
def _coordination_helpers():
    return {
        "describe_alert": lambda alert: describe(alert, _citizen_name(alert)),
        "alert_offers": alert_offers,
        "alert_open_for": open_for,
        "severity_label": lambda severity: SEVERITY_LABELS.get(severity, severity),
        "candidates_url": _candidates_url,
        # Check-in answers in words (alert pages and the check-ins page).
        "scale_words": scale_words,
        "still_helping_words": lambda answer: STILL_HELPING_WORDS.get(answer, answer),
        "burden_words": lambda answer: BURDEN_WORDS.get(answer, answer),
    }


def _severity_arg() -> int | None:
    text = request.args.get("severity")
    return next((level for level in SEVERITY_LABELS if text == str(level)), None)


def _assignee_arg() -> str | None:
    """The assignee filter: "me", "nobody", a person's id as text, or None for anyone."""
    if request.args.get("assignee") in ("me", "nobody"):
        return request.args["assignee"]
    person_id = id_arg(request.args, "assignee")
    return str(person_id) if person_id is not None else None


def _filters_from_request() -> tuple[reads.AlertFilters, str]:
    args = request.args
    kinds = {kind.value for kind in AlertKind}
    statuses = {status.value for status in AlertStatus} | {reads.UNRESOLVED, reads.ALL}
    scope = _scope_arg()
    filters = reads.AlertFilters(
        kind=args.get("kind") if args.get("kind") in kinds else None,
        severity=_severity_arg(),
        status=args.get("status") if args.get("status") in statuses else reads.UNRESOLVED,
        assignee=_assignee_arg(),
        district=args.get("district") or None,
        neighbourhood_id=id_arg(args, "neighbourhood"),
        area_ids=_viewer_areas(scope),
    )
    return filters, scope


def _filter_args(filters: reads.AlertFilters, scope: str) -> dict:
    values = {"kind": filters.kind, "severity": filters.severity, "status": filters.status,
              "assignee": filters.assignee, "district": filters.district,
              "neighbourhood": filters.neighbourhood_id, "scope": scope}
    return {key: value for key, value in values.items() if value not in (None, "")}


# --- charts -------------------------------------------------------------------------------------


def _charts(area_ids) -> list[dict]:
    """The three pictures, each with a text alternative and the numbers as a table."""
    buckets, coverage = reads.volunteer_overview(db.session, area_ids)
    locale = str(get_locale())  # the charts write their numbers as the reader's language does
    bucket_labels = [_("none"), _("one"), _("two"), _("three or more")]
    volunteers = {
        "title": _("Active volunteers per initiative"),
        "summary": _(
            "Of %(total)d open initiatives, %(none)d have no active volunteer and %(one)d have "
            "only one.", total=sum(buckets.values()), none=buckets["0"], one=buckets["1"]),
        "headers": [_("Active volunteers"), _("Initiatives")],
        "rows": [[label, value] for label, value in zip(bucket_labels, buckets.values(), strict=True)],
    }
    volunteers["svg"] = charts.column_chart(
        bucket_labels, list(buckets.values()), title=volunteers["title"],
        description=volunteers["summary"],
        tones=("volunteers-none", "volunteers-one", "volunteers-two", "volunteers-more"), locale=locale,
    )

    moments, per_kind = reads.open_alerts_by_week(db.session, area_ids, now=utcnow())
    week_labels = [format_short_date(moment) for moment in moments]
    series = [charts.Series(str(ALERT_KIND_LABELS[kind]), per_kind[kind.value], _kind_tone(kind))
              for kind in AlertKind]
    totals = [sum(s.values[i] for s in series) for i in range(len(moments))]
    over_time = {
        "title": _("Open alerts over the last 12 weeks"),
        "summary": _("Open alerts at the end of each week: %(first)d twelve weeks ago, "
                     "%(last)d now.", first=totals[0], last=totals[-1]),
        "headers": [_("Week"), *[s.name for s in series], _("Total")],
        "rows": [[label, *[s.values[i] for s in series], totals[i]]
                 for i, label in enumerate(week_labels)],
    }
    over_time["svg"] = charts.stacked_columns(
        week_labels, series, title=over_time["title"], description=over_time["summary"], locale=locale)

    at_risk = [row.neighbourhood for row in coverage if row.at_risk and not row.healthy]
    coverage_chart = {
        "title": _("Initiatives by neighbourhood: enough volunteers or at risk"),
        "summary": (
            _("In these neighbourhoods no open initiative has enough volunteers: %(places)s.",
              places=listed(at_risk))
            if at_risk else
            _("Every neighbourhood with open initiatives has at least one with enough volunteers.")
        ),
        "headers": [_("Neighbourhood"), _("District"), _("Enough volunteers"), _("At risk"),
                    _("Active volunteers")],
        "rows": [[row.neighbourhood, row.district, row.healthy, row.at_risk, row.volunteers]
                 for row in coverage],
    }
    coverage_chart["svg"] = charts.stacked_bars(
        [row.neighbourhood for row in coverage],
        [charts.Series(_("Enough volunteers (2 or more)"), [r.healthy for r in coverage], "coverage-enough"),
         charts.Series(_("At risk (0 or 1, or below the minimum)"), [r.at_risk for r in coverage],
                       "coverage-at-risk")],
        title=coverage_chart["title"], description=coverage_chart["summary"], locale=locale,
    )
    return [volunteers, over_time, coverage_chart]


def _kind_tone(kind: AlertKind) -> str:
    """The CSS class that colours an alert kind in the charts (site.css)."""
    return "kind-" + kind.value.replace("_", "-")


def format_short_date(moment) -> str:
    from ..i18n import format_date

    return format_date(moment, "d MMM")


# --- pages --------------------------------------------------------------------------------------


@bp.get("/")
@role_required(*COORDINATION_ROLES)
def dashboard():
    filters, scope = _filters_from_request()
    counts = reads.counts_by_kind(db.session, filters, current_user)
    total = reads.total_from_counts(counts, filters)
    number, per_page = page_arg(request.args), current_app.config["PAGE_SIZE"]
    shown = reads.alerts_page(db.session, filters, current_user, page=number, per_page=per_page)
    page = Page(shown, number, per_page, total)
    reads.record_alert_look(db.session, shown, "alerts.viewed", viewer=current_user)
    groups = [
        (place, list(alerts))
        for place, alerts in groupby(page.items, key=lambda alert: alert.neighbourhood)
    ]
    places = db.session.scalars(
        sa.select(Neighbourhood).where(access.in_neighbourhoods(Neighbourhood.id, current_user))
        .order_by(Neighbourhood.district, Neighbourhood.name)).all()
    since = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    return render_template(
        "coordination/dashboard.html",
        page=page,
        groups=groups,
        filters=filters,
        scope=scope,
        filter_args=_filter_args(filters, scope),
        has_own_areas=bool(current_user.work_areas),
        whole_city=access.sees_whole_city(current_user),
        counts=counts,
        kinds=list(AlertKind),
        severities=SEVERITY_LABELS,
        statuses=[(reads.UNRESOLVED, _("Not solved yet")), *ALERT_STATUS_LABELS.items(),
                  (reads.ALL, _("All"))],
        districts=sorted({place.district for place in places}),
        neighbourhoods=places,
        people=reads.people_handling_alerts(db.session, filters.assignee),
        charts=_charts(filters.area_ids),
        keeps_people=evidence.retention_chart(evidence.dashboard_retention(db.session, filters.area_ids),
                                              evidence.where_label(filters.area_ids, {})),
        job_runs=reads.recent_job_runs(db.session, limit=5),
        skipped_today=reads.skipped_runs_since(db.session, since),
    )


@bp.get("/evidence")
@role_required(*COORDINATION_ROLES)
def evidence_page():
    """Retention by channel per neighbourhood, answers over time, response rates: counts only, in the
    viewer's areas (a neighbourhood they do not cover is not found, like an alert outside them)."""
    scope = _scope_arg()
    area_ids = _viewer_areas(scope)
    places = db.session.execute(
        sa.select(Neighbourhood.id, Neighbourhood.name).where(access.in_neighbourhoods(Neighbourhood.id, current_user))
        .order_by(Neighbourhood.district, Neighbourhood.name)).tuples().all()
    chosen = id_arg(request.args, "neighbourhood")
    if chosen is not None:
        if not access.covers_neighbourhood(current_user, chosen):
            abort(404)
        area_ids = [chosen]
    return render_template("coordination/evidence.html", scope=scope, places=places, chosen=chosen,
                           **evidence.evidence_figures(db.session, area_ids, dict(places)))


@bp.get("/alerts/<id:alert_id>")
@role_required(*COORDINATION_ROLES)
def alert_detail(alert_id: int):
    return _alert_page(_get_alert(alert_id))


def _alert_page(alert: ContinuityAlert, *, refused: FlaskForm | None = None):
    """The alert with its history and forms; a refused form is shown again with its errors.

    The look at the alert's volunteer is logged also when a refused form answers 422
    (services/audit.py keeps looks through the rollback).
    """
    forms = {
        "assign_form": AssignForm(formdata=None),
        "note_form": NoteForm(formdata=None),
        "resolve_form": ResolveForm(formdata=None),
    }
    for name, form in forms.items():
        if refused is not None and type(refused) is type(form):
            forms[name] = refused
    forms["assign_form"].assignee.choices = _assignee_choices()
    earlier = reads.earlier_alerts(db.session, alert)
    reads.record_alert_look(db.session, [alert, *earlier], "alerts.alert_viewed", viewer=current_user,
                            entity_id=alert.id)
    return render_template(
        "coordination/alert.html",
        alert=alert,
        place=alert.neighbourhood,
        history=reads.alert_history(db.session, alert),
        earlier=earlier,
        answers=answers_behind_alert(db.session, alert),
        refused=refused,
        **forms,
    )


# The empty choice asks the question; "nobody" is an answer (take the alert away from who has it).
NOBODY = "nobody"


def _assignee_choices() -> list[tuple[str, str]]:
    people = reads.assignable_people(db.session)
    role_names = {Role.PROFESSIONAL: _("professional"), Role.COORDINATOR: _("coordinator")}
    return [("", _("Choose a person")), (NOBODY, _("Nobody: take it away from who has it"))] + [
        (str(person.id), f"{person.display_name} ({role_names.get(person.role, person.role)}"
                         + (f", {person.organisation})" if person.organisation else ")"))
        for person in people
    ]


def _alert_url(alert: ContinuityAlert, anchor: str | None = None) -> str:
    return url_for("coordination.alert_detail", alert_id=alert.id, _anchor=anchor)


def _done(alert: ContinuityAlert, message: str):
    flash(message, "success")
    return redirect(_alert_url(alert))


def _not_valid(alert: ContinuityAlert, form: FlaskForm):
    """The alert's page again, the refused form keeping what was typed and its errors next to the fields."""
    return _alert_page(alert, refused=form), 422


@bp.post("/alerts/<id:alert_id>/acknowledge")
@role_required(*COORDINATION_ROLES)
def acknowledge(alert_id: int):
    alert = _get_alert(alert_id)  # CSRFProtect has checked the token already
    answer_refusals(redirect_to=_alert_url(alert))
    alert_acknowledge(db.session, alert, actor=current_user)
    flash(_("You are handling this alert now."), "success")
    return redirect(safe_next(request.form.get("next")) or _alert_url(alert))


@bp.post("/alerts/<id:alert_id>/assign")
@role_required(*COORDINATION_ROLES)
def assign(alert_id: int):
    alert = _get_alert(alert_id)
    form = AssignForm()
    form.assignee.choices = _assignee_choices()
    if not form.validate_on_submit():
        return _not_valid(alert, form)
    assignee = None if form.assignee.data == NOBODY else db.session.get(User, int(form.assignee.data))
    answer_refusals(redirect_to=_alert_url(alert))
    alert_assign(db.session, alert, assignee, actor=current_user)
    if assignee is None:
        return _done(alert, _("Nobody is handling this alert now."))
    return _done(alert, _("%(name)s will handle this alert.", name=assignee.display_name))


@bp.post("/alerts/<id:alert_id>/notes")
@role_required(*COORDINATION_ROLES)
def add_note(alert_id: int):
    alert = _get_alert(alert_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _not_valid(alert, form)
    answer_refusals(redirect_to=_alert_url(alert, "note-heading"))
    alert_add_note(db.session, alert, form.body.data, actor=current_user)
    return _done(alert, _("Your note is saved."))


@bp.post("/alerts/<id:alert_id>/resolve")
@role_required(*COORDINATION_ROLES)
def resolve(alert_id: int):
    alert = _get_alert(alert_id)
    form = ResolveForm()
    if not form.validate_on_submit():
        return _not_valid(alert, form)
    answer_refusals(redirect_to=_alert_url(alert))
    alert_resolve(db.session, alert, form.reason.data, actor=current_user)
    return _done(alert, _("The alert is solved. If the problem comes back, a new alert opens."))


@bp.get("/initiatives/<id:initiative_id>/history")
@role_required(*COORDINATION_ROLES)
def initiative_history(initiative_id: int):
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not oversees_initiative(db.session, current_user, initiative_id):
        abort(404)
    alerts = reads.initiative_alerts(db.session, initiative_id)
    reads.record_alert_look(db.session, alerts, "alerts.initiative_viewed", viewer=current_user,
                            entity_type="initiative", entity_id=initiative_id)
    return render_template("coordination/initiative_history.html", initiative=initiative, alerts=alerts)
