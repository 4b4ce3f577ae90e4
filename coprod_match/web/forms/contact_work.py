"""Forms for the contact's month, the attendance list and "I helped today"."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ...domain_errors import InvalidInput
from ...services.attendance import DAYS_BACK, HOURS_MAX, HOURS_STEP_MINUTES, minutes_of
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


class HalfHoursField(DecimalField):
    """Hours in half hours; "1,5" reads as 1.5 too, as people write it in Dutch, Turkish and more."""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        try:
            self.data = Decimal(valuelist[0].strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(str(_l("Write a number, such as 2 or 1.5."))) from None


def _within_attendance_hours(form, field) -> None:
    # The service's own rule (services/attendance.minutes_of), so the page and the service say the same.
    try:
        minutes_of(field.data)
    except InvalidInput as refused:
        raise ValidationError(str(refused.message)) from None


def _half_hours_field(label) -> HalfHoursField:
    return HalfHoursField(label, places=None, render_kw={"min": HOURS_STEP_MINUTES / 60, "max": HOURS_MAX,
                                            "step": HOURS_STEP_MINUTES / 60, "inputmode": "decimal"},
                          validators=[Optional(), _within_attendance_hours])


class AttendanceForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(_l("Choose a date."))],
                    description=_l("Today or up to %(num)d days back", num=DAYS_BACK))
    placement_ids = MultiCheckboxField(_l("Tick everyone who took part"), coerce=int, validate_choice=False)
    hours = _half_hours_field(_l("Hours of this session (optional)"))


class HelpedForm(FlaskForm):
    hours = _half_hours_field(_l("How many hours did you help today? (you may leave this empty)"))
