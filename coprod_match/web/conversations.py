"""The conversation of a placement: one page for the resident and the initiative's contact persons.

The service decides who may read and write (services/conversations.py); this
module parses, calls it once and renders.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from ..errors import answer_refusals
from ..extensions import db
from ..i18n import current_locale
from ..models import Role
from ..queries.initiative_versions import text_for
from ..routing import page_arg
from ..security import role_required
from ..services import conversations
from ..vocabulary import Limits
from .forms.conversations import MessageForm

bp = Blueprint("conversations", __name__, url_prefix="/conversations")


def _page(thread: conversations.Thread, form: MessageForm):
    placement = thread.placement
    if thread.party == conversations.Party.RESIDENT:
        back = url_for("citizens.my_initiatives")
    elif thread.party == conversations.Party.CONTACT:
        back = url_for("professionals.manage_initiative", initiative_id=placement.initiative_id)
    else:
        back = url_for("initiatives.detail", initiative_id=placement.initiative_id)
    return render_template("conversations/thread.html", thread=thread, placement=placement, form=form,
                           back=back, message_max=Limits.CONVERSATION_MESSAGE,
                           text=text_for(db.session, placement.initiative, current_locale()))


@bp.get("/<id:placement_id>")
@role_required(*Role)
def thread(placement_id: int):
    """The messages, newest at the bottom (the newest page unless another is asked for)."""
    page = page_arg(request.args) if "page" in request.args else None
    found = conversations.read_thread(db.session, placement_id, actor=current_user, page=page)
    return _page(found, MessageForm(formdata=None))


@bp.post("/<id:placement_id>/messages")
@role_required(Role.CITIZEN, Role.PROFESSIONAL)
def post_message(placement_id: int):
    """Send a message; an empty or too long one shows the page again with the text kept."""
    # Someone else's conversation is a 404 before anything else is looked at.
    conversations.find_conversation(db.session, placement_id, current_user)
    form = MessageForm()
    if form.validate_on_submit():
        # An unusable text is 422, a conversation closed meanwhile 409: the service's error says which.
        answer_refusals(render=lambda: _page(_thread_after_refusal(placement_id), form), form=form)
        conversations.post_message(db.session, placement_id, form.text.data, actor=current_user)
        return redirect(url_for("conversations.thread", placement_id=placement_id, _anchor="newest"))
    return _page(conversations.read_thread(db.session, placement_id, actor=current_user), form), 422


def _thread_after_refusal(placement_id: int) -> conversations.Thread:
    # The refusal rolled the session back; the page is read again to show it with the message.
    return conversations.read_thread(db.session, placement_id, actor=current_user)
