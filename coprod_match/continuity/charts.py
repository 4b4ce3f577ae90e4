"""Small server-rendered SVG charts: plain data in, an <svg> string out.

No JavaScript and no inline styles (the CSP allows none): each bar carries
a class that says what it is, and `static/site.css` gives every class its
colour, so the palette lives in one place. Every bar carries its number as
text, so no chart depends on colour alone; the page adds a text alternative
and a table.

There is no viewBox: across, everything is placed in percent of the chart's
width, so the bars stretch with the screen while the text keeps its size in
pixels (at least 12) on a phone and on a wide screen alike; heights are pixels.

Every chart counts things (initiatives, alerts), so the scale has whole
numbers only: "2.5 initiatives" reads as nonsense. Numbers are written for
the reader's `locale` by Babel (1,500 in English, 1.500 in Dutch); Babel, not
Flask-Babel, so this module stays usable without an app.

In a language written right to left (Arabic) the whole chart is mirrored:
the scale stands at the right, the first column is the rightmost, bars grow
leftwards and the legend keys sit at the right. The <svg> says its
`direction`, so "start" and "end" anchors follow it and Arabic labels read
in their own order; only the x positions are turned round here.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from babel import Locale
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup, escape

_ids = itertools.count(1)

# Text sizes in CSS pixels: nothing in a chart is smaller than the smallest.
SMALLEST_TEXT = 12
TEXT = 14
LEGEND_ROW = 22
LEGEND_LINE = 18  # a legend item's second line, closer than the next item

# The narrowest a chart gets: a 375 px phone less the page's margins. SVG text does not wrap by
# itself, so a legend item is broken into lines that fit this width (the Turkish "at risk" key, 51
# letters, ran off a phone); an average letter is taken as wide as 0.6 of its size.
NARROWEST_CHART = 320
AVERAGE_LETTER = 0.6


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]
    # The CSS class that colours this series' bars and its legend key.
    tone: str


# At most this many steps up the scale: enough lines to read a bar against, few enough to stay apart.
_MOST_STEPS = 5


def count_scale(largest: int) -> list[int]:
    """The values of the scale's lines for counts up to `largest`: 0 and whole, round steps (1, 2, 5, 10, 20, 50...).

    The top line is at or just above the largest count, so the tallest bar nearly fills the chart.
    """
    step, multipliers = 1, itertools.cycle((2, 2.5, 2))  # 1, 2, 5, 10, 20, 50, 100...
    while largest > step * _MOST_STEPS:
        step = int(step * next(multipliers))
    steps = max(-(-largest // step), 1)
    return [step * number for number in range(steps + 1)]


@dataclass(frozen=True)
class _Across:
    """Positions across the chart, in percent of its width, turned round for a right-to-left language."""

    rtl: bool

    @classmethod
    def for_locale(cls, locale: str) -> _Across:
        return cls(Locale.parse(locale).character_order == "right-to-left")

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    def at(self, percent: float) -> str:
        """A point `percent` along the reading direction."""
        return _pct(100 - percent if self.rtl else percent)

    def span_start(self, percent: float, width: float) -> str:
        """The `x` of a rectangle that starts `percent` along the reading direction and is `width` wide."""
        return _pct(100 - percent - width if self.rtl else percent)

    def shift(self, pixels: float) -> float:
        """A `dx` of `pixels` in the reading direction (dx itself always counts to the right)."""
        return -pixels if self.rtl else pixels


def _number(value: int, locale: str) -> str:
    return format_decimal(value, locale=locale)


def _pct(value: float) -> str:
    return f"{value:.2f}%"


def _open(height: float, title: str, description: str, across: _Across) -> tuple[str, str]:
    number = next(_ids)
    title_id, desc_id = f"chart-{number}-title", f"chart-{number}-desc"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="{int(height)}" '
        f'direction="{across.direction}" role="img" aria-labelledby="{title_id} {desc_id}" class="chart">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>'
    )
    return head, "</svg>"


def _text(x: str, y: float, content, *, anchor="middle", size=TEXT, css_class=None, weight=None,
          dx: float | None = None) -> str:
    """A text; `anchor` "start" and "end" follow the chart's direction (an end at the right in Arabic is its left)."""
    bold = f' font-weight="{weight}"' if weight else ""
    styled = f' class="{css_class}"' if css_class else ""
    shift = f' dx="{dx:g}"' if dx else ""
    return (f'<text x="{x}" y="{y:.1f}"{shift} text-anchor="{anchor}" font-size="{max(size, SMALLEST_TEXT)}"'
            f'{styled}{bold}>{escape(content)}</text>')


_KEY = 14  # a legend key's square, in pixels
_KEY_GAP = 6


def text_width(text: str, size: int = TEXT) -> float:
    """About how many pixels `text` takes at `size`: enough to decide where to break a line."""
    return len(text) * size * AVERAGE_LETTER


def wrapped(text: str, width: float, size: int = TEXT) -> list[str]:
    """`text` broken between words into lines of at most `width` pixels (a longer word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _legend(series: Sequence[Series], y: float, across: _Across) -> tuple[str, float]:
    """One legend item a line, a long one on more lines (a narrow screen has no room for two); returns markup and height."""
    # A key is a fixed square at the side the reading starts; at the right it is moved back by its own width.
    key_x = f'x="100%" transform="translate(-{_KEY} 0)"' if across.rtl else 'x="0"'
    parts = []
    line_y = y
    for item in series:
        parts.append(f'<rect {key_x} y="{line_y - 12:.1f}" width="{_KEY}" height="{_KEY}" class="{item.tone}"/>')
        lines = wrapped(item.name, NARROWEST_CHART - _KEY - _KEY_GAP)
        for number, line in enumerate(lines):
            parts.append(_text(across.at(0), line_y + number * LEGEND_LINE, line, anchor="start",
                               dx=across.shift(_KEY + _KEY_GAP), css_class="chart-legend"))
        line_y += LEGEND_ROW + (len(lines) - 1) * LEGEND_LINE
    return "".join(parts), line_y - y


def _axis(left: float, top: float, plot_h: float, scale: Sequence[int], locale: str, across: _Across) -> str:
    """A grid line across for each value of the scale, the value before it (at the left, in Arabic at the right)."""
    parts = []
    for value in scale:
        y = top + plot_h * (1 - value / scale[-1])
        parts.append(f'<line x1="{across.at(left)}" y1="{y:.1f}" x2="{across.at(100)}" y2="{y:.1f}" '
                     f'class="chart-grid"/>')
        parts.append(_text(across.at(left), y + 4, _number(value, locale), anchor="end", size=SMALLEST_TEXT,
                           css_class="chart-scale", dx=across.shift(-4)))
    return "".join(parts)


# Room for the scale's numbers before the plot, in percent of the width.
_LEFT = 9.0


def column_chart(labels: Sequence[str], values: Sequence[int], *, title: str, description: str,
                 tones: Sequence[str], height: int = 220, locale: str = "en") -> Markup:
    """Vertical bars with their numbers on top, e.g. initiatives by number of volunteers.

    `tones` are the bars' CSS classes, one per label.
    """
    across = _Across.for_locale(locale)
    head, tail = _open(height, title, description, across)
    top, bottom = 24, 30
    plot_h = height - top - bottom
    scale = count_scale(max(values, default=0))
    top_value = scale[-1]
    parts = [head, _axis(_LEFT, top, plot_h, scale, locale, across)]
    slot = (100 - _LEFT) / max(len(values), 1)
    for index, (label, value, tone) in enumerate(zip(labels, values, tones, strict=True)):
        bar_h = plot_h * value / top_value
        x, middle = _LEFT + index * slot + slot * 0.15, _LEFT + index * slot + slot * 0.5
        parts.append(f'<rect x="{across.span_start(x, slot * 0.7)}" y="{top + plot_h - bar_h:.1f}" '
                     f'width="{_pct(slot * 0.7)}" height="{bar_h:.1f}" class="{tone}"/>')
        parts.append(_text(across.at(middle), top + plot_h - bar_h - 6, _number(value, locale), weight="600"))
        parts.append(_text(across.at(middle), top + plot_h + 20, label, size=SMALLEST_TEXT))
    parts.append(tail)
    return Markup("".join(parts))  # noqa: S704 - every text part went through escape()


def stacked_columns(categories: Sequence[str], series: Sequence[Series], *, title: str,
                    description: str, height: int = 240, locale: str = "en") -> Markup:
    """Columns stacked by series, e.g. open alerts per week by kind; totals on top.

    Under each column its category; on a phone only every third one shows
    (`chart-tick-minor` is hidden there), so the labels never run together.
    """
    across = _Across.for_locale(locale)
    legend, legend_h = _legend(series, 16, across)
    top = 16 + legend_h + 16
    plot_h = height - 60
    head, tail = _open(top + plot_h + 30, title, description, across)
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    scale = count_scale(max(totals, default=0))
    top_value = scale[-1]
    parts = [head, legend, _axis(_LEFT, top, plot_h, scale, locale, across)]
    slot = (100 - _LEFT) / max(len(categories), 1)
    last = len(categories) - 1
    for index, category in enumerate(categories):
        x, middle, base = _LEFT + index * slot + slot * 0.15, _LEFT + index * slot + slot * 0.5, top + plot_h
        for item in series:
            bar_h = plot_h * item.values[index] / top_value
            if bar_h:
                parts.append(f'<rect x="{across.span_start(x, slot * 0.7)}" y="{base - bar_h:.1f}" '
                             f'width="{_pct(slot * 0.7)}" height="{bar_h:.1f}" class="{item.tone} chart-stacked"/>')
            base -= bar_h
        minor = None if (last - index) % 3 == 0 else "chart-tick-minor"
        parts.append(_text(across.at(middle), base - 5, _number(totals[index], locale), size=SMALLEST_TEXT,
                           weight="600", css_class=minor))
        parts.append(_text(across.at(middle), top + plot_h + 20, category, size=SMALLEST_TEXT, css_class=minor))
    parts.append(tail)
    return Markup("".join(parts))  # noqa: S704 - every text part went through escape()


def stacked_bars(labels: Sequence[str], series: Sequence[Series], *, title: str,
                 description: str, locale: str = "en") -> Markup:
    """Horizontal bars stacked by series, one row per label (e.g. per neighbourhood).

    Each label stands above its bar, so a long name needs no room beside it.
    """
    across = _Across.for_locale(locale)
    row_h, bar_h = 44, 14
    # The longest bar leaves room at its end for its total.
    plot_w = 88.0
    legend, legend_h = _legend(series, 16, across)
    top = 16 + legend_h + 8
    head, tail = _open(top + row_h * max(len(labels), 1) + 4, title, description, across)
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top_value = max(max(totals, default=0), 1)
    parts = [head, legend]
    for index, label in enumerate(labels):
        y, x = top + index * row_h, 0.0
        parts.append(_text(across.at(0), y + 16, label, anchor="start"))
        for item in series:
            bar_w = plot_w * item.values[index] / top_value
            if bar_w:
                parts.append(f'<rect x="{across.span_start(x, bar_w)}" y="{y + 22}" width="{_pct(bar_w)}" '
                             f'height="{bar_h}" class="{item.tone} chart-stacked"/>')
            x += bar_w
        parts.append(_text(across.at(x), y + 34, _number(totals[index], locale), anchor="start", weight="600",
                           dx=across.shift(6)))
    parts.append(tail)
    return Markup("".join(parts))  # noqa: S704 - every text part went through escape()


# --- shares and averages (the evidence page) ------------------------------------------------------


@dataclass(frozen=True)
class Measures:
    """A series of measured values (a share 0-1, an average on a scale); None where nothing was measured."""

    name: str
    values: Sequence[float | None]
    tone: str


def _share(value: float, locale: str) -> str:
    return format_percent(value, locale=locale)


_END_GAP = 8  # pixels between a bar's end or a line's last dot and its number


def _room_for(texts: Sequence[str], size: int = SMALLEST_TEXT) -> float:
    """The percent of the narrowest chart that the longest of `texts` needs after its gap, so it stays inside."""
    widest = max((text_width(text, size) for text in texts), default=0)
    return (widest + _END_GAP + 4) * 100 / NARROWEST_CHART


def share_bars(groups: Sequence[str], series: Sequence[Measures], *, title: str, description: str,
               nothing_yet: str, locale: str = "en") -> Markup:
    """Per group (e.g. a channel) one bar per series (e.g. after 3, 6, 12 months), as long as its share.

    The group's name stands above its bars; each bar ends in its percentage, or
    `nothing_yet` where nobody could be observed (no bar: "0%" would be a claim).
    """
    across = _Across.for_locale(locale)
    bar_h, bar_gap, label_h, group_gap = 14, 6, 24, 12
    # A full bar leaves room at its end for its longest number ("100%"), measured on the narrowest chart.
    ends = [_share(value, locale) for item in series for value in item.values if value is not None]
    plot_w = 100 - _room_for(ends)
    legend, legend_h = _legend([Series(item.name, [], item.tone) for item in series], 16, across)
    # A long group name ("Persoonlijk uitgenodigd door een professional") takes more lines on a phone.
    names = [wrapped(group, NARROWEST_CHART) for group in groups]
    bars_h = len(series) * (bar_h + bar_gap) + group_gap
    top = 16 + legend_h + 8
    height = top + sum(label_h + (len(lines) - 1) * LEGEND_LINE + bars_h for lines in names)
    head, tail = _open(max(height, top + label_h + bars_h), title, description, across)
    parts = [head, legend]
    y = top
    for index, lines in enumerate(names):
        for number, line in enumerate(lines):
            parts.append(_text(across.at(0), y + 16 + number * LEGEND_LINE, line, anchor="start", weight="600"))
        bars_y = y + label_h + (len(lines) - 1) * LEGEND_LINE
        y = bars_y + bars_h
        for number, item in enumerate(series):
            bar_y, value = bars_y + number * (bar_h + bar_gap), item.values[index]
            width = plot_w * (value or 0)
            if width:
                parts.append(f'<rect x="{across.span_start(0, width)}" y="{bar_y}" width="{_pct(width)}" '
                             f'height="{bar_h}" class="{item.tone}"/>')
            shown = nothing_yet if value is None else _share(value, locale)
            parts.append(_text(across.at(width), bar_y + 12, shown, anchor="start", size=SMALLEST_TEXT,
                               dx=across.shift(_END_GAP)))
    parts.append(tail)
    return Markup("".join(parts))  # noqa: S704 - every text part went through escape()


def _newest_values(newest: list[tuple[float, float, str]], across: _Across) -> list[str]:
    """Each line's newest value beside its last dot, moved down where two would overlap (3.2 beside 3.1)."""
    parts, below = [], -float("inf")
    for x, y, text in sorted(newest, key=lambda item: item[1]):
        below = max(y + 4, below + SMALLEST_TEXT + 2)
        parts.append(_text(across.at(x), below, text, anchor="start", size=SMALLEST_TEXT, weight="600",
                           dx=across.shift(_END_GAP)))
    return parts


def line_chart(categories: Sequence[str], series: Sequence[Measures], *, title: str, description: str,
               scale: Sequence[float], shares: bool = False, height: int = 220, locale: str = "en") -> Markup:
    """Lines over time (e.g. months), a dot at each measured value; a gap where nothing was measured.

    `scale` gives the lines across, lowest first (1..5 for answers, 0..1 for
    shares written as percentages). Each line's newest value is written at its
    last dot, so a line is read without its colour; the table has the rest.
    Under the chart every third category shows on a phone, as in `stacked_columns`.
    """
    across = _Across.for_locale(locale)

    def written(value: float) -> str:
        return _share(value, locale) if shares else format_decimal(value, format="0.0", locale=locale)

    legend, legend_h = _legend([Series(item.name, [], item.tone) for item in series], 16, across)
    top = 16 + legend_h + 16
    plot_h = height - 60
    head, tail = _open(top + plot_h + 30, title, description, across)
    low, high = scale[0], scale[-1]
    # The scale's numbers ("100%") before the plot and the newest values after it keep inside the chart
    # on the narrowest screen: their room is measured, not guessed.
    left = max(_LEFT, _room_for([written(value) for value in scale]))
    right = _room_for([written(value) for item in series for value in item.values if value is not None])
    parts = [head, legend]
    for value in scale:
        y = top + plot_h * (1 - (value - low) / (high - low))
        parts.append(f'<line x1="{across.at(left)}" y1="{y:.1f}" x2="{across.at(100)}" y2="{y:.1f}" '
                     f'class="chart-grid"/>')
        parts.append(_text(across.at(left), y + 4, written(value), anchor="end", size=SMALLEST_TEXT,
                           css_class="chart-scale", dx=across.shift(-4)))
    slot = (100 - left - right) / max(len(categories), 1)

    def point(index: int, value: float) -> tuple[float, float]:
        return left + index * slot + slot * 0.5, top + plot_h * (1 - (value - low) / (high - low))

    newest: list[tuple[float, float, str]] = []
    for item in series:
        measured = [(index, value) for index, value in enumerate(item.values) if value is not None]
        for (first, a), (second, b) in itertools.pairwise(measured):
            if second == first + 1:  # no line across a month without answers
                (x1, y1), (x2, y2) = point(first, a), point(second, b)
                parts.append(f'<line x1="{across.at(x1)}" y1="{y1:.1f}" x2="{across.at(x2)}" y2="{y2:.1f}" '
                             f'class="{item.tone} chart-line"/>')
        for index, value in measured:
            x, y = point(index, value)
            parts.append(f'<circle cx="{across.at(x)}" cy="{y:.1f}" r="4" class="{item.tone}"/>')
        if measured:
            newest.append((*point(*measured[-1]), written(measured[-1][1])))
    parts.extend(_newest_values(newest, across))
    last = len(categories) - 1
    for index, category in enumerate(categories):
        minor = None if (last - index) % 3 == 0 else "chart-tick-minor"
        parts.append(_text(across.at(point(index, low)[0]), top + plot_h + 20, category, size=SMALLEST_TEXT,
                           css_class=minor))
    parts.append(tail)
    return Markup("".join(parts))  # noqa: S704 - every text part went through escape()
