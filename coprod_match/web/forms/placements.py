"""Forms for a placement's moves: signing up, accepting, rejecting and ending."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ...models import EndReason
from ...vocabulary import CHOSEN_END_REASONS, Limits
from ..template_helpers import END_REASON_LABELS
from .fields import strip_spaces


class ApplyForm(FlaskForm):
    message = TextAreaField(
        _l("A short message for the contact person (optional)"),
        filters=[strip_spaces],
        validators=[Length(max=Limits.SHORT_MESSAGE, message=_l("Use at most %(max)d characters.", max=Limits.SHORT_MESSAGE))],
    )


class AcceptForm(FlaskForm):
    starts_on = DateField(
        _l("Starts on"),
        validators=[InputRequired(_l("Choose a start date."))],
    )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (the resident sees this)"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Write a short, kind reason.")),
                    Length(max=Limits.SHORT_MESSAGE, message=_l("Use at most %(max)d characters.", max=Limits.SHORT_MESSAGE))],
    )


def end_reason_choices(*, for_citizen: bool) -> list[SelectChoice]:
    """The reasons to end a placement; a citizen cannot say the initiative closed."""
    reasons = [r for r in CHOSEN_END_REASONS if not (for_citizen and r == EndReason.INITIATIVE_CLOSED)]
    # First an empty choice: nothing is picked for the person, and sending it asks them to choose.
    return [SelectChoice("", _l("Choose a reason")),
            *(SelectChoice(reason.value, END_REASON_LABELS[reason]) for reason in reasons)]


class EndPlacementForm(FlaskForm):
    end_reason = SelectField(_l("Why?"), validators=[InputRequired(_l("Choose a reason."))])
    note = TextAreaField(
        _l("Anything else you want to tell? (optional)"),
        filters=[strip_spaces],
        validators=[Length(max=Limits.SHORT_MESSAGE, message=_l("Use at most %(max)d characters.", max=Limits.SHORT_MESSAGE))],
    )
