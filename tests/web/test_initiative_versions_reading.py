"""A resident who reads Turkish gets the Turkish version everywhere the initiative is named for her:
suggestions, My initiatives, the invitation page and its mail (through a real SMTP server), news mails."""

from __future__ import annotations

import datetime as dt

import pytest

from coprod_match.models import (
    InitiativeTask,
    InitiativeTaskVersion,
    InitiativeVersion,
    PlacementState,
    TaskKind,
)
from coprod_match.services import invitations as invitation_service
from coprod_match.services import participation
from tests import factories
from tests.factories import client_for
from tests.outbox import deliver_outbox
from tests.smtp_server import body_text

TURKISH_TITLE = "Ya\u015fl\u0131 g\u00f6\u00e7menler i\u00e7in g\u00fcnd\u00fcz bak\u0131m\u0131"  # escaped: dotless i looks like i
ORIGINAL_TITLE = "Day care for elderly migrants"


@pytest.fixture
def world(db_session, make_user):
    world = factories.invitation_world(db_session, make_user)
    care = world["day_care"]
    care.written_in = "en"
    care.tasks.append(InitiativeTask(title="Serve tea", kind=TaskKind.CORE, position=0))
    care.versions.append(InitiativeVersion(locale="tr", title=TURKISH_TITLE, description="Birlikte kahve."))
    db_session.flush()
    care.tasks[0].versions.append(InitiativeTaskVersion(locale="tr", title="\u00c7ay servisi"))
    world["ayse"].preferred_locale = "tr"
    db_session.commit()
    return world


def _main(answer) -> str:
    assert answer.status_code == 200
    return answer.get_data(as_text=True).split("<main", 1)[-1]


def test_suggestions_name_the_initiative_in_her_language(app, world):
    page = _main(client_for(app, world["ayse"]).get("/matching/suggestions"))
    assert TURKISH_TITLE in page and ORIGINAL_TITLE not in page


def test_suggestions_mark_the_original_when_there_is_no_version_in_her_language(app, db_session, world):
    world["ayse"].preferred_locale = "ar"
    db_session.commit()
    page = _main(client_for(app, world["ayse"]).get("/matching/suggestions"))
    assert f'<span lang="en" dir="ltr">{ORIGINAL_TITLE}</span>' in page
    assert 'class="written-in' in page


def test_my_initiatives_name_it_in_her_language(app, db_session, world):
    factories.placement(db_session, world["ayse"], world["day_care"], PlacementState.ACTIVE)
    db_session.commit()
    page = _main(client_for(app, world["ayse"]).get("/citizens/initiatives"))
    assert TURKISH_TITLE in page and ORIGINAL_TITLE not in page


def test_the_invitation_mail_and_page_are_in_her_language(app, db_session, world, smtp_server):
    sent = invitation_service.invite_citizen(db_session, world["ayse"], world["day_care"], actor=world["contact"])
    db_session.commit()
    assert deliver_outbox()["sent"] == 1
    mail = smtp_server.messages[-1]
    assert TURKISH_TITLE in mail["Subject"]
    assert TURKISH_TITLE in body_text(mail)
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert TURKISH_TITLE in html and ORIGINAL_TITLE not in html

    page = _main(client_for(app, world["ayse"]).get(f"/invitations/{sent.invitation.id}"))
    assert TURKISH_TITLE in page and "Birlikte kahve." in page and ORIGINAL_TITLE not in page


def test_the_invitation_page_from_the_link_marks_the_original_for_a_dutch_reader(app, db_session, world):
    world["ayse"].preferred_locale = "nl"
    db_session.commit()
    sent = invitation_service.invite_citizen(db_session, world["ayse"], world["day_care"], actor=world["contact"])
    db_session.commit()
    page = _main(app.test_client().get(f"/invitations/link/{sent.token}", headers={"Accept-Language": "nl"}))
    assert f'<span lang="en" dir="ltr">{ORIGINAL_TITLE}</span>' in page
    assert "Geschreven in het Engels" in page or "Written in" in page


def test_news_mails_name_it_in_the_recipients_language(app, db_session, world, smtp_server):
    placement = factories.placement(db_session, world["ayse"], world["day_care"], PlacementState.APPLIED)
    db_session.commit()
    participation.accept(db_session, placement, starts_on=dt.date(2026, 1, 5), today=dt.date(2026, 1, 1),
                         actor=world["contact"])
    db_session.commit()
    assert deliver_outbox()["sent"] == 1
    mail = smtp_server.messages[-1]
    assert TURKISH_TITLE in mail["Subject"] and TURKISH_TITLE in body_text(mail)
