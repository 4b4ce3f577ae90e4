"""The coordinator's charts: text never below 12 px and bars that stretch with the screen."""

from __future__ import annotations

import re

from coprod_match.continuity import charts


def _all_charts() -> list[str]:
    series = [charts.Series("Runs on one volunteer", [1, 0, 3] * 4 + [2], "kind-single-volunteer"),
              charts.Series("No volunteers", [0, 2, 1] * 4 + [0], "kind-no-volunteers")]
    return [
        str(charts.column_chart(["none", "one", "two", "three or more"], [3, 1, 0, 7], title="Volunteers",
                                description="Per initiative", tones=["a", "b", "c", "d"])),
        str(charts.stacked_columns([f"{day} Nov" for day in range(1, 14)], series, title="Over time",
                                   description="Per week")),
        str(charts.stacked_bars(["Schilderswijk", "Kijkduin en Ockenburgh"],
                                [charts.Series("Enough", [2, 0], "coverage-enough"),
                                 charts.Series("At risk", [1, 4], "coverage-at-risk")],
                                title="Coverage", description="Per neighbourhood")),
    ]


def test_text_is_at_least_12_px_and_never_scaled_down():
    for svg in _all_charts():
        # No viewBox: a viewBox would shrink the text with the chart on a phone.
        assert "viewBox" not in svg and 'width="100%"' in svg
        sizes = [int(size) for size in re.findall(r'font-size="(\d+)"', svg)]
        assert sizes and min(sizes) >= 12, sizes


def test_bars_are_placed_in_percent_of_the_width():
    for svg in _all_charts():
        for rect in re.findall(r"<rect [^>]*>", svg):
            if "width=\"14\"" in rect:  # a legend key: a fixed square
                continue
            assert re.search(r'x="[\d.]+%"', rect) and re.search(r'width="[\d.]+%"', rect), rect


def test_on_a_phone_only_every_third_week_is_labelled():
    over_time = _all_charts()[1]
    labels = re.findall(r'<text [^>]*>(\d+ Nov)</text>', over_time)
    minor = re.findall(r'<text [^>]*class="chart-tick-minor"[^>]*>(\d+ Nov)</text>', over_time)
    assert len(labels) == 13
    # The newest week always shows; the ones that hide on a phone are the others.
    assert "13 Nov" not in minor and set(labels) - set(minor) == {"1 Nov", "4 Nov", "7 Nov", "10 Nov", "13 Nov"}
