"""Must show: a resident and the contact person talk through the site, and after acceptance she knows who to call.

A world of its own (the journey in test_journey.py hands the shared initiative
over): the resident signs up, both exchange two messages through the pages and
both see all of them; the professional accepts; "My initiatives" shows the
contact person's phone, the place and the times. The mail telling the
resident about the contact's answer goes through a real SMTP server.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the fixtures skip these tests with the reason, or fail them under REQUIRE_BROWSER=1
    Page = expect = None

from config import BaseConfig
from coprod_match.outbox import send_due_mail
from tests.e2e.conftest import ACTION_TIMEOUT_MS, ServerErrorRecorder, World, serve_world
from tests.e2e.test_journey import _log_in, _open_manage_page, _register, _unique_email
from tests.smtp_server import SMTPServer


@pytest.fixture(scope="module")
def mail_server() -> Iterator[SMTPServer]:
    server = SMTPServer().start()
    yield server
    server.stop()


def _mail_settings(mail_server: SMTPServer) -> dict:
    settings = {name: getattr(BaseConfig, name) for name in dir(BaseConfig) if name.startswith("MAIL_")}
    return settings | {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail_server.port}


@pytest.fixture(scope="module")
def talk_server(_require_browser, tmp_path_factory, mail_server) -> Iterator[tuple[World, ServerErrorRecorder]]:
    with serve_world(tmp_path_factory, "e2e-conversation", TWO_FACTOR_REQUIRED=False,
                     PRIVACY_ACCEPTANCE_REQUIRED=False, **_mail_settings(mail_server)) as served:
        yield served


def _deliver_mail(world: World, mail_server: SMTPServer) -> None:
    """Send what the outbox holds, as the scheduler's outbox job would."""
    engine = sa.create_engine(world.database_url)
    try:
        send_due_mail(engine, _mail_settings(mail_server))
    finally:
        engine.dispose()


@pytest.fixture
def open_browser(browser, talk_server):
    world, recorder = talk_server
    recorder.errors.clear()
    contexts = []

    def _new() -> Page:
        context = browser.new_context(locale="en-GB", base_url=world.url)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new
    for context in contexts:
        context.close()
    assert not recorder.errors, f"the server answered with errors: {recorder.errors}"


def _write(page: Page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conversation")


def test_resident_and_contact_talk_then_she_sees_phone_place_and_times(open_browser, talk_server, mail_server):
    world, _recorder = talk_server
    title, citizen_name = world.initiative_title, "Nadia Bakker"

    # The professional gives her work phone, and says where and when the initiative meets.
    professional = open_browser()
    _log_in(professional, world.professional)
    professional.get_by_role("navigation", name="Main menu").get_by_role("link", name="Account details").click()
    professional.get_by_label("Phone number").fill("070 353 1234")
    professional.get_by_role("button", name="Save").first.click()
    expect(professional.get_by_role("status")).to_have_text("Your details are saved.")
    professional.get_by_role("navigation", name="Main menu").get_by_role("link", name="My initiatives").click()
    _open_manage_page(professional, title)
    professional.get_by_role("link", name="Edit", exact=True).click()
    professional.get_by_label("Address or place (optional)").fill("Gymzaal Hoefkade 20")
    professional.get_by_role("checkbox", name="Tuesday Morning", exact=True).check()
    professional.get_by_role("button", name="Save").click()
    expect(professional.get_by_role("status")).to_have_text("Your changes are saved.")

    # A resident signs up.
    citizen = open_browser()
    citizen_email = _unique_email("nadia")
    _register(citizen, world, name=citizen_name, email=citizen_email, neighbourhood=world.home_neighbourhood)
    citizen.get_by_role("navigation", name="Main menu").get_by_role("link", name="Initiatives").click()
    citizen.get_by_role("link", name=title).click()
    citizen.get_by_role("button", name="I'd like to help").click()
    expect(citizen.get_by_role("status")).to_contain_text("You can write to each other on My initiatives.")

    # She writes first, from My initiatives.
    citizen.get_by_role("navigation", name="Main menu").get_by_role("link", name="My page").click()
    citizen.get_by_role("link", name="See my initiatives").click()
    mine = citizen.get_by_role("listitem").filter(has=citizen.get_by_role("heading", name=title))
    mine.get_by_role("link", name="Send a message to the contact person").click()
    expect(citizen.get_by_text("No messages yet.")).to_be_visible()
    _write(citizen, "Hello! Do I need sports shoes?")

    # The professional sees a new message beside the sign-up, opens the conversation and answers.
    professional.get_by_role("navigation", name="Main menu").get_by_role("link", name="Messages").click()
    expect(professional.get_by_text(f'{citizen_name} sent a message about "{title}".')).to_be_visible()
    professional.get_by_role("navigation", name="Main menu").get_by_role("link", name="My initiatives").click()
    _open_manage_page(professional, title)
    sign_up = professional.get_by_role("row").filter(has_text=citizen_name)
    expect(sign_up).to_contain_text("1 new")
    sign_up.get_by_role("link", name="Conversation").click()
    expect(professional.get_by_text("Hello! Do I need sports shoes?")).to_be_visible()
    _write(professional, "Yes, indoor shoes please.\nSee you on Tuesday!")

    # Her mail notification arrives through the SMTP server, with a link to the conversation.
    _deliver_mail(world, mail_server)
    to_her = [mail for mail in mail_server.messages if mail["To"] == citizen_email]
    assert to_her, [mail["To"] for mail in mail_server.messages]
    body = to_her[-1].get_body(preferencelist=("plain",)).get_content()
    assert f'{world.professional.name} sent a message about "{title}".' in body
    link = re.search(r"https?://\S+(/conversations/\d+)", body)
    assert link, body

    # Both see both messages, in order; she opens the conversation from the mail's link.
    citizen.goto(link.group(1))
    for page in (citizen, professional):
        messages = page.get_by_role("listitem").filter(has=page.locator(".message-text"))
        expect(messages).to_have_count(2)
        expect(messages.nth(0)).to_contain_text("Hello! Do I need sports shoes?")
        expect(messages.nth(1)).to_contain_text("Yes, indoor shoes please.")
        expect(messages.nth(1)).to_contain_text("See you on Tuesday!")

    # The professional accepts from today.
    professional.get_by_role("link", name="Back").click()
    sign_up = professional.get_by_role("row").filter(has_text=citizen_name)
    sign_up.get_by_label("Starts on").fill(dt.date.today().isoformat())
    sign_up.get_by_role("button", name="Accept").click()
    expect(professional.get_by_role("status")).to_have_text(f"{citizen_name} is accepted.")

    # My initiatives: who to call, where and when.
    citizen.get_by_role("link", name="Back").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("My initiatives")
    mine = citizen.get_by_role("listitem").filter(has=citizen.get_by_role("heading", name=title))
    expect(mine).to_contain_text("Taking part")
    expect(mine).to_contain_text(world.professional.name)
    expect(mine.get_by_role("link", name="070 353 1234")).to_have_attribute("href", "tel:0703531234")
    expect(mine).to_contain_text(f"Gymzaal Hoefkade 20, {world.initiative_neighbourhood}")
    expect(mine).to_contain_text("Tuesday morning")
