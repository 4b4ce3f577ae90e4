"""Forms of two-factor login: one field for a code, and the button that sends it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .fields import strip_spaces

# Six digits, or a recovery code with its dashes, with room for spaces people type.
CODE_MAX = 32


def _code_field(label) -> StringField:
    return StringField(
        label,
        filters=[strip_spaces],
        validators=[DataRequired(_l("Fill in the code.")),
                    Length(max=CODE_MAX, message=_l("This code is too long."))],
    )


class AppCodeForm(FlaskForm):
    """A code from the authenticator app: setting up, new recovery codes, turning off."""

    code = _code_field(_l("The 6 numbers your app shows now"))


class LoginCodeForm(FlaskForm):
    """The second step of logging in: a code from the app, or a recovery code."""

    code = _code_field(_l("Code from your app, or a recovery code"))
