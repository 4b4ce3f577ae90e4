"""The "Listen" button's place on the initiative and invitation pages, and dates written as the reader's language does."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask_babel import force_locale

from coprod_match.i18n import format_date, format_datetime
from coprod_match.services import invitations as invitation_service
from tests import factories
from tests.factories import client_for


def _listen_parts(page: str) -> list[str]:
    found = re.search(r'<div class="listen" data-listen-parts="([^"]+)" data-label-listen="([^"]+)" '
                      r'data-label-stop="([^"]+)"></div>', page)
    assert found, "no place for the Listen button"
    assert '<script src="/static/listen.js" defer></script>' in page
    return found.group(1).split()


def test_the_initiative_page_reads_its_title_description_and_tasks(client, db_session, reference_data):
    initiative = factories.initiative(db_session, description="Samen sporten in de buurt.")
    db_session.commit()
    page = client.get(f"/initiatives/{initiative.id}", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    parts = _listen_parts(page)
    assert parts == ["initiative-title", "initiative-description", "initiative-tasks"]
    assert f'<h1 id="initiative-title">{initiative.title}</h1>' in page
    assert 'id="initiative-description">Samen sporten in de buurt.</p>' in page
    assert 'data-label-listen="Luisteren" data-label-stop="Stoppen"' in page
    # No button in the HTML itself: the script adds one only where the browser can speak.
    assert "<button" not in page.split('class="listen"')[1].split("</div>")[0]


def test_the_invitation_page_reads_the_invitation_and_its_message(app, db_session, make_user):
    world = factories.invitation_world(db_session, make_user)
    sent = invitation_service.invite_citizen(db_session, world["ayse"], world["day_care"], actor=world["contact"],
                                             message="Wij zoeken iemand die Turks spreekt.")
    db_session.commit()
    page = client_for(app).get(f"/invitations/link/{sent.token}").get_data(as_text=True)
    assert _listen_parts(page) == ["invitation-lead", "invitation-message"]
    assert re.search(r'<p class="lead" id="invitation-lead">[^<]*Fatima the nurse', page)
    assert re.search(r'id="invitation-message" dir="auto">\s*Wij zoeken iemand die Turks spreekt.', page)


def test_static_listen_script_is_served_under_the_content_security_policy(client):
    script = client.get("/static/listen.js")
    assert script.status_code == 200 and "speechSynthesis" in script.get_data(as_text=True)
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy


MOMENT = dt.datetime(2026, 12, 1, 12, 5, tzinfo=dt.UTC)  # 13:05 in The Hague


@pytest.mark.parametrize(("locale", "date", "moment"), [
    ("en", "1 December 2026", "01/12/2026, 13:05"),  # day first, as read here: not Babel's American "en"
    ("nl", "1 december 2026", "01-12-2026, 13:05"),
    ("pl", "1 grudnia 2026", "1.12.2026, 13:05"),
    ("ar", "1 ديسمبر 2026", "1\u200f/12\u200f/2026، 1:05 م"),
])
def test_dates_and_times_are_written_as_the_readers_language_does(app, locale, date, moment):
    with app.test_request_context(), force_locale(locale):
        assert format_date(MOMENT, "long") == date
        assert format_datetime(MOMENT, "short") == moment
