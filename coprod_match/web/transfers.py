"""Import and export pages: CSV files in and out, for coordinators and administrators."""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import answer_refusals
from ..extensions import db
from ..i18n import local_today
from ..models import Initiative, Role
from ..reference_data import DATA_DIR
from ..security import role_required
from ..services.transfers import import_csv, initiatives_for_export, record_export
from ..transfers.export import initiatives_csv
from ..transfers.validation import (
    CITIZEN_COLUMNS,
    CITIZEN_REQUIRED,
    CITIZENS,
    INITIATIVE_COLUMNS,
    INITIATIVE_REQUIRED,
    INITIATIVES,
)
from .forms.transfers import ImportForm

bp = Blueprint("transfers", __name__, url_prefix="/transfers")

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# More rows than anyone reads on a page; the CLI prints them all.
REPORT_LIMIT = 500
SPREADSHEET_EXTENSIONS = (".xlsx", ".xls", ".ods", ".numbers")
EXAMPLES_DIR = os.path.join(DATA_DIR, "examples")
FORM_INVALID = 422


@bp.url_value_preprocessor
def _limit_upload_size(_endpoint, _values):
    # Runs before the CSRF check reads the body, so a huge upload stops at the limit.
    request.max_content_length = MAX_UPLOAD_BYTES


@bp.errorhandler(413)
def _upload_too_large(_error):
    form = ImportForm(formdata=None)  # the body was not read: nothing to fill in
    form.file.errors = [_("This file is larger than %(size)d MB. Split it into smaller files.",
                          size=MAX_UPLOAD_BYTES // (1024 * 1024))]
    return _render(form, None), 413


def _render(form: ImportForm, outcome):
    return render_template(
        "transfers/index.html",
        form=form,
        outcome=outcome,
        report_limit=REPORT_LIMIT,
        initiative_count=db.session.scalar(sa.select(sa.func.count()).select_from(Initiative)),
        columns={INITIATIVES: (INITIATIVE_COLUMNS, INITIATIVE_REQUIRED),
                 CITIZENS: (CITIZEN_COLUMNS, CITIZEN_REQUIRED)},
        max_megabytes=MAX_UPLOAD_BYTES // (1024 * 1024),
        welcome_days=current_app.config["WELCOME_LINK_DAYS"],
    )


def _file_problem(upload) -> str | None:
    """A plain reason to refuse the upload before reading it as CSV."""
    name = (upload.filename or "").lower()
    if name.endswith(SPREADSHEET_EXTENSIONS):
        return _("This is a spreadsheet file, not a CSV file. In your spreadsheet program choose "
                 "\"Save as\" and then \"CSV UTF-8\".")
    return None


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.COORDINATOR, Role.ADMIN)
def index():
    form = ImportForm()
    outcome = None
    if form.validate_on_submit():
        upload = form.file.data
        problem = _file_problem(upload)
        if problem:
            form.file.errors.append(problem)
        else:
            answer_refusals(render=lambda: _render(form, None), form=form, status=FORM_INVALID)
            outcome = import_csv(db.session, form.kind.data, upload.read(),
                                 actor=current_user, dry_run=form.check_only.data)
            if outcome.ok and not outcome.dry_run:
                flash(_("%(count)d records are imported.", count=outcome.imported), "success")
                if outcome.kind == CITIZENS:
                    flash(_("Each resident gets a welcome e-mail. They stay invisible until they confirm."), "info")
                return redirect(url_for("transfers.index"))
    # A check only, or a file with problems, writes nothing: an answer of 422 rolls back, and
    # a dry run never reaches the writer.
    if request.method == "POST" and (form.errors or (outcome is not None and not outcome.ok)):
        return _render(form, outcome), FORM_INVALID
    return _render(form, outcome)


@bp.get("/initiatives.csv")
@role_required(Role.COORDINATOR, Role.ADMIN)
def export_initiatives():
    excel = request.args.get("excel") == "1"
    rows = initiatives_for_export(db.session)
    text = initiatives_csv(rows, delimiter=";" if excel else ",", byte_order_mark=excel)
    record_export(db.session, len(rows), actor=current_user)
    filename = f"initiatives-{local_today().isoformat()}.csv"
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"',
                 "Cache-Control": "no-store"},
    )


@bp.get("/examples/<kind>.csv")
@role_required(Role.COORDINATOR, Role.ADMIN)
def example(kind: str):
    if kind not in (INITIATIVES, CITIZENS):
        abort(404)
    with open(os.path.join(EXAMPLES_DIR, f"{kind}.csv"), "rb") as handle:
        data = handle.read()
    return Response(data, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="example-{kind}.csv"'})
