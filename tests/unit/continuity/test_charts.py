"""The coordinator's charts: text never below 12 px and bars that stretch with the screen."""

from __future__ import annotations

import itertools
import re

from babel.numbers import format_decimal

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
        *_evidence_charts(),
    ]


def _evidence_charts(locale: str = "en") -> list[str]:
    horizons = [charts.Measures("After 3 months", [0.62, 0.5], "horizon-3"),
                charts.Measures("After 12 months", [None, 0.25], "horizon-12")]
    answers = [charts.Measures("I feel appreciated", [4.5, None, 3.0, 3.5], "answer-appreciated")]
    return [
        str(charts.share_bars(["Invited personally", "Signed up themselves"], horizons, title="Kept",
                              description="By channel", nothing_yet="nobody yet", locale=locale)),
        str(charts.line_chart(["Sep", "Oct", "Nov", "Dec"], answers, title="Answers", description="Per month",
                              scale=[1, 2, 3, 4, 5], locale=locale)),
    ]


def test_shares_are_percentages_and_nothing_observed_is_said_not_drawn():
    bars, line = _evidence_charts()
    assert ">62%</text>" in bars and ">25%</text>" in bars and ">nobody yet</text>" in bars
    assert len(re.findall(r'<rect [^>]*class="horizon-12"', bars)) == 2  # its legend key and one bar: none for "nobody yet"
    # A month without answers breaks the line: Sep-Oct and Oct-Nov are not joined, Nov-Dec is.
    assert len(re.findall(r"<line [^>]*chart-line", line)) == 1 and line.count("<circle") == 3
    assert ">3.5</text>" in line  # the newest value, written at its dot
    dutch_bars, dutch_line = _evidence_charts("nl")
    assert ">3,5</text>" in dutch_line and ">62%</text>" in dutch_bars


def test_in_arabic_the_share_bars_grow_from_the_right():
    bars = _evidence_charts("ar")[0]
    assert 'direction="rtl"' in bars
    for bar in re.findall(r'<rect [^>]*class="horizon-[^"]*"[^>]*>', bars):
        if 'width="14"' not in bar:
            assert abs(_percent("x", bar) + _percent("width", bar) - 100) < 0.02, bar


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


def _scale_values(svg: str) -> list[str]:
    return re.findall(r'<text [^>]*class="chart-scale"[^>]*>([^<]*)</text>', svg)


def test_counts_have_whole_numbers_on_the_scale_up_to_just_above_the_largest():
    # The reviewer saw "0 | 2.5 | 5" and "0 | 7.5 | 15": half an initiative means nothing.
    five = charts.column_chart(["none", "one", "two", "three or more"], [2, 3, 2, 5], title="T", description="D",
                               tones=["a", "b", "c", "d"])
    assert _scale_values(str(five)) == ["0", "1", "2", "3", "4", "5"]
    eleven = charts.stacked_columns(["1 Nov", "8 Nov"], [charts.Series("Alerts", [0, 11], "kind-no-contact")],
                                    title="T", description="D")
    assert _scale_values(str(eleven)) == ["0", "5", "10", "15"]
    assert charts.count_scale(0) == [0, 1]
    assert charts.count_scale(7) == [0, 2, 4, 6, 8]
    assert charts.count_scale(338) == [0, 100, 200, 300, 400]
    for largest in range(1, 2000, 7):
        scale = charts.count_scale(largest)
        step = scale[1]
        assert scale[0] == 0 and largest <= scale[-1] < largest + step, (largest, scale)
        assert len(scale) <= 6 and all(b - a == step for a, b in itertools.pairwise(scale)), (largest, scale)


def test_numbers_are_written_as_the_readers_language_writes_them():
    values = [1500, 20, 0, 3]
    english = str(charts.column_chart(["a", "b", "c", "d"], values, title="T", description="D",
                                      tones=["a", "b", "c", "d"], locale="en"))
    dutch = str(charts.column_chart(["a", "b", "c", "d"], values, title="T", description="D",
                                    tones=["a", "b", "c", "d"], locale="nl"))
    assert _scale_values(english) == ["0", "500", "1,000", "1,500"]
    assert _scale_values(dutch) == ["0", "500", "1.000", "1.500"]
    assert ">1.500</text>" in dutch and ">1,500</text>" in english  # the bar's own number too
    totals = charts.stacked_bars(["Schilderswijk"], [charts.Series("At risk", [1200], "coverage-at-risk")],
                                 title="T", description="D", locale="nl")
    assert ">1.200</text>" in str(totals)
    over_time = charts.stacked_columns(["1 nov"], [charts.Series("Alerts", [2500], "kind-no-contact")],
                                       title="T", description="D", locale="nl")
    assert _scale_values(str(over_time)) == ["0", "500", "1.000", "1.500", "2.000", "2.500"] and ">2.500</text>" in str(over_time)


def _percent(attribute: str, element: str) -> float:
    return float(re.search(rf'{attribute}="([\d.]+)%"', element).group(1))


def test_in_arabic_the_chart_runs_from_the_right():
    svg = str(charts.column_chart(["لا أحد", "واحد", "اثنان"], [3, 1, 1500], title="المتطوعون", description="",
                                  tones=["a", "b", "c"], locale="ar"))
    assert 'direction="rtl"' in svg
    bars = re.findall(r"<rect [^>]*>", svg)
    firsts = [_percent("x", bar) + _percent("width", bar) for bar in bars]
    # The first column is the rightmost and the columns follow leftwards, at the same gaps as in Dutch.
    assert firsts == sorted(firsts, reverse=True) and firsts[0] <= 100
    dutch = str(charts.column_chart(["geen", "een", "twee"], [3, 1, 1500], title="x", description="",
                                    tones=["a", "b", "c"], locale="nl"))
    dutch_starts = [_percent("x", bar) for bar in re.findall(r"<rect [^>]*>", dutch)]
    assert all(abs((100 - end) - start) < 0.02 for end, start in zip(firsts, dutch_starts, strict=True))
    # The scale stands at the right: its numbers end where the plot begins, written the Arabic way.
    scale = re.findall(r'<text [^>]*class="chart-scale"[^>]*>[^<]*</text>', svg)
    assert all(_percent("x", text) == 91 and 'text-anchor="end"' in text and 'dx="4"' in text for text in scale)
    assert f">{format_decimal(1500, locale='ar')}</text>" in svg
    grid = re.findall(r"<line [^>]*>", svg)
    assert all(_percent("x1", line) == 91 and _percent("x2", line) == 0 for line in grid)


def test_in_arabic_the_legend_and_the_bars_start_at_the_right():
    svg = str(charts.stacked_bars(["شيلدرسفايك"], [charts.Series("كافٍ", [2], "enough"),
                                                  charts.Series("في خطر", [2], "at-risk")],
                                  title="التغطية", description="", locale="ar"))
    assert 'direction="rtl"' in svg
    keys = re.findall(r'<rect [^>]*width="14"[^>]*>', svg)
    assert keys and all('x="100%" transform="translate(-14 0)"' in key for key in keys)
    names = re.findall(r'<text [^>]*>(?:كافٍ|في خطر)</text>', svg)
    assert all('x="100.00%"' in name and 'dx="-20"' in name and 'text-anchor="start"' in name for name in names)
    # The neighbourhood's name starts at the right; the first series' bar too, the second follows leftwards.
    assert re.search(r'<text x="100.00%"[^>]*text-anchor="start"[^>]*>شيلدرسفايك</text>', svg)
    enough, at_risk = (re.search(rf'<rect [^>]*class="{tone} chart-stacked"', svg).group(0)
                       for tone in ("enough", "at-risk"))
    assert _percent("x", enough) + _percent("width", enough) == 100
    assert _percent("x", at_risk) + _percent("width", at_risk) == _percent("x", enough)
    total = re.search(r'<text [^>]*font-weight="600">[^<]*</text>', svg).group(0)
    assert _percent("x", total) == _percent("x", at_risk) and 'dx="-6"' in total


def test_a_left_to_right_chart_says_so():
    assert all('direction="ltr"' in svg for svg in _all_charts())


# The Turkish "at risk" key that ran off a 375 px phone.
LONG_KEY = "Risk altında (0 veya 1 ya da en az sayının altında)"  # noqa: RUF001 (Turkish dotless i)


def _legend_lines(svg: str) -> list[tuple[float, str]]:
    return [(float(y), text) for y, text in
            re.findall(r'<text [^>]*y="([\d.]+)"[^>]*class="chart-legend"[^>]*>([^<]*)</text>', svg)]


def test_a_long_legend_item_is_broken_into_lines_that_fit_the_narrowest_chart():
    for chart in (charts.stacked_bars, lambda labels, series, **kw: charts.stacked_columns(labels, series, **kw)):
        svg = str(chart(["Schilderswijk"], [charts.Series(LONG_KEY, [1], "coverage-at-risk"),
                                            charts.Series("Yeterli", [2], "coverage-enough")],
                        title="x", description="", locale="tr"))
        lines = _legend_lines(svg)
        assert len(lines) > 2  # the long key took more than one line
        assert " ".join(text for _y, text in lines[:-1]) == LONG_KEY
        for _y, text in lines:
            assert 14 + 6 + charts.text_width(text) <= charts.NARROWEST_CHART, text
        # Lines and the next key do not overlap, and the plot starts below the legend.
        ys = [y for y, _text in lines]
        assert all(later - earlier >= charts.LEGEND_LINE for earlier, later in itertools.pairwise(ys))
        keys = [float(y) for y in re.findall(r'<rect [^>]*y="([\d.]+)" width="14"', svg)]
        assert keys[1] > ys[-2]
        first_bar = min(float(y) for y in re.findall(r'<rect [^>]*y="([\d.]+)"[^>]*chart-stacked', svg))
        assert first_bar > ys[-1]


def test_a_wrapped_legend_item_still_starts_at_the_right_in_arabic():
    long_arabic = "في خطر (0 أو 1 متطوع، أو أقل من العدد الأدنى الذي تحتاجه المبادرة)"
    svg = str(charts.stacked_bars(["شيلدرسفايك"], [charts.Series(long_arabic, [2], "at-risk")],
                                  title="x", description="", locale="ar"))
    lines = re.findall(r'<text [^>]*class="chart-legend"[^>]*>', svg)
    assert len(lines) > 1
    assert all('x="100.00%"' in line and 'dx="-20"' in line and 'text-anchor="start"' in line for line in lines)


def test_wrapping_keeps_words_whole():
    assert charts.wrapped("a b c", 1000) == ["a b c"]
    assert charts.wrapped("Onbegrijpelijkelangewoorden kort", 50) == ["Onbegrijpelijkelangewoorden", "kort"]


def _x(text_tag: str) -> float:
    return float(re.search(r'x="([\d.]+)%"', text_tag).group(1))


def test_evidence_charts_keep_their_words_and_numbers_inside_a_phone_s_width():
    # The walkthrough saw "Persoonlijk uitgenodigd door een profess…" cut, and end labels touching the edge.
    long_group = "Persoonlijk uitgenodigd door een professional uit de buurt"
    bars = str(charts.share_bars([long_group, "Zelf aangemeld"], [charts.Measures("Na 3 maanden", [1.0, 0.5], "h3")],
                                 title="x", description="", nothing_yet="nog niemand", locale="nl"))
    names = re.findall(r'<text [^>]*font-weight="600">([^<]*)</text>', bars)
    assert len(names) > 2 and " ".join(names[:-1]) == long_group  # wrapped between words, nothing cut
    assert all(charts.text_width(name) <= charts.NARROWEST_CHART for name in names)
    for tag, shown in re.findall(r'(<text [^>]*dx="8"[^>]*>)([^<]*)</text>', bars):
        assert _x(tag) / 100 * charts.NARROWEST_CHART + 8 + charts.text_width(shown, 12) <= charts.NARROWEST_CHART

    rates = str(charts.line_chart(["sep", "okt", "nov"], [charts.Measures("Vrijwilligers", [0.5, 0.75, 1.0], "v")],
                                  title="x", description="", scale=[0, 0.5, 1], shares=True, locale="nl"))
    [(tag, newest)] = re.findall(r'(<text [^>]*dx="8"[^>]*>)([^<]*)</text>', rates)
    assert newest == "100%"
    assert _x(tag) / 100 * charts.NARROWEST_CHART + 8 + charts.text_width(newest, 12) <= charts.NARROWEST_CHART
    for tag, value in re.findall(r'(<text [^>]*class="chart-scale"[^>]*>)([^<]*)</text>', rates):
        assert _x(tag) / 100 * charts.NARROWEST_CHART - 4 - charts.text_width(value, 12) >= 0, value
