"""An initiative's versions in other languages: writing, changing and removing one.

Routes of the professionals' blueprint (the same people who edit the
initiative manage its versions), kept in their own module so each reads in
one sitting.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..errors import answer_refusals
from ..extensions import db
from ..models import Initiative
from ..security import role_required
from ..services import initiative_versions as version_service
from ..vocabulary import UI_LOCALES
from .forms.fields import EmptyForm, language_choices
from .forms.initiatives import VersionForm, version_form
from .professionals import MANAGERS, _managed_initiative, bp
from .template_helpers import language_name

LOCALE = "<any({}):locale>".format(", ".join(UI_LOCALES))


def _missing_languages(initiative: Initiative) -> list[str]:
    present = {version.locale for version in initiative.versions} | {initiative.written_in}
    return [code for code in UI_LOCALES if code not in present]


def _form_page(form: VersionForm, initiative: Initiative, locale: str | None):
    return render_template("professionals/version_form.html", form=form, initiative=initiative, locale=locale)


def _back(initiative: Initiative):
    return redirect(url_for("professionals.manage_initiative", initiative_id=initiative.id) + "#other-languages")


def _save(form: VersionForm, initiative: Initiative, locale: str):
    answer_refusals(render=lambda: _form_page(form, initiative, None if "locale" in form else locale),
                    form=form, status=422)
    version_service.save_version(
        db.session, initiative,
        version_service.VersionDetails(locale=locale, title=form.title.data or "",
                                       description=form.description.data or "",
                                       task_titles=form.task_titles()),
        actor=current_user)


@bp.route("/initiatives/<id:initiative_id>/versions/new", methods=["GET", "POST"])
@role_required(*MANAGERS)
def add_version(initiative_id: int):
    """Add the initiative's words in a language it has no version in yet."""
    initiative = _managed_initiative(initiative_id)
    missing = _missing_languages(initiative)
    if not missing:
        flash(_("The initiative is already written in every language of the site."), "info")
        return _back(initiative)
    # Opens on "Choose a language": a required question starts unanswered (tests/web/test_forms_never_choose.py).
    choices = [SelectChoice("", _("Choose a language")), *language_choices(missing)]
    form = version_form(initiative.tasks, locale_choices=choices)
    if form.validate_on_submit():
        _save(form, initiative, form.locale.data)
        flash(_("The version in %(language)s is saved.", language=language_name(form.locale.data)), "success")
        return _back(initiative)
    return _form_page(form, initiative, None), 422 if request.method == "POST" else 200


@bp.route(f"/initiatives/<id:initiative_id>/versions/{LOCALE}", methods=["GET", "POST"])
@role_required(*MANAGERS)
def edit_version(initiative_id: int, locale: str):
    """Change the initiative's words in one language."""
    initiative = _managed_initiative(initiative_id)
    version = version_service.version_in(initiative, locale)
    if version is None:
        abort(404)
    form = version_form(initiative.tasks, obj=None if request.method == "POST" else version)
    if request.method == "GET":
        for task in initiative.tasks:
            translated = next((tv.title for tv in task.versions if tv.locale == locale), "")
            form[f"task_{task.id}"].data = translated
    if form.validate_on_submit():
        _save(form, initiative, locale)
        flash(_("The version in %(language)s is saved.", language=language_name(locale)), "success")
        return _back(initiative)
    return _form_page(form, initiative, locale), 422 if request.method == "POST" else 200


@bp.route(f"/initiatives/<id:initiative_id>/versions/{LOCALE}/remove", methods=["GET", "POST"])
@role_required(*MANAGERS)
def remove_version(initiative_id: int, locale: str):
    """Remove one language's version after a confirmation; readers of it get the original again."""
    initiative = _managed_initiative(initiative_id)
    if version_service.version_in(initiative, locale) is None:
        abort(404)
    form = EmptyForm()
    if request.method == "GET":
        return render_template("professionals/confirm_remove_version.html", initiative=initiative, locale=locale,
                               form=form)
    if not form.validate_on_submit():
        abort(400)
    answer_refusals(redirect_to=url_for("professionals.manage_initiative", initiative_id=initiative.id))
    version_service.remove_version(db.session, initiative, locale, actor=current_user)
    flash(_("The version in %(language)s is removed.", language=language_name(locale)), "success")
    return _back(initiative)
