"""The "Listen" button reads an initiative's main text aloud with the browser's speech (issue 15).

Chromium's own voices depend on the machine, so a stand-in `speechSynthesis`
records what would be said and in which language.
"""

from __future__ import annotations

from playwright.sync_api import expect

FAKE_SPEECH = """
(() => {
  const voices = %s;
  window.__spoken = [];
  window.__cancelled = 0;
  const speech = {
    getVoices: () => voices.map((lang) => ({lang, name: lang})),
    speak: (utterance) => window.__spoken.push({text: utterance.text, lang: utterance.lang}),
    cancel: () => { window.__cancelled += 1; },
    addEventListener: () => {},
    removeEventListener: () => {},
  };
  Object.defineProperty(window, "speechSynthesis", {value: speech, configurable: true});
})();
"""


def _initiative_page(context, live_server):
    page = context.new_page()
    page.goto("/initiatives/?near=")
    page.get_by_role("link", name=live_server.initiative_title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(live_server.initiative_title)
    return page


def test_listen_reads_title_description_and_tasks_in_the_pages_language(new_context, live_server):
    context = new_context()
    context.add_init_script(FAKE_SPEECH % '["en-GB", "nl-NL"]')
    page = _initiative_page(context, live_server)
    listen = page.get_by_role("button", name="Listen")
    expect(listen).to_be_visible()
    listen.click()
    spoken = page.evaluate("window.__spoken")
    assert [part["lang"] for part in spoken] == ["en", "en", "en"]
    assert spoken[0]["text"] == live_server.initiative_title
    assert spoken[1]["text"].startswith("Sports and a chat for women")
    assert "Lead the warm-up" in spoken[2]["text"] and "Make coffee and tea" in spoken[2]["text"]
    # A second press stops.
    stop = page.get_by_role("button", name="Stop")
    expect(stop).to_have_attribute("aria-pressed", "true")
    cancelled = page.evaluate("window.__cancelled")
    stop.click()
    assert page.evaluate("window.__cancelled") == cancelled + 1
    expect(page.get_by_role("button", name="Listen")).to_be_visible()


def test_listen_reads_an_english_initiative_in_english_on_a_dutch_page(new_context, live_server):
    # The initiative is written in English (tests/e2e/conftest.py) and has no Dutch version: each part is
    # marked with its own lang, so it is read with an English voice, not a Dutch one.
    context = new_context(locale="nl-NL")
    context.add_init_script(FAKE_SPEECH % '["nl-NL", "en-GB"]')
    page = _initiative_page(context, live_server)
    page.get_by_role("button", name="Luisteren").click()
    assert {part["lang"] for part in page.evaluate("window.__spoken")} == {"en"}
    expect(page.get_by_role("button", name="Stop")).to_be_visible()


def test_no_button_without_a_voice_for_the_language(new_context, live_server):
    context = new_context()
    context.add_init_script(FAKE_SPEECH % '["ar-SA"]')
    page = _initiative_page(context, live_server)
    expect(page.locator("[data-listen-parts]")).to_be_attached()
    expect(page.locator("[data-listen-parts] button")).to_have_count(0)


def test_no_button_without_javascript(new_context, live_server):
    page = _initiative_page(new_context(java_script_enabled=False), live_server)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Listen")).to_have_count(0)
    expect(page.locator("[data-listen-parts] button")).to_have_count(0)
    expect(page.locator("[data-listen-parts]")).to_be_hidden()
