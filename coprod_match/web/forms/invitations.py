"""Forms for inviting a resident personally, and for the resident's answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from ...services import consents
from ...vocabulary import Limits
from .fields import (
    LOCALE_CHOICES,
    NAME_MAX,
    email_field,
    new_password_field,
    one_line,
    optional_int,
    strip_spaces,
)

INVITATION_MESSAGE_MAX = Limits.INVITATION_MESSAGE


def _invitation_message_field() -> TextAreaField:
    return TextAreaField(
        _l("Your personal message"),
        validators=[Length(max=INVITATION_MESSAGE_MAX,
                           message=_l("Use at most %(max)d characters.", max=INVITATION_MESSAGE_MAX))],
    )


class InviteForm(FlaskForm):
    message = _invitation_message_field()


class InviteByEmailForm(FlaskForm):
    display_name = StringField(
        _l("First name"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Fill in a name.")),
                    Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.", max=NAME_MAX)), one_line],
    )
    email = email_field()
    preferred_locale = SelectField(_l("Language of the e-mail"), choices=LOCALE_CHOICES)
    message = _invitation_message_field()
    asked_in_person = BooleanField(
        consents.IN_PERSON_WORDING,
        validators=[DataRequired(_l("Only invite people who asked you for it."))],
    )


class DeclineForm(FlaskForm):
    # Optional; anything that is not one of the reasons counts as "rather not say".
    reason = SelectField(_l("Why not? (you do not have to say)"), validate_choice=False)


class CompleteAccountForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Fill in your name.")),
                    Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.", max=NAME_MAX)), one_line],
    )
    neighbourhood_id = SelectField(_l("Your neighbourhood"), coerce=optional_int, validate_choice=False,
                                   validators=[Optional()])
    password = new_password_field(_l("Choose a password"))
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(_l("Type the password again.")),
                    EqualTo("password", _l("The two passwords are not the same."))],
    )
