"""Pictograms beside the words for interest categories and parts of the day (issue 15: people who read little).

Each is a self-made line drawing in static/pictograms/<code>.svg, put inline
into the page so it takes the text's colour (`currentColor`) and needs no
extra request. They are decorative (`aria-hidden`): the words stay beside them.
"""

from __future__ import annotations

import functools
import os

from markupsafe import Markup

PICTOGRAM_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "static", "pictograms")


@functools.cache
def _drawing(name: str) -> str:
    path = os.path.join(PICTOGRAM_DIR, f"{os.path.basename(name)}.svg")
    if not os.path.isfile(path):
        return ""  # a category added to the data before its drawing: the words alone still say it
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()


def pictogram(name: str) -> Markup:
    """The inline `<svg class="pictogram">` for an interest code or part of the day, or nothing."""
    drawing = _drawing(str(name))
    if not drawing:
        return Markup("")
    return Markup(drawing.replace("<svg ", '<svg class="pictogram" ', 1))  # noqa: S704 (our own files)
