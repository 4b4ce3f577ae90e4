"""The monthly check-in form: one short page, the same from the mailed link and in the app.

The scales are read leniently (anything that is not a number between 1 and 5
is "off the scale") and judged by services/check_ins/answers.py, so the page
and the service refuse the same answers with the same words.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ...services.check_ins.answers import SCALES, VolunteerAnswer, answer_problems
from ...services.check_ins.volunteers import PROBLEM_MESSAGES
from ...vocabulary import SCALE_MAX, SCALE_MIN, Limits, StillHelping
from .fields import strip_spaces

STILL_HELPING_LABELS = {
    StillHelping.YES: _l("Yes, I still help"),
    StillHelping.PAUSED: _l("I am taking a break"),
    StillHelping.STOPPED: _l("No, I stopped"),
}
# 1 = not at all ... 5 = very much, the same words under each of the three statements.
SCALE_LABELS = {
    1: _l("Not at all"),
    2: _l("A little"),
    3: _l("Partly"),
    4: _l("Much"),
    5: _l("Very much"),
}
SCALE_STATEMENTS = {
    "appreciated": _l("I feel appreciated"),
    "supported": _l("I feel supported by the contact person"),
    "too_much": _l("It is too much for me"),
}


def _scale_value(value):
    """1..5 as a number; empty as None; anything else as 0, which the rules call off the scale."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) < 3 else 0


def _scale(name: str) -> RadioField:
    return RadioField(SCALE_STATEMENTS[name], coerce=_scale_value, validate_choice=False,
                      choices=[SelectChoice(value, SCALE_LABELS[value]) for value in range(SCALE_MIN, SCALE_MAX + 1)])


class CheckInForm(FlaskForm):
    still_helping = RadioField(
        _l("Are you still helping?"), validators=[InputRequired(_l("Choose one answer."))],
        choices=[SelectChoice(answer.value, label) for answer, label in STILL_HELPING_LABELS.items()],
    )
    appreciated = _scale("appreciated")
    supported = _scale("supported")
    too_much = _scale("too_much")
    comment = TextAreaField(_l("Anything else you want to tell? (optional)"), filters=[strip_spaces])
    # Asked only of someone who stopped: the stop page's questions (web/citizens.py stop_my_placement).
    end_reason = SelectField(_l("Why did you stop?"), validators=[Optional()])
    note = TextAreaField(
        _l("Anything else about stopping? (optional)"), filters=[strip_spaces],
        validators=[Length(max=Limits.SHORT_MESSAGE,
                           message=_l("Use at most %(max)d characters.", max=Limits.SHORT_MESSAGE))],
    )

    def validate(self, extra_validators=None) -> bool:
        whole = super().validate(extra_validators)
        if self.still_helping.errors:
            return False
        problems = answer_problems(self.answer())
        if self.still_helping.data == StillHelping.STOPPED and not self.end_reason.data:
            self.end_reason.errors = [*self.end_reason.errors, _l("Choose a reason.")]
            whole = False
        for name, problem in problems.items():
            self[name].errors = [*self[name].errors, PROBLEM_MESSAGES[problem]]
        return whole and not problems

    def answer(self) -> VolunteerAnswer:
        return VolunteerAnswer(StillHelping(self.still_helping.data),
                               **{name: self[name].data for name in SCALES}, comment=self.comment.data or None)
