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

from flask import abort
from flask_login import current_user

from .extensions import login_manager
from .models import Role, User

F = TypeVar("F", bound=Callable)

STAFF_ROLES = (Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN)


def role_required(*roles: Role) -> Callable[[F], F]:
    """Allow the view only to logged-in users with one of `roles`."""
    allowed = frozenset(roles)

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = allowed  # read by the route-access tests
        return wrapped  # type: ignore[return-value]

    return decorator


def can_manage_users(user: User) -> bool:
    return user.role == Role.ADMIN


def init_app(app) -> None:
    """Headers that keep pages from being framed, sniffed, or leaking e-mailed tokens."""

    @app.before_request
    def _refuse_nul_bytes():
        # No text we store may hold NUL (PostgreSQL refuses it): answer 400, not a 500 deep inside.
        from flask import request

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
        return response


def is_current_contact(session, user: User, initiative_id: int) -> bool:
    """Is `user` a contact professional of this initiative right now?"""
    import sqlalchemy as sa

    from .models import InitiativeContact

    return (
        session.scalar(
            sa.select(InitiativeContact.id).where(
                InitiativeContact.initiative_id == initiative_id,
                InitiativeContact.professional_id == user.id,
                InitiativeContact.ends_at.is_(None),
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
