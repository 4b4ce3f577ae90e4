"""The upload form of the import page: which list the CSV file holds, and whether only to check it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectChoice, SelectField
from wtforms.validators import InputRequired

from ...transfers.validation import CITIZENS, INITIATIVES


class ImportForm(FlaskForm):
    kind = SelectField(
        _l("What is in the file?"),
        # The empty first choice: a list of residents is never read as initiatives because nobody chose.
        choices=[SelectChoice("", _l("Choose what the file holds")),
                 SelectChoice(INITIATIVES, _l("Initiatives")),
                 SelectChoice(CITIZENS, _l("Residents"))],
        validators=[InputRequired(_l("Choose what the file holds."))],
    )
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a file."))])
    check_only = BooleanField(_l("Only check the file, do not import yet"))
