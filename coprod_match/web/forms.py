"""WTForms shared by the HTML blueprints. Labels and messages are translated lazily."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from ..passwords import MIN_LENGTH

NAME_MAX = 120
EMAIL_MAX = 254
PASSWORD_MAX = 200
LOCALE_CHOICES = [SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]


def optional_int(value) -> int | None:
    """Coerce a select's value; the empty "choose…" option and junk become None."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def strip_spaces(value):
    """People paste addresses and names with spaces around them."""
    return value.strip() if isinstance(value, str) else value


def _email_field() -> EmailField:
    return EmailField(
        _l("E-mail address"),
        filters=[strip_spaces],
        validators=[
            DataRequired(_l("Fill in your e-mail address.")),
            Length(max=EMAIL_MAX, message=_l("This e-mail address is too long.")),
            Email(_l("This is not a valid e-mail address. Example: name@example.nl"),
                  check_deliverability=False),
        ],
    )


def _new_password_field(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(
                min=MIN_LENGTH,
                max=PASSWORD_MAX,
                message=_l("Use between %(min)d and %(max)d characters.", min=MIN_LENGTH, max=PASSWORD_MAX),
            ),
        ],
    )


class RegistrationForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        filters=[strip_spaces],
        validators=[
            DataRequired(_l("Fill in your name.")),
            Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.", max=NAME_MAX)),
        ],
    )
    email = _email_field()
    password = _new_password_field(_l("Choose a password"))
    neighbourhood_id = SelectField(
        _l("Your neighbourhood"),
        coerce=optional_int,
        # Checked against the database in the view, with a plain message.
        validate_choice=False,
        validators=[InputRequired(_l("Choose your neighbourhood."))],
    )
    preferred_locale = SelectField(_l("Language for this website"), choices=LOCALE_CHOICES)


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
    email = _email_field()


class PasswordResetForm(FlaskForm):
    password = _new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Type the new password again.")),
                    EqualTo("password", _l("The two passwords are not the same."))],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Fill in your current password.")),
                    Length(max=PASSWORD_MAX, message=_l("This password is too long."))],
    )
    password = _new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Type the new password again.")),
                    EqualTo("password", _l("The two passwords are not the same."))],
    )


class StaffAccountForm(FlaskForm):
    display_name = StringField(
        _l("Name"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Fill in a name.")),
                    Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.", max=NAME_MAX))],
    )
    email = _email_field()
    role = SelectField(_l("Role"))
    organisation = StringField(
        _l("Organisation"),
        validators=[Length(max=160, message=_l("Use at most %(max)d characters.", max=160))],
    )
    work_area_ids = SelectMultipleField(_l("Neighbourhoods they work in"), coerce=int)
    preferred_locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)
    password = _new_password_field(_l("First password"))
