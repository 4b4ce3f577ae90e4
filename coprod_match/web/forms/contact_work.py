"""Forms for the contact's month, the attendance list and "I helped today"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...services.attendance import HOURS_MAX
from ...vocabulary import Burden, Limits
from .fields import MultiCheckboxField, strip_spaces

BURDEN_CHOICES = [
    SelectChoice(Burden.LIGHTER.value, _l("lighter")),
    SelectChoice(Burden.SAME.value, _l("about the same")),
    SelectChoice(Burden.HEAVIER.value, _l("heavier")),
]
YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


def _hours_field(label, low: int, high: int) -> IntegerField:
    return IntegerField(label, render_kw={"min": low, "max": high, "inputmode": "numeric"}, validators=[
        Optional(), NumberRange(min=low, max=high, message=_l("Choose a number from %(min)d to %(max)d.",
                                                              min=low, max=high))])


class MonthForm(FlaskForm):
    hours = _hours_field(_l("Hours you spent on it this month (optional)"), 0, Limits.CONTACT_HOURS_PER_MONTH_MAX)
    burden = RadioField(_l("The volunteers make my work ..."), choices=BURDEN_CHOICES,
                        validators=[InputRequired(_l("Choose one answer."))])
    needs_help = RadioField(_l("I need help with this initiative"), choices=YES_NO,
                            validators=[InputRequired(_l("Choose yes or no."))])
    comment = TextAreaField(
        _l("Anything else you want to tell? (optional)"), filters=[strip_spaces],
        validators=[Length(max=Limits.CHECK_IN_COMMENT,
                           message=_l("Use at most %(max)d characters.", max=Limits.CHECK_IN_COMMENT))])


class AttendanceForm(FlaskForm):
    placement_ids = MultiCheckboxField(_l("Who took part?"), coerce=int, validate_choice=False)
    day = DateField(_l("Date"), validators=[InputRequired(_l("Choose a date."))])
    hours = _hours_field(_l("Hours of this session (optional)"), 1, HOURS_MAX)


class HelpedForm(FlaskForm):
    hours = _hours_field(_l("Hours (optional)"), 1, HOURS_MAX)
