"""A linking pin goes from "My initiatives" to an invitation in three clicks: Find volunteers, Invite, Send.

A resident in Ypenburg says she is free on Tuesday mornings and may be
invited; the professional starts a Tuesday-morning initiative there through
the pages (the shared world's initiatives meet "by appointment", so nobody
would fit them). From the workspace the clicks are counted. Then the
resident answers from her messages and both write in the conversation the
invitation opened (tests/e2e/test_conversation.py follows a sign-up on to
acceptance and the mail through SMTP).
"""

from __future__ import annotations

import sqlalchemy as sa

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # the fixtures skip these tests with the reason, or fail them under REQUIRE_BROWSER=1
    Locator = Page = expect = None

from tests.e2e.conftest import World, main_menu
from tests.e2e.test_journey import _log_in, _register, _unique_email

NEIGHBOURHOOD = "Ypenburg"  # far from the other tests' searches (Schilderswijk, Kijkduin)
TITLE = "Board games on Tuesday in Ypenburg"


def _open_to_invitations(citizen: Page) -> None:
    citizen.get_by_role("link", name="Fill in my profile").click()
    citizen.get_by_role("checkbox", name="Tuesday Morning", exact=True).check()
    citizen.get_by_label("Professionals may invite me personally").check()
    citizen.get_by_role("button", name="Save my profile").click()
    expect(citizen.get_by_role("status")).to_have_text("Your profile is saved.")


def _start_initiative(professional: Page) -> None:
    professional.get_by_role("link", name="New initiative").click()
    professional.get_by_label("Name of the initiative").fill(TITLE)
    professional.get_by_label("What happens, and for whom?").fill("Board games and tea with older neighbours.")
    professional.get_by_label("Neighbourhood", exact=True).select_option(label=NEIGHBOURHOOD)
    professional.get_by_role("checkbox", name="Tuesday Morning", exact=True).check()
    professional.get_by_role("button", name="Save").click()
    expect(professional.get_by_role("heading", level=1)).to_have_text(TITLE)
    professional.get_by_role("button", name="Open for volunteers").click()
    expect(professional.get_by_role("status")).to_contain_text("The initiative is open.")


def _invitations_to(world: World, email: str) -> list[tuple[str, str]]:
    engine = sa.create_engine(world.database_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(
                "SELECT i.title, p.state FROM invitations v JOIN placements p ON p.id = v.placement_id "
                "JOIN initiatives i ON i.id = p.initiative_id JOIN users u ON u.id = p.citizen_id "
                "WHERE u.email = :email"), {"email": email})]
    finally:
        engine.dispose()


def test_from_the_workspace_to_a_sent_invitation_in_three_clicks(new_context, live_server: World):
    world = live_server
    name, email = "Hanneke de Wit", _unique_email("hanneke")
    citizen = new_context().new_page()
    _register(citizen, world, name=name, email=email, neighbourhood=NEIGHBOURHOOD)
    _open_to_invitations(citizen)

    professional = new_context().new_page()
    _log_in(professional, world.professional)
    _start_initiative(professional)
    professional.goto("/professionals/")
    expect(professional.get_by_role("heading", level=1)).to_have_text("My initiatives")

    clicks = 0

    def click(target: Locator) -> None:
        nonlocal clicks
        clicks += 1
        target.click()

    row = professional.get_by_role("row").filter(has_text=TITLE)
    # Nobody takes part yet: the action is the emphasised one, with the reason beside it.
    expect(row.get_by_text("No volunteers")).to_be_visible()
    click(row.get_by_role("link", name="Find volunteers"))
    expect(professional.get_by_role("heading", level=1)).to_have_text("People who could join")
    click(professional.get_by_text(f"Invite {name}"))
    click(professional.get_by_role("button", name="Send the invitation"))
    expect(professional.get_by_role("status")).to_have_text(f"Your invitation to {name} is sent.")

    assert clicks <= 3
    assert _invitations_to(world, email) == [(TITLE, "invited")]
    # Invited now: the candidates no longer offer her a second invitation.
    professional.go_back()
    professional.reload()
    expect(professional.get_by_text(f"Invite {name}")).to_have_count(0)

    # She answers from her messages: yes.
    citizen.reload()
    main_menu(citizen).get_by_role("link", name="Messages").click()
    invitation = citizen.get_by_role("listitem").filter(has_text=f'invites you to join "{TITLE}"')
    invitation.get_by_role("button", name="Open").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("An invitation for you")
    citizen.get_by_role("button", name="Yes, I want to join").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Thank you! You said yes.")
    assert _invitations_to(world, email) == [(TITLE, "accepted")]

    # The professional is told, and the two write to each other in the invitation's conversation.
    main_menu(professional).get_by_role("link", name="Messages").click()
    expect(professional.get_by_text(f'{name} said yes to "{TITLE}". Please confirm the start.')).to_be_visible()
    citizen.get_by_role("link", name="My initiatives").click()
    mine = citizen.get_by_role("listitem").filter(has=citizen.get_by_role("heading", name=TITLE))
    mine.get_by_role("link", name="Send a message to the contact person").click()
    citizen.get_by_label("Your message").fill("Thank you for asking me! Which door do I use?")
    citizen.get_by_role("button", name="Send").click()

    professional.goto("/professionals/")
    professional.get_by_role("row").filter(has_text=TITLE).get_by_role("link", name=TITLE, exact=True).click()
    participant = professional.get_by_role("row").filter(has_text=name)
    expect(participant).to_contain_text("1 new")
    participant.get_by_role("link", name="Conversation").click()
    expect(professional.get_by_text("Thank you for asking me! Which door do I use?")).to_be_visible()
    professional.get_by_label("Your message").fill("The side door, next to the bike racks.")
    professional.get_by_role("button", name="Send").click()

    citizen.reload()
    for page in (citizen, professional):
        messages = page.get_by_role("listitem").filter(has=page.locator(".message-text"))
        expect(messages).to_have_count(2)
        expect(messages.nth(1)).to_contain_text("The side door, next to the bike racks.")
