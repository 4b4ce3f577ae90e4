"""Reads for the coordinator's dashboard: filtered alerts, counts, chart data, run log."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import (
    AlertKind,
    AlertStatus,
    AuditEntry,
    ContinuityAlert,
    Initiative,
    InitiativeStatus,
    JobOutcome,
    JobRun,
    Neighbourhood,
    Placement,
    PlacementState,
    User,
)
from ..services.audit import audit_record
from .actions import ASSIGNABLE_ROLES

UNRESOLVED = "unresolved"
ALL = "all"
STATUS_ORDER = {AlertStatus.OPEN: 0, AlertStatus.ACKNOWLEDGED: 1, AlertStatus.RESOLVED: 2}


@dataclass(frozen=True)
class AlertFilters:
    kind: str | None = None
    severity: int | None = None
    status: str = UNRESOLVED
    # "me", "nobody", a user id as text, or None for anyone.
    assignee: str | None = None
    district: str | None = None
    neighbourhood_id: int | None = None
    # Neighbourhood ids the viewer covers; None is the whole city.
    area_ids: Collection[int] | None = None


def _with_place(query: sa.Select) -> sa.Select:
    """The alert's place (kept on the alert by the scan): one small table joined, not three."""
    return query.outerjoin(Neighbourhood, Neighbourhood.id == ContinuityAlert.neighbourhood_id)


def _in_areas(query: sa.Select, area_ids: Collection[int]) -> sa.Select:
    return query.where(ContinuityAlert.neighbourhood_id.in_(list(area_ids)))


def _filtered(query: sa.Select, filters: AlertFilters, viewer: User) -> sa.Select:
    if filters.kind:
        query = query.where(ContinuityAlert.kind == filters.kind)
    if filters.severity:
        query = query.where(ContinuityAlert.severity == filters.severity)
    if filters.status == UNRESOLVED:
        query = query.where(ContinuityAlert.status != AlertStatus.RESOLVED)
    elif filters.status != ALL:
        query = query.where(ContinuityAlert.status == filters.status)
    if filters.assignee == "me":
        query = query.where(ContinuityAlert.assignee_id == viewer.id)
    elif filters.assignee == "nobody":
        query = query.where(ContinuityAlert.assignee_id.is_(None))
    elif filters.assignee and filters.assignee.isdigit():
        query = query.where(ContinuityAlert.assignee_id == int(filters.assignee))
    if filters.district:
        query = query.where(Neighbourhood.district == filters.district)
    if filters.neighbourhood_id:
        query = query.where(ContinuityAlert.neighbourhood_id == filters.neighbourhood_id)
    if filters.area_ids is not None:
        query = _in_areas(query, filters.area_ids)
    return query


def _order(status_rank) -> tuple:
    # Alerts without a place (a volunteer without a neighbourhood) come last.
    return (
        sa.func.coalesce(Neighbourhood.district, "~"), sa.func.coalesce(Neighbourhood.name, "~"), status_rank,
        ContinuityAlert.severity.desc(), ContinuityAlert.first_seen_at, ContinuityAlert.id,
    )


def _status_rank():
    return sa.case({status.value: rank for status, rank in STATUS_ORDER.items()}, value=ContinuityAlert.status)


def _shown_with_alert() -> tuple:
    return (
        orm.joinedload(ContinuityAlert.neighbourhood),
        orm.joinedload(ContinuityAlert.initiative),
        orm.joinedload(ContinuityAlert.citizen).joinedload(User.citizen_profile),
        orm.joinedload(ContinuityAlert.assignee),
    )


def alerts_page(session: orm.Session, filters: AlertFilters, viewer: User, *, page: int,
                per_page: int) -> list[ContinuityAlert]:
    """One page of alerts grouped by district and neighbourhood; open before acknowledged, most
    severe first. In one statement that sorts narrow rows.

    The order is picked on ids and sort keys alone; only the page's alerts
    are then joined to what the list shows of them. Sorting every unresolved
    alert with its initiative, volunteer and assignee attached cost more
    than the rest of the dashboard.
    """
    keys = [key.label(f"key_{number}") for number, key in enumerate(_order(_status_rank())[:3])]
    ranked = (
        _filtered(_with_place(sa.select(ContinuityAlert.id, *keys, ContinuityAlert.severity,
                                        ContinuityAlert.first_seen_at)), filters, viewer)
        .order_by(*_order(_status_rank()))
        .limit(per_page).offset((page - 1) * per_page)
        .subquery()
    )
    query = (
        sa.select(ContinuityAlert).join(ranked, ranked.c.id == ContinuityAlert.id)
        .options(*_shown_with_alert())
        .order_by(*(ranked.c[key.name] for key in keys), ranked.c.severity.desc(), ranked.c.first_seen_at,
                  ranked.c.id)
    )
    alerts = list(session.scalars(query).unique())
    _load_named_contacts(session, alerts)
    return alerts


def _load_named_contacts(session: orm.Session, alerts: list[ContinuityAlert]) -> None:
    """The contacts that contact-strain alerts name (wording.describe), in one statement for the page:
    afterwards each alert finds its professional in the session without asking the database."""
    ids = {alert.details.get("professional_id") for alert in alerts
           if alert.kind == AlertKind.CONTACT_STRAIN and alert.details}
    ids.discard(None)
    if ids:
        # Held by the session (its identity map keeps objects only while something refers to them).
        session.info.setdefault("named_contacts", []).extend(
            session.scalars(sa.select(User).where(User.id.in_(ids))).all())


def counts_by_kind(session: orm.Session, filters: AlertFilters, viewer: User) -> dict[str, int]:
    """Alerts per kind under every filter except the kind itself (for the kind chips)."""
    without_kind = AlertFilters(**{**filters.__dict__, "kind": None})
    query = sa.select(ContinuityAlert.kind, sa.func.count())
    if without_kind.district:  # the only filter that needs the place's row
        query = _with_place(query)
    query = _filtered(query, without_kind, viewer).group_by(ContinuityAlert.kind)
    return dict(session.execute(query).tuples().all())


def total_from_counts(counts: dict[str, int], filters: AlertFilters) -> int:
    """How many alerts the list has, from `counts_by_kind`: no second count(*) of the same rows."""
    return counts.get(filters.kind, 0) if filters.kind else sum(counts.values())


def record_alert_look(session: orm.Session, alerts: list[ContinuityAlert], action: str, *, viewer: User,
                      entity_type: str = "continuity_alert", entity_id: int | None = None) -> None:
    """Staff saw these alerts with their volunteers' names: log who saw whom (ids only).

    Alerts about an initiative name no resident and leave no record.
    """
    residents = {alert.citizen_id for alert in alerts if alert.citizen_id is not None}
    if not residents:
        return
    if entity_id is None and len(alerts) == 1:
        entity_id = alerts[0].id
    audit_record(session, action, entity_type, entity_id, actor=viewer, residents=residents,
                 alert_ids=sorted(alert.id for alert in alerts if alert.citizen_id is not None))


# --- history ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEvent:
    at: dt.datetime
    action: str  # opened, acknowledged, assigned, noted, resolved, resolved_automatically
    actor: User | None = None
    text: str | None = None
    assignee: User | None = None


def alert_history(session: orm.Session, alert: ContinuityAlert) -> list[HistoryEvent]:
    """What happened to the alert, oldest first: the scan's moves and people's actions."""
    events = [HistoryEvent(alert.first_seen_at, "opened")]
    entries = session.execute(
        sa.select(AuditEntry, User)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.entity_type == "continuity_alert", AuditEntry.entity_id == alert.id,
               AuditEntry.action.like("alert.%"))  # what was done; looks ("alerts.viewed") are not events
        .order_by(AuditEntry.at, AuditEntry.id)
    ).tuples().all()
    notes = {note.id: note for note in alert.notes}
    assignee_ids = {e.details.get("assignee_id") for e, _ in entries if e.details.get("assignee_id")}
    assignees = {u.id: u for u in session.scalars(sa.select(User).where(User.id.in_(assignee_ids)))}
    details = alert.details or {}
    for entry, actor in entries:
        action = entry.action.removeprefix("alert.")
        text = None
        if action == "noted":
            note = notes.get(entry.details.get("note_id"))
            text = note.body if note else None
        elif action == "resolved":
            text = details.get("resolution_reason")
        events.append(HistoryEvent(entry.at, action, actor, text,
                                   assignees.get(entry.details.get("assignee_id"))))
    if alert.status == AlertStatus.RESOLVED and details.get("resolved_automatically"):
        events.append(HistoryEvent(alert.resolved_at, "resolved_automatically"))
    return sorted(events, key=lambda event: event.at)


def earlier_alerts(session: orm.Session, alert: ContinuityAlert, limit: int = 20) -> list[ContinuityAlert]:
    """The chain of earlier alerts for the same condition, newest first."""
    chain, previous_id = [], alert.previous_alert_id
    while previous_id is not None and len(chain) < limit:
        previous = session.get(ContinuityAlert, previous_id)
        if previous is None:
            break
        chain.append(previous)
        previous_id = previous.previous_alert_id
    return chain


def initiative_alerts(session: orm.Session, initiative_id: int) -> list[ContinuityAlert]:
    return session.scalars(
        sa.select(ContinuityAlert)
        .where(ContinuityAlert.initiative_id == initiative_id)
        .options(orm.joinedload(ContinuityAlert.citizen), orm.joinedload(ContinuityAlert.assignee))
        .order_by(ContinuityAlert.first_seen_at.desc(), ContinuityAlert.id.desc())
    ).all()


def people_handling_alerts(session: orm.Session, selected: str | None = None) -> list[sa.Row]:
    """Who the "Handled by" filter offers: people some alert is given to (and the one chosen).

    Not every professional of the city: a list of hundreds of names to filter by
    nobody's alerts helps no one, and cost the dashboard more than its alerts.
    """
    handling = sa.select(ContinuityAlert.assignee_id).where(ContinuityAlert.assignee_id.is_not(None))
    chosen = User.id.in_(handling)
    if selected and selected.isdigit() and len(selected) < 12:
        chosen = sa.or_(chosen, User.id == int(selected))
    return session.execute(
        sa.select(User.id, User.display_name).where(chosen).order_by(User.display_name, User.id)
    ).all()


def assignable_people(session: orm.Session) -> list[sa.Row]:
    """Who an alert can be given to: id, display_name, role and organisation (rows, not users:
    a menu of every professional needs no more)."""
    return session.execute(
        sa.select(User.id, User.display_name, User.role, User.organisation)
        .where(User.role.in_(ASSIGNABLE_ROLES), User.is_enabled.is_(True))
        .order_by(User.display_name, User.id)
    ).all()


# --- charts -----------------------------------------------------------------------------------


def _active_counts():
    return (
        sa.select(Placement.initiative_id, sa.func.count().label("active"))
        .where(Placement.state == PlacementState.ACTIVE)
        .group_by(Placement.initiative_id)
        .subquery()
    )


@dataclass(frozen=True)
class Coverage:
    neighbourhood: str
    district: str
    healthy: int  # at least two active volunteers and the minimum
    at_risk: int  # one volunteer, none, or below the minimum
    volunteers: int


BUCKETS = ("0", "1", "2", "3+")


def volunteer_overview(
    session: orm.Session, area_ids: Collection[int] | None
) -> tuple[dict[str, int], list[Coverage]]:
    """Open initiatives by active volunteers (0, 1, 2, 3 or more), and per neighbourhood those
    with enough volunteers and those at risk: both charts from one grouped query."""
    active = _active_counts()
    count = sa.func.coalesce(active.c.active, 0)
    bucket = sa.case((count >= 3, "3+"), else_=sa.cast(count, sa.String))
    healthy = sa.and_(count >= 2, count >= Initiative.volunteers_min)
    query = (
        sa.select(
            Neighbourhood.name, Neighbourhood.district, bucket, sa.func.count(),
            sa.func.sum(sa.case((healthy, 1), else_=0)), sa.func.sum(count),
        )
        .select_from(Initiative)
        .join(Neighbourhood, Neighbourhood.id == Initiative.neighbourhood_id)
        .outerjoin(active, active.c.initiative_id == Initiative.id)
        .where(Initiative.status == InitiativeStatus.OPEN)
        .group_by(Neighbourhood.id, Neighbourhood.name, Neighbourhood.district, bucket)
        .order_by(Neighbourhood.district, Neighbourhood.name)
    )
    if area_ids is not None:
        query = query.where(Neighbourhood.id.in_(list(area_ids)))
    buckets = dict.fromkeys(BUCKETS, 0)
    places: dict[tuple[str, str], list[int]] = {}
    for name, district, label, initiatives, ok, volunteers in session.execute(query).tuples():
        buckets[label] += int(initiatives)
        place = places.setdefault((name, district), [0, 0, 0])
        place[0] += int(ok)
        place[1] += int(initiatives) - int(ok)
        place[2] += int(volunteers)
    coverage = [Coverage(name, district, *numbers) for (name, district), numbers in places.items()]
    return buckets, coverage


@functools.cache
def _open_by_week(weeks: int) -> sa.Select:
    """Per kind, the alerts unresolved at each of `weeks` moments (bound as moment_0...): built once."""
    moment_type = ContinuityAlert.first_seen_at.type
    moments = [sa.bindparam(f"moment_{index}", type_=moment_type) for index in range(weeks)]
    open_at = [
        sa.func.sum(sa.case((sa.and_(
            ContinuityAlert.first_seen_at <= moment,
            sa.or_(ContinuityAlert.resolved_at.is_(None), ContinuityAlert.resolved_at > moment),
        ), 1), else_=0))
        for moment in moments
    ]
    return sa.select(ContinuityAlert.kind, *open_at).where(
        ContinuityAlert.first_seen_at <= moments[-1],
        sa.or_(ContinuityAlert.resolved_at.is_(None), ContinuityAlert.resolved_at > moments[0]),
    ).group_by(ContinuityAlert.kind)


def open_alerts_by_week(
    session: orm.Session, area_ids: Collection[int] | None, *, now: dt.datetime, weeks: int = 12
) -> tuple[list[dt.datetime], dict[str, list[int]]]:
    """For the end of each of the last `weeks` weeks: unresolved alerts per kind at that moment.

    Counted in the database: one row per kind with a column per week, whatever
    the number of alerts.
    """
    moments = [now - dt.timedelta(weeks=weeks - 1 - index) for index in range(weeks)]
    query = _open_by_week(weeks)
    if area_ids is not None:
        query = _in_areas(query, area_ids)
    found = session.execute(query, {f"moment_{index}": moment for index, moment in enumerate(moments)})
    counts = {row[0]: [int(value or 0) for value in row[1:]] for row in found}
    return moments, {kind.value: counts.get(kind.value, [0] * weeks) for kind in AlertKind}


# --- job runs ---------------------------------------------------------------------------------


def recent_job_runs(session: orm.Session, limit: int = 10) -> list[JobRun]:
    """The latest runs that did something (skips by a second scheduler are counted apart)."""
    return session.scalars(
        sa.select(JobRun).where(JobRun.outcome != JobOutcome.SKIPPED)
        .order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)
    ).all()


def skipped_runs_since(session: orm.Session, since: dt.datetime) -> int:
    return session.scalar(
        sa.select(sa.func.count()).select_from(JobRun)
        .where(JobRun.outcome == JobOutcome.SKIPPED, JobRun.started_at >= since)
    ) or 0
