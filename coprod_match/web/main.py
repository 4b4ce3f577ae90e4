"""Home page, language choice and health endpoints."""

from __future__ import annotations

import functools

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from ..extensions import db
from ..links import safe_next
from ..models import Initiative, InitiativeStatus
from .logins import LOCALE_CHOSEN

bp = Blueprint("main", __name__)

HEALTH_JSON = "application/health+json"


@bp.get("/")
def home():
    open_count = db.session.scalar(
        sa.select(sa.func.count()).select_from(Initiative).where(Initiative.status == InitiativeStatus.OPEN)
    )
    return render_template("main/home.html", open_count=open_count)


@bp.post("/language")
def set_language():
    """Remember the chosen UI language: on the account when logged in, else in the session."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.preferred_locale = locale
        else:
            session[LOCALE_CHOSEN] = True  # the login that follows keeps it (logins.log_in)
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


def _health(status: str, http_status: int, **checks):
    response = jsonify({"status": status, **({"checks": checks} if checks else {})})
    response.status_code = http_status
    response.mimetype = HEALTH_JSON
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    """The process is up and answering."""
    return _health("pass", 200)


@functools.cache
def _migration_heads(directory: str) -> frozenset[str]:
    config = current_app.extensions["migrate"].migrate.get_config(directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


@bp.get("/readyz")
def readyz():
    """Ready for traffic: the database answers and its schema is at the latest migration."""
    expected = _migration_heads(current_app.extensions["migrate"].directory)
    try:
        with db.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except sa.exc.SQLAlchemyError:
        current_app.logger.warning("readiness check: database unreachable")
        return _health("fail", 503, database=[{"status": "fail", "output": "database unreachable"}])
    if current != expected:
        return _health(
            "fail",
            503,
            database=[{"status": "pass"}],
            migrations=[{"status": "fail", "output": "database schema is not at the latest migration"}],
        )
    return _health("pass", 200, database=[{"status": "pass"}], migrations=[{"status": "pass"}])
