"""The citizen's profile form, with one level question per language in the reference list."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from ...models import LanguageLevel
from ...services import consents
from ...vocabulary import Limits
from .fields import MultiCheckboxField, optional_int

LEVEL_CHOICES = [
    SelectChoice("", _l("I don't speak it")),
    SelectChoice(LanguageLevel.NATIVE.value, _l("Mother tongue")),
    SelectChoice(LanguageLevel.FLUENT.value, _l("Very well")),
    SelectChoice(LanguageLevel.CONVERSATIONAL.value, _l("Well enough for a conversation")),
    SelectChoice(LanguageLevel.BASIC.value, _l("A little")),
]


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
    max_hours_per_week = IntegerField(
        _l("How many hours a week can you help at most?"),
        validators=[
            Optional(),
            NumberRange(min=1, max=Limits.CITIZEN_HOURS_MAX, message=_l("Choose a number from %(min)d to %(max)d.", min=1, max=Limits.CITIZEN_HOURS_MAX)),
        ],
    )
    max_initiatives = IntegerField(
        _l("In how many initiatives do you want to help at the same time?"),
        default=2,
        validators=[
            InputRequired(_l("Fill in a number.")),
            NumberRange(min=1, max=Limits.CITIZEN_INITIATIVES_MAX, message=_l("Choose a number from %(min)d to %(max)d.", min=1, max=Limits.CITIZEN_INITIATIVES_MAX)),
        ],
    )
    consent_to_contact = BooleanField(consents.INVITATIONS_WORDING)

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
