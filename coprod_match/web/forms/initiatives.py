"""The forms a professional fills in about an initiative: its details and its contacts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ...services.initiatives import AGE_ORDER_MESSAGE
from ...vocabulary import Limits, OpenTo
from .fields import MultiCheckboxField, language_choices, one_line, optional_int, strip_spaces


def _lines(value):
    """Textarea with one item per line -> list of non-empty, trimmed lines."""
    if isinstance(value, list):
        return value
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


OPEN_TO_CHOICES = [
    (OpenTo.EVERYONE.value, _l("Everyone")),
    (OpenTo.WOMEN.value, _l("Only women")),
    (OpenTo.MEN.value, _l("Only men")),
]


def initiative_title_field() -> StringField:
    """The initiative's name, the same rules in its own language and in every version."""
    return StringField(
        _l("Name of the initiative"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Fill in a name.")),
                    Length(max=Limits.INITIATIVE_TITLE, message=_l("Use at most %(max)d characters.", max=Limits.INITIATIVE_TITLE)),
                    one_line],
    )


class InitiativeForm(FlaskForm):
    title = initiative_title_field()
    description = TextAreaField(
        _l("What happens, and for whom?"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Describe the initiative in a few sentences.")),
                    Length(max=Limits.INITIATIVE_DESCRIPTION, message=_l("Use at most %(max)d characters.", max=Limits.INITIATIVE_DESCRIPTION))],
    )
    # Which language the words above are in, so pages mark them with `lang` and offer versions in others.
    # Left out (an older page still open in a tab): the initiative keeps its language (`_details_from`).
    written_in = SelectField(_l("Written in"), choices=language_choices(), validators=[Optional()])
    neighbourhood_id = SelectField(
        _l("Neighbourhood"), coerce=optional_int, validate_choice=False,
        validators=[InputRequired(_l("Choose the neighbourhood."))],
    )
    location = StringField(
        _l("Address or place (optional)"),
        filters=[strip_spaces],
        validators=[Length(max=Limits.INITIATIVE_LOCATION, message=_l("Use at most %(max)d characters.", max=Limits.INITIATIVE_LOCATION))],
    )
    target_groups = MultiCheckboxField(_l("For whom is it?"))
    interests = MultiCheckboxField(_l("Themes"))
    languages = MultiCheckboxField(_l("Languages the participants speak"))
    welcomes_dutch_learners = BooleanField(_l("Volunteers can practise their Dutch here"))
    core_tasks = TextAreaField(
        _l("Main tasks for volunteers (one per line)"),
        validators=[Length(max=Limits.TASK_LIST_TEXT, message=_l("Use at most %(max)d characters.", max=Limits.TASK_LIST_TEXT))],
    )
    complementary_tasks = TextAreaField(
        _l("Small tasks, easy to start with (one per line)"),
        validators=[Length(max=Limits.TASK_LIST_TEXT, message=_l("Use at most %(max)d characters.", max=Limits.TASK_LIST_TEXT))],
    )
    schedule = MultiCheckboxField(_l("When does it take place?"))
    hours_per_week = IntegerField(
        _l("Hours a week for one volunteer"), default=2,
        validators=[InputRequired(_l("Fill in a number.")),
                    NumberRange(min=1, max=Limits.HOURS_PER_WEEK_MAX, message=_l("Choose a number from %(min)d to %(max)d.", min=1, max=Limits.HOURS_PER_WEEK_MAX))],
    )
    volunteers_min = IntegerField(
        _l("Volunteers needed at least"), default=1,
        validators=[InputRequired(_l("Fill in a number.")),
                    NumberRange(min=0, max=Limits.VOLUNTEERS_MAX, message=_l("Choose a number from %(min)d to %(max)d.", min=0, max=Limits.VOLUNTEERS_MAX))],
    )
    volunteers_ideal = IntegerField(
        _l("Volunteers wanted in total"), default=3,
        validators=[InputRequired(_l("Fill in a number.")),
                    NumberRange(min=1, max=Limits.VOLUNTEERS_MAX, message=_l("Choose a number from %(min)d to %(max)d.", min=1, max=Limits.VOLUNTEERS_MAX))],
    )
    # Everyone unless the professional says otherwise (also when the answer is missing): the old
    # behaviour, and nobody is left out by a default.
    open_to = RadioField(
        _l("Who can join?"), choices=OPEN_TO_CHOICES, default=OpenTo.EVERYONE.value, validators=[Optional()],
    )
    min_age = IntegerField(
        _l("Minimum age (optional)"),
        validators=[Optional(), NumberRange(min=0, max=Limits.AGE_MAX, message=_l("Choose a number from %(min)d to %(max)d.", min=0, max=Limits.AGE_MAX))],
    )
    max_age = IntegerField(
        _l("Maximum age (optional)"),
        validators=[Optional(), NumberRange(min=0, max=Limits.AGE_MAX, message=_l("Choose a number from %(min)d to %(max)d.", min=0, max=Limits.AGE_MAX))],
    )
    start_date = DateField(_l("Start date"), validators=[InputRequired(_l("Choose a start date."))])
    end_date = DateField(_l("End date (optional, for example when the funding ends)"), validators=[Optional()])

    def validate_volunteers_ideal(self, field):
        if self.volunteers_min.data is not None and field.data is not None and field.data < self.volunteers_min.data:
            raise ValidationError(_l("This must be at least the number needed."))

    def validate_max_age(self, field):
        if self.min_age.data is not None and field.data is not None and field.data < self.min_age.data:
            raise ValidationError(AGE_ORDER_MESSAGE)

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date must be after the start date."))

    def core_task_list(self) -> list[str]:
        return [task[:Limits.TASK_TITLE] for task in _lines(self.core_tasks.data)]

    def small_task_list(self) -> list[str]:
        return [task[:Limits.TASK_TITLE] for task in _lines(self.complementary_tasks.data)]


class ColleagueForm(FlaskForm):
    colleague_id = SelectField(
        _l("Colleague"), coerce=optional_int, validate_choice=False,
        validators=[InputRequired(_l("Choose a colleague."))],
    )


class VersionForm(FlaskForm):
    """An initiative's words in another language; `version_form` adds the language and one field per task."""

    title = initiative_title_field()
    description = TextAreaField(
        _l("What happens, and for whom?"),
        filters=[strip_spaces],
        validators=[Length(max=Limits.INITIATIVE_DESCRIPTION, message=_l("Use at most %(max)d characters.", max=Limits.INITIATIVE_DESCRIPTION))],
    )

    def task_fields(self) -> list:
        """The task fields, in the initiative's task order (their names are task_<id>)."""
        return [self[name] for name in self._task_names]

    def task_titles(self) -> dict[int, str]:
        return {int(name.removeprefix("task_")): self[name].data or "" for name in self._task_names}


def version_form(tasks, *, locale_choices=None, **kwargs) -> VersionForm:
    """A VersionForm with one optional field per task, labelled with the task's original title.

    With `locale_choices`, a new version: the writer chooses its language. Without, the language is
    fixed by the page's address and is no field at all.
    """

    class _Form(VersionForm):
        pass

    if locale_choices is not None:
        _Form.locale = SelectField(_l("Language"), choices=locale_choices,
                                   validators=[InputRequired(_l("Choose a language."))])

    names = []
    for task in tasks:
        name = f"task_{task.id}"
        setattr(_Form, name, StringField(
            task.title, filters=[strip_spaces],
            validators=[Optional(), Length(max=Limits.TASK_TITLE, message=_l("Use at most %(max)d characters.", max=Limits.TASK_TITLE))],
        ))
        names.append(name)
    _Form._task_names = names
    return _Form(**kwargs)
