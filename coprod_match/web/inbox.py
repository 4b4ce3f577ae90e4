"""The in-app inbox: messages for every logged-in user, with an unread count in the menu."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, has_request_context, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..links import safe_next
from ..models import Notification, Role, utcnow
from ..security import role_required
from ..services.notifications import notification_text
from .forms.fields import EmptyForm

bp = Blueprint("inbox", __name__, url_prefix="/inbox")

PAGE_SIZE = 50


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )


@bp.app_context_processor
def _inject_unread_count():
    # Mails are rendered outside any request: no user, no count.
    if has_request_context() and current_user.is_authenticated:
        return {"inbox_unread": unread_count(current_user.id)}
    return {"inbox_unread": 0}


@bp.get("/")
@login_required
def index():
    messages = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(PAGE_SIZE)
    ).all()
    return render_template("inbox/index.html", items=[(m, notification_text(m)) for m in messages],
                           action_form=EmptyForm())


@bp.post("/<id:notification_id>/open")
@role_required(*Role)
def open_message(notification_id: int):
    """Mark one message read and go where it points."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    message = db.session.get(Notification, notification_id)
    # Someone else's message answers like a missing one: back to your own inbox.
    if message is None or message.user_id != current_user.id:
        return redirect(url_for("inbox.index"))
    if message.read_at is None:
        message.read_at = utcnow()
    return redirect(safe_next(message.link) or url_for("inbox.index"))


@bp.post("/read")
@role_required(*Role)
def mark_all_read():
    if not EmptyForm().validate_on_submit():
        abort(400)
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return redirect(url_for("inbox.index"))
