"""Jinja helpers: translated labels for codes and data-driven taxonomies."""

from __future__ import annotations

from babel import UnknownLocaleError
from babel.lists import format_list
from flask import Flask
from flask_babel import format_decimal, format_number, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..continuity.wording import ALERT_KIND_LABELS
from ..i18n import current_locale, date_locale, format_date, format_datetime, text_direction
from ..initiative_text import InitiativeText, original_text
from ..matching.texts import slot_words
from ..models import EndReason, PlacementState
from ..reference_words import plain_language_name
from ..schedule import DAYS, PARTS_OF_DAY, mask_to_slots, slot_bit, slot_key
from ..volunteer_need import PlacesHeld
from .pictograms import pictogram

PLACEMENT_STATE_LABELS = {
    PlacementState.SUGGESTED: _l("Suggested"),
    PlacementState.INVITED: _l("Invited"),
    PlacementState.APPLIED: _l("Signed up, waiting for an answer"),
    PlacementState.ACCEPTED: _l("Accepted"),
    PlacementState.DECLINED: _l("Declined"),
    PlacementState.REJECTED: _l("Not accepted"),
    PlacementState.EXPIRED: _l("Invitation expired"),
    PlacementState.ACTIVE: _l("Taking part"),
    PlacementState.PAUSED: _l("Paused"),
    PlacementState.ENDED: _l("Stopped"),
}

ALERT_STATUS_LABELS = {
    "open": _l("Open"),
    "acknowledged": _l("Being handled"),
    "resolved": _l("Solved"),
}

# The scheduler's jobs (jobs/registry.py) as the dashboard names them; a job added there gets a line here.
JOB_LABELS = {
    "continuity_scan": _l("Continuity check"),
    "daily_digest": _l("Daily e-mail to coordinators and contact persons"),
    "invitation_expiry": _l("Closing invitations nobody answered"),
    "invitation_reminders": _l("Reminders about open invitations"),
    "volunteer_check_ins": _l("Asking volunteers how it goes (once a month)"),
    "matching_snapshot": _l("Updating the list of who could fit where"),
    "placement_plans": _l("Making placement plans"),
    "expired_login_sessions": _l("Clearing old logins"),
    "mail_outbox": _l("Sending e-mails"),
    "privacy_purge": _l("Removing data that is kept too long"),
    "contact_check_ins": _l("Asking contact persons how their month was"),
}

JOB_OUTCOME_LABELS = {
    "succeeded": _l("Done"),
    "failed": _l("Failed"),
    "running": _l("Running"),
    "skipped": _l("Skipped: another scheduler did it"),
}


def job_label(name: str) -> str:
    """A job's name in words; an unknown job still reads as words, never as `snake_case`."""
    known = JOB_LABELS.get(name)
    return str(known) if known is not None else name.replace("_", " ").capitalize()


INITIATIVE_STATUS_LABELS = {
    "draft": _l("Draft"),
    "open": _l("Open"),
    "paused": _l("Paused"),
    "closed": _l("Closed"),
}


END_REASON_LABELS = {
    EndReason.NO_TIME: _l("I don't have time any more"),
    EndReason.HEALTH: _l("Health reasons"),
    EndReason.MOVED: _l("Moved away"),
    EndReason.NOT_A_FIT: _l("It does not suit me"),
    EndReason.INITIATIVE_CLOSED: _l("The initiative stopped"),
    EndReason.OTHER: _l("Another reason"),
    EndReason.LEFT_SERVICE: _l("Left coprod-match"),
}


DAY_LABELS = {
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
}

PART_OF_DAY_LABELS = {
    "morning": _l("Morning"),
    "afternoon": _l("Afternoon"),
    "evening": _l("Evening"),
}

PROFILE_STEP_TEXTS = {
    "neighbourhood": (_l("Your neighbourhood"), _l("So we can show initiatives close to home.")),
    "interests": (_l("What you like to do"), _l("So we suggest things you enjoy.")),
    "languages": (_l("Languages you speak"), _l("Many people here speak another language. You can help them.")),
    "availability": (_l("When you are free"), _l("So we only suggest initiatives at times that suit you.")),
    "limits": (_l("How much time you have"), _l("So we never ask too much of you.")),
    "consent": (_l("Personal invitations"), _l("A professional can then ask you personally to help.")),
}


def schedule_words(mask: int) -> list[str]:
    """Weekly times in words, as matching's reasons say them (one wording: "dinsdagochtend")."""
    return slot_words(mask)


def schedule_with_parts(mask: int) -> list[tuple[str, str]]:
    """Each weekly time with its part of the day, for a pictogram beside the words: ("morning", "Tuesday morning")."""
    return [(part, words) for (_day, part), words in zip(mask_to_slots(int(mask)), slot_words(mask), strict=True)]


def parts_of_day_in(mask: int) -> list[str]:
    """The parts of the day a weekly schedule uses, in the day's order: a card's short "when"."""
    used = {part for _day, part in mask_to_slots(int(mask))}
    return [part for part in PARTS_OF_DAY if part in used]


def places_held_words(held: PlacesHeld) -> str:
    """Who holds the places and how many are still free, so the numbers add up to the ideal."""
    parts = [ngettext("%(num)d active volunteer", "%(num)d active volunteers", held.active)]
    if held.paused:
        parts.append(ngettext("%(num)d paused", "%(num)d paused", held.paused))
    if held.starting:
        parts.append(ngettext("%(num)d about to start", "%(num)d about to start", held.starting))
    room = (ngettext("Room for %(num)d more.", "Room for %(num)d more.", held.needed) if held.needed
            else _("Has enough volunteers for now") + ".")
    return f"{listed(parts)}. {room}"


def listed(words) -> str:
    """Words as a list in the reader's language: "a, b en c", "a, b ve c", "أ وب وج" (Babel's CLDR patterns).

    A comma joined by hand is Latin in every language; Arabic joins with "و", and English pages here are
    British like their dates (date_locale: no comma before "and").
    """
    return format_list([str(word) for word in words], locale=date_locale())


def left_to_right(value) -> Markup:
    """A phone number or e-mail address inside a sentence, kept left to right in an Arabic one too."""
    return Markup('<span dir="ltr">{}</span>').format(value)


def direction_of(lang: str) -> str:
    """The direction a text in `lang` is written in ("rtl", "ltr"), for the `dir` of the element carrying its
    `lang`; "auto" for a code Babel does not know, where the browser's guess is the best there is."""
    try:
        return text_direction(lang)
    except (UnknownLocaleError, ValueError):
        return "auto"


def labels(items) -> list[str]:
    """The labels of languages, interests or target groups, for `listed`."""
    return [label(item) for item in items]


def in_sentence(words) -> str:
    """A label ("Paused", "Gepauzeerd") as it reads inside a sentence: first letter small."""
    text = str(words)
    return text[:1].lower() + text[1:]


def label(item) -> str:
    """The label of a language, interest or target group in the current UI language."""
    return item.label(current_locale())


def language_name(code: str) -> str:
    """A language's name in the page's language ("Dutch", "Nederlands", "Hollandaca")."""
    return plain_language_name(code, current_locale())


def original_of(initiative) -> InitiativeText:
    """An initiative's own words with their language (staff pages show the original)."""
    return original_text(title=initiative.title, description=initiative.description,
                         written_in=initiative.written_in)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["bitand"] = lambda value, mask: bool(int(value) & int(mask))
    app.jinja_env.filters["in_sentence"] = in_sentence
    app.jinja_env.filters["listed"] = listed
    app.jinja_env.filters["labels"] = labels
    app.jinja_env.filters["ltr"] = left_to_right
    app.jinja_env.globals.update(
        label=label,
        page_locale=current_locale,
        language_name=language_name,
        direction_of=direction_of,
        original_of=original_of,
        pictogram=pictogram,
        days=DAYS,
        parts_of_day=PARTS_OF_DAY,
        day_label=lambda day: DAY_LABELS[day],
        part_of_day_label=lambda part: PART_OF_DAY_LABELS[part],
        slot_key=slot_key,
        slot_bit=slot_bit,
        schedule_words=schedule_words,
        schedule_with_parts=schedule_with_parts,
        parts_of_day_in=parts_of_day_in,
        places_held_words=places_held_words,
        end_reason_label=lambda reason: END_REASON_LABELS.get(reason, reason),
        profile_step_text=lambda key: PROFILE_STEP_TEXTS[key],
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
        format_number=format_number,
        job_label=job_label,
        job_outcome_label=lambda outcome: JOB_OUTCOME_LABELS.get(outcome, outcome),
        placement_state_label=lambda state: PLACEMENT_STATE_LABELS.get(state, state),
        alert_kind_label=lambda kind: ALERT_KIND_LABELS.get(kind, kind),
        alert_status_label=lambda status: ALERT_STATUS_LABELS.get(status, status),
        initiative_status_label=lambda status: INITIATIVE_STATUS_LABELS.get(status, status),
    )
