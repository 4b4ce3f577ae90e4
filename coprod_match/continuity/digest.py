"""The daily digest: new alerts to coordinators of those areas, and to the contact
professionals of initiatives that now run on one volunteer.

No mail when there is nothing new. Each mail is in the recipient's own
language (plain text and HTML), written to the outbox in the job's
transaction; the outbox job sends it, with retries. A mail that cannot be
built stops no other mail; such failures are counted for the run log.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import orm

from ..links import page_url
from ..mail import send_in_language
from ..models import (
    AlertKind,
    AlertStatus,
    CitizenProfile,
    ContinuityAlert,
    Initiative,
    MailStatus,
    Neighbourhood,
    Role,
    User,
    user_work_areas,
)
from ..queries.initiatives import current_contacts
from .wording import describe


@dataclass(frozen=True)
class DigestItem:
    alert: ContinuityAlert
    neighbourhood: Neighbourhood | None
    initiative: Initiative | None
    citizen_name: str | None


def new_alerts(session: orm.Session, since: dt.datetime, until: dt.datetime) -> list[DigestItem]:
    """Alerts first seen in [since, until) that are still unresolved, with their place."""
    citizen = orm.aliased(User)
    neighbourhood_id = sa.func.coalesce(Initiative.neighbourhood_id, CitizenProfile.neighbourhood_id)
    rows = session.execute(
        sa.select(ContinuityAlert, Initiative, Neighbourhood, citizen.display_name)
        .outerjoin(Initiative, Initiative.id == ContinuityAlert.initiative_id)
        .outerjoin(CitizenProfile, CitizenProfile.user_id == ContinuityAlert.citizen_id)
        .outerjoin(citizen, citizen.id == ContinuityAlert.citizen_id)
        .outerjoin(Neighbourhood, Neighbourhood.id == neighbourhood_id)
        .where(ContinuityAlert.first_seen_at >= since, ContinuityAlert.first_seen_at < until,
               ContinuityAlert.status != AlertStatus.RESOLVED)
        .order_by(Neighbourhood.district, Neighbourhood.name, ContinuityAlert.severity.desc(),
                  ContinuityAlert.id)
    ).tuples()
    return [DigestItem(alert, place, initiative, name) for alert, initiative, place, name in rows]


def _coordinators(session: orm.Session) -> list[tuple[User, set[int] | None]]:
    """Enabled coordinators with the neighbourhoods they cover (None: the whole city).

    As on the dashboard: a municipal coordinator without areas of their own
    hears about the whole city; any other coordinator only about their own
    districts (nothing while they have none).
    """
    coordinators = session.scalars(
        sa.select(User).where(User.role == Role.COORDINATOR, User.is_enabled.is_(True))
        .order_by(User.id)
    ).all()
    areas: dict[int, set[int]] = defaultdict(set)
    for user_id, neighbourhood_id in session.execute(
        sa.select(user_work_areas.c.user_id, user_work_areas.c.neighbourhood_id)
    ).tuples():
        areas[user_id].add(neighbourhood_id)
    return [(user, areas.get(user.id) or (None if user.is_municipal else set())) for user in coordinators]


def _send(session: orm.Session, user: User, template: str, subject: Callable[[], str], **context) -> bool:
    """Render one mail in the user's language into the outbox; False when it could not be built."""
    mail = send_in_language(session, user.email, user.preferred_locale, template, subject,
                            recipient=user, describe=describe, page_url=page_url, **context)
    return mail.status != MailStatus.FAILED


def send_digests(
    session: orm.Session, *, now: dt.datetime, since: dt.datetime | None
) -> dict[str, int]:
    """Mail the digests for alerts opened since the last digest (or the last 24 hours)."""
    since = since or now - dt.timedelta(days=1)
    items = new_alerts(session, since, now)
    counts = {"new_alerts": len(items), "coordinator_mails": 0, "professional_mails": 0,
              "failed_mails": 0}
    if not items:
        return counts

    for coordinator, areas in _coordinators(session):
        theirs = [i for i in items if areas is None or (i.neighbourhood and i.neighbourhood.id in areas)]
        if not theirs:
            continue
        number = len(theirs)
        sent = _send(
            session, coordinator, "continuity_digest",
            lambda number=number: ngettext("%(num)d new continuity alert",
                                           "%(num)d new continuity alerts", number),
            items=theirs, dashboard_url=page_url("coordination.dashboard"),
        )
        counts["coordinator_mails" if sent else "failed_mails"] += 1

    single = [i for i in items if i.alert.kind == AlertKind.SINGLE_VOLUNTEER and i.initiative]
    contacts = current_contacts(session, [i.initiative.id for i in single])
    per_professional: dict[int, tuple[User, list[DigestItem]]] = {}
    for item in single:
        for professional in contacts.get(item.initiative.id, []):
            if professional.is_enabled:
                per_professional.setdefault(professional.id, (professional, []))[1].append(item)
    for professional, theirs in per_professional.values():
        sent = _send(session, professional, "single_volunteer_notice",
                     lambda: _("An initiative of yours now runs on one volunteer"),
                     items=theirs)
        counts["professional_mails" if sent else "failed_mails"] += 1
    return counts

