"""A resident on a 375 px phone finds My data in the menu, reads it without sideways scrolling,
downloads it, opens the page to print, and corrects her phone number with the keyboard only."""

from __future__ import annotations

import json

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip these tests with the reason, or fail them under REQUIRE_BROWSER=1
    expect = None

from tests.e2e.conftest import World, main_menu
from tests.e2e.test_journey import _register, _unique_email

PHONE = {"width": 375, "height": 740}


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_a_resident_sees_downloads_and_corrects_her_data_on_a_phone(new_context, live_server: World, tmp_path):
    page = new_context(viewport=PHONE, accept_downloads=True).new_page()
    email = _unique_email("noor")
    _register(page, live_server, name="Noor Haddad", email=email, neighbourhood=live_server.home_neighbourhood)

    main_menu(page).get_by_role("link", name="My data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My data")
    for section in ("Your account", "Your profile", "What you agreed to", "Initiatives and what happened",
                    "Invitations", "Messages", "API tokens", "Where you are logged in", "Who looked at your data",
                    "Erase my account"):
        expect(page.get_by_role("heading", name=section, exact=True)).to_be_visible()
    expect(page.get_by_text("No staff member has looked at your data yet.")).to_be_visible()
    assert _fits_the_screen(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data (JSON)").click()
    saved = tmp_path / "my-data.json"
    download_info.value.save_as(saved)
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["account"]["email"] == email
    assert document["profile"]["neighbourhood"]["name"] == live_server.home_neighbourhood

    page.get_by_role("link", name="Page to print").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My data: Noor Haddad")
    expect(page.get_by_role("navigation", name="Main menu")).to_have_count(0)
    assert _fits_the_screen(page)
    page.get_by_role("link", name="Back to My data").click()

    # The keyboard alone: to the details page, the phone field, and the save button.
    page.get_by_role("link", name="Change your name, e-mail address, phone number or language").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account details")
    assert _fits_the_screen(page)
    page.get_by_role("textbox", name="Phone number").focus()
    page.keyboard.type("06 12")
    page.keyboard.press("Enter")  # sends the form the field is in
    expect(page.get_by_text("Use only digits, spaces and + - ( ). For example: 06 12345678").first).to_be_visible()
    expect(page.get_by_role("textbox", name="Phone number")).to_have_value("06 12")  # her input is kept
    page.get_by_role("textbox", name="Phone number").fill("06 12345678")
    page.get_by_role("textbox", name="Phone number").press("Enter")
    expect(page.get_by_role("status")).to_have_text("Your details are saved.")
    page.goto("/account/my-data")
    expect(page.get_by_text("06 12345678")).to_be_visible()
