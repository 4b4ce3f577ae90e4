"""On a 375 px phone the staff pages fit the screen: no sideways scrolling, every action in view.

The world is made to break a careless layout: residents with very long names,
a title and a sign-up message with one long unbroken word, a web address in a
description, and enough rows that every table has something in it. The pages:
the candidates of an initiative, its participants (the manage page), the
placement plan, the invitation figures and the administrator's accounts.
On a desktop the menu shows without its button; on the phone it folds.
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


def _seed(world: World) -> dict:
    """Residents, placements, invitations and a plan, written straight to the live server's database."""
    from coprod_match import create_app
    from coprod_match.extensions import db
    from coprod_match.matching import plan_runs
    from coprod_match.models import (
        CitizenProfile,
        Neighbourhood,
        PlacementState,
        Role,
        User,
        utcnow,
    )
    from coprod_match.passwords import hash_password
    from coprod_match.services import accounts
    from coprod_match.transaction import unit_of_work
    from tests import factories
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
        password_hash = hash_password("Residents-never-log-in-here")
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
        factories.placement(session, people[0], sports, PlacementState.APPLIED,
                            citizen_message=f"I would like to help with the {LONG_WORD}.")
        factories.placement(session, people[1], sports, PlacementState.ACTIVE,
                            since=utcnow() - dt.timedelta(days=40))
        invited = factories.placement(session, people[2], sports, PlacementState.INVITED)
        factories.invitation(session, invited, sender=professional)
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
    phone.locator("header summary", has_text="Menu").click()
    expect(menu.get_by_role("link", name="My initiatives")).to_be_visible()
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
    expect(search.get_by_label("Theme")).to_be_hidden()
    expect(search.get_by_label("Search words")).to_be_visible()
    # The first result is on the first screen, not below nine filters.
    first = page.locator(".initiative-list > li").first.bounding_box()
    assert first["y"] < PHONE["height"], first
    search.locator("summary").click()
    expect(search.get_by_label("Theme")).to_be_visible()
    for control in ("Theme", "Day", "Search words"):
        assert search.get_by_label(control, exact=True).bounding_box()["height"] >= 44
    # A search that found nothing opens the filters, to change them.
    page.goto("/initiatives/?interest=sports&language=tr&day=sun&part=evening")
    expect(search.locator("summary")).to_have_text("Filters (4 on)")
    expect(search.get_by_label("Theme")).to_be_visible()
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
    world, _ids = phone_world
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
