"""Must show: a Turkish-speaking volunteer gets the monthly check-in in Turkish, with a link that works once.

The job runs through its real body, the mail goes through the outbox to a real
SMTP server, and its words are compared with the Turkish catalogue's own (and
checked to differ from the English, so a mail that fell back fails). The link
opens the Turkish page without logging in; a second time it says the questions
were answered, and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from coprod_match.jobs.runner import run_job
from coprod_match.models import (
    InitiativeVersion,
    JobOutcome,
    PlacementCheckIn,
    Role,
    VolunteerCheckIn,
    utcnow,
)
from tests import factories
from tests.conftest import csrf_token
from tests.outbox import deliver_outbox
from tests.smtp_server import body_text

TURKISH_TITLE = "Yaşlı göçmenler için gündüz bakımı"  # noqa: RUF001 (Turkish has a dotless i)


def _in_turkish(message: str, **values) -> str:
    with force_locale("tr"):
        turkish = _(message, **values)
    with force_locale("en"):
        english = _(message, **values)
    assert turkish != english, f"not translated into Turkish: {message!r}"
    return turkish


def test_a_turkish_volunteer_gets_the_check_in_in_turkish_and_its_link_works_once(
        app, db_session, make_user, smtp_server):
    fatima = make_user(Role.PROFESSIONAL, name="Fatima", locale="nl")
    day_care = factories.day_care(db_session, contact=fatima)
    db_session.add(InitiativeVersion(initiative=day_care, locale="tr", title=TURKISH_TITLE,
                                     description="Yaşlılarla birlikte."))  # noqa: RUF001
    ayse = make_user(Role.CITIZEN, name="Ayşe", locale="tr", email="ayse@example.org")
    factories.placement(db_session, ayse, day_care, since=utcnow() - dt.timedelta(days=30))
    db_session.commit()

    asked = run_job(app, "volunteer_check_ins", "scheduler-a")
    assert asked.outcome == JobOutcome.SUCCEEDED and asked.counts["asked"] == 1
    assert deliver_outbox()["sent"] == 1
    (mail,) = smtp_server.messages
    assert mail["To"] == "ayse@example.org"
    assert mail["Subject"] == _in_turkish("How is it going at %(initiative)s?", initiative=TURKISH_TITLE)
    text, html = body_text(mail), mail.get_body(preferencelist=("html",)).get_content()
    assert _in_turkish("Open this link to answer. You do not need to log in:") in text
    assert _in_turkish("Answer the questions") in html and '<html lang="tr" dir="ltr">' in html
    assert TURKISH_TITLE in text and day_care.title not in text
    path = urlsplit(re.search(r"https?://\S+/check-in/\S+", text).group(0)).path

    # Opened in a browser that asks for English, without logging in: the page speaks Turkish.
    visitor = factories.client_for(app)
    page = visitor.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="tr" dir="ltr">' in page
    assert _in_turkish("Are you still helping at %(title)s?", title=TURKISH_TITLE) in page
    assert TURKISH_TITLE in page and _in_turkish("I feel appreciated") in page
    answered = visitor.post(path, headers={"Accept-Language": "en"}, data={
        "csrf_token": csrf_token(visitor, path), "still_helping": "yes",
        "appreciated": "5", "supported": "4", "too_much": "2"})
    assert answered.status_code == 200
    assert _in_turkish("Thank you for your answers") in answered.get_data(as_text=True)

    # The second time: the "already answered" page, in Turkish, and nothing changes.
    again = visitor.get(path, headers={"Accept-Language": "en"})
    assert again.status_code == 400
    assert _in_turkish("You already answered these questions. Thank you! The link works only once.") \
        in again.get_data(as_text=True)
    posted_again = visitor.post(path, data={"still_helping": "stopped", "end_reason": "no_time"})
    assert posted_again.status_code == 400
    db_session.expire_all()
    check_in = db_session.scalar(sa.select(VolunteerCheckIn))
    assert (check_in.still_helping, check_in.appreciated, check_in.answered_via) == ("yes", 5, "link")
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlacementCheckIn)) == 1
