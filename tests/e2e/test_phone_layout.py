"""On a 375 px phone the staff pages fit the screen: no sideways scrolling, every action in view.

The world is made to break a careless layout: residents with very long names,
a title and a sign-up message with one long unbroken word, a web address in a
description, and enough rows that every table has something in it. The pages:
the candidates of an initiative, its participants (the manage page), the
placement plan, the invitation figures, the administrator's accounts and the
coordinator's dashboard. On a desktop the menu shows without its button; on
the phone it folds. On a desktop, table cells and buttons never break a
normal word ("Find volunte/ers").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the fixtures skip these tests with the reason, or fail them under REQUIRE_BROWSER=1
    Page = expect = None

from tests.e2e.conftest import ACTION_TIMEOUT_MS, Staff, World, serve_world

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
COORDINATOR = Staff("Coördinator Wilhelmina", "coordinator.phone@gemeente.example", "Seeing-the-whole-city-at-once")
ADMIN = Staff("Beheerder Bram", "admin.phone@gemeente.example", "Keeping-the-accounts-in-order")
LONG_WORD = "Buurthuisvrijwilligerscoördinatieoverlegbijeenkomstenplanningsformulier"
TITLE = f"Sportief Samen {LONG_WORD}"
LONG_NAMES = [
    "Anna-Maria Wilhelmina Kowalczyk-van den Bergh-Oosterhout",
    "Mohammed Abderrahmane El Boujjoufi-Vanderstraeten",
    "Gülşen Nurhayat Karaahmetoğlu-Schimmelpenninck",
    "Fatima-Zahra Benali-Oudshoorn van Vollenhoven",
    "Johannes Cornelis Hendrikus van der Heijden-Bakker",
    "Priyanka Lakshmi Ramaswamy-Chandrasekaran",
    "Yusuf Emre Çelikkanat-Wijnbergen",
]
# Sets of pages to check: path, and something the page must show (so an empty table passes nothing).
ACTION_SELECTOR = "main :is(button, input[type=submit], a.button, summary)"
# Residents of the seeded world who log in: one who signed up, one who is a candidate.
RESIDENT_PASSWORD = "Residents-of-the-Transvaal-log-in"
SIGNED_UP = Staff(LONG_NAMES[0], "resident0@example.org", RESIDENT_PASSWORD)
CANDIDATE = Staff(LONG_NAMES[4], "resident4@example.org", RESIDENT_PASSWORD)
BRAND = "rgb(11, 92, 122)"  # --brand in site.css
WHITE = "rgb(255, 255, 255)"


def _seed(world: World) -> dict:
    """Residents, placements, invitations and a plan, written straight to the live server's database."""
    from coprod_match import create_app
    from coprod_match.extensions import db
    from coprod_match.matching import plan_runs
    from coprod_match.models import (
        CitizenProfile,
        JobRun,
        Neighbourhood,
        PlacementState,
        Role,
        User,
        utcnow,
    )
    from coprod_match.passwords import hash_password
    from coprod_match.services import accounts, conversations
    from coprod_match.transaction import unit_of_work
    from coprod_match.vocabulary import JobOutcome
    from tests import factories
    from tests.check_ins import volunteer_check_in
    from tests.factories import TUESDAY_MORNING

    app = create_app({"TESTING": True, "APP_ENV": "testing", "SECRET_KEY": "e2e-testing-only-secret-key",
                      "SQLALCHEMY_DATABASE_URI": world.database_url, "MAIL_BACKEND": "log"})
    with app.app_context():
        session = db.session
        place = session.query(Neighbourhood).filter_by(name="Transvaal").one()
        coordinator = accounts.create_staff_user(
            session, email=COORDINATOR.email, password=COORDINATOR.password, role=Role.COORDINATOR,
            display_name=COORDINATOR.name, work_areas=[place], preferred_locale="en", actor=None)
        coordinator.is_municipal = True
        accounts.create_staff_user(
            session, email=ADMIN.email, password=ADMIN.password, role=Role.ADMIN,
            display_name=ADMIN.name, preferred_locale="en", actor=None)
        professional = session.query(User).filter_by(email=world.professional.email).one()
        sports = factories.initiative(
            session, title=TITLE, neighbourhood="Transvaal", contact=professional, languages=["tr"],
            schedule_slots=TUESDAY_MORNING, volunteers_ideal=12, hours_per_week=2,
            description="Sports for women. Read more on https://www.denhaag.nl/nl/welzijn-en-zorg/"
                        "vrijwilligerswerk/sportief-samen-transvaal-informatie-voor-vrijwilligers.html")
        password_hash = hash_password(RESIDENT_PASSWORD)
        people = []
        for number, name in enumerate(LONG_NAMES):
            person = User(email=f"resident{number}@example.org", password_hash=password_hash, role=Role.CITIZEN,
                          display_name=name, preferred_locale="en",
                          citizen_profile=CitizenProfile(neighbourhood=place))
            session.add(person)
            session.flush()
            people.append(factories.profile(person, availability_slots=TUESDAY_MORNING, native_languages=["tr"],
                                            consents=True))
        # Three take part in some way; the other four are candidates and in the plan.
        signed_up = factories.placement(session, people[0], sports, PlacementState.APPLIED,
                                        citizen_message=f"I would like to help with the {LONG_WORD}.")
        helping = factories.placement(session, people[1], sports, PlacementState.ACTIVE,
                                      since=utcnow() - dt.timedelta(days=40))
        # Last month's check-in answered: the check-ins page has a month and (for coordinators) an answer.
        volunteer_check_in(session, helping, (utcnow() - dt.timedelta(days=31)).date().replace(day=1),
                           comment=f"Good afternoons, but the {LONG_WORD} is heavy.")
        invited = factories.placement(session, people[2], sports, PlacementState.INVITED)
        factories.invitation(session, invited, sender=professional)
        session.flush()
        # A message in the professional's inbox, and a run of the automatic checks on the dashboard.
        conversations.post_message(session, signed_up.id, "Is Tuesday morning still free?", actor=people[0])
        session.add(JobRun(job_name="continuity_scan", holder="e2e", outcome=JobOutcome.SUCCEEDED,
                           finished_at=utcnow(), counts={"opened": 2, "kept": 1, "resolved": 0}))
        session.commit()
        plan_runs.ask_for_plan(session, district=None, actor=coordinator)
        session.commit()
        with unit_of_work(session):
            plan_runs.make_next_plan(session, now=utcnow())
        ids = {"sports": sports.id}
        db.engine.dispose()
    return ids


@pytest.fixture(scope="module")
def phone_world(_require_browser, tmp_path_factory) -> Iterator[tuple[World, dict]]:
    with serve_world(tmp_path_factory, "e2e-phone", TWO_FACTOR_REQUIRED=False,
                     PRIVACY_ACCEPTANCE_REQUIRED=False) as (world, recorder):
        ids = _seed(world)
        yield world, ids
        assert not recorder.errors, f"the server answered with errors: {recorder.errors}"


def _logged_in(browser, world: World, staff: Staff, viewport: dict) -> Page:
    context = browser.new_context(locale="en-GB", base_url=world.url, viewport=viewport)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    page.goto("/auth/login")
    page.get_by_label("E-mail address").fill(staff.email)
    page.get_by_label("Password").fill(staff.password)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def _assert_fits_the_phone(page: Page, must_show: str, *, has_actions: bool = True) -> None:
    expect(page.locator("main")).to_contain_text(must_show)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] == widths[1] == PHONE["width"], f"{page.url}: the page is {widths[0]} px wide"
    boxes = page.locator(ACTION_SELECTOR).evaluate_all(
        """elements => elements.filter(e => e.getClientRects().length)
                               .map(e => { const r = e.getBoundingClientRect();
                                           return [e.textContent.trim().slice(0, 40), r.left, r.right]; })""")
    assert bool(boxes) == has_actions, f"{page.url}: actions found: {boxes}"
    outside = [box for box in boxes if box[1] < 0 or box[2] > PHONE["width"]]
    assert not outside, f"{page.url}: actions outside the screen: {outside}"


# Every tick box and round button whose target (the box, or its label: touching the words ticks it too)
# is less than 44 px high.
SMALL_BOXES_JS = """() => [...document.querySelectorAll('main :is(input[type=checkbox], input[type=radio])')]
    .filter(box => box.getClientRects().length)
    .map(box => [box.id, Math.max(box.getBoundingClientRect().height,
                                  ...[...box.labels].map(label => label.getBoundingClientRect().height))])"""
# Words (between spaces and hyphens) that the layout broke over two lines; very long words and web
# addresses may break, they could not fit otherwise.
BROKEN_WORDS_JS = """elements => {
    const broken = [];
    for (const element of elements) {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const word of node.data.matchAll(/[^\\s\\-]+/g)) {
                if (word[0].length > 30) continue;
                const range = document.createRange();
                range.setStart(node, word.index);
                range.setEnd(node, word.index + word[0].length);
                const tops = new Set([...range.getClientRects()].filter(r => r.width).map(r => Math.round(r.top)));
                if (tops.size > 1) broken.push(word[0]);
            }
        }
    }
    return broken;
}"""


def _boxes_too_small(page: Page) -> list:
    targets = page.evaluate(SMALL_BOXES_JS)
    assert targets, f"{page.url}: no tick boxes to check"
    return [target for target in targets if target[1] < 44]


def _style(locator, property_name: str, pseudo: str | None = None) -> str:
    return locator.evaluate("(e, [name, pseudo]) => getComputedStyle(e, pseudo).getPropertyValue(name)",
                            [property_name, pseudo])


def test_staff_pages_fit_a_375_px_phone_with_every_action_in_view(browser, phone_world, tmp_path):
    world, ids = phone_world
    professional = _logged_in(browser, world, world.professional, PHONE)
    coordinator = _logged_in(browser, world, COORDINATOR, PHONE)
    admin = _logged_in(browser, world, ADMIN, PHONE)
    pages = [
        (professional, f"/matching/initiatives/{ids['sports']}/candidates", LONG_NAMES[4]),
        (professional, f"/professionals/initiatives/{ids['sports']}", LONG_WORD),
        (coordinator, "/matching/plan", LONG_NAMES[5]),
        (coordinator, "/invitations/funnel", "Still active after 3 months"),
        (professional, "/invitations/funnel", "Still active after 3 months", False),
        (admin, "/admin/users", LONG_NAMES[0]),
        # Its table of automatic checks has a caption only a screen reader reads: it must not widen the page.
        (coordinator, "/coordination/", "The latest automatic checks and e-mails"),
    ]
    for page, path, must_show, *has_actions in pages:
        page.goto(path)
        _assert_fits_the_phone(page, must_show, has_actions=all(has_actions))
        # The actions are there to be used: open every invitation on the candidates page too.
        for summary in page.locator("main td summary").all():
            summary.click()
        _assert_fits_the_phone(page, must_show, has_actions=all(has_actions))
        page.screenshot(path=str(tmp_path / (path.strip("/").replace("/", "-") + ".png")), full_page=True)


def test_the_menu_folds_behind_one_button_on_a_phone_and_shows_on_a_desktop(browser, phone_world):
    world, _ids = phone_world
    phone = _logged_in(browser, world, world.professional, PHONE)
    menu = phone.get_by_role("navigation", name="Main menu")
    expect(menu).to_be_hidden()
    header = phone.locator("header").bounding_box()
    assert header["height"] < 0.15 * PHONE["height"], header
    menu_button = phone.locator("header summary", has_text="Menu")
    closed = menu_button.bounding_box()
    menu_button.click()
    expect(menu.get_by_role("link", name="My initiatives")).to_be_visible()
    # Opening the menu leaves its button where it was (beside the name), to close it again with one touch.
    opened = menu_button.bounding_box()  # its icon changes (to a cross), its right edge and its line stay
    assert abs(opened["x"] + opened["width"] - closed["x"] - closed["width"]) < 1, (closed, opened)
    assert abs(opened["y"] - closed["y"]) < 1, (closed, opened)
    assert opened["y"] < menu.bounding_box()["y"], "the menu opens under its button"
    menu.get_by_role("link", name="My initiatives").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("My initiatives")

    desktop = _logged_in(browser, world, world.professional, DESKTOP)
    expect(desktop.locator("header summary")).to_be_hidden()
    expect(desktop.get_by_role("navigation", name="Main menu").get_by_role("link", name="Invitations")).to_be_visible()
    # On a short page the footer stays at the bottom of the screen, not halfway up.
    visitor = browser.new_context(locale="en-GB", base_url=world.url, viewport=DESKTOP).new_page()
    visitor.goto("/auth/password/forgot")
    bottom = visitor.locator("footer").evaluate("f => f.getBoundingClientRect().bottom")
    assert abs(bottom - DESKTOP["height"]) < 1, bottom


def test_search_filters_fold_and_say_how_many_are_on(browser, phone_world):
    world, _ids = phone_world
    context = browser.new_context(locale="en-GB", base_url=world.url, viewport=PHONE)
    page = context.new_page()
    page.goto("/initiatives/?interest=sports&language=tr")
    search = page.get_by_role("search", name="Search initiatives")
    expect(search.locator("summary")).to_have_text("Filters (2 on)")
    expect(search.get_by_role("group", name="Theme")).to_be_hidden()
    # It looks like a button that opens something: a border, 44 px, an arrow pointing right (down when open).
    fold = search.locator("summary")
    assert fold.bounding_box()["height"] >= 44
    assert _style(fold, "border-top-style") == "solid" and _style(fold, "border-top-color") == BRAND
    assert "\u25b8" in _style(fold, "content", "::before")
    expect(search.get_by_label("Search words")).to_be_visible()
    # The first result is on the first screen, not below nine filters.
    first = page.locator(".initiative-list > li").first.bounding_box()
    assert first["y"] < PHONE["height"], first
    search.locator("summary").click()
    expect(search.get_by_role("group", name="Theme")).to_be_visible()
    assert "\u25be" in _style(fold, "content", "::before")
    for control in ("Day", "Search words"):
        assert search.get_by_label(control, exact=True).bounding_box()["height"] >= 44
    # Themes are choices with pictograms now: each choice's label is the 44 px touch target.
    assert search.locator("label[for=interest-sports]").bounding_box()["height"] >= 44
    # A search that found nothing opens the filters, to change them.
    page.goto("/initiatives/?interest=sports&language=tr&day=sun&part=evening")
    expect(search.locator("summary")).to_have_text("Filters (4 on)")
    expect(search.get_by_role("group", name="Theme")).to_be_visible()
    context.close()
    # The coordinator's alert filters fold the same way.
    coordinator = _logged_in(browser, world, COORDINATOR, PHONE)
    coordinator.goto("/coordination/?scope=all&assignee=nobody")
    alert_filters = coordinator.get_by_role("form", name="Filter the alerts")
    expect(alert_filters.locator("summary")).to_have_text("Filters (1 on)")
    expect(alert_filters.get_by_label("How urgent")).to_be_hidden()


def test_a_refused_form_puts_the_focus_on_its_error_summary_and_marks_the_field(browser, phone_world):
    world, _ids = phone_world
    context = browser.new_context(locale="en-GB", base_url=world.url, viewport=PHONE)
    page = context.new_page()
    page.goto("/auth/register")
    page.get_by_label("E-mail address").fill("not an address")
    page.get_by_role("button", name="Send me the link").click()
    expect(page.locator(".error-summary")).to_be_focused()
    for label in ("Your name", "E-mail address"):  # a text and an e-mail field, both in error
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        colour = field.evaluate("e => getComputedStyle(e).borderTopColor")
        assert colour == "rgb(176, 0, 32)", (label, colour)  # --error, not the grey of a field without errors
    context.close()


def test_boxes_and_fields_are_big_enough_to_touch(browser, phone_world):
    world, ids = phone_world
    page = _logged_in(browser, world, world.professional, PHONE)
    page.goto("/professionals/initiatives/new")
    rows = page.locator(".checkbox-columns li").evaluate_all(
        "items => items.map(li => [li.textContent.trim(), li.getBoundingClientRect().height])")
    assert rows and min(height for _text, height in rows) >= 44, rows
    # A radio button's target is its whole row, like a checkbox's ("Who can join?").
    choices = page.locator("main .field .checkbox").evaluate_all(
        "rows => rows.map(row => [row.textContent.trim(), row.getBoundingClientRect().height])")
    assert choices and min(height for _text, height in choices) >= 44, choices
    fields = page.locator("main :is(input:not([type=checkbox], [type=radio], [type=hidden]), select, textarea)").evaluate_all(
        "fields => fields.map(f => [f.name, f.getBoundingClientRect().height])")
    assert fields and min(height for _name, height in fields) >= 44, fields
    # The label is part of the target: touching the words ticks the box.
    sports = page.get_by_role("checkbox", name="Sports and exercise")
    page.locator(".checkbox-columns label", has_text="Sports and exercise").click()
    expect(sports).to_be_checked()
    # Every box on the page, the week's times included: touching anywhere in its cell ticks it.
    assert not _boxes_too_small(page)
    tuesday_evening = page.get_by_role("checkbox", name="Tuesday Evening")
    tuesday_evening.scroll_into_view_if_needed()
    cell = page.locator("td", has=tuesday_evening).bounding_box()
    page.mouse.click(cell["x"] + 3, cell["y"] + 3)
    expect(tuesday_evening).to_be_checked()
    # "Asked in person" when inviting by e-mail.
    page.goto(f"/invitations/by-email/{ids['sports']}")
    assert not _boxes_too_small(page)


def test_the_boxes_of_residents_and_coordinators_are_big_enough_to_touch(browser, phone_world):
    world, _ids = phone_world
    resident = _logged_in(browser, world, CANDIDATE, PHONE)
    resident.goto("/citizens/profile")  # interests, the week, gender, practising Dutch, being invited
    assert not _boxes_too_small(resident)
    resident.goto("/initiatives/")
    search = resident.get_by_role("search", name="Search initiatives")
    search.locator("summary").click()
    assert not _boxes_too_small(resident)
    # "Only initiatives I can join" sits beside its box, not under it.
    only_mine = search.get_by_label("Only initiatives I can join").bounding_box()
    words = search.locator("label", has_text="Only initiatives I can join").bounding_box()
    assert words["x"] > only_mine["x"] + only_mine["width"], (only_mine, words)
    assert abs((words["y"] + words["height"] / 2) - (only_mine["y"] + only_mine["height"] / 2)) < 2

    coordinator = _logged_in(browser, world, COORDINATOR, PHONE)
    coordinator.goto("/matching/plan")  # a box a row: "Invite"
    expect(coordinator.locator("main")).to_contain_text(LONG_NAMES[5])
    assert not _boxes_too_small(coordinator)
    coordinator.goto("/coordination/")  # "Show the numbers as a table", under each chart
    folds = coordinator.locator("main summary").evaluate_all(
        "folds => folds.filter(f => f.getClientRects().length)"
        "              .map(f => [f.textContent.trim(), f.getBoundingClientRect().height])")
    assert any(text == "Show the numbers as a table" for text, _height in folds), folds
    assert min(height for _text, height in folds) >= 44, folds


def test_buttons_that_look_like_links_can_be_seen_and_touched(browser, phone_world):
    # They were white on white: the header's white applied to every link-button.
    world, ids = phone_world
    phone = _logged_in(browser, world, world.professional, PHONE)
    phone.goto("/inbox/")
    buttons = [phone.get_by_role("button", name="Mark all as read"), phone.get_by_role("button", name="Open").first]
    for button in buttons:
        assert _style(button, "color") == BRAND and "underline" in _style(button, "text-decoration-line")
        assert button.bounding_box()["height"] >= 44
    phone.goto(f"/invitations/initiatives/{ids['sports']}")
    take_back = phone.get_by_role("button", name="Take back")
    assert _style(take_back, "color") == BRAND and take_back.bounding_box()["height"] >= 44
    # In the header's menu the same kind of button stays white on the brand colour.
    desktop = _logged_in(browser, world, world.professional, DESKTOP)
    assert _style(desktop.locator("header").get_by_role("button", name="Log out"), "color") == WHITE


def test_on_a_desktop_table_cells_and_buttons_keep_their_words_whole(browser, phone_world):
    world, ids = phone_world
    professional = _logged_in(browser, world, world.professional, DESKTOP)
    coordinator = _logged_in(browser, world, COORDINATOR, DESKTOP)
    pages = [
        (professional, "/professionals/", "Find volunteers"),
        (professional, f"/matching/initiatives/{ids['sports']}/candidates", LONG_NAMES[4]),
        (professional, f"/professionals/initiatives/{ids['sports']}", LONG_WORD),
        (coordinator, "/matching/plan", LONG_NAMES[5]),
        (coordinator, "/invitations/funnel", "Still active after 3 months"),
        (coordinator, "/coordination/", "Automatic checks"),
    ]
    for page, path, must_show in pages:
        page.goto(path)
        expect(page.locator("main")).to_contain_text(must_show)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width == DESKTOP["width"], f"{path}: the page is {width} px wide"
        broken = page.locator("main :is(td, th, button, .button)").evaluate_all(BROKEN_WORDS_JS)
        assert not broken, f"{path}: words broken over two lines: {broken}"
    # The workspace's main action reads on one line.
    professional.goto("/professionals/")
    for button in professional.locator("main").get_by_role("link", name="Find volunteers").all():
        lines = button.evaluate("e => { const text = document.createRange(); text.selectNodeContents(e);"
                                " return new Set([...text.getClientRects()].map(r => Math.round(r.top))).size; }")
        assert lines == 1, f"'Find volunteers' takes {lines} lines"


_CHOOSE_LANGUAGE = """locale => {
    document.querySelector('#language-choice').value = locale;
    document.querySelector('form.language-form').submit();
}"""


def test_chart_legends_stay_inside_their_chart_on_a_phone_in_turkish(browser, phone_world):
    # The Turkish "at risk" key ran off a 375 px screen: SVG text does not wrap by itself.
    world, _ids = phone_world
    coordinator = _logged_in(browser, world, COORDINATOR, PHONE)
    coordinator.goto("/coordination/")
    try:
        with coordinator.expect_navigation():
            coordinator.evaluate(_CHOOSE_LANGUAGE, "tr")
        expect(coordinator.locator("html")).to_have_attribute("lang", "tr")
        overflows = coordinator.locator("svg.chart").evaluate_all("""charts => charts.flatMap(chart => {
            const box = chart.getBoundingClientRect();
            return [...chart.querySelectorAll('text.chart-legend')]
                .map(text => [text.textContent, text.getBoundingClientRect()])
                .filter(([, r]) => r.left < box.left - 1 || r.right > box.right + 1)
                .map(([words, r]) => [words, r.left, r.right, box.left, box.right]);
        })""")
        assert coordinator.locator("svg.chart text.chart-legend").count() > 0
        assert overflows == []
    finally:
        with coordinator.expect_navigation():
            coordinator.evaluate(_CHOOSE_LANGUAGE, "en")
