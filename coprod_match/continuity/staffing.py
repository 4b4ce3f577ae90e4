"""Which initiatives need people now, and why: the one answer the workspace and manage pages emphasise.

No second definition of "at risk": an initiative needs people when the
continuity rules' own `staffing_condition` holds on today's numbers (none,
one, or fewer active volunteers than its minimum, while it is open), or when
an unresolved alert that more volunteers would solve is still there (the scan
raised it, or a volunteer has not been seen for weeks). Reading the rule
directly, not only the stored alerts, shows a new problem before the next scan.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import AlertKind, AlertStatus, ContinuityAlert, Initiative
from ..queries.initiatives import active_volunteer_counts
from . import rules

# Alerts that more volunteers would solve (the coordinator's cards link these to candidates).
NEEDS_PEOPLE = frozenset({AlertKind.SINGLE_VOLUNTEER, AlertKind.NO_VOLUNTEERS,
                          AlertKind.BELOW_MINIMUM, AlertKind.VOLUNTEER_INACTIVE})


def initiatives_needing_people(session: orm.Session, initiatives: Sequence[Initiative]) -> dict[int, AlertKind]:
    """For each of these initiatives that needs people now: the kind of problem (initiative id -> kind)."""
    if not initiatives:
        return {}
    ids = [initiative.id for initiative in initiatives]
    active = active_volunteer_counts(session, ids)
    found: dict[int, AlertKind] = {}
    for initiative in initiatives:
        condition = rules.staffing_condition(rules.InitiativeFacts(
            id=initiative.id, status=initiative.status, volunteers_min=initiative.volunteers_min,
            volunteers_ideal=initiative.volunteers_ideal, end_date=initiative.end_date,
            active_volunteers=active.get(initiative.id, 0), active_contacts=1,
        ))
        if condition is not None:
            found[initiative.id] = condition.kind
    alerts = session.execute(
        sa.select(ContinuityAlert.initiative_id, ContinuityAlert.kind)
        .where(ContinuityAlert.initiative_id.in_(ids), ContinuityAlert.kind.in_(sorted(NEEDS_PEOPLE)),
               ContinuityAlert.status != AlertStatus.RESOLVED)
        .order_by(ContinuityAlert.severity.desc(), ContinuityAlert.id)
    ).tuples()
    for initiative_id, kind in alerts:
        found.setdefault(initiative_id, AlertKind(kind))
    return found
