"""A resident exports her data and erases her account in a real browser; the history keeps "a former volunteer".

The export (the JSON download of "My data") holds her profile, placements with
their history, her invitation, her consents and the staff looks; after the
erasure the initiative's page shows "a former volunteer", the active count and
the continuity scan's alerts are the same, the old login fails and the address
can sign up again.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import sqlalchemy as sa

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the fixtures skip these tests with the reason, or fail them under REQUIRE_BROWSER=1
    Page = expect = None

from tests.e2e.conftest import World
from tests.e2e.test_journey import (
    CITIZEN_PASSWORD,
    _log_in,
    _open_manage_page,
    _register,
    _unique_email,
)

# Where the world's far initiative is: the search shows it to those who look near it.
FAR_NEIGHBOURHOOD = "Kijkduin en Ockenburgh"


def _sign_up(page: Page, title: str, message: str) -> None:
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Initiatives").click()
    search = page.get_by_role("search", name="Search initiatives")
    search.get_by_label("Near").select_option(label=FAR_NEIGHBOURHOOD)
    search.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name=title).click()
    page.get_by_label("A short message for the contact person").fill(message)
    page.get_by_role("button", name="I'd like to help").click()
    expect(page.get_by_role("status")).to_have_text("Thank you! The contact person will answer you soon. You can write to each other on My initiatives.")


def _accept(professional: Page, name: str) -> None:
    row = professional.get_by_role("row").filter(has_text=name)
    row.get_by_label("Starts on").fill(dt.date.today().isoformat())
    row.get_by_role("button", name="Accept").click()
    expect(professional.get_by_role("status")).to_have_text(f"{name} is accepted.")


def _open_alerts_after_a_scan(world: World, title: str) -> list[tuple[str, int | None]]:
    """Run the real continuity scan on the live server's database; the open alerts of one initiative."""
    from coprod_match import create_app
    from coprod_match.continuity.rules import Thresholds
    from coprod_match.continuity.scan import run_scan
    from coprod_match.extensions import db
    from coprod_match.models import AlertStatus, ContinuityAlert, Initiative, utcnow

    app = create_app({"TESTING": True, "APP_ENV": "testing", "SECRET_KEY": "e2e-testing-only-secret-key",
                      "SQLALCHEMY_DATABASE_URI": world.database_url, "MAIL_BACKEND": "log"})
    with app.app_context():
        run_scan(db.session, now=utcnow(), thresholds=Thresholds())
        db.session.commit()
        alerts = db.session.execute(
            sa.select(ContinuityAlert.kind, ContinuityAlert.citizen_id)
            .join(Initiative, Initiative.id == ContinuityAlert.initiative_id)
            .where(Initiative.title == title, ContinuityAlert.status != AlertStatus.RESOLVED)
            .order_by(ContinuityAlert.kind)).all()
        db.engine.dispose()
    return [tuple(alert) for alert in alerts]


def _invite_by_email(professional: Page, title: str, email: str) -> None:
    """The professional met her and invites her by e-mail, ticking that she asked in person."""
    professional.get_by_role("navigation", name="Main menu").get_by_role("link", name="My initiatives").click()
    professional.get_by_role("link", name=title, exact=True).click()
    initiative_id = re.search(r"/(\d+)(?:$|[/?#])", professional.url).group(1)
    professional.goto(f"/invitations/by-email/{initiative_id}")
    professional.get_by_label("First name").fill("Noor")
    professional.get_by_label("E-mail address").fill(email)
    professional.get_by_label("This person asked me to send this invitation.").check()
    professional.get_by_role("button", name="Send the invitation").click()
    expect(professional.get_by_role("status")).to_be_visible()


def _download_my_data(page: Page, tmp_path) -> dict:
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My data").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data (JSON)").click()
    saved = tmp_path / "my-data.json"
    download_info.value.save_as(saved)
    return json.loads(saved.read_text(encoding="utf-8"))


def test_a_former_volunteer_exports_and_erases_the_account(new_context, live_server: World, tmp_path):
    world = live_server
    title = world.far_initiative_title  # only this test signs up here
    email = _unique_email("noor")

    # Two residents sign up; the contact professional accepts both.
    noor = new_context(accept_downloads=True).new_page()
    _register(noor, world, name="Noor Erasmus", email=email, neighbourhood=world.home_neighbourhood)
    _sign_up(noor, title, "Noor here, I like walking by the sea.")
    bram = new_context().new_page()
    _register(bram, world, name="Bram Blijft", email=_unique_email("bram"), neighbourhood=world.home_neighbourhood)
    _sign_up(bram, title, "Happy to help.")
    professional = new_context().new_page()
    _log_in(professional, world.professional)
    _open_manage_page(professional, title)
    _accept(professional, "Noor Erasmus")
    _accept(professional, "Bram Blijft")

    # Noor stops; Bram goes on. One volunteer is active.
    noor.get_by_role("navigation", name="Main menu").get_by_role("link", name="My page").click()
    noor.get_by_role("link", name="See my initiatives").click()
    noor.get_by_role("listitem").filter(has=noor.get_by_role("heading", name=title)) \
        .get_by_role("link", name="Stop").click()
    noor.get_by_label("Why?").select_option(label="I don't have time any more")
    noor.get_by_label("Anything else you want to tell?").fill("Noor's mother is ill")
    noor.get_by_role("button", name="Yes, stop").click()
    professional.reload()
    active = "1 of 3 volunteers active"
    expect(professional.get_by_text(active)).to_be_visible()
    stopped = professional.locator("section").filter(has=professional.get_by_role("heading", name="Stopped (1)"))
    expect(stopped.get_by_role("row").filter(has_text="Noor Erasmus")).to_contain_text("Noor's mother is ill")

    # Another initiative's professional met Noor and invites her; she has not answered yet.
    _invite_by_email(professional, world.initiative_title, email)
    professional.get_by_role("navigation", name="Main menu").get_by_role("link", name="My initiatives").click()
    _open_manage_page(professional, title)
    alerts_before = _open_alerts_after_a_scan(world, title)

    # Noor downloads everything held about her.
    document = _download_my_data(noor, tmp_path)
    assert document["account"]["email"] == email and document["account"]["display_name"] == "Noor Erasmus"
    assert document["profile"]["neighbourhood"]["name"] == world.home_neighbourhood
    (ended,) = [p for p in document["placements"] if p["initiative"]["title"] == title]
    assert ended["state"] == "ended" and ended["end_note"] == "Noor's mother is ill"
    assert [move["to_state"] for move in ended["history"]][-1] == "ended" and len(ended["history"]) >= 3
    (invitation,) = document["invitations"]
    assert invitation["initiative"]["title"] == world.initiative_title
    assert invitation["sender"]["organisation"] == "Wijkteam Centrum"
    assert {(c["kind"], c["how"], c["given"]) for c in document["consents"]} >= {
        ("privacy_statement", "self", True), ("invitations", "in_person", True)}
    # The professional looked at her on the initiative's page: organisation and role, never the name.
    assert {"organisation": "Wijkteam Centrum", "role": "professional"}.items() <= document["staff_looks"][0].items()
    assert "Fatima" not in json.dumps(document["staff_looks"])

    # Noor erases her account: a wrong password first, then the right one.
    noor.get_by_role("navigation", name="Main menu").get_by_role("link", name="My page").click()
    noor.get_by_role("link", name="Erase my account").click()
    expect(noor.get_by_role("heading", level=1)).to_have_text("Erase my account")
    expect(noor.get_by_text("This cannot be undone.")).to_be_visible()
    noor.get_by_label("Your password").fill("not my password")
    noor.get_by_role("button", name="Erase my account").click()
    expect(noor.get_by_text("This is not your password. Nothing was erased.").first).to_be_visible()
    noor.get_by_label("Your password").fill(CITIZEN_PASSWORD)
    noor.get_by_role("button", name="Erase my account").click()
    expect(noor.get_by_role("heading", level=1)).to_have_text("Your account is erased")
    expect(noor.get_by_role("button", name="Log out")).to_have_count(0)

    # The professional's page: the stopped place stays, as "a former volunteer", without her words;
    # the active count is the same.
    professional.reload()
    expect(professional.get_by_text(active)).to_be_visible()
    stopped_row = stopped.get_by_role("row").filter(has_text="a former volunteer")
    expect(stopped_row).to_contain_text("I don't have time any more")
    expect(professional.get_by_text("Noor")).to_have_count(0)
    expect(professional.get_by_text("Noor's mother is ill")).to_have_count(0)
    # The continuity scan finds the same open alerts as before.
    assert _open_alerts_after_a_scan(world, title) == alerts_before

    # The old login fails like any wrong one.
    noor.goto("/auth/login")
    noor.get_by_label("E-mail address").fill(email)
    noor.get_by_label("Password").fill(CITIZEN_PASSWORD)
    noor.get_by_role("button", name="Log in", exact=True).click()
    expect(noor.get_by_text("do not match an account").first).to_be_visible()

    # The same address can sign up anew and gets a fresh account.
    _register(new_context().new_page(), world, name="Noor", email=email, neighbourhood=world.home_neighbourhood)
