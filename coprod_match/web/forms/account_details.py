"""Forms of the account details page: name, phone and language; a new e-mail address."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ...reference_words import reading_order
from ...services.account_details import PHONE_MAX, phone_problem
from ...vocabulary import Limits
from .fields import (
    EMAIL_MAX,
    LOCALE_CHOICES,
    NAME_MAX,
    PASSWORD_MAX,
    MultiCheckboxField,
    email_field,
    one_line,
    strip_spaces,
)


def phone_number(form, field) -> None:
    if field.data and (problem := phone_problem(field.data)):
        raise ValidationError(problem)


class AccountDetailsForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        filters=[strip_spaces],
        validators=[DataRequired(_l("Fill in your name.")),
                    Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.", max=NAME_MAX)), one_line],
    )
    phone = StringField(
        _l("Phone number"),
        filters=[strip_spaces],
        validators=[Optional(), Length(max=PHONE_MAX, message=_l("Use at most %(max)d characters.", max=PHONE_MAX)),
                    phone_number],
    )
    preferred_locale = SelectField(_l("Language for this website and e-mails"), choices=LOCALE_CHOICES)
    # Staff: shown to the residents taking part in their initiatives, with the phone number above.
    work_email = StringField(
        _l("Work e-mail address"),
        filters=[strip_spaces],
        validators=[Optional(), Length(max=EMAIL_MAX, message=_l("This e-mail address is too long.")),
                    Email(_l("This is not a valid e-mail address. Example: name@example.nl"),
                          check_deliverability=False)],
    )
    organisation = StringField(
        _l("Organisation"),
        filters=[strip_spaces],
        validators=[Optional(), Length(max=Limits.ORGANISATION,
                                       message=_l("Use at most %(max)d characters.", max=Limits.ORGANISATION)),
                    one_line],
    )
    # Residents: what the contact persons of initiatives they take part in may see.
    shares_phone = BooleanField(_l("My phone number"))
    shares_email = BooleanField(_l("My e-mail address"))
    # Professionals and coordinators: shown on their initiatives' pages, and searchable (issue 15).
    spoken_languages = MultiCheckboxField(_l("Languages you speak with residents"))


def make_details_form(user, languages, **kwargs) -> AccountDetailsForm:
    """The account details form with the languages to tick (from the reference table), `user`'s ticked
    when the form shows the stored details rather than what was sent."""
    form = AccountDetailsForm(**kwargs)
    # Checking what was sent needs only the codes. The labels come when the page is drawn
    # (`label_spoken_languages`): asking the page's language earlier would fix it for the
    # request, before a change of language saved by this very form.
    form.spoken_languages.choices = [SelectChoice(language.code, language.code) for language in languages]
    if kwargs.get("obj") is not None:
        form.spoken_languages.data = [language.code for language in user.spoken_languages]
    return form


def label_spoken_languages(form: AccountDetailsForm, languages, locale: str) -> None:
    """Name the languages to tick in the reader's language, Dutch first, then by name."""
    form.spoken_languages.choices = sorted(
        (SelectChoice(language.code, language.label(locale)) for language in languages),
        key=lambda choice: (choice.value != "nl", reading_order(choice.label, locale)),
    )


class EmailChangeForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Fill in your current password.")),
                    Length(max=PASSWORD_MAX, message=_l("This password is too long."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.email.label.text = _l("New e-mail address")
