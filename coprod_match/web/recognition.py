"""Recognition: the volunteer's printable statement of participation, and the contact's thanks on it.

The service (services/recognition.py) decides what the statement holds and
who may thank whom; this module parses, calls it and renders.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..errors import answer_refusals
from ..extensions import db
from ..i18n import current_locale, text_direction
from ..models import Role, utcnow
from ..queries.initiative_versions import title_for
from ..security import role_required
from ..services import recognition
from ..vocabulary import Limits
from .forms.recognition import ThanksForm

bp = Blueprint("recognition", __name__)

# Statements are often for a Dutch employer or integration route: one choice prints the statement in Dutch.
STATEMENT_LANGUAGES = ("nl",)


@bp.get("/my/statement")
@role_required(Role.CITIZEN)
def statement():
    """My statement of participation, printable; `?in=nl` writes the statement itself in Dutch."""
    chosen = request.args.get("in")
    language = chosen if chosen in STATEMENT_LANGUAGES else current_locale()
    lines = recognition.statement_lines(db.session, current_user)
    # Only the statement changes language: the page's own words (back, print) stay the reader's.
    with force_locale(language):
        html = render_template("recognition/_statement.html", person=current_user, lines=lines, today=utcnow(),
                               title_of=lambda initiative: title_for(initiative, language))
    body = Markup(html)  # noqa: S704 (our own template, rendered with autoescaping)
    return render_template("recognition/statement.html", body=body, language=language,
                           direction=text_direction(language), in_dutch=language == "nl",
                           has_lines=bool(lines))


def _thanks_page(placement, thanks, form: ThanksForm):
    return render_template("recognition/thanks.html", placement=placement, thanks=thanks, form=form,
                           sentence_max=Limits.THANKS_SENTENCE,
                           title=title_for(placement.initiative, current_locale()))


@bp.route("/initiatives/<id:initiative_id>/volunteers/<id:placement_id>/thanks", methods=["GET", "POST"])
@role_required(Role.PROFESSIONAL)
def thanks(initiative_id: int, placement_id: int):
    """Add, change or remove the sentence of thanks a volunteer finds on their statement."""
    placement, written = recognition.placement_to_thank(db.session, initiative_id, placement_id,
                                                        actor=current_user)
    # The box shows the sentence written so far; a posted form keeps what was typed.
    form = ThanksForm(obj=written)
    back = url_for("professionals.manage_initiative", initiative_id=initiative_id)
    if form.validate_on_submit():
        # A refusal rolls the session back; the placement and thanks read again when the form is shown.
        answer_refusals(render=lambda: _thanks_page(placement, written, form), form=form, status=422)
        if form.remove.data:
            recognition.remove_thanks(db.session, placement, actor=current_user)
            flash(_("The thanks are removed from the statement."), "success")
        else:
            recognition.write_thanks(db.session, placement, form.sentence.data, actor=current_user)
            flash(_("Your thanks are on the statement of %(name)s.", name=placement.citizen.shown_name), "success")
        return redirect(back)
    return _thanks_page(placement, written, form), 422 if request.method == "POST" else 200

