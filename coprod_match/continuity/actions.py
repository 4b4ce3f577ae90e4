"""What a coordinator does with an alert: acknowledge, assign, note, resolve with a reason.

Each action flushes and writes an audit entry (ids only; the note text and
the reason stay on the alert); the caller commits. Giving an alert to someone
tells them, in the inbox and by mail (services/notifications.py).
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import DomainError, InvalidInput
from ..links import PageLink
from ..models import AlertNote, AlertStatus, ContinuityAlert, Role, User, utcnow
from ..queries.initiatives import current_contact_ids
from ..security import can_oversee_alert
from ..services.audit import audit_record
from ..services.notifications import notify

ASSIGNABLE_ROLES = frozenset({Role.PROFESSIONAL, Role.COORDINATOR})


class AlertActionError(DomainError):
    """An action that does not fit the alert: its state, the person it goes to, or missing text."""


class AlertResolvedError(AlertActionError):
    """Solved alerts stay as they were solved; only notes may still be added."""

    problem_type = "alert-resolved"
    message = _l("This alert is already solved. You can still add a note.")


class AlertInputError(AlertActionError, InvalidInput):
    """What the action needs is missing, or names someone alerts cannot go to; `field` says which."""


# What each state of an alert offers: the actions refuse the rest, and the pages show only these buttons.
ACTIONS_BY_STATUS = {
    AlertStatus.OPEN: frozenset({"acknowledge", "assign", "note", "resolve"}),
    AlertStatus.ACKNOWLEDGED: frozenset({"assign", "note", "resolve"}),
    AlertStatus.RESOLVED: frozenset({"note"}),
}


def alert_offers(alert: ContinuityAlert, action: str) -> bool:
    return action in ACTIONS_BY_STATUS[AlertStatus(alert.status)]


def _require(alert: ContinuityAlert, action: str) -> None:
    if not alert_offers(alert, action):
        raise AlertResolvedError() if alert.status == AlertStatus.RESOLVED else AlertActionError()


def alert_acknowledge(
    session: orm.Session, alert: ContinuityAlert, *, actor: User, now: dt.datetime | None = None
) -> ContinuityAlert:
    """Say "we know, we are on it": the alert stays until the problem is gone."""
    if alert.status == AlertStatus.ACKNOWLEDGED:  # a second click: already done
        return alert
    _require(alert, "acknowledge")
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = now or utcnow()
    session.flush()
    audit_record(session, "alert.acknowledged", "continuity_alert", alert.id, actor=actor)
    return alert


def alert_assign(
    session: orm.Session, alert: ContinuityAlert, assignee: User | None, *, actor: User
) -> ContinuityAlert:
    """Give the alert to a professional or coordinator to act on (None: to nobody)."""
    _require(alert, "assign")
    if assignee is not None and (assignee.role not in ASSIGNABLE_ROLES or not assignee.is_enabled):
        raise AlertInputError(_l("Alerts go to professionals and coordinators with an active account."),
                              field="assignee_id")
    earlier = alert.assignee_id
    alert.assignee_id = assignee.id if assignee is not None else None
    session.flush()
    audit_record(session, "alert.assigned", "continuity_alert", alert.id, actor=actor,
                 assignee_id=alert.assignee_id)
    if assignee is not None and assignee.id not in (earlier, actor.id):
        _tell_assignee(session, alert, assignee)
    return alert


def _tell_assignee(session: orm.Session, alert: ContinuityAlert, assignee: User) -> None:
    """The person the alert now goes to hears it; the link opens a page their role can see."""
    if can_oversee_alert(assignee, alert):
        link = PageLink("coordination.alert_detail", alert_id=alert.id)
    elif alert.initiative_id is not None and assignee.id in current_contact_ids(session, alert.initiative_id):
        # A contact cannot open the alert page, but can act where the initiative is run.
        link = PageLink("professionals.manage_initiative", initiative_id=alert.initiative_id)
    elif alert.initiative_id is not None:  # someone else still learns which initiative it is about
        link = PageLink("initiatives.detail", initiative_id=alert.initiative_id)
    else:
        link = None
    initiative = alert.initiative
    notify(session, [assignee.id], "alert.assigned", link, alert_id=alert.id, alert_kind=alert.kind,
           initiative_id=alert.initiative_id, initiative_title=initiative.title if initiative else "")


def alert_add_note(
    session: orm.Session, alert: ContinuityAlert, body: str, *, actor: User,
    now: dt.datetime | None = None,
) -> AlertNote:
    _require(alert, "note")
    body = body.strip()
    if not body:
        raise AlertInputError(_l("Please write a note first."), field="body")
    note = AlertNote(alert=alert, author_id=actor.id, body=body, created_at=now or utcnow())
    session.add(note)
    session.flush()
    audit_record(session, "alert.noted", "continuity_alert", alert.id, actor=actor, note_id=note.id)
    return note


def alert_resolve(
    session: orm.Session, alert: ContinuityAlert, reason: str, *, actor: User,
    now: dt.datetime | None = None,
) -> ContinuityAlert:
    """Close the alert by hand, saying why. If the problem is still there at the next
    scan, a new alert opens, linked to this one."""
    reason = reason.strip()
    if not reason:
        raise AlertInputError(_l("Please say why the problem is solved."), field="reason")
    _require(alert, "resolve")
    alert.status = AlertStatus.RESOLVED
    alert.resolved_at = now or utcnow()
    # JSON columns are not mutation-tracked: assign a new dict.
    alert.details = {**(alert.details or {}), "resolution_reason": reason,
                     "resolved_by_id": actor.id}
    session.flush()
    audit_record(session, "alert.resolved", "continuity_alert", alert.id, actor=actor)
    return alert
