"""Two-factor login in a real browser: a professional is sent to set it up before the workspace.

This test runs its own live server with the gate on (the package's shared
server has it off, so the other journeys log staff in with a password only).
The test scans nothing: it reads the key shown in text, as someone typing it
into an app would, and computes the app's code with pyotp.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyotp
import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip these tests with the reason, or fail them under REQUIRE_BROWSER=1
    expect = None

from tests.e2e.conftest import ACTION_TIMEOUT_MS, ServerErrorRecorder, Staff, main_menu, serve_world

PHONE_WIDTH = 375


@pytest.fixture(scope="module")
def gated_server(_require_browser, tmp_path_factory) -> Iterator[tuple[str, Staff, ServerErrorRecorder]]:
    with serve_world(tmp_path_factory, "e2e-two-factor", TWO_FACTOR_REQUIRED=True,
                     PRIVACY_ACCEPTANCE_REQUIRED=False) as (world, recorder):
        yield world.url, world.professional, recorder


def _wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def test_professional_sets_up_two_factor_before_the_workspace(browser, gated_server):
    url, professional, recorder = gated_server
    context = browser.new_context(locale="en-GB", base_url=url,
                                  viewport={"width": PHONE_WIDTH, "height": 800})
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto("/auth/login")
        page.get_by_label("E-mail address").fill(professional.email)
        page.get_by_label("Password").fill(professional.password)
        page.get_by_role("button", name="Log in", exact=True).click()

        # Sent to set up two-factor instead of the workspace.
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor login")
        expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
        fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, "the setup page scrolls sideways on a phone"
        secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
        app = pyotp.TOTP(secret)

        # A wrong code is refused, beside the field.
        code_field = page.get_by_label("The 6 numbers your app shows now")
        code_field.fill(_wrong(app.now()))
        page.get_by_role("button", name="Turn on two-factor login").click()
        expect(page.get_by_text("This code is not right.").first).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor login")

        # The code the app shows now turns it on; the recovery codes are shown once.
        page.get_by_label("The 6 numbers your app shows now").fill(app.now())
        page.get_by_role("button", name="Turn on two-factor login").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
        codes = page.locator("#recovery-codes li")
        expect(codes).to_have_count(10)
        recovery_code = codes.first.inner_text().strip()
        page.get_by_role("link", name="I have saved my codes, continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("My initiatives")

        # Next time the password alone is not enough: the second step asks for a code.
        main_menu(page).get_by_role("button", name="Log out").click()
        page.goto("/auth/login")
        page.get_by_label("E-mail address").fill(professional.email)
        page.get_by_label("Password").fill(professional.password)
        page.get_by_role("button", name="Log in", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Type your code")
        page.get_by_label("Code from your app, or a recovery code").fill(_wrong(app.now()))
        page.get_by_role("button", name="Log in", exact=True).click()
        expect(page.get_by_text("This code is not right.").first).to_be_visible()
        # The app's current code was used to set up; a recovery code works without waiting.
        page.get_by_label("Code from your app, or a recovery code").fill(recovery_code)
        page.get_by_role("button", name="Log in", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("My initiatives")
    finally:
        context.close()
    assert not recorder.errors, f"the server answered with errors: {recorder.errors}"
