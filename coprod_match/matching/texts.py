"""Reasons in plain words (B1), translated when shown.

The engine returns codes and parameters; this module picks the words in
the current language, for the citizen ("You speak Turkish") or for staff
("Speaks Turkish"). Used by pages and by the `flask match` commands.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..i18n import current_locale
from ..models import InterestCategory, Language
from ..reference_words import language_name, taxonomy_label
from ..schedule import mask_to_slots
from .facts import Reason

AUDIENCES = ("citizen", "staff")


# Built once, translated when shown: one gettext call per time named, not 21 per reason.
_DAY_PARTS = {
    ("mon", "morning"): _l("Monday morning"), ("mon", "afternoon"): _l("Monday afternoon"),
    ("mon", "evening"): _l("Monday evening"), ("tue", "morning"): _l("Tuesday morning"),
    ("tue", "afternoon"): _l("Tuesday afternoon"), ("tue", "evening"): _l("Tuesday evening"),
    ("wed", "morning"): _l("Wednesday morning"), ("wed", "afternoon"): _l("Wednesday afternoon"),
    ("wed", "evening"): _l("Wednesday evening"), ("thu", "morning"): _l("Thursday morning"),
    ("thu", "afternoon"): _l("Thursday afternoon"), ("thu", "evening"): _l("Thursday evening"),
    ("fri", "morning"): _l("Friday morning"), ("fri", "afternoon"): _l("Friday afternoon"),
    ("fri", "evening"): _l("Friday evening"), ("sat", "morning"): _l("Saturday morning"),
    ("sat", "afternoon"): _l("Saturday afternoon"), ("sat", "evening"): _l("Saturday evening"),
    ("sun", "morning"): _l("Sunday morning"), ("sun", "afternoon"): _l("Sunday afternoon"),
    ("sun", "evening"): _l("Sunday evening"),
}


def _day_part(day: str, part: str) -> str:
    return str(_DAY_PARTS[day, part])


def slot_words(mask: int) -> list[str]:
    """Weekly times in words ("Tuesday morning", "dinsdagochtend"): the one wording every page uses."""
    return [_day_part(day, part) for day, part in mask_to_slots(int(mask))]


def _distance(metres: int) -> str:
    if metres < 1000:
        return _("%(metres)d m", metres=max(100, metres))
    return _("%(km)s km", km=format_decimal(metres / 1000, "0.0"))  # 1,5 in Dutch, 1.5 in English


class Labels:
    """Names of languages and interests in the current language, read once per page in one query."""

    def __init__(self, session: orm.Session):
        locale = current_locale()
        query = sa.union_all(
            sa.select(sa.literal("language"), Language.code, Language.english_name, Language.dutch_name,
                      Language.endonym),
            sa.select(sa.literal("interest"), InterestCategory.code, InterestCategory.label_en,
                      InterestCategory.label_nl, InterestCategory.label_en),
        )
        self.languages: dict[str, str] = {}
        self.interests: dict[str, str] = {}
        for row in session.execute(query):
            kind, code = row[0], row[1]
            # The models' own wording ("Turks (Türkçe)"), on the row instead of an instance.
            if kind == "language":
                self.languages[code] = language_name(code, row[2], row[3], row[4], locale)
            else:
                self.interests[code] = taxonomy_label(row[2], row[3], locale)


def reason_text(reason: Reason, labels: Labels, *, audience: str = "citizen") -> str:
    """One reason as a short sentence."""
    you = audience == "citizen"
    p = reason.params
    code = reason.code
    if code == "language":
        language = labels.languages.get(p["language"], p["language"])
        if p["level"] in ("native", "fluent"):
            return (_("You speak %(language)s, like the people here", language=language) if you
                    else _("Speaks %(language)s, like the people here", language=language))
        return (_("You speak some %(language)s, like the people here", language=language) if you
                else _("Speaks some %(language)s, like the people here", language=language))
    if code == "dutch_practice":
        return (_("You can practise your Dutch here; learners are welcome") if you
                else _("Wants to practise Dutch; you welcome learners"))
    if code == "same_neighbourhood":
        return (_("Close to home: in your own neighbourhood, %(name)s", name=p["neighbourhood"]) if you
                else _("Lives in the same neighbourhood, %(name)s", name=p["neighbourhood"]))
    if code == "nearby":
        distance = _distance(p["metres"])
        return (_("Close to home: %(distance)s", distance=distance) if you
                else _("Lives close by: %(distance)s", distance=distance))
    if code == "interests":
        names = ", ".join(labels.interests.get(c, c) for c in p["interests"])
        return (_("You like %(interests)s", interests=names) if you
                else _("Likes %(interests)s", interests=names))
    if code == "time":
        times = ", ".join(slot_words(p["slots"]))
        return (_("You are free when they meet: %(times)s", times=times) if you
                else _("Free when you meet: %(times)s", times=times))
    if code == "one_volunteer":
        return _("Only one volunteer runs this now. Your help keeps it going") if you else _(
            "Runs on one volunteer now: a new one keeps it going")
    if code == "no_volunteers":
        return _("They have no volunteers yet and really need you") if you else _(
            "Has no volunteers yet")
    if code == "below_minimum":
        return _("They have fewer volunteers than they need") if you else _(
            "Has fewer volunteers than it needs")
    if code == "open_places":
        return ngettext("They need %(num)d more volunteer", "They need %(num)d more volunteers", p["open"])
    if code == "free_to_start":
        return _("You are not busy with another initiative now") if you else _(
            "Not busy with another initiative now")
    return code


def reason_texts(session: orm.Session, reasons: Iterable[Reason], *, audience: str = "citizen",
                 labels: Labels | None = None) -> list[str]:
    labels = labels or Labels(session)
    return [reason_text(reason, labels, audience=audience) for reason in reasons]
