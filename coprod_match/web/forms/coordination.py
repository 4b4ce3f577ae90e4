"""Forms on a continuity alert's page: give it to someone, add a note, mark it solved."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ...vocabulary import Limits

NOTE_MAX = Limits.ALERT_NOTE


class AssignForm(FlaskForm):
    assignee = SelectField(_l("Give this alert to"), choices=[], validate_choice=True,
                           validators=[InputRequired(_l("Choose a person, or Nobody."))])


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Note"), validators=[
        DataRequired(_l("Please write a note first.")),
        Length(max=NOTE_MAX, message=_l("A note can be %(max)d characters at most.")),
    ])


class ResolveForm(FlaskForm):
    reason = TextAreaField(_l("Why is the problem solved?"), validators=[
        DataRequired(_l("Please say why the problem is solved.")),
        Length(max=NOTE_MAX, message=_l("A reason can be %(max)d characters at most.")),
    ])
