"""The evidence in pictures: retention by channel, check-in answers over time and response rates.

Each picture comes with its text alternative and its numbers as a table, as
the dashboard's other charts (templates/coordination/_macros.html `chart`).
The figures are counts and averages only: no resident is named.
"""

from __future__ import annotations

import time

from flask import current_app
from flask_babel import format_decimal, format_percent, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..continuity import charts, evidence
from ..continuity.retention import CHANNELS, HORIZONS, Kept, Retention, retention
from ..i18n import format_date, local_today
from ..vocabulary import CameThrough

CHANNEL_LABELS = {
    CameThrough.INVITATION: _l("Invited personally by a professional"),
    CameThrough.OWN: _l("Signed up themselves"),
    CameThrough.PLAN: _l("Through the district plan"),
}
_HORIZON_TONES = {3: "horizon-3", 6: "horizon-6", 12: "horizon-12"}


def _after(months: int) -> str:
    return ngettext("After %(num)d month", "After %(num)d months", months)


def _not_yet(months: int) -> str:
    return ngettext("No placements started %(num)d month ago yet.", "No placements started %(num)d months ago yet.",
                    months)


# Below this many people a share moves a lot with one person: the tables say so beside it.
FEW_PEOPLE = 5


def kept_text(kept: Kept) -> str:
    """ "62% (31 of 50)", or "nobody yet" when nobody started that long ago; "(few people)" below FEW_PEOPLE."""
    if not kept.observed:
        return _("nobody yet")
    text = _("%(share)s (%(kept)s of %(observed)s)", share=format_percent(kept.share),
             kept=format_decimal(kept.kept), observed=format_decimal(kept.observed))
    return _("%(figure)s, few people", figure=text) if kept.observed < FEW_PEOPLE else text


def _still_help(channel: str, months: int, share: str) -> str:
    if channel == CameThrough.INVITATION:
        return ngettext("After %(num)d month, %(share)s of those invited personally by a professional still help.",
                        "After %(num)d months, %(share)s of those invited personally by a professional still help.",
                        months, share=share)
    if channel == CameThrough.OWN:
        return ngettext("After %(num)d month, %(share)s of those who signed up themselves still help.",
                        "After %(num)d months, %(share)s of those who signed up themselves still help.",
                        months, share=share)
    return ngettext("After %(num)d month, %(share)s of those who came through the district plan still help.",
                    "After %(num)d months, %(share)s of those who came through the district plan still help.",
                    months, share=share)


def retention_summary(figures: Retention) -> str:
    """Every channel's share at the first horizon, in the channels' order (no "best": ties and small groups mislead)."""
    months = HORIZONS[0]
    sentences = [_still_help(channel, months, format_percent(figures.counts[channel][months].share))
                 for channel in CHANNELS if figures.counts[channel][months].observed]
    return " ".join(sentences) or _not_yet(months)


def retention_table(figures: Retention) -> dict:
    """Rows = channel, columns = after 3, 6, 12 months; and the empty states of each horizon."""
    return {
        "headers": [_("How they came in"), *[_after(months) for months in HORIZONS]],
        "rows": [[str(CHANNEL_LABELS[channel]), *[kept_text(figures.counts[channel][months]) for months in HORIZONS]]
                 for channel in CHANNELS],
        "not_yet": [_not_yet(months)
                    for months in HORIZONS if not figures.observed_at(months)],
    }


def retention_chart(figures: Retention, where: str) -> dict:
    """The share still helping per channel after 3, 6 and 12 months, with its table."""
    title = _("Who still helps, by how they came in: %(place)s", place=where)
    item = {"title": title, **retention_table(figures)}
    item["summary"] = retention_summary(figures)
    item["note"] = _("Each number counts only the people who started at least that long ago, so the groups "
                     "differ.")
    item["svg"] = charts.share_bars(
        [str(CHANNEL_LABELS[channel]) for channel in CHANNELS],
        [charts.Measures(_after(months), [figures.counts[channel][months].share for channel in CHANNELS],
                         _HORIZON_TONES[months]) for months in HORIZONS],
        title=title, description=item["summary"], nothing_yet=_("nobody yet"), locale=str(get_locale()))
    return item


def city_and_places(session, area_ids) -> tuple[Retention, dict[int, Retention]]:
    return retention(evidence.placement_spans(session, area_ids), local_today())


# The dashboard's retention figures, per set of areas, for a few minutes per process: they move over
# months, and reading every placement's life (about 0.5 s for 20,000) should not slow each dashboard
# view. The evidence page itself always counts afresh.
RETENTION_CACHE_KEY = "coprod_match.dashboard_retention"
RETENTION_CACHE_SECONDS = 600


def dashboard_retention(session, area_ids) -> Retention:
    cache = current_app.extensions.setdefault(RETENTION_CACHE_KEY, {})
    key = (None if area_ids is None else tuple(sorted(area_ids)), local_today())
    found = cache.get(key)
    if found is None or time.monotonic() - found[0] > RETENTION_CACHE_SECONDS:
        found = cache[key] = (time.monotonic(), city_and_places(session, area_ids)[0])
    return found[1]


def _average(average: evidence.Average) -> str:
    if average.value is not None:
        return format_decimal(average.value, format="0.0")
    return _("too few answers") if average.answers else _("no answers")


def _rate(answered: int, asked: int) -> str:
    if not asked:
        return _("nobody asked")
    return _("%(share)s (%(answered)s of %(asked)s)", share=format_percent(answered / asked),
             answered=format_decimal(answered), asked=format_decimal(asked))


def answers_charts(session, area_ids) -> list[dict]:
    """Check-in answers over the last 12 whole months, and how many of those asked answered.

    The month we are in is only half asked and half answered: "5% (2 of 38)" in
    its first days would look like a collapse. So the pictures end with last
    month, and the tables add this month marked "so far".
    """
    min_answers = current_app.config["CHECK_IN_MIN_ANSWERS_FOR_AVERAGES"]
    months = evidence.last_months(local_today(), 13)
    found = evidence.answers_by_month(session, area_ids, months, min_answers=min_answers)
    labels = [format_date(month, "MMM yy") for month in months]
    rows_labels = [*labels[:-1], _("%(month)s (so far)", month=labels[-1])]
    whole, whole_labels = found[:-1], labels[:-1]
    locale = str(get_locale())
    answered = sum(month.answered for month in found)
    so_far = _("This month is not over yet, so it is only in the table.")

    answers = {
        "title": _("How volunteers feel, month by month"),
        "summary": (" ".join([
            _("The average answer of all volunteers who answered, from 1 (not at all) to 5 (very much)."),
            ngettext("An average shows only when at least %(num)d volunteer answered.",
                     "An average shows only when at least %(num)d volunteers answered.", min_answers), so_far])
                    if answered else _("No volunteer has answered a monthly question yet.")),
        "headers": [_("Month"), _("I feel appreciated"), _("I feel supported by the contact person"),
                    _("It is too much for me"), _("Still helping"), _("Paused"), _("Stopped")],
        "rows": [[label, _average(month.appreciated), _average(month.supported), _average(month.too_much),
                  month.yes, month.paused, month.stopped] for label, month in zip(rows_labels, found, strict=True)],
    }
    answers["svg"] = charts.line_chart(whole_labels, [
        charts.Measures(_("I feel appreciated"), [m.appreciated.value for m in whole], "answer-appreciated"),
        charts.Measures(_("I feel supported by the contact person"), [m.supported.value for m in whole],
                        "answer-supported"),
        charts.Measures(_("It is too much for me"), [m.too_much.value for m in whole], "answer-too-much"),
    ], title=answers["title"], description=answers["summary"], scale=[1, 2, 3, 4, 5], locale=locale)

    asked = sum(month.asked + month.contacts_asked for month in found)
    rates = {
        "title": _("How many answered the monthly question"),
        "summary": (" ".join([_("Of the volunteers and contact persons asked each month, the share who answered."),
                              so_far])
                    if asked else _("Nobody has been asked a monthly question yet.")),
        "headers": [_("Month"), _("Volunteers who answered"), _("Contact persons who answered")],
        "rows": [[label, _rate(month.answered, month.asked), _rate(month.contacts_answered, month.contacts_asked)]
                 for label, month in zip(rows_labels, found, strict=True)],
    }
    rates["svg"] = charts.line_chart(whole_labels, [
        charts.Measures(_("Volunteers"), [m.answered / m.asked if m.asked else None for m in whole],
                        "answer-volunteers"),
        charts.Measures(_("Contact persons"),
                        [m.contacts_answered / m.contacts_asked if m.contacts_asked else None for m in whole],
                        "answer-contacts"),
    ], title=rates["title"], description=rates["summary"], scale=[0, 0.25, 0.5, 0.75, 1], shares=True,
        locale=locale)
    return [answers, rates]


def where_label(area_ids, places: dict[int, str]) -> str:
    """What the figures are about: the whole city, one neighbourhood, or the viewer's areas."""
    if area_ids is None:
        return _("All of The Hague")
    if len(area_ids) == 1 and area_ids[0] in places:
        return places[area_ids[0]]
    return _("Your areas")


def evidence_figures(session, area_ids, places: dict[int, str]) -> dict:
    """Everything the evidence page shows for `area_ids` (None: the whole city); `places` names the neighbourhoods."""
    whole, by_place = city_and_places(session, area_ids)
    per_place = sorted(((places.get(place_id, ""), retention_table(figures))
                        for place_id, figures in by_place.items()), key=lambda item: item[0])
    return {"retention": retention_chart(whole, where_label(area_ids, places)), "per_place": per_place,
            "answers": answers_charts(session, area_ids)}
