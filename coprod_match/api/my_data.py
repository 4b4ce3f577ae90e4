"""Everything held about the caller, as one JSON document (the same as the download on the My data page)."""

from __future__ import annotations

from flask_login import current_user

from ..extensions import db
from ..models import Role
from ..security import role_required
from ..services import my_data
from .common import ApiBlueprint, errors, json_answer
from .schemas.my_data import MyDataSchema

blp = ApiBlueprint("api_my_data", __name__, title="My data",
                   description="Everything held about the caller, and who looked at it")


@blp.get("/me/data")
@role_required(Role.CITIZEN)
@blp.response(200, MyDataSchema)
@errors(blp, 403)
def get_my_data():
    """All my data: account, profile, consents, placements with history, invitations, messages,
    tokens, logins, and each look by staff (organisation and role, never a name)"""
    return json_answer(my_data.my_data_document(db.session, current_user))
