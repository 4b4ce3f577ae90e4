"""My API tokens: make one (shown once), see when each was last used, revoke after confirming."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import answer_refusals
from ..extensions import db
from ..models import ApiToken
from ..services import api_tokens
from .forms.accounts import ConfirmForm, NewTokenForm

bp = Blueprint("account_tokens", __name__, url_prefix="/account/tokens")


@bp.route("", methods=["GET", "POST"])
@login_required
def tokens():
    """The list, and the form for a new token; a new token is shown on the answer page only."""
    form = NewTokenForm()
    new_token = None

    def page():
        return render_template(
            "account/tokens.html", form=form, new_token=new_token,
            tokens=api_tokens.tokens_of(db.session, current_user), revoke_form=ConfirmForm(),
        )

    if form.validate_on_submit():
        answer_refusals(render=page, form=form, status=422)
        _record, new_token = api_tokens.create_api_token(db.session, current_user, form.name.data,
                                                         actor=current_user)
        form = NewTokenForm(formdata=None)
    status = 422 if request.method == "POST" and new_token is None else 200
    # The token is in this page: keep it out of caches and the browser's history.
    return page(), status, {"Cache-Control": "no-store"}


def _own_token(token_id: int) -> ApiToken:
    record = db.session.get(ApiToken, token_id)
    if record is None or record.user_id != current_user.id:
        abort(404)
    return record


@bp.route("/<id:token_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke(token_id: int):
    """Ask first; after revoking, programs using the token are refused at once."""
    record = _own_token(token_id)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        api_tokens.revoke_api_token(db.session, record, actor=current_user)
        flash(_("The token %(name)s is revoked. Programs using it can no longer get in.", name=record.name),
              "success")
        return redirect(url_for("account_tokens.tokens"))
    if record.revoked_at is not None:
        flash(_("This token was already revoked."), "info")
        return redirect(url_for("account_tokens.tokens"))
    return render_template("account/revoke_token.html", token=record, form=form)
