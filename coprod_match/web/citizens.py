"""The citizen's own pages."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..extensions import db
from ..models import Role
from ..queries import placements_of_citizen
from ..security import role_required

bp = Blueprint("citizens", __name__, url_prefix="/citizens")


@bp.get("/account")
@role_required(Role.CITIZEN)
def account():
    """My page: who I am, where I live, and every initiative I am part of."""
    page = db.paginate(
        placements_of_citizen(current_user),
        page=request.args.get("page", 1, type=int),
        per_page=20,
        error_out=False,
    )
    return render_template("citizens/account.html", profile=current_user.citizen_profile, placements=page)
