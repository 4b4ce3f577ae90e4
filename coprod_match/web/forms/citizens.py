"""The citizen's profile form, with one level question per language in the reference list."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from ...i18n import local_today
from ...models import LanguageLevel
from ...open_to import birth_years
from ...services import consents
from ...services.citizens import birth_year_message
from ...vocabulary import Gender, Limits
from .fields import MultiCheckboxField, optional_int

LEVEL_CHOICES = [
    SelectChoice("", _l("I don't speak it")),
    SelectChoice(LanguageLevel.NATIVE.value, _l("Mother tongue")),
    SelectChoice(LanguageLevel.FLUENT.value, _l("Very well")),
    SelectChoice(LanguageLevel.CONVERSATIONAL.value, _l("Well enough for a conversation")),
    SelectChoice(LanguageLevel.BASIC.value, _l("A little")),
]


GENDER_CHOICES = [
    (Gender.WOMAN.value, _l("Woman")),
    (Gender.MAN.value, _l("Man")),
    (Gender.OTHER.value, _l("Another answer")),
    (Gender.RATHER_NOT_SAY.value, _l("I would rather not say")),
]


# Choices rather than typing a number (issue 15: people who read little). The steps grow with the hours:
# nobody needs to tell 37 from 38 hours a week.
HOURS_A_WEEK = (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, Limits.CITIZEN_HOURS_MAX)
INITIATIVES_AT_ONCE = tuple(range(1, Limits.CITIZEN_INITIATIVES_MAX + 1))


class NumberChoiceField(SelectField):
    """A number chosen from a short list, each said in words ("4 hours a week").

    A number stored another way (the API takes any in range) joins the list
    when shown, so saving the page never changes it unasked; the form still
    takes any number in range, and junk becomes None for the range check.
    """

    def __init__(self, label=None, validators=None, *, numbers, words, empty_choice=None, **kwargs):
        self.numbers, self.words, self.empty_choice = tuple(numbers), words, empty_choice
        super().__init__(label, validators, coerce=optional_int, validate_choice=False,
                         choices=self._number_choices(self.numbers), **kwargs)

    def _number_choices(self, numbers) -> list[SelectChoice]:
        first = [SelectChoice("", self.empty_choice())] if self.empty_choice else []
        return first + [SelectChoice(str(number), self.words(number)) for number in numbers]

    def __call__(self, **kwargs):
        if isinstance(self.data, int) and self.data not in self.numbers:
            self.choices = self._number_choices(sorted({*self.numbers, self.data}))
        return super().__call__(**kwargs)


def _hours_words(number: int) -> str:
    return ngettext("%(num)d hour a week", "%(num)d hours a week", number)


def _initiatives_words(number: int) -> str:
    return ngettext("%(num)d initiative", "%(num)d initiatives", number)


class ProfileForm(FlaskForm):
    """The citizen's profile. Language fields (`language-<code>`) are added per request."""

    neighbourhood_id = SelectField(
        _l("Your neighbourhood"),
        coerce=optional_int,
        validate_choice=False,
        validators=[InputRequired(_l("Choose your neighbourhood."))],
    )
    interests = MultiCheckboxField(_l("What do you like to do?"))
    wants_to_practise_dutch = BooleanField(_l("I want to practise my Dutch"))
    availability = MultiCheckboxField(_l("When are you free?"))
    max_hours_per_week = NumberChoiceField(
        _l("How many hours a week can you help at most?"),
        numbers=HOURS_A_WEEK, words=_hours_words, empty_choice=lambda: _("I am not sure yet"),
        validators=[
            Optional(),
            NumberRange(min=1, max=Limits.CITIZEN_HOURS_MAX, message=_l("Choose a number from %(min)d to %(max)d.", min=1, max=Limits.CITIZEN_HOURS_MAX)),
        ],
    )
    max_initiatives = NumberChoiceField(
        _l("In how many initiatives do you want to help at the same time?"),
        numbers=INITIATIVES_AT_ONCE, words=_initiatives_words,
        default=2,
        validators=[
            InputRequired(_l("Fill in a number.")),
            NumberRange(min=1, max=Limits.CITIZEN_INITIATIVES_MAX, message=_l("Choose a number from %(min)d to %(max)d.", min=1, max=Limits.CITIZEN_INITIATIVES_MAX)),
        ],
    )
    consent_to_contact = BooleanField(consents.INVITATIONS_WORDING)
    gender = RadioField(_l("Are you a woman or a man? (optional)"), choices=GENDER_CHOICES,
                        validators=[Optional()])
    birth_year = IntegerField(_l("Your birth year (optional)"), validators=[Optional()])

    def validate_birth_year(self, field):
        years = birth_years(local_today().year)
        if field.data is not None and field.data not in years:
            raise ValidationError(birth_year_message(years))

    def language_fields(self):
        return [field for field in self if field.name.startswith("language-")]


def make_profile_form(languages, **kwargs) -> ProfileForm:
    """A ProfileForm with one level choice per language in the reference list."""

    class _Form(ProfileForm):
        pass

    for language in languages:
        # The label is set per request in the view (it depends on the UI language).
        setattr(_Form, f"language-{language.code}", SelectField(language.code, choices=LEVEL_CHOICES, default=""))
    return _Form(**kwargs)
