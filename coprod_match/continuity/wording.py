"""Alerts in plain words, for the dashboard and the e-mails (in the current UI language)."""

from __future__ import annotations

import datetime as dt

from flask_babel import format_timedelta, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..i18n import format_date
from ..models import AlertKind, ContinuityAlert, User, utcnow
from ..vocabulary import Burden, StillHelping

K = AlertKind

# Each kind's name, on the dashboard, in the digest and in notifications.
ALERT_KIND_LABELS = {
    AlertKind.SINGLE_VOLUNTEER: _l("Runs on one volunteer"),
    AlertKind.NO_VOLUNTEERS: _l("No volunteers"),
    AlertKind.BELOW_MINIMUM: _l("Fewer volunteers than needed"),
    AlertKind.NO_CONTACT: _l("No contact professional"),
    AlertKind.ENDING_SOON: _l("Ends soon"),
    AlertKind.VOLUNTEER_OVERLOAD: _l("Volunteer may be overloaded"),
    AlertKind.VOLUNTEER_INACTIVE: _l("Volunteer not seen for a while"),
    AlertKind.VOLUNTEER_STRAIN: _l("Volunteer under strain"),
    AlertKind.CONTACT_STRAIN: _l("Contact person under strain"),
    AlertKind.CHECK_INS_UNANSWERED: _l("Monthly check-ins not answered"),
}

# The answers of a monthly check-in in words (the five-point scales: 1 = not at all, 5 = very much):
# the very words the volunteer chose from (web/forms/check_ins.py SCALE_LABELS, the same for all three
# statements), so a table never says "mostly" where the form said "Much".
SCALE_WORDS = {
    1: _l("Not at all"),
    2: _l("A little"),
    3: _l("Partly"),
    4: _l("Much"),
    5: _l("Very much"),
}
STILL_HELPING_WORDS = {
    StillHelping.YES: _l("Still helping"),
    StillHelping.PAUSED: _l("Taking a break"),
    StillHelping.STOPPED: _l("Stopped"),
}
# Under the column "The volunteers make my work ...": the contact's own choices (web/forms/contact_work.py).
BURDEN_WORDS = {
    Burden.LIGHTER: _l("lighter"),
    Burden.SAME: _l("about the same"),
    Burden.HEAVIER: _l("heavier"),
}

# Why a volunteer's answers raised "under strain", one sentence each. A low answer of 2 is "a little",
# so only two answers of 1 say "not"; otherwise "little" (see `_strain_reason`).
STRAIN_REASONS = {
    "too_much": _l("It was too much for %(person)s in two check-ins in a row."),
    "not_appreciated": _l("%(person)s did not feel appreciated in two check-ins in a row."),
    "not_supported": _l("%(person)s did not feel supported by the contact person in two check-ins in a row."),
    "sharp_fall": _l("%(person)s feels much worse than the month before."),
}
LITTLE_REASONS = {
    "not_appreciated": _l("%(person)s felt little appreciated in two check-ins in a row."),
    "not_supported": _l("%(person)s felt little supported by the contact person in two check-ins in a row."),
}
_REASON_SCALES = {"not_appreciated": "appreciated", "not_supported": "supported"}
CONTACT_REASONS = {
    "needs_help": _l("%(person)s asks for help with this initiative."),
    "heavier": _l("%(person)s says the volunteers made the work heavier two months in a row."),
}


def scale_words(value: int | None) -> str:
    """A scale's answer as "Much (4)", in the words of the form; a dash when it was not given."""
    if value is None:
        return "—"
    return f"{SCALE_WORDS.get(value, value)} ({value})"


def _strain_reason(code: str, details: dict) -> str:
    """The reason's sentence; "did not feel" only when both answers were the lowest, else "felt little"."""
    scale = _REASON_SCALES.get(code)
    answers = [answer.get(scale) for answer in details.get("answers", [])] if scale else []
    if answers and any(value is None or value > 1 for value in answers):
        return str(LITTLE_REASONS[code])
    return str(STRAIN_REASONS[code])


def _contact_name(alert: ContinuityAlert) -> str:
    """The contact professional the alert is about, by name (a professional, not a resident: no look to log)."""
    session = orm.object_session(alert)
    professional_id = (alert.details or {}).get("professional_id")
    person = session.get(User, professional_id) if session is not None and professional_id else None
    return person.shown_name if person is not None else _("A contact person")


def _months(details: dict) -> list[dt.date]:
    return [dt.date.fromisoformat(month) for month in details.get("months", [])]


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def describe(alert: ContinuityAlert, citizen_name: str | None = None) -> str:
    """One sentence saying what is wrong, e.g. "Only one volunteer has been active here since 3 March"."""
    details = alert.details or {}
    kind = alert.kind
    person = citizen_name or _("this volunteer")
    if kind == K.SINGLE_VOLUNTEER:
        since = _moment(details.get("since")) or alert.first_seen_at
        return _("Only one volunteer has been active here since %(date)s.",
                 date=format_date(since, "long"))
    if kind == K.NO_VOLUNTEERS:
        since = _moment(details.get("since"))
        if since:
            return _("No volunteer has been active here since %(date)s.",
                     date=format_date(since, "long"))
        return _("No volunteer is active here.")
    if kind == K.BELOW_MINIMUM:
        return ngettext(
            "Only %(num)d volunteers are active here. At least %(minimum)d are needed.",
            "Only %(num)d volunteers are active here. At least %(minimum)d are needed.",
            int(details.get("active", 0)), minimum=int(details.get("minimum", 0)),
        )
    if kind == K.NO_CONTACT:
        return _("No professional is the contact for this initiative any more.")
    if kind == K.ENDING_SOON:
        end = dt.date.fromisoformat(details["end_date"]) if details.get("end_date") else None
        if end is None:
            return _("This initiative ends soon.")
        return _("This initiative stops on %(date)s. Is there money or a plan to go on?",
                 date=format_date(end, "long"))
    if kind == K.VOLUNTEER_OVERLOAD:
        return _overload(details, person)
    if kind == K.VOLUNTEER_INACTIVE:
        last = _moment(details.get("last_activity"))
        if last is None:
            return _("Nothing has been recorded for %(person)s yet.", person=person)
        return _("Nothing has been recorded for %(person)s since %(date)s.",
                 person=person, date=format_date(last, "long"))
    if kind == K.VOLUNTEER_STRAIN:
        return " ".join(_strain_reason(code, details) % {"person": person}
                        for code in details.get("reasons", []) if code in STRAIN_REASONS)
    if kind == K.CONTACT_STRAIN:
        contact = _contact_name(alert)
        return " ".join(str(CONTACT_REASONS[code]) % {"person": contact} for code in details.get("reasons", [])
                        if code in CONTACT_REASONS)
    if kind == K.CHECK_INS_UNANSWERED and len(_months(details)) == 2:
        first, second = (format_date(month, "LLLL y") for month in _months(details))
        return ngettext(
            "%(silent)d of the %(num)d volunteers who were asked did not answer the monthly check-in "
            "in %(first)s and %(second)s.",
            "%(silent)d of the %(num)d volunteers who were asked did not answer the monthly check-in "
            "in %(first)s and %(second)s.",
            int(details.get("asked", 0)), silent=int(details.get("silent", 0)), first=first, second=second,
        )
    if kind == K.CHECK_INS_UNANSWERED:
        return ngettext(
            "%(silent)d of the %(num)d volunteers who were asked did not answer the monthly check-in "
            "for two months.",
            "%(silent)d of the %(num)d volunteers who were asked did not answer the monthly check-in "
            "for two months.",
            int(details.get("asked", 0)), silent=int(details.get("silent", 0)),
        )
    return str(kind)


def _overload(details: dict, person: str) -> str:
    initiatives, hours = int(details.get("initiatives", 0)), int(details.get("hours", 0))
    max_initiatives, max_hours = int(details.get("max_initiatives", 0)), int(details.get("max_hours", 0))
    sentences = [ngettext("%(person)s helps at %(num)d initiative, %(hours)d hours a week.",
                          "%(person)s helps at %(num)d initiatives, %(hours)d hours a week.",
                          initiatives, person=person, hours=hours)]
    if initiatives > max_initiatives:
        sentences.append(ngettext("That is more than the limit of %(num)d initiative.",
                                  "That is more than the limit of %(num)d initiatives.",
                                  max_initiatives))
    if hours > max_hours:
        sentences.append(ngettext("That is more than the limit of %(num)d hour a week.",
                                  "That is more than the limit of %(num)d hours a week.",
                                  max_hours))
    return " ".join(sentences)


def open_for(alert: ContinuityAlert, now: dt.datetime | None = None) -> str:
    """How long the alert has been open, e.g. "3 days"."""
    end = alert.resolved_at or now or utcnow()
    return format_timedelta(end - alert.first_seen_at, threshold=1.0)
