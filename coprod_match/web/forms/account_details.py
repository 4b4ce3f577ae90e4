"""Forms of the account details page: name, phone and language; a new e-mail address."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ...services.account_details import PHONE_MAX, phone_problem
from ...vocabulary import Limits
from .fields import (
    EMAIL_MAX,
    LOCALE_CHOICES,
    NAME_MAX,
    PASSWORD_MAX,
    email_field,
    one_line,
    strip_spaces,
)


def phone_number(form, field) -> None:
    if field.data and (problem := phone_problem(field.data)):
        raise ValidationError(problem)


class AccountDetailsForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Fill in your name.")),
                    Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.", max=NAME_MAX)), one_line],
    )
    phone = StringField(
        _l("Phone number"),
        filters=[strip_spaces],
        validators=[Optional(), Length(max=PHONE_MAX, message=_l("Use at most %(max)d characters.", max=PHONE_MAX)),
                    phone_number],
    )
    preferred_locale = SelectField(_l("Language for this website and e-mails"), choices=LOCALE_CHOICES)
    # Staff: shown to the residents taking part in their initiatives, with the phone number above.
    work_email = StringField(
        _l("Work e-mail address"),
        filters=[strip_spaces],
        validators=[Optional(), Length(max=EMAIL_MAX, message=_l("This e-mail address is too long.")),
                    Email(_l("This is not a valid e-mail address. Example: name@example.nl"),
                          check_deliverability=False)],
    )
    organisation = StringField(
        _l("Organisation"),
        filters=[strip_spaces],
        validators=[Optional(), Length(max=Limits.ORGANISATION,
                                       message=_l("Use at most %(max)d characters.", max=Limits.ORGANISATION)),
                    one_line],
    )
    # Residents: what the contact persons of initiatives they take part in may see.
    shares_phone = BooleanField(_l("My phone number"))
    shares_email = BooleanField(_l("My e-mail address"))


class EmailChangeForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Fill in your current password.")),
                    Length(max=PASSWORD_MAX, message=_l("This password is too long."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.email.label.text = _l("New e-mail address")
