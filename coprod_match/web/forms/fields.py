"""Field builders, filters and limits that forms in several areas share."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectMultipleField
from wtforms.validators import DataRequired, Email, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ... import single_line
from ...passwords import MIN_LENGTH
from ...vocabulary import LANGUAGE_SELF_NAMES, Limits

NAME_MAX = Limits.PERSON_NAME
EMAIL_MAX = Limits.EMAIL
PASSWORD_MAX = Limits.PASSWORD_MAX
LOCALE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGE_SELF_NAMES.items()]


def language_choices(codes=None) -> list[SelectChoice]:
    """Interface languages, each named in itself and marked with its `lang` so it is read out right."""
    return [SelectChoice(code, LANGUAGE_SELF_NAMES[code], render_kw={"lang": code})
            for code in (codes if codes is not None else LANGUAGE_SELF_NAMES)]


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


def one_line(form, field) -> None:
    """A validator for text that may end up in a mail header (titles, names): no line breaks or tabs."""
    if isinstance(field.data, str) and single_line.has_control_characters(field.data):
        raise ValidationError(str(single_line.MESSAGE))


def email_field() -> EmailField:
    """An e-mail address someone types for an account: required, trimmed, checked for shape."""
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


def new_password_field(label) -> PasswordField:
    """A password being chosen: long enough to be safe, short enough to hash cheaply."""
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


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (works without JavaScript, unlike a multi-select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons that post an action."""
