"""Forms about one's account: registering, logging in, passwords, staff accounts and API tokens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from ...vocabulary import Limits
from .fields import (
    EMAIL_MAX,
    LOCALE_CHOICES,
    NAME_MAX,
    PASSWORD_MAX,
    email_field,
    new_password_field,
    one_line,
    optional_int,
    strip_spaces,
)
from .privacy import accept_privacy_field


class RegistrationForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        filters=[strip_spaces],
        validators=[
            DataRequired(_l("Fill in your name.")),
            Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.", max=NAME_MAX)),
            one_line,
        ],
    )
    email = email_field()
    neighbourhood_id = SelectField(
        _l("Your neighbourhood"),
        coerce=optional_int,
        # Checked against the database in the view, with a plain message.
        validate_choice=False,
        validators=[InputRequired(_l("Choose your neighbourhood."))],
    )
    preferred_locale = SelectField(_l("Language for this website"), choices=LOCALE_CHOICES)
    # The version of the statement the form showed a link to: recorded once the account is made.
    privacy_version = HiddenField(validators=[Length(max=64)])
    accept_privacy = accept_privacy_field()


class FinishRegistrationForm(FlaskForm):
    """The last step of signing up, from the link in the mail: the password."""

    password = new_password_field(_l("Choose a password"))


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Fill in your e-mail address.")),
                    Length(max=EMAIL_MAX, message=_l("This e-mail address is too long."))],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Fill in your password.")),
                    Length(max=PASSWORD_MAX, message=_l("This password is too long."))],
    )
    remember = BooleanField(_l("Stay logged in on this device"))


class PasswordResetRequestForm(FlaskForm):
    email = email_field()


class PasswordResetForm(FlaskForm):
    password = new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Type the new password again.")),
                    EqualTo("password", _l("The two passwords are not the same."))],
    )
    revoke_tokens = BooleanField(_l("Also stop all my API tokens"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Fill in your current password.")),
                    Length(max=PASSWORD_MAX, message=_l("This password is too long."))],
    )
    password = new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Type the new password again.")),
                    EqualTo("password", _l("The two passwords are not the same."))],
    )
    revoke_tokens = BooleanField(_l("Also stop all my API tokens"))


class StaffAccountForm(FlaskForm):
    display_name = StringField(
        _l("Name"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Fill in a name.")),
                    Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.", max=NAME_MAX)), one_line],
    )
    email = email_field()
    # Choices are set by the view, after an empty one: the admin picks the role, it is never pre-set.
    role = SelectField(_l("Role"), validators=[InputRequired(_l("Choose a role."))])
    organisation = StringField(
        _l("Organisation"),
        validators=[Length(max=Limits.ORGANISATION, message=_l("Use at most %(max)d characters.", max=Limits.ORGANISATION)),
                    one_line],
    )
    work_area_ids = SelectMultipleField(_l("Neighbourhoods they work in"), coerce=int)
    preferred_locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)
    password = new_password_field(_l("First password"))


def _collapse_spaces(value):
    """A token's name is shown in one line: runs of spaces and line breaks become one space."""
    return " ".join(value.split()) if value else value


class NewTokenForm(FlaskForm):
    name = StringField(
        _l("What is the token for?"),
        filters=[_collapse_spaces],
        validators=[DataRequired(_l("Give the token a name, for example the program that uses it.")),
                    Length(max=Limits.API_TOKEN_NAME, message=_l("Use at most %(max)d characters.",
                                                                 max=Limits.API_TOKEN_NAME))],
    )


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the confirmation before revoking a token."""
