"""In Arabic the arrows that point turn round, and pictograms stay beside their words on a phone (issue 15)."""

from __future__ import annotations

from playwright.sync_api import expect

PHONE = {"width": 375, "height": 740}
MIRRORED = "matrix(-1, 0, 0, 1, 0, 0)"


def _style(locator, name: str, pseudo: str | None = None) -> str:
    return locator.evaluate("(e, [name, pseudo]) => getComputedStyle(e, pseudo).getPropertyValue(name)",
                            [name, pseudo])


def _detail(page, live_server):
    page.goto("/initiatives/?near=")
    page.locator(".initiative-list h2 a").filter(has_text=live_server.initiative_title).click()
    return page


def test_arrows_turn_round_in_arabic(new_context, live_server):
    arabic = _detail(new_context(locale="ar", viewport=PHONE).new_page(), live_server)
    expect(arabic.locator("html")).to_have_attribute("dir", "rtl")
    back = arabic.locator("a.back-link")
    assert _style(back, "content", "::before").startswith('"\u2190"')
    assert _style(back, "transform", "::before") == MIRRORED

    english = _detail(new_context(locale="en-GB", viewport=PHONE).new_page(), live_server)
    assert _style(english.locator("a.back-link"), "transform", "::before") == "none"


def test_the_filters_closed_arrow_points_the_way_the_page_reads(new_context, live_server):
    for locale, arrow in (("ar", "\u25c2"), ("en-GB", "\u25b8")):
        page = new_context(locale=locale, viewport=PHONE).new_page()
        page.goto("/initiatives/?near=")
        summary = page.locator(".filter-fold > summary")
        assert arrow in _style(summary, "content", "::before")
        summary.click()
        assert "\u25be" in _style(summary, "content", "::before")


def test_theme_pictograms_fit_beside_their_words_on_an_arabic_phone(new_context, live_server):
    page = new_context(locale="ar", viewport=PHONE).new_page()
    page.goto("/initiatives/?near=")
    page.locator(".filter-fold > summary").click()
    choice = page.locator("label[for=interest-sports]")
    icon, box = choice.locator("svg.pictogram"), choice.bounding_box()
    picture = icon.bounding_box()
    assert 20 <= picture["width"] <= 32 and picture["height"] == picture["width"]
    # Right to left: the pictogram comes first, so it is at the label's right, and all of it on screen.
    assert picture["x"] + picture["width"] > box["x"] + box["width"] / 2
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    card = page.locator(".initiative-list .pictogram-list").first
    expect(card.locator("svg.pictogram")).to_have_count(1)  # the sports theme; no fixed times
