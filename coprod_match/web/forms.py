"""WTForms shared by the HTML blueprints. Labels and messages are translated lazily."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..models import EndReason, LanguageLevel
from ..models.schedule import DAYS, PARTS_OF_DAY, slot_key
from ..passwords import MIN_LENGTH
from .template_helpers import END_REASON_LABELS

NAME_MAX = 120
EMAIL_MAX = 254
PASSWORD_MAX = 200
LOCALE_CHOICES = [SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]


def optional_int(value) -> int | None:
    """Coerce a select's value; the empty "choose…" option and junk become None."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def strip_spaces(value):
    """People paste addresses and names with spaces around them."""
    return value.strip() if isinstance(value, str) else value


def _email_field() -> EmailField:
    return EmailField(
        _l("E-mail address"),
        filters=[strip_spaces],
        validators=[
            DataRequired(_l("Fill in your e-mail address.")),
            Length(max=EMAIL_MAX, message=_l("This e-mail address is too long.")),
            Email(_l("This is not a valid e-mail address. Example: name@example.nl"),
                  check_deliverability=False),
        ],
    )


def _new_password_field(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(
                min=MIN_LENGTH,
                max=PASSWORD_MAX,
                message=_l("Use between %(min)d and %(max)d characters.", min=MIN_LENGTH, max=PASSWORD_MAX),
            ),
        ],
    )


class RegistrationForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        filters=[strip_spaces],
        validators=[
            DataRequired(_l("Fill in your name.")),
            Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.", max=NAME_MAX)),
        ],
    )
    email = _email_field()
    password = _new_password_field(_l("Choose a password"))
    neighbourhood_id = SelectField(
        _l("Your neighbourhood"),
        coerce=optional_int,
        # Checked against the database in the view, with a plain message.
        validate_choice=False,
        validators=[InputRequired(_l("Choose your neighbourhood."))],
    )
    preferred_locale = SelectField(_l("Language for this website"), choices=LOCALE_CHOICES)


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Fill in your e-mail address.")),
                    Length(max=EMAIL_MAX, message=_l("This e-mail address is too long."))],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Fill in your password.")),
                    Length(max=PASSWORD_MAX, message=_l("This password is too long."))],
    )
    remember = BooleanField(_l("Stay logged in on this device"))


class PasswordResetRequestForm(FlaskForm):
    email = _email_field()


class PasswordResetForm(FlaskForm):
    password = _new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Type the new password again.")),
                    EqualTo("password", _l("The two passwords are not the same."))],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Fill in your current password.")),
                    Length(max=PASSWORD_MAX, message=_l("This password is too long."))],
    )
    password = _new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Type the new password again.")),
                    EqualTo("password", _l("The two passwords are not the same."))],
    )


class StaffAccountForm(FlaskForm):
    display_name = StringField(
        _l("Name"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Fill in a name.")),
                    Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.", max=NAME_MAX))],
    )
    email = _email_field()
    role = SelectField(_l("Role"))
    organisation = StringField(
        _l("Organisation"),
        validators=[Length(max=160, message=_l("Use at most %(max)d characters.", max=160))],
    )
    work_area_ids = SelectMultipleField(_l("Neighbourhoods they work in"), coerce=int)
    preferred_locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)
    password = _new_password_field(_l("First password"))


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (works without JavaScript, unlike a multi-select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def slot_choices() -> list[SelectChoice]:
    return [SelectChoice(slot_key(day, part), slot_key(day, part)) for day in DAYS for part in PARTS_OF_DAY]


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
            NumberRange(min=1, max=60, message=_l("Choose a number from %(min)d to %(max)d.", min=1, max=60)),
        ],
    )
    max_initiatives = IntegerField(
        _l("In how many initiatives do you want to help at the same time?"),
        default=2,
        validators=[
            InputRequired(_l("Fill in a number.")),
            NumberRange(min=1, max=10, message=_l("Choose a number from %(min)d to %(max)d.", min=1, max=10)),
        ],
    )
    consent_to_contact = BooleanField(_l("Professionals may invite me personally for an initiative"))

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




def end_reason_choices(*, for_citizen: bool) -> list[SelectChoice]:
    reasons = [r for r in EndReason if not (for_citizen and r == EndReason.INITIATIVE_CLOSED)]
    return [SelectChoice(reason.value, END_REASON_LABELS[reason]) for reason in reasons]


class EndPlacementForm(FlaskForm):
    end_reason = SelectField(_l("Why?"), validators=[InputRequired(_l("Choose a reason."))])
    note = TextAreaField(
        _l("Anything else you want to tell? (optional)"),
        filters=[strip_spaces],
        validators=[Length(max=1000, message=_l("Use at most %(max)d characters.", max=1000))],
    )


class SignUpForm(FlaskForm):
    message = TextAreaField(
        _l("A short message for the contact person (optional)"),
        filters=[strip_spaces],
        validators=[Length(max=1000, message=_l("Use at most %(max)d characters.", max=1000))],
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
                    Length(max=1000, message=_l("Use at most %(max)d characters.", max=1000))],
    )


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons that post an action."""


def _lines(value):
    """Textarea with one item per line -> list of non-empty, trimmed lines."""
    if isinstance(value, list):
        return value
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class InitiativeForm(FlaskForm):
    title = StringField(
        _l("Name of the initiative"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Fill in a name.")),
                    Length(max=160, message=_l("Use at most %(max)d characters.", max=160))],
    )
    description = TextAreaField(
        _l("What happens, and for whom?"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Describe the initiative in a few sentences.")),
                    Length(max=5000, message=_l("Use at most %(max)d characters.", max=5000))],
    )
    neighbourhood_id = SelectField(
        _l("Neighbourhood"), coerce=optional_int, validate_choice=False,
        validators=[InputRequired(_l("Choose the neighbourhood."))],
    )
    location = StringField(
        _l("Address or place (optional)"),
        filters=[strip_spaces],
        validators=[Length(max=200, message=_l("Use at most %(max)d characters.", max=200))],
    )
    target_groups = MultiCheckboxField(_l("For whom is it?"))
    interests = MultiCheckboxField(_l("Themes"))
    languages = MultiCheckboxField(_l("Languages the participants speak"))
    welcomes_dutch_learners = BooleanField(_l("Volunteers can practise their Dutch here"))
    core_tasks = TextAreaField(
        _l("Main tasks for volunteers (one per line)"),
        validators=[Length(max=3000, message=_l("Use at most %(max)d characters.", max=3000))],
    )
    small_tasks = TextAreaField(
        _l("Small tasks, easy to start with (one per line)"),
        validators=[Length(max=3000, message=_l("Use at most %(max)d characters.", max=3000))],
    )
    schedule = MultiCheckboxField(_l("When does it take place?"))
    hours_per_week = IntegerField(
        _l("Hours a week for one volunteer"), default=2,
        validators=[InputRequired(_l("Fill in a number.")),
                    NumberRange(min=1, max=40, message=_l("Choose a number from %(min)d to %(max)d.", min=1, max=40))],
    )
    volunteers_min = IntegerField(
        _l("Volunteers needed at least"), default=1,
        validators=[InputRequired(_l("Fill in a number.")),
                    NumberRange(min=0, max=500, message=_l("Choose a number from %(min)d to %(max)d.", min=0, max=500))],
    )
    volunteers_ideal = IntegerField(
        _l("Volunteers wanted in total"), default=3,
        validators=[InputRequired(_l("Fill in a number.")),
                    NumberRange(min=1, max=500, message=_l("Choose a number from %(min)d to %(max)d.", min=1, max=500))],
    )
    start_date = DateField(_l("Start date"), validators=[InputRequired(_l("Choose a start date."))])
    end_date = DateField(_l("End date (optional, for example when the funding ends)"), validators=[Optional()])

    def validate_volunteers_ideal(self, field):
        if self.volunteers_min.data is not None and field.data is not None and field.data < self.volunteers_min.data:
            raise ValidationError(_l("This must be at least the number needed."))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date must be after the start date."))

    def core_task_list(self) -> list[str]:
        return [task[:200] for task in _lines(self.core_tasks.data)]

    def small_task_list(self) -> list[str]:
        return [task[:200] for task in _lines(self.small_tasks.data)]


class ColleagueForm(FlaskForm):
    colleague_id = SelectField(
        _l("Colleague"), coerce=optional_int, validate_choice=False,
        validators=[InputRequired(_l("Choose a colleague."))],
    )


# --- Invitations ----------------------------------------------------------------------------------

INVITATION_MESSAGE_MAX = 1000


def _invitation_message_field() -> TextAreaField:
    return TextAreaField(
        _l("Your personal message"),
        validators=[Length(max=INVITATION_MESSAGE_MAX,
                           message=_l("Use at most %(max)d characters.", max=INVITATION_MESSAGE_MAX))],
    )


class InviteForm(FlaskForm):
    message = _invitation_message_field()


class InviteByEmailForm(FlaskForm):
    display_name = StringField(
        _l("First name"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Fill in a name.")),
                    Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.", max=NAME_MAX))],
    )
    email = _email_field()
    preferred_locale = SelectField(_l("Language of the e-mail"), choices=LOCALE_CHOICES)
    message = _invitation_message_field()
    asked_in_person = BooleanField(
        _l("This person asked me to send this invitation."),
        validators=[DataRequired(_l("Only invite people who asked you for it."))],
    )


class DeclineForm(FlaskForm):
    # Optional; anything that is not one of the reasons counts as "rather not say".
    reason = SelectField(_l("Why not? (you do not have to say)"), validate_choice=False)


class CompleteAccountForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Fill in your name.")),
                    Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.", max=NAME_MAX))],
    )
    neighbourhood_id = SelectField(_l("Your neighbourhood"), coerce=optional_int, validate_choice=False,
                                   validators=[Optional()])
    password = _new_password_field(_l("Choose a password"))
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(_l("Type the password again.")),
                    EqualTo("password", _l("The two passwords are not the same."))],
    )
