"""Forms of the administrator's account page: a new role, the municipal switch, work areas.

The other actions (disable, enable, a reset link, erase) are a button and
the CSRF token only: `accounts.ConfirmForm`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField
from wtforms.validators import AnyOf, InputRequired


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
