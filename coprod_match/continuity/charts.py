"""Small server-rendered SVG charts: plain data in, an <svg> string out.

No JavaScript and no inline styles (the CSP allows none): each bar carries
a class that says what it is, and `static/site.css` gives every class its
colour, so the palette lives in one place. Every bar carries its number as
text, so no chart depends on colour alone; the page adds a text alternative
and a table.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]
    # The CSS class that colours this series' bars and its legend key.
    tone: str


def _nice_max(value: int) -> int:
    """A round top for the value axis (at least 1)."""
    if value <= 5:
        return max(value, 1)
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 5:
            return -(-value // step) * step
    return value


def _open(width: int, height: int, title: str, description: str) -> tuple[str, str]:
    number = next(_ids)
    title_id, desc_id = f"chart-{number}-title", f"chart-{number}-desc"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{title_id} {desc_id}" class="chart">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>'
    )
    return head, "</svg>"


def _text(x: float, y: float, content, *, anchor="middle", size=13, css_class=None, weight=None) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    styled = f' class="{css_class}"' if css_class else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"'
            f'{styled}{bold}>{escape(content)}</text>')


def _legend(series: Sequence[Series], x: float, y: float, width: float) -> tuple[str, float]:
    """Legend items in rows; returns the markup and the height used."""
    parts, cursor_x, cursor_y = [], x, y
    for item in series:
        item_width = 26 + 7.5 * len(item.name)
        if cursor_x + item_width > x + width and cursor_x > x:
            cursor_x, cursor_y = x, cursor_y + 20
        parts.append(f'<rect x="{cursor_x:.1f}" y="{cursor_y - 10:.1f}" width="12" height="12" '
                     f'class="{item.tone}"/>')
        parts.append(_text(cursor_x + 17, cursor_y, item.name, anchor="start", size=12))
        cursor_x += item_width
    return "".join(parts), cursor_y - y + 20


def column_chart(labels: Sequence[str], values: Sequence[int], *, title: str, description: str,
                 tones: Sequence[str], width: int = 480, height: int = 240) -> Markup:
    """Vertical bars with their numbers on top, e.g. initiatives by number of volunteers.

    `tones` are the bars' CSS classes, one per label.
    """
    head, tail = _open(width, height, title, description)
    left, right, top, bottom = 40, 10, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max(values, default=0))
    parts = [head, _axis(left, top, plot_w, plot_h, top_value)]
    slot = plot_w / max(len(values), 1)
    for index, (label, value, tone) in enumerate(zip(labels, values, tones, strict=True)):
        bar_h = plot_h * value / top_value
        x = left + index * slot + slot * 0.15
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{slot * 0.7:.1f}" '
                     f'height="{bar_h:.1f}" class="{tone}"/>')
        parts.append(_text(x + slot * 0.35, top + plot_h - bar_h - 5, str(value), weight="600"))
        parts.append(_text(x + slot * 0.35, top + plot_h + 18, label))
    parts.append(tail)
    return Markup("".join(parts))  # noqa: S704 - every text part went through escape()


def _axis(left: float, top: float, plot_w: float, plot_h: float, top_value: int) -> str:
    parts = []
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
                     f'class="chart-grid"/>')
        label = top_value * fraction
        parts.append(_text(left - 6, y + 4, f"{label:g}", anchor="end", size=11, css_class="chart-scale"))
    return "".join(parts)


def stacked_columns(categories: Sequence[str], series: Sequence[Series], *, title: str,
                    description: str, width: int = 640, height: int = 300) -> Markup:
    """Columns stacked by series, e.g. open alerts per week by kind; totals on top."""
    legend, legend_h = _legend(series, 40, 14, width - 50)
    head, tail = _open(width, int(height + legend_h), title, description)
    left, right, top = 40, 10, 20 + legend_h
    plot_w, plot_h = width - left - right, height - 60
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    top_value = _nice_max(max(totals, default=0))
    parts = [head, legend, _axis(left, top, plot_w, plot_h, top_value)]
    slot = plot_w / max(len(categories), 1)
    for index, category in enumerate(categories):
        x, base = left + index * slot + slot * 0.15, top + plot_h
        for item in series:
            bar_h = plot_h * item.values[index] / top_value
            if bar_h:
                parts.append(f'<rect x="{x:.1f}" y="{base - bar_h:.1f}" width="{slot * 0.7:.1f}" '
                             f'height="{bar_h:.1f}" class="{item.tone} chart-stacked"/>')
            base -= bar_h
        parts.append(_text(x + slot * 0.35, base - 4, str(totals[index]), size=11, weight="600"))
        parts.append(_text(x + slot * 0.35, top + plot_h + 16, category, size=11))
    parts.append(tail)
    return Markup("".join(parts))  # noqa: S704 - every text part went through escape()


def stacked_bars(labels: Sequence[str], series: Sequence[Series], *, title: str,
                 description: str, width: int = 640) -> Markup:
    """Horizontal bars stacked by series, one row per label (e.g. per neighbourhood)."""
    row_h, label_w = 24, 190
    legend, legend_h = _legend(series, label_w, 14, width - label_w - 10)
    top = 10 + legend_h
    height = int(top + row_h * max(len(labels), 1) + 10)
    head, tail = _open(width, height, title, description)
    plot_w = width - label_w - 50
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top_value = max(max(totals, default=0), 1)
    parts = [head, legend]
    for index, label in enumerate(labels):
        y, x = top + index * row_h, label_w
        parts.append(_text(label_w - 8, y + 16, label, anchor="end", size=12))
        for item in series:
            bar_w = plot_w * item.values[index] / top_value
            if bar_w:
                parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{bar_w:.1f}" height="{row_h - 8}" '
                             f'class="{item.tone} chart-stacked"/>')
            x += bar_w
        parts.append(_text(x + 6, y + 16, str(totals[index]), anchor="start", size=12, weight="600"))
    parts.append(tail)
    return Markup("".join(parts))  # noqa: S704 - every text part went through escape()
