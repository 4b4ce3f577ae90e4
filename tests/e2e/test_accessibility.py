"""Every role's main pages pass axe-core (WCAG 2.1 A and AA) in Dutch and in Arabic, and Arabic is mirrored.

axe-core is vendored from its npm package (tests/e2e/vendor/axe-core) and
injected into each page by Playwright as the page starts (an init script, sent
to the browser once per context, not once per page), in a context that lets a
test's script past the page's Content-Security-Policy (the app itself serves no
inline script). The world is the phone layout's: residents with placements, an
invitation, a message, a stored plan, a coordinator and an administrator. Each
person's browser logs in once and is kept for every language and screen size.

Pages are looked at in the language the person chose with the site's own
chooser, which stores it on their account, as a resident would do it.
Screenshots of the Arabic pages are kept as test artefacts in $E2E_ARTIFACTS
(default test-artifacts/, never committed).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.support import Translations

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the fixtures skip these tests with the reason, or fail them under REQUIRE_BROWSER=1
    Page = expect = None

from tests.e2e.conftest import ACTION_TIMEOUT_MS, Staff, World, serve_world
from tests.e2e.test_phone_layout import ADMIN, CANDIDATE, COORDINATOR, PHONE, SIGNED_UP, _seed

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 800}
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", Path(__file__).parents[2] / "test-artifacts"))
TRANSLATIONS = Path(__file__).parents[2] / "translations"


def arabic(message: str) -> str:
    """The Arabic catalogue's words for `message` (they must differ from the English: it is translated)."""
    translated = Translations.load(str(TRANSLATIONS), ["ar"]).gettext(message)
    assert translated != message, f"not translated into Arabic: {message!r}"
    return translated


@pytest.fixture(scope="module")
def world(_require_browser, tmp_path_factory) -> Iterator[tuple[World, dict]]:
    with serve_world(tmp_path_factory, "e2e-a11y", TWO_FACTOR_REQUIRED=False,
                     PRIVACY_ACCEPTANCE_REQUIRED=False) as (served, recorder):
        ids = _seed(served)
        ids.update(_ids(served))
        yield served, ids
        assert not recorder.errors, f"the server answered with errors: {recorder.errors}"


def _ids(world: World) -> dict:
    """Rows the pages are about, read from the live server's database (the pages are reached by URL)."""
    engine = sa.create_engine(world.database_url)
    try:
        with engine.connect() as connection:
            def one(sql: str, **params):
                return connection.scalar(sa.text(sql), params)
            return {
                "signed_up_placement": one(
                    "SELECT p.id FROM placements p JOIN users u ON u.id = p.citizen_id WHERE u.email = :e",
                    e=SIGNED_UP.email),
                "candidate": one("SELECT id FROM users WHERE email = :e", e=CANDIDATE.email),
                "invitation": one("SELECT id FROM invitations ORDER BY id LIMIT 1"),
                "invited": one("SELECT u.email FROM invitations i JOIN placements p ON p.id = i.placement_id "
                               "JOIN users u ON u.id = p.citizen_id ORDER BY i.id LIMIT 1"),
            } | _check_in(engine, one(
                "SELECT p.id FROM placements p JOIN users u ON u.id = p.citizen_id WHERE u.email = :e",
                e=SIGNED_UP.email))
    finally:
        engine.dispose()


def _check_in(engine, placement_id: int) -> dict:
    """This month's check-in of the signed-up resident, and its mailed link (signed with the world's key)."""
    import datetime as dt

    from coprod_match.models import VolunteerCheckIn
    from coprod_match.services.check_ins.links import check_in_token
    from coprod_match.services.tokens import hash_token

    month, expires_at = dt.date.today().replace(day=1), dt.datetime.now(dt.UTC) + dt.timedelta(days=21)
    token = check_in_token(placement_id, month, expires_at, "e2e-testing-only-secret-key")
    with sa.orm.Session(engine) as session:
        check_in = VolunteerCheckIn(placement_id=placement_id, month=month, token_hash=hash_token(token),
                                    expires_at=expires_at)
        session.add(check_in)
        session.commit()
        return {"check_in": check_in.id, "check_in_link": f"/check-in/{token}"}


def _browser_page(browser, world: World, viewport: dict, browser_locale: str = "en-GB") -> Page:
    # bypass_csp: the test's own script (axe) may run; the app's pages still send their policy.
    context = browser.new_context(locale=browser_locale, base_url=world.url, viewport=viewport, bypass_csp=True)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.add_init_script(path=str(AXE))
    return context.new_page()


def _choose_language(page: Page, locale: str) -> None:
    """The site's own language chooser, in the header (open the menu first where it folds)."""
    if not page.locator("#language-choice").count():  # a new browser: every page of the site has the chooser
        page.goto("/")
    if page.locator("header details.menu:not([open]) > summary").is_visible():
        page.locator("header details.menu > summary").click()
    page.locator("#language-choice").select_option(locale)
    page.locator("form.language-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", locale)


def _visitor(browser, world: World, locale: str, viewport: dict = DESKTOP) -> Page:
    page = _browser_page(browser, world, viewport)
    _choose_language(page, locale)
    return page


def _logged_in(browser, world: World, who: Staff | str, locale: str, viewport: dict = DESKTOP) -> Page:
    email, password = (who.email, who.password) if isinstance(who, Staff) else (who, SIGNED_UP.password)
    page = _browser_page(browser, world, viewport)
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()
    _choose_language(page, locale)  # stored on the account: later pages and mails use it
    return page


def _violations(page: Page) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):  # a page made without _browser_page
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        WCAG_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in result["violations"]]


def test_the_scan_finds_what_is_wrong(browser, world):
    """The check can fail: a picture without words and a field without a label are found."""
    served, _ids = world
    page = _visitor(browser, served, "nl")
    page.goto("/initiatives/")
    page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<img src="/static/favicon.svg"><input type="text">')""")
    found = " ".join(_violations(page))
    assert "image-alt" in found and "label" in found, found


def _pages(ids: dict) -> dict[str, list[str]]:
    """The main pages of every role (the people who look at them are made by _seed)."""
    sports = ids["sports"]
    return {
        "visitor": ["/", "/initiatives/", f"/initiatives/{sports}", "/auth/login", "/auth/register",
                    "/auth/password/forgot", "/privacy"],
        "resident": ["/citizens/account", "/citizens/profile", "/citizens/initiatives", "/matching/suggestions",
                     f"/initiatives/{sports}", f"/conversations/{ids['signed_up_placement']}", "/inbox/",
                     "/account/my-data", "/account/details", "/my/statement", ids["check_in_link"],
                     f"/my/check-ins/{ids['check_in']}"],
        "invited resident": [f"/invitations/{ids['invitation']}"],
        "professional": ["/professionals/", f"/professionals/initiatives/{sports}",
                         f"/professionals/initiatives/{sports}/edit", "/professionals/initiatives/new",
                         f"/matching/initiatives/{sports}/candidates", f"/invitations/search/{sports}?q=a",
                         f"/invitations/by-email/{sports}", f"/invitations/citizens/{ids['candidate']}",
                         f"/conversations/{ids['signed_up_placement']}", "/invitations/funnel",
                         f"/professionals/initiatives/{sports}/check-ins",
                         f"/initiatives/{sports}/volunteers/{ids['signed_up_placement']}/thanks",
                         f"/initiatives/{sports}/my-month", f"/professionals/initiatives/{sports}/attendance"],
        "coordinator": ["/coordination/", "/coordination/evidence", "/matching/plan", "/invitations/funnel",
                        f"/coordination/initiatives/{sports}/history", "/transfers/",
                        f"/professionals/initiatives/{sports}/check-ins"],
        "admin": ["/admin/users", f"/admin/users/{ids['candidate']}", "/admin/users/new",
                  "/admin/neighbourhoods"],
    }


@pytest.fixture(scope="module")
def kept_browsers(browser, world) -> Iterator[dict]:
    """One browser per person, logged in once and kept for every language and screen (logging in takes time)."""
    pages: dict = {}
    yield pages
    for page in pages.values():
        page.context.close()


def _browser_of(kept: dict, browser, world: World, who: Staff | str | None, locale: str,
                viewport: dict = DESKTOP) -> Page:
    """The browser of `who` (None: a visitor) in `locale` on a `viewport` screen, logged in the first time."""
    page = kept.get(who)
    if page is None:
        page = _visitor(browser, world, locale, viewport) if who is None else _logged_in(
            browser, world, who, locale, viewport)
        kept[who] = page
    else:
        page.set_viewport_size(viewport)
        _choose_language(page, locale)
    return page


@pytest.mark.parametrize("locale", ["nl", "ar"])
def test_every_role_s_main_pages_pass_axe(browser, world, kept_browsers, locale):
    served, ids = world
    people = {"visitor": None, "resident": SIGNED_UP, "invited resident": ids["invited"],
              "professional": served.professional, "coordinator": COORDINATOR, "admin": ADMIN}
    scanned, problems = 0, {}
    for role, paths in _pages(ids).items():
        page = _browser_of(kept_browsers, browser, served, people[role], locale)
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, f"{role} {path}: {response and response.status}"
            expect(page.locator("html")).to_have_attribute("dir", "rtl" if locale == "ar" else "ltr")
            found = _violations(page)
            scanned += 1
            if found:
                problems[f"{role} {path}"] = found
    print(f"axe-core {AXE_VERSION}, WCAG 2.1 A/AA, {locale}: {scanned} pages scanned, "
          f"{sum(map(len, problems.values()))} violations")
    assert scanned == sum(map(len, _pages(ids).values()))
    assert not problems, problems


# Elements of the main column that reach outside the screen. Visually hidden text (clipped to 1 px) and what
# is inside a fold that is closed take no room and are left out.
OUTSIDE_JS = """width => [...document.querySelectorAll('main *')]
    .filter(e => e.getClientRects().length && !e.closest('.visually-hidden, details:not([open]) > :not(summary)'))
    .map(e => { const r = e.getBoundingClientRect();
                return [e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''),
                        Math.round(r.left), Math.round(r.right)]; })
    .filter(([, left, right]) => left < -1 || right > width + 1)"""


def _assert_mirrored_and_inside(page: Page, name: str) -> None:
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width == PHONE["width"], f"{page.url}: the page is {width} px wide"
    outside = page.evaluate(OUTSIDE_JS, PHONE["width"])
    assert not outside, f"{page.url}: outside the screen: {outside[:10]}"
    # Mirrored: the main heading's words start at the right edge of its box. A heading written in another
    # language (an initiative's Dutch title) carries that language's direction and starts at its own edge.
    edges = page.locator("main h1").evaluate("""h1 => { const range = document.createRange();
        range.selectNodeContents(h1); const words = range.getBoundingClientRect(), box = h1.getBoundingClientRect();
        return [getComputedStyle(h1).direction, box.right - words.right, words.left - box.left,
                h1.getAttribute("dir")]; }""")
    if edges[3] == "ltr":
        assert edges[0] == "ltr" and edges[2] < 2, f"{page.url}: the heading is not at its own start: {edges}"
    else:
        assert edges[0] == "rtl" and edges[1] < 2, f"{page.url}: the heading is not at the right: {edges}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"ar-375-{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")


def test_arabic_pages_are_right_to_left_and_fit_a_375_px_phone(browser, world, kept_browsers):
    served, ids = world
    visitor = _browser_of(kept_browsers, browser, served, None, "ar", PHONE)
    visitor.goto("/initiatives/")
    expect(visitor.locator("h1")).to_have_text(arabic("Initiatives in the neighbourhood"))
    _assert_mirrored_and_inside(visitor, "initiatives")
    visitor.goto(f"/initiatives/{ids['sports']}")
    _assert_mirrored_and_inside(visitor, "initiative")
    resident = _browser_of(kept_browsers, browser, served, SIGNED_UP, "ar", PHONE)
    resident.goto("/citizens/profile")
    expect(resident.locator("h1")).to_have_text(arabic("My profile"))
    _assert_mirrored_and_inside(resident, "profile")
    resident.goto("/citizens/initiatives")
    _assert_mirrored_and_inside(resident, "my-initiatives")
    resident.goto(f"/my/check-ins/{ids['check_in']}")  # five faces a row: they wrap, never stick out
    _assert_mirrored_and_inside(resident, "check-in")
    professional = _browser_of(kept_browsers, browser, served, served.professional, "ar", PHONE)
    professional.goto(f"/professionals/initiatives/{ids['sports']}")
    _assert_mirrored_and_inside(professional, "manage")


# Words of the check-in's answers that are split over two lines: a word (a run without spaces) whose text
# takes more than one line box. Each word is measured as a range of its own text.
BROKEN_WORDS_JS = """() => [...document.querySelectorAll('.scale-choice span, .big-choice span')].flatMap(label => {
    const text = label.firstChild, words = [], range = document.createRange();
    for (const match of text.textContent.matchAll(/\\S+/g)) {
        range.setStart(text, match.index); range.setEnd(text, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) words.push(match[0]);
    }
    return words; })"""


@pytest.mark.parametrize("locale", ["nl", "tr", "ar"])
def test_check_in_answers_never_break_inside_a_word_on_a_phone(browser, world, kept_browsers, locale):
    """At 375 px each answer is a row of its own ("Hel/em/aal niet" and "Bir/az" were the walkthrough's)."""
    served, ids = world
    for viewport in (PHONE, DESKTOP):
        resident = _browser_of(kept_browsers, browser, served, SIGNED_UP, locale, viewport)
        resident.goto(f"/my/check-ins/{ids['check_in']}")
        assert resident.locator(".scale-choice span").count() == 15
        assert resident.evaluate(BROKEN_WORDS_JS) == [], f"{locale} at {viewport['width']} px"
        assert resident.evaluate("() => document.documentElement.scrollWidth") == viewport["width"]


# --- An Arabic-speaking resident, with the keyboard only -------------------------------------------------------

def _tab_to(page: Page, selector: str, *, text: str | None = None, limit: int = 400) -> None:
    """Press Tab until the element matching `selector` (and saying `text`) has the focus: it is reachable."""
    for _ in range(limit):
        if page.evaluate("""([s, text]) => { const e = document.activeElement;
                return !!e && e.matches(s) && (text === null || e.textContent.trim() === text); }""",
                         [selector, text]):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{page.url}: {selector} never got the focus with Tab")


def _follow(page: Page) -> None:
    """Enter on the focused link or button, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _outbox_link(world: World, email: str, path_start: str) -> str:
    from tests.e2e.test_journey import _link_in_mail
    return _link_in_mail(world, email, path_start)


def test_an_arabic_resident_registers_fills_in_her_profile_and_signs_up_with_the_keyboard_only(browser, world):
    served, _ids = world
    email = "fatima.keyboard@example.org"
    page = _browser_page(browser, served, DESKTOP, browser_locale="ar-MA")  # her browser speaks Arabic
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    # Register: from the home page's menu, every field reached with Tab and filled by typing.
    _tab_to(page, "header nav a[href='/auth/register']")
    _follow(page)
    expect(page.locator("h1")).to_have_text(arabic("Sign up"))
    _tab_to(page, "#display_name")
    page.keyboard.type("فاطمة")
    _tab_to(page, "#email")
    page.keyboard.type(email)
    _tab_to(page, "#neighbourhood_id")
    page.keyboard.type(served.home_neighbourhood)  # a select jumps to what is typed
    expect(page.locator("#neighbourhood_id option:checked")).to_have_text(served.home_neighbourhood)
    expect(page.locator("#preferred_locale")).to_have_value("ar")  # the page's language is proposed
    _tab_to(page, "#accept_privacy")
    page.keyboard.press("Space")
    _tab_to(page, "main form button[type=submit]")
    _follow(page)
    expect(page.locator("h1")).to_have_text(arabic("Check your mail"))

    # The link in her mail (opened from her mail program), then a password.
    page.goto(_outbox_link(served, email, "/auth/register/finish/"))
    _tab_to(page, "#password")
    page.keyboard.type("Helping-out-in-my-street-7")
    _follow(page)
    expect(page.get_by_role("status")).to_contain_text(arabic("Welcome! Your account is ready."))

    # Her profile: interests, languages, times and how much, by Tab, Space and typing.
    page.goto("/citizens/profile")
    expect(page.locator("h1")).to_have_text(arabic("My profile"))
    _tab_to(page, "input[name=interests][value=sports]")
    page.keyboard.press("Space")
    _tab_to(page, "select[name='language-ar']")
    page.keyboard.press("ArrowDown")  # the first level after "none": mother tongue
    _tab_to(page, "#availability-tue-morning")
    page.keyboard.press("Space")
    _tab_to(page, "#max_hours_per_week")
    page.keyboard.type("3")
    _tab_to(page, "#max_initiatives")
    page.keyboard.type("1")
    _tab_to(page, "main form button[type=submit]")
    _follow(page)
    expect(page.get_by_role("status")).to_have_text(arabic("Your profile is saved."))
    page.goto("/citizens/profile")
    expect(page.locator("input[name=interests][value=sports]")).to_be_checked()
    expect(page.locator("#availability-tue-morning")).to_be_checked()
    expect(page.locator("select[name='language-ar']")).not_to_have_value("")

    # She finds the women's sports with the search words and signs up.
    _tab_to(page, "header nav a[href='/initiatives/']")
    _follow(page)
    _tab_to(page, "#q")
    page.keyboard.type("sports")
    _follow(page)
    _tab_to(page, "main a", text=served.initiative_title)
    _follow(page)
    expect(page.locator("h1")).to_have_text(served.initiative_title)
    _tab_to(page, "#message")
    page.keyboard.type("أستطيع المساعدة يوم الثلاثاء صباحًا.")
    _tab_to(page, "main form[action$='/apply'] button[type=submit]")
    _follow(page)
    expect(page.get_by_role("status")).to_contain_text(arabic(
        "Thank you! The contact person will answer you soon. You can write to each other on My initiatives."))
    page.context.close()
