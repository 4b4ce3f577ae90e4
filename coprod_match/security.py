"""Who may do what: the one place that decides access.

Views declare the roles they need with `@role_required(...)`; anonymous
visitors are sent to the login page, logged-in users with another role get 403.
Ownership rules (a professional edits only initiatives they are a contact
for) live here too, as plain functions, so views and API share them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

import sqlalchemy as sa
from flask import abort, request
from flask_login import current_user

from .extensions import login_manager
from .models import (
    ContinuityAlert,
    Initiative,
    InitiativeContact,
    Placement,
    PlacementState,
    Role,
    User,
)
from .services import access
from .vocabulary import OVERSEER_ROLES, PUBLIC_INITIATIVE_STATUSES

F = TypeVar("F", bound=Callable)

API_PREFIX = "/api/"


def is_api_request() -> bool:
    """API clients get 401 problem documents where pages send people to the login form."""
    return request.path.startswith(API_PREFIX)


def role_required(*roles: Role) -> Callable[[F], F]:
    """Allow the view only to logged-in users with one of `roles`."""
    allowed = frozenset(roles)

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if is_api_request():
                    abort(401)
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = allowed  # read by the route-access tests
        return wrapped  # type: ignore[return-value]

    return decorator


def init_app(app) -> None:
    """Headers that keep pages from being framed, sniffed, cached, or leaking e-mailed tokens."""

    @app.before_request
    def _refuse_nul_bytes():
        # No text we store may hold NUL (PostgreSQL refuses it): answer 400, not a 500 deep inside.
        values = [*request.args.values(), *request.form.values(), request.path]
        if any("\x00" in value for value in values):
            abort(400)

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        # Reset and invitation links carry tokens in the path: never send them to other sites.
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'",
        )
        if app.config.get("STRICT_TRANSPORT_SECURITY"):
            headers.setdefault("Strict-Transport-Security", app.config["STRICT_TRANSPORT_SECURITY"])
        # Every answer but a static file may show personal data, and every page carries the
        # session's CSRF token: no browser or shared cache keeps a copy (back button included).
        if request.endpoint != "static":
            headers.setdefault("Cache-Control", "no-store")
        return response


def is_current_contact(session, user: User, initiative_id: int) -> bool:
    """Is `user` a contact professional of this initiative right now?"""
    return (
        session.scalar(
            sa.select(InitiativeContact.id).where(
                InitiativeContact.initiative_id == initiative_id,
                InitiativeContact.professional_id == user.id,
                InitiativeContact.is_current,
            )
        )
        is not None
    )


def can_manage_initiative(session, user: User, initiative_id: int) -> bool:
    """Contacts manage their initiatives; admins manage all (e.g. to reassign)."""
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.PROFESSIONAL and is_current_contact(session, user, initiative_id)


def can_view_initiative(session, user: User, initiative: Initiative) -> bool:
    """Open, paused and closed initiatives are public; drafts are seen by their managers and overseers."""
    if initiative.status in PUBLIC_INITIATIVE_STATUSES:
        return True
    if not user.is_authenticated:
        return False
    return user.role in OVERSEER_ROLES or can_manage_initiative(session, user, initiative.id)


def oversees_initiative(session, user: User, initiative_id: int) -> bool:
    """Admins oversee every initiative; coordinators those in their areas (all if municipal)."""
    if not user.is_authenticated or user.role not in OVERSEER_ROLES:
        return False
    initiative = session.get(Initiative, initiative_id)
    return initiative is not None and access.covers_initiative(user, initiative)


def can_see_candidates(session, user: User, initiative_id: int) -> bool:
    """People who could join: for the initiative's contacts, and coordinators and admins over its area."""
    if not user.is_authenticated:
        return False
    return oversees_initiative(session, user, initiative_id) or can_manage_initiative(session, user, initiative_id)


def can_invite(session, user: User, initiative_id: int) -> bool:
    """Invitations come from the initiative's contacts, or from coordinators and admins over its area (the plan)."""
    return can_see_candidates(session, user, initiative_id)


def can_oversee_alert(user: User, alert: ContinuityAlert) -> bool:
    """Coordinators handle the alerts of their own areas (all if municipal); admins all of them."""
    return (user.is_authenticated and user.role in OVERSEER_ROLES
            and access.covers_neighbourhood(user, alert.neighbourhood_id))


def can_see_placement(session, user: User, placement: Placement) -> bool:
    """A citizen sees their own placements; managers see those of initiatives they manage."""
    if not user.is_authenticated:
        return False
    if user.role == Role.CITIZEN:
        return placement.citizen_id == user.id
    return can_manage_initiative(session, user, placement.initiative_id)


S = PlacementState
CITIZEN, MANAGER = "citizen", "manager"
# Who may make which move: for each party, from-state -> the states they may move a placement to.
# The state machine (services/placements.py) decides which moves exist at all; pages, their
# buttons and the API all ask `placement_moves_for`, which reads this one table.
PLACEMENT_MOVES: dict[str, dict[PlacementState, frozenset[PlacementState]]] = {
    # The citizen, on their own placement.
    CITIZEN: {
        S.SUGGESTED: frozenset({S.APPLIED, S.ENDED}),
        S.INVITED: frozenset({S.ACCEPTED, S.DECLINED, S.ENDED}),
        S.APPLIED: frozenset({S.ENDED}),
        S.ACCEPTED: frozenset({S.ENDED}),
        S.ACTIVE: frozenset({S.PAUSED, S.ENDED}),
        S.PAUSED: frozenset({S.ACTIVE, S.ENDED}),
    },
    # Whoever manages the initiative: its contacts, and admins.
    MANAGER: {
        S.SUGGESTED: frozenset({S.ENDED}),
        S.INVITED: frozenset({S.ENDED}),
        S.APPLIED: frozenset({S.ACCEPTED, S.REJECTED, S.ENDED}),
        S.ACCEPTED: frozenset({S.ACTIVE, S.ENDED}),
        S.ACTIVE: frozenset({S.PAUSED, S.ENDED}),
        S.PAUSED: frozenset({S.ACTIVE, S.ENDED}),
    },
}


def placement_moves_for(session, user: User, placement: Placement, *,
                        manages: bool | None = None) -> frozenset[PlacementState]:
    """The moves `user` may make on this placement now (empty when none, or not theirs).

    `manages` says whether the user manages the placement's initiative, when the
    caller already knows (a list checks all its initiatives in one query).
    """
    if not user.is_authenticated:
        return frozenset()
    if user.role == Role.CITIZEN:
        party = CITIZEN if placement.citizen_id == user.id else None
    else:
        if manages is None:
            manages = can_manage_initiative(session, user, placement.initiative_id)
        party = MANAGER if manages else None
    if party is None:
        return frozenset()
    return PLACEMENT_MOVES[party].get(PlacementState(placement.state), frozenset())


def initiatives_managed_among(session, user: User, initiative_ids) -> set[int]:
    """Which of these initiatives `user` manages (can_manage_initiative for many, in one query)."""
    ids = set(initiative_ids)
    if not user.is_authenticated or not ids:
        return set()
    if user.role == Role.ADMIN:
        return ids
    if user.role != Role.PROFESSIONAL:
        return set()
    return set(session.scalars(
        sa.select(InitiativeContact.initiative_id).where(
            InitiativeContact.initiative_id.in_(ids), InitiativeContact.professional_id == user.id,
            InitiativeContact.is_current)))


def may_see_city_funnel(user: User) -> bool:
    """The invitation funnel by neighbourhood and by professional: for coordinators and admins."""
    return user.is_authenticated and user.role in OVERSEER_ROLES
