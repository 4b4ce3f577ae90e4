"""Forms of the administrator's account page: corrections, a new role, the municipal switch, work areas.

The other actions (disable, enable, a reset link, erase) are a button and
the CSRF token only: `accounts.ConfirmForm`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, SelectMultipleField, StringField
from wtforms.validators import AnyOf, Email, InputRequired, Length, Optional

from ...vocabulary import Limits
from .account_details import AccountDetailsForm
from .fields import EMAIL_MAX, one_line, strip_spaces


class CorrectAccountForm(AccountDetailsForm):
    """What the person could correct themselves, plus the organisation; a new address is confirmed by its owner."""

    organisation = StringField(
        _l("Organisation"),
        filters=[strip_spaces],
        validators=[Length(max=Limits.ORGANISATION,
                           message=_l("Use at most %(max)d characters.", max=Limits.ORGANISATION)), one_line],
    )
    email = EmailField(
        _l("New e-mail address"),
        filters=[strip_spaces],
        validators=[
            Optional(),
            Length(max=EMAIL_MAX, message=_l("This e-mail address is too long.")),
            Email(_l("This is not a valid e-mail address. Example: name@example.nl"), check_deliverability=False),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.display_name.label.text = _l("Name")
        self.preferred_locale.label.text = _l("Language")


class RoleForm(FlaskForm):
    # Choices are set by the view: the staff roles, in the reader's language.
    role = SelectField(_l("New role"), validators=[InputRequired(_l("Choose a role."))])
    # Set by the confirmation page when an account is made an administrator.
    confirmed = HiddenField()


class MunicipalForm(FlaskForm):
    municipal = HiddenField(validators=[AnyOf(["yes", "no"])])


class WorkAreasForm(FlaskForm):
    # Choices are set by the view: every neighbourhood, by district. None at all is allowed.
    work_area_ids = SelectMultipleField(_l("Neighbourhoods they work in"), coerce=int)
