"""The form that erases one's own account: the password once more, so nobody at an open screen can."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from .fields import PASSWORD_MAX


class EraseAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Fill in your password.")),
                    Length(max=PASSWORD_MAX, message=_l("Use at most %(max)d characters.", max=PASSWORD_MAX))],
    )
