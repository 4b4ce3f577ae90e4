"""Forms about the privacy statement: accepting it, and the welcome page for imported residents."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from ...services import consents
from .fields import new_password_field

ACCEPT_LABEL = _l("I have read the privacy statement and I accept it.")
ACCEPT_REQUIRED = _l("Please accept the privacy statement. Without it you cannot use an account.")


def accept_privacy_field() -> BooleanField:
    return BooleanField(ACCEPT_LABEL, validators=[DataRequired(ACCEPT_REQUIRED)])


class AcceptStatementForm(FlaskForm):
    # The version the person read: if it changed meanwhile, they are shown the new one.
    version = HiddenField(validators=[Length(max=64)])
    accept = accept_privacy_field()


class WelcomeForm(FlaskForm):
    """An imported resident's first visit: a password, the statement, and their own answer to invitations."""

    password = new_password_field(_l("Choose a password"))
    version = HiddenField(validators=[Length(max=64)])
    accept = accept_privacy_field()
    invitations = RadioField(
        consents.INVITATIONS_WORDING,
        choices=[SelectChoice("yes", _l("Yes, professionals may invite me")),
                 SelectChoice("no", _l("No, I do not want personal invitations"))],
        validators=[InputRequired(_l("Please choose yes or no."))],
    )
