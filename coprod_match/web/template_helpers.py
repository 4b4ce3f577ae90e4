"""Jinja helpers: translated labels for codes and data-driven taxonomies."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import lazy_gettext as _l

from ..i18n import current_locale
from ..models import AlertKind, EndReason, PlacementState
from ..schedule import DAYS, PARTS_OF_DAY, slot_bit, slot_key

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

ALERT_KIND_LABELS = {
    AlertKind.SINGLE_VOLUNTEER: _l("Runs on one volunteer"),
    AlertKind.NO_VOLUNTEERS: _l("No volunteers"),
    AlertKind.BELOW_MINIMUM: _l("Fewer volunteers than needed"),
    AlertKind.NO_CONTACT: _l("No contact professional"),
    AlertKind.ENDING_SOON: _l("Ends soon"),
    AlertKind.VOLUNTEER_OVERLOAD: _l("Volunteer may be overloaded"),
    AlertKind.VOLUNTEER_INACTIVE: _l("Volunteer not seen for a while"),
}

ALERT_STATUS_LABELS = {
    "open": _l("Open"),
    "acknowledged": _l("Being handled"),
    "resolved": _l("Solved"),
}

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
    """An initiative's weekly times in words, as its page says them: "Tuesday morning"."""
    return [f"{DAY_LABELS[day]} {str(PART_OF_DAY_LABELS[part]).lower()}"
            for day in DAYS for part in PARTS_OF_DAY if int(mask) & slot_bit(day, part)]


def label(item) -> str:
    """The label of a language, interest or target group in the current UI language."""
    return item.label(current_locale())


def init_app(app: Flask) -> None:
    app.jinja_env.filters["bitand"] = lambda value, mask: bool(int(value) & int(mask))
    app.jinja_env.globals.update(
        label=label,
        days=DAYS,
        parts_of_day=PARTS_OF_DAY,
        day_label=lambda day: DAY_LABELS[day],
        part_of_day_label=lambda part: PART_OF_DAY_LABELS[part],
        slot_key=slot_key,
        slot_bit=slot_bit,
        schedule_words=schedule_words,
        end_reason_label=lambda reason: END_REASON_LABELS.get(reason, reason),
        profile_step_text=lambda key: PROFILE_STEP_TEXTS[key],
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
        placement_state_label=lambda state: PLACEMENT_STATE_LABELS.get(state, state),
        alert_kind_label=lambda kind: ALERT_KIND_LABELS.get(kind, kind),
        alert_status_label=lambda status: ALERT_STATUS_LABELS.get(status, status),
        initiative_status_label=lambda status: INITIATIVE_STATUS_LABELS.get(status, status),
    )
