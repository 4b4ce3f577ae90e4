"""The citizen's and the professional's journeys, in a real browser, through the pages only.

Locators go by label and role, as a screen reader would: a field without a
label, or a button without a name, makes these tests fail.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from email import message_from_bytes
from email import policy as mail_policy

import sqlalchemy as sa

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the fixtures skip these tests with the reason, or fail them under REQUIRE_BROWSER=1
    Page = expect = None

from tests.e2e.conftest import Staff, World, main_menu

CITIZEN_PASSWORD = "Helping-out-in-my-street-7"


def _unique_email(prefix: str) -> str:
    return f"{prefix}.{uuid.uuid4().hex[:8]}@example.org"


def _link_in_mail(world: World, email: str, path_start: str) -> str:
    """The link in the newest mail to `email`, read from the outbox (nothing is sent in these tests)."""
    engine = sa.create_engine(world.database_url)
    try:
        with engine.connect() as connection:
            raw = connection.scalar(sa.text(
                "SELECT message FROM outbox_mails WHERE recipient = :to ORDER BY id DESC LIMIT 1"), {"to": email})
    finally:
        engine.dispose()
    assert raw is not None, f"no mail to {email}"
    message = message_from_bytes(raw, policy=mail_policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_start) + r"\S+)", text)
    assert match, text
    return match.group(1)


def _register(page: Page, world: World, *, name: str, email: str, neighbourhood: str) -> None:
    page.goto("/")
    main_menu(page).get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Your neighbourhood").select_option(label=neighbourhood)
    expect(page.get_by_label("Language for this website")).to_have_value("en")
    page.get_by_label("I have read the privacy statement and I accept it.").check()
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your mail")
    # She opens the link in her mail and chooses a password.
    page.goto(_link_in_mail(world, email, "/auth/register/finish/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Finish your account")
    page.get_by_label("Choose a password").fill(CITIZEN_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome! Your account is ready.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello {name}")


def _log_in(page: Page, staff: Staff) -> None:
    page.goto("/auth/login")
    page.get_by_label("E-mail address").fill(staff.email)
    page.get_by_label("Password").fill(staff.password)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My initiatives")


def _open_manage_page(page: Page, title: str) -> None:
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_citizen_signs_up_professional_accepts_and_hands_over(new_context, live_server: World):
    world = live_server
    title = world.initiative_title
    citizen_name = "Ayşe Yilmaz"
    message = "I can help on Tuesday mornings and I speak Turkish."

    # A resident registers: name, e-mail, password, neighbourhood.
    citizen = new_context().new_page()
    _register(citizen, world, name=citizen_name, email=_unique_email("ayse"), neighbourhood=world.home_neighbourhood)
    expect(citizen.get_by_role("progressbar", name="1 of 6 parts filled in")).to_be_visible()

    # She completes her profile at her own pace.
    citizen.get_by_role("link", name="Fill in my profile").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("My profile")
    expect(citizen.get_by_label("Your neighbourhood")).to_have_value(re.compile(r"\d+"))
    citizen.get_by_role("checkbox", name="Sports and exercise").check()
    citizen.get_by_role("checkbox", name="Cooking and shared meals").check()
    citizen.get_by_label("Turkish (Türkçe)").select_option(label="Mother tongue")
    citizen.get_by_label("Dutch (Nederlands)", exact=True).select_option(label="Well enough for a conversation")
    citizen.get_by_label("I want to practise my Dutch").check()
    for slot in ("Tuesday Morning", "Tuesday Afternoon", "Saturday Morning"):
        citizen.get_by_role("checkbox", name=slot, exact=True).check()
    citizen.get_by_label("How many hours a week can you help at most?").select_option("4")
    citizen.get_by_label("In how many initiatives do you want to help at the same time?").select_option("2")
    citizen.get_by_label("Professionals may invite me personally").check()
    citizen.get_by_role("button", name="Save my profile").click()
    expect(citizen.get_by_role("status")).to_have_text("Your profile is saved.")
    expect(citizen.get_by_role("progressbar", name="6 of 6 parts filled in")).to_be_visible()
    expect(citizen.get_by_text("Your profile is complete. Thank you!")).to_be_visible()
    citizen.get_by_role("link", name="Change my profile").click()  # what she saved is what she sees
    expect(citizen.get_by_role("checkbox", name="Tuesday Morning", exact=True)).to_be_checked()
    expect(citizen.get_by_role("checkbox", name="Monday Morning", exact=True)).not_to_be_checked()
    expect(citizen.get_by_label("How many hours a week can you help at most?")).to_have_value("4")

    # She looks for initiatives near home: none in her own neighbourhood, one within 1 km.
    citizen.get_by_role("navigation", name="Main menu").get_by_role("link", name="Initiatives").click()
    search = citizen.get_by_role("search", name="Search initiatives")
    search.get_by_label("Near").select_option(label=world.home_neighbourhood)
    search.get_by_label("Distance").select_option(label="Only this neighbourhood")
    search.get_by_role("button", name="Search", exact=True).click()
    expect(citizen.get_by_text("No initiatives match your search.")).to_be_visible()
    search.get_by_label("Distance").select_option(label="Up to 1 km")
    search.get_by_role("button", name="Search", exact=True).click()
    expect(citizen).to_have_url(re.compile(r"[?&]radius=1(&|$)"))
    expect(citizen.get_by_text("1 initiative found.")).to_be_visible()
    card = citizen.get_by_role("listitem").filter(has=citizen.get_by_role("heading", name=title))
    expect(card).to_contain_text(f"{world.initiative_neighbourhood}, Centrum")
    expect(card).to_contain_text(re.compile(r"about 0\.\d km away"))
    expect(card).to_contain_text("Needs 3 more volunteers")
    expect(citizen.get_by_role("link", name=world.far_initiative_title)).to_have_count(0)

    # She opens it and signs up with a message.
    card.get_by_role("link", name=title).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(title)
    expect(citizen.get_by_text("Fatima El Amrani (Wijkteam Centrum)")).to_be_visible()
    citizen.get_by_label("A short message for the contact person").fill(message)
    citizen.get_by_role("button", name="I'd like to help").click()
    expect(citizen.get_by_role("status")).to_have_text("Thank you! The contact person will answer you soon. You can write to each other on My initiatives.")
    expect(citizen.get_by_text("Your status here: Signed up, waiting for an answer")).to_be_visible()
    expect(citizen.get_by_role("button", name="I'd like to help")).to_have_count(0)

    # The contact professional logs in, in a browser of her own, and sees the sign-up first.
    professional = new_context().new_page()
    _log_in(professional, world.professional)
    workspace_row = professional.get_by_role("row").filter(has_text=title)
    expect(workspace_row).to_contain_text("1 sign-up")
    _open_manage_page(professional, title)
    first_group = professional.get_by_role("heading", level=3).first
    expect(first_group).to_have_text("Signed up, waiting for an answer (1)")
    sign_up = professional.get_by_role("row").filter(has_text=citizen_name)
    expect(sign_up).to_contain_text(message)

    # She accepts it from today.
    # (Prefilled with a date; today is typed in, as the server's "today" may follow another clock.)
    expect(sign_up.get_by_label("Starts on")).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    sign_up.get_by_label("Starts on").fill(dt.date.today().isoformat())
    sign_up.get_by_role("button", name="Accept").click()
    expect(professional.get_by_role("status")).to_have_text(f"{citizen_name} is accepted.")
    expect(professional.get_by_role("heading", level=3).first).to_have_text("Taking part (1)")
    expect(professional.get_by_text("1 of 3 volunteers active")).to_be_visible()

    # The resident sees it active on My initiatives.
    citizen.get_by_role("navigation", name="Main menu").get_by_role("link", name="My page").click()
    citizen.get_by_role("link", name="See my initiatives").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("My initiatives")
    mine = citizen.get_by_role("listitem").filter(has=citizen.get_by_role("heading", name=title))
    expect(mine).to_contain_text("Taking part")
    expect(mine.get_by_role("button", name="Pause for a while")).to_be_visible()

    # The professional leaves her job and hands the initiative over to a colleague.
    hand_over = professional.locator("form").filter(
        has=professional.get_by_role("heading", name="Leaving? Hand over")
    )
    hand_over.get_by_label("Colleague").select_option(label="Joost Verbeek (Buurthuis Transvaal)")
    hand_over.get_by_role("button", name="Hand over").click()
    expect(professional.get_by_role("heading", level=1)).to_have_text(
        f"Hand over {title} to Joost Verbeek?"
    )
    professional.get_by_role("button", name="Yes, hand over").click()
    expect(professional.get_by_role("status")).to_have_text(
        f"You handed over {title} to Joost Verbeek. Thank you!"
    )
    expect(professional.get_by_role("link", name=title)).to_have_count(0)

    # The colleague finds it in his workspace; the history keeps both periods, the old one ended.
    colleague = new_context().new_page()
    _log_in(colleague, world.colleague)
    _open_manage_page(colleague, title)
    history = colleague.get_by_role("table").filter(
        has=colleague.get_by_role("columnheader", name="Until")
    )
    old = history.get_by_role("row").filter(has_text=world.professional.name)
    new = history.get_by_role("row").filter(has_text=world.colleague.name)
    expect(old.get_by_role("cell").nth(2)).to_have_text(re.compile(r"\d{4}"))  # a date: the period ended
    expect(new.get_by_role("cell").nth(2)).to_have_text("now")
    taking_part = colleague.locator("section").filter(has=colleague.get_by_role("heading", name="Taking part (1)"))
    expect(taking_part.get_by_role("row").filter(has_text=citizen_name)).to_be_visible()
    expect(colleague.get_by_text("1 of 3 volunteers active")).to_be_visible()


def test_logging_in_with_the_keyboard_only(page: Page, live_server: World):
    staff = live_server.colleague
    page.goto("/auth/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-mail address")).to_be_focused()
    page.keyboard.type(staff.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(staff.password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My initiatives")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _fits_the_screen(page: Page) -> None:
    # Measure the page as people see it: after a click the new page may not have its stylesheet yet.
    page.wait_for_load_state("load")
    # Against the screen's width: a mobile browser widens window.innerWidth to fit a page that overflows.
    overflow = page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px on a phone"


def test_signing_up_on_a_phone_sized_screen(new_context, live_server: World):
    page = new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True).new_page()
    _register(page, live_server, name="Noor", email=_unique_email("noor"), neighbourhood=live_server.home_neighbourhood)
    _fits_the_screen(page)

    # The week grid of the profile fits: its last box can be ticked without scrolling sideways.
    page.get_by_role("link", name="Fill in my profile").click()
    _fits_the_screen(page)
    sunday_evening = page.get_by_role("checkbox", name="Sunday Evening", exact=True)
    sunday_evening.scroll_into_view_if_needed()
    expect(sunday_evening).to_be_in_viewport(ratio=1)
    sunday_evening.tap()
    expect(sunday_evening).to_be_checked()

    main_menu(page).get_by_role("link", name="My page").click()
    page.get_by_role("link", name="Find an initiative near you").click()
    _fits_the_screen(page)
    page.get_by_role("link", name=live_server.initiative_title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(live_server.initiative_title)
    _fits_the_screen(page)
    button = page.get_by_role("button", name="I'd like to help")
    button.scroll_into_view_if_needed()
    expect(button).to_be_visible()
    expect(button).to_be_in_viewport(ratio=1)
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    expect(page.get_by_label("A short message for the contact person")).to_be_visible()
