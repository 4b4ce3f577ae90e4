"""The continuity scan: load facts in a few set-based queries, apply the rules, reconcile.

Reconciliation with the stored alerts:
- a new condition opens one alert (linked to the last resolved alert with the
  same key, if the condition has come back);
- a held condition keeps its alert and moves `last_seen_at`;
- a cleared condition resolves its alert, marked as resolved automatically.
The partial unique index on unresolved `condition_key` and ON CONFLICT DO
NOTHING keep two racing scans from opening the same alert twice.

The number of statements does not depend on the number of initiatives: five
reads of facts (two of head counts and dates, three of check-in answers, each
cut in the database to what the rules need, by a window function or a
grouping), one of open alerts, and the writes, each a single statement or
executemany (at most eleven in all).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles

from ..models import (
    AlertStatus,
    CitizenProfile,
    ContactCheckIn,
    ContinuityAlert,
    Initiative,
    InitiativeContact,
    InitiativeStatus,
    Placement,
    PlacementCheckIn,
    PlacementState,
    VolunteerCheckIn,
)
from ..models.base import UTCDateTime
from .check_in_rules import (
    ContactAnswer,
    InitiativeAnswering,
    VolunteerAnswer,
    contact_answers_since,
    month_start,
    months_before,
)
from .rules import (
    CONTACT_WATCHED,
    STAFFING_WATCHED,
    ActivePlacementFacts,
    CitizenLimits,
    Condition,
    InitiativeFacts,
    Snapshot,
    Thresholds,
    evaluate,
    local_date,
)

S = PlacementState


def thresholds_from_config(config: Mapping) -> Thresholds:
    return Thresholds(
        ending_soon_days=int(config["CONTINUITY_ENDING_SOON_DAYS"]),
        inactive_weeks=int(config["CONTINUITY_INACTIVE_WEEKS"]),
        max_initiatives_cap=int(config["CONTINUITY_MAX_INITIATIVES_CAP"]),
        max_hours_cap=int(config["CONTINUITY_MAX_HOURS_CAP"]),
        strain_high=int(config["CONTINUITY_STRAIN_HIGH"]),
        strain_low=int(config["CONTINUITY_STRAIN_LOW"]),
        sharp_fall=float(config["CONTINUITY_SHARP_FALL"]),
        unanswered_share=float(config["CONTINUITY_UNANSWERED_SHARE"]),
    )


@dataclass
class ScanSummary:
    opened: int = 0
    kept: int = 0
    resolved: int = 0
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, kind: str, outcome: str, number: int = 1) -> None:
        if not number:
            return
        setattr(self, outcome, getattr(self, outcome) + number)
        per_kind = self.by_kind.setdefault(kind, {"opened": 0, "kept": 0, "resolved": 0})
        per_kind[outcome] += number

    def as_dict(self) -> dict:
        return {"opened": self.opened, "kept": self.kept, "resolved": self.resolved,
                "by_kind": {kind: dict(counts) for kind, counts in sorted(self.by_kind.items())}}


# --- loading --------------------------------------------------------------------------------


def _max_moment(expression) -> sa.ColumnElement:
    # Aggregates lose the column type; SQLite would hand back plain strings.
    return sa.func.max(expression, type_=UTCDateTime())


class latest_of(sa.sql.functions.GenericFunction):
    """The latest of several nullable moments, computed in the database.

    One timestamp per row instead of three: converting timestamps is most of
    the cost of reading 20,000 active placements.
    """

    type = UTCDateTime()
    inherit_cache = True


@compiles(latest_of, "postgresql")
def _latest_postgresql(element, compiler, **kw):
    return f"GREATEST({compiler.process(element.clauses, **kw)})"  # GREATEST skips NULLs


@compiles(latest_of, "sqlite")
def _latest_sqlite(element, compiler, **kw):
    # SQLite's MAX(a, b) is NULL when any argument is; stored moments compare as text.
    parts = ", ".join(f"COALESCE({compiler.process(c, **kw)}, '')" for c in element.clauses)
    return f"NULLIF(MAX({parts}), '')"


def load_initiative_facts(session: orm.Session) -> list[InitiativeFacts]:
    """Volunteer and contact counts for every watched initiative, in one query."""
    is_active = Placement.state == S.ACTIVE
    once_active_left = sa.and_(
        Placement.state.in_([S.PAUSED, S.ENDED]), Placement.last_activity_at.is_not(None)
    )
    volunteers = (
        sa.select(
            Placement.initiative_id,
            sa.func.sum(sa.case((is_active, 1), else_=0)).label("active"),
            _max_moment(sa.case((is_active, Placement.state_changed_at))).label("joined"),
            _max_moment(sa.case((once_active_left, Placement.state_changed_at))).label("left"),
        )
        .where(Placement.state.in_([S.ACTIVE, S.PAUSED, S.ENDED]))
        .group_by(Placement.initiative_id)
        .subquery()
    )
    contacts = (
        sa.select(InitiativeContact.initiative_id, sa.func.count().label("current"))
        .where(InitiativeContact.is_current)
        .group_by(InitiativeContact.initiative_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(
            Initiative.id, Initiative.status, Initiative.volunteers_min,
            Initiative.volunteers_ideal, Initiative.end_date,
            sa.func.coalesce(volunteers.c.active, 0), sa.func.coalesce(contacts.c.current, 0),
            volunteers.c.joined, volunteers.c.left,
        )
        .outerjoin(volunteers, volunteers.c.initiative_id == Initiative.id)
        .outerjoin(contacts, contacts.c.initiative_id == Initiative.id)
        .where(Initiative.status.in_(sorted(CONTACT_WATCHED)))
    ).tuples()
    return [InitiativeFacts(*row) for row in rows]


def load_active_placements(
    session: orm.Session,
) -> tuple[list[ActivePlacementFacts], dict[int, CitizenLimits]]:
    """Active placements in open initiatives with their latest sign of life, and their
    citizens' own limits, in one query."""
    last_check_in = (
        sa.select(PlacementCheckIn.placement_id, _max_moment(PlacementCheckIn.at).label("at"))
        .join(Placement, Placement.id == PlacementCheckIn.placement_id)
        .where(Placement.state == S.ACTIVE)
        .group_by(PlacementCheckIn.placement_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(
            Placement.id, Placement.citizen_id, Placement.initiative_id,
            Initiative.hours_per_week,
            latest_of(Placement.last_activity_at, Placement.state_changed_at, last_check_in.c.at),
            CitizenProfile.max_initiatives, CitizenProfile.max_hours_per_week,
        )
        .join(Initiative, Initiative.id == Placement.initiative_id)
        .outerjoin(last_check_in, last_check_in.c.placement_id == Placement.id)
        .outerjoin(CitizenProfile, CitizenProfile.user_id == Placement.citizen_id)
        .where(Placement.state == S.ACTIVE, Initiative.status == InitiativeStatus.OPEN)
    ).tuples()
    placements, limits = [], {}
    for placement_id, citizen_id, initiative_id, hours, last_sign, max_initiatives, max_hours in rows:
        placements.append(ActivePlacementFacts(placement_id, citizen_id, initiative_id, hours, last_sign))
        if max_initiatives is not None:
            limits[citizen_id] = CitizenLimits(citizen_id, max_initiatives, max_hours)
    return placements, limits


def _latest_two(partition, query: sa.Select, order) -> sa.Select:
    """Only the two latest rows of each `partition`: numbered in the database, cut there."""
    numbered = query.add_columns(
        sa.func.row_number().over(partition_by=partition, order_by=order).label("recency")
    ).subquery()
    return sa.select(*(c for c in numbered.c if c.name != "recency")).where(numbered.c.recency <= 2)


def load_volunteer_answers(session: orm.Session) -> list[VolunteerAnswer]:
    """The two latest answered check-ins of each active or paused placement, in one query."""
    query = _latest_two(
        VolunteerCheckIn.placement_id,
        sa.select(VolunteerCheckIn.placement_id, Placement.citizen_id, Placement.initiative_id,
                  VolunteerCheckIn.month, VolunteerCheckIn.still_helping, VolunteerCheckIn.appreciated,
                  VolunteerCheckIn.supported, VolunteerCheckIn.too_much)
        .join(Placement, Placement.id == VolunteerCheckIn.placement_id)
        .join(Initiative, Initiative.id == Placement.initiative_id)
        .where(VolunteerCheckIn.answered_at.is_not(None), Placement.state.in_([S.ACTIVE, S.PAUSED]),
               Initiative.status.in_(sorted(CONTACT_WATCHED))),
        (VolunteerCheckIn.month.desc(), VolunteerCheckIn.id.desc()),
    )
    return [VolunteerAnswer(*row) for row in session.execute(query).tuples()]


def load_contact_answers(session: orm.Session, today: dt.date) -> list[ContactAnswer]:
    """The two latest answers of each current contact about their initiative from the months
    the rule reads, in one query."""
    query = _latest_two(
        (ContactCheckIn.initiative_id, ContactCheckIn.professional_id),
        sa.select(ContactCheckIn.initiative_id, ContactCheckIn.professional_id, ContactCheckIn.month,
                  ContactCheckIn.burden, ContactCheckIn.needs_help)
        .join(Initiative, Initiative.id == ContactCheckIn.initiative_id)
        .join(InitiativeContact, sa.and_(InitiativeContact.initiative_id == ContactCheckIn.initiative_id,
                                         InitiativeContact.professional_id == ContactCheckIn.professional_id,
                                         InitiativeContact.is_current))
        .where(ContactCheckIn.answered_at.is_not(None),
               ContactCheckIn.month >= contact_answers_since(today),
               Initiative.status.in_(sorted(CONTACT_WATCHED))),
        (ContactCheckIn.month.desc(), ContactCheckIn.id.desc()),
    )
    return [ContactAnswer(*row) for row in session.execute(query).tuples()]


def load_answering(session: orm.Session, today: dt.date) -> list[InitiativeAnswering]:
    """Per open initiative: volunteers asked in each of the two months before this one, asked in
    both, and silent in both. One query, grouped twice (per placement, then per initiative)."""
    later = months_before(month_start(today), 1)
    earlier = months_before(later, 1)
    asked_in = lambda month: sa.func.max(sa.case((VolunteerCheckIn.month == month, 1), else_=0))  # noqa: E731
    per_placement = (
        sa.select(Placement.initiative_id,
                  asked_in(earlier).label("earlier"), asked_in(later).label("later"),
                  sa.func.count(VolunteerCheckIn.answered_at).label("answered"))
        .join(Placement, Placement.id == VolunteerCheckIn.placement_id)
        .join(Initiative, Initiative.id == Placement.initiative_id)
        .where(VolunteerCheckIn.month.in_([earlier, later]),
               Initiative.status.in_(sorted(STAFFING_WATCHED)))
        .group_by(Placement.id, Placement.initiative_id)
        .subquery()
    )
    both = sa.and_(per_placement.c.earlier == 1, per_placement.c.later == 1)
    rows = session.execute(
        sa.select(per_placement.c.initiative_id,
                  sa.func.sum(per_placement.c.earlier), sa.func.sum(per_placement.c.later),
                  sa.func.sum(sa.case((both, 1), else_=0)),
                  sa.func.sum(sa.case((sa.and_(both, per_placement.c.answered == 0), 1), else_=0)))
        .group_by(per_placement.c.initiative_id)
    ).tuples()
    return [InitiativeAnswering(initiative_id, *(int(n or 0) for n in numbers))
            for initiative_id, *numbers in rows]


def load_snapshot(session: orm.Session, now: dt.datetime) -> Snapshot:
    initiatives = load_initiative_facts(session)
    placements, limits = load_active_placements(session)
    today = local_date(now)
    return Snapshot(
        tuple(initiatives), tuple(placements), limits,
        volunteer_answers=tuple(load_volunteer_answers(session)),
        contact_answers=tuple(load_contact_answers(session, today)),
        answering=tuple(load_answering(session, today)),
    )


# --- reconciling ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _StoredAlert:
    id: int
    key: str
    kind: str
    details: dict


def _unresolved_alerts(session: orm.Session) -> dict[str, _StoredAlert]:
    rows = session.execute(
        sa.select(ContinuityAlert.id, ContinuityAlert.condition_key, ContinuityAlert.kind,
                  ContinuityAlert.details)
        .where(ContinuityAlert.status != AlertStatus.RESOLVED)
    ).tuples()
    return {key: _StoredAlert(id_, key, kind, details or {}) for id_, key, kind, details in rows}


def _insert_ignoring_duplicates(dialect_name: str):
    """INSERT that links a returning condition to its last resolved alert, and skips a row
    when an unresolved alert with its key exists (a racing scan opened it first).

    Sent as one executemany, whatever the number of new alerts.
    """
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[dialect_name]
    alerts = ContinuityAlert.__table__
    earlier = alerts.alias("earlier")
    last_resolved = (
        sa.select(sa.func.max(earlier.c.id))
        .where(earlier.c.condition_key == sa.bindparam("key_of_previous"),
               earlier.c.status == AlertStatus.RESOLVED.value)
        .scalar_subquery()
    )
    return (
        dialect.insert(alerts)
        .values(previous_alert_id=last_resolved)
        .on_conflict_do_nothing(
            index_elements=[alerts.c.condition_key],
            # The partial unique index's own predicate, as literal SQL (no bound parameter).
            index_where=sa.text("status <> 'resolved'"),
        )
    )


def reconcile(
    session: orm.Session, conditions: Mapping[str, Condition], now: dt.datetime
) -> ScanSummary:
    """Bring the stored alerts in line with the conditions that hold now. No commit.

    Writes go straight to the table: alerts already loaded in `session` are stale
    afterwards, so callers that show alerts load them after the scan.
    """
    summary = ScanSummary()
    session.flush()
    # Core statements on the table: batched executemany, no ORM identity bookkeeping.
    connection = session.connection()
    alerts = ContinuityAlert.__table__
    stored = _unresolved_alerts(session)

    new_keys = sorted(set(conditions) - set(stored))
    if new_keys:
        connection.execute(_insert_ignoring_duplicates(connection.dialect.name), [
            {"kind": str(c.kind), "condition_key": c.key, "key_of_previous": c.key,
             "initiative_id": c.initiative_id, "citizen_id": c.citizen_id,
             "status": AlertStatus.OPEN.value, "severity": c.severity,
             "details": dict(c.details), "first_seen_at": now, "last_seen_at": now}
            for c in (conditions[key] for key in new_keys)
        ])
        # What this scan opened (a racing scan's rows carry its own first_seen_at).
        inserted = dict(connection.execute(
            sa.select(alerts.c.kind, sa.func.count())
            .where(alerts.c.first_seen_at == now, alerts.c.status != AlertStatus.RESOLVED.value)
            .group_by(alerts.c.kind)
        ).tuples().all())
        for kind, number in inserted.items():
            summary.count(kind, "opened", number)
        # Rows skipped because a racing scan opened them first are held conditions.
        raced = Counter(str(conditions[key].kind) for key in new_keys)
        for kind, number in raced.items():
            summary.count(kind, "kept", number - inserted.get(kind, 0))

    cleared = [alert for key, alert in stored.items() if key not in conditions]
    if cleared:
        connection.execute(
            sa.update(alerts)
            .where(alerts.c.id == sa.bindparam("alert_id"),
                   alerts.c.status != AlertStatus.RESOLVED.value)
            .values(status=AlertStatus.RESOLVED.value, resolved_at=now,
                    details=sa.bindparam("new_details", type_=sa.JSON)),
            [{"alert_id": a.id, "new_details": {**a.details, "resolved_automatically": True}}
             for a in cleared],
        )
        for alert in cleared:
            summary.count(alert.kind, "resolved")

    held = [(alert, conditions[key]) for key, alert in stored.items() if key in conditions]
    changed = [
        {"alert_id": alert.id, "new_details": {**alert.details, **condition.details}}
        for alert, condition in held
        if {**alert.details, **condition.details} != alert.details
    ]
    if changed:
        connection.execute(
            sa.update(alerts)
            .where(alerts.c.id == sa.bindparam("alert_id"))
            .values(details=sa.bindparam("new_details", type_=sa.JSON)),
            changed,
        )
    for alert, _condition in held:
        summary.count(alert.kind, "kept")
    if held:
        # Every alert still unresolved is held now (cleared ones were just resolved).
        connection.execute(
            sa.update(alerts)
            .where(alerts.c.status != AlertStatus.RESOLVED.value, alerts.c.last_seen_at < now)
            .values(last_seen_at=now)
        )
    connection.execute(place_unresolved_alerts())
    return summary


def place_unresolved_alerts() -> sa.Update:
    """Each unresolved alert's place as it is now: its initiative's neighbourhood, else the
    volunteer's home. One statement; rows whose place did not change are not written."""
    alerts = ContinuityAlert.__table__
    place = sa.func.coalesce(
        sa.select(Initiative.neighbourhood_id).where(Initiative.id == alerts.c.initiative_id)
        .scalar_subquery(),
        sa.select(CitizenProfile.neighbourhood_id).where(CitizenProfile.user_id == alerts.c.citizen_id)
        .scalar_subquery(),
    )
    return (
        sa.update(alerts)
        .where(alerts.c.status != AlertStatus.RESOLVED.value, alerts.c.neighbourhood_id.is_distinct_from(place))
        .values(neighbourhood_id=place)
    )


def run_scan(session: orm.Session, *, now: dt.datetime, thresholds: Thresholds) -> ScanSummary:
    """One full scan: load, evaluate, reconcile. The caller commits."""
    conditions = evaluate(load_snapshot(session, now), now, thresholds)
    return reconcile(session, conditions, now)
