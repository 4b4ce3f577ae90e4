"""The contact's sentence of thanks on a volunteer's statement of participation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from ...vocabulary import Limits


class ThanksForm(FlaskForm):
    # Empty is allowed here so "Remove" posts the same form; the service refuses an empty sentence to save.
    sentence = TextAreaField(
        _l("Your sentence of thanks"),
        validators=[Length(max=Limits.THANKS_SENTENCE,
                           message=_l("Use at most %(max)d characters.", max=Limits.THANKS_SENTENCE))],
    )
    save = SubmitField(_l("Save the thanks"))
    remove = SubmitField(_l("Remove the thanks"))
