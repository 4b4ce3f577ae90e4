"""Jinja helpers: translated labels for codes and data-driven taxonomies."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l

from ..i18n import current_locale
from ..models import AlertKind, PlacementState

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


def label(item) -> str:
    """The label of a language, interest or target group in the current UI language."""
    return item.label(current_locale())


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        label=label,
        format_date=format_date,
        format_datetime=format_datetime,
        placement_state_label=lambda state: PLACEMENT_STATE_LABELS.get(state, state),
        alert_kind_label=lambda kind: ALERT_KIND_LABELS.get(kind, kind),
        alert_status_label=lambda status: ALERT_STATUS_LABELS.get(status, status),
        initiative_status_label=lambda status: INITIATIVE_STATUS_LABELS.get(status, status),
    )
