"""The daily digest through a real SMTP server: who gets what, in which language, and when not."""

from __future__ import annotations

import datetime as dt

import pytest

from coprod_match.continuity.digest import send_digests
from coprod_match.continuity.rules import Thresholds
from coprod_match.continuity.scan import run_scan
from coprod_match.models import MailStatus, Role
from tests import factories
from tests.outbox import deliver_outbox, outbox_rows
from tests.smtp_server import body_text

NOW = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
A_MONTH_AGO = NOW - dt.timedelta(days=30)
DAY = dt.timedelta(days=1)


@pytest.fixture
def people(db_session, make_user):
    centrum = make_user(Role.COORDINATOR, email="centrum@example.org", locale="nl")
    centrum.work_areas = factories.neighbourhoods_named(db_session, "Transvaal", "Schilderswijk")
    haagse_hout = make_user(Role.COORDINATOR, email="haagsehout@example.org", locale="en")
    haagse_hout.work_areas = factories.neighbourhoods_named(db_session, "Benoordenhout")
    city = make_user(Role.COORDINATOR, email="city@example.org", locale="en")  # no areas: all
    contact = make_user(Role.PROFESSIONAL, email="contact@example.org", locale="en")
    db_session.commit()
    return {"centrum": centrum, "haagse_hout": haagse_hout, "city": city, "contact": contact}


def _by_recipient(smtp_server):
    return {message["To"]: message for message in smtp_server.messages}


def test_coordinators_get_new_alerts_of_their_areas_and_the_contact_is_told(
    db_session, make_user, people, smtp_server
):
    initiative = factories.initiative(db_session, title="Sportief Samen", neighbourhood="Transvaal",
                                      contact=people["contact"])
    factories.placement(db_session, make_user(), initiative, since=NOW - 5 * DAY)
    db_session.commit()
    run_scan(db_session, now=NOW, thresholds=Thresholds())
    db_session.commit()

    counts = send_digests(db_session, now=NOW + dt.timedelta(hours=2), since=NOW - DAY)
    assert counts == {"new_alerts": 1, "coordinator_mails": 2, "professional_mails": 1,
                      "failed_mails": 0}
    db_session.commit()
    assert smtp_server.messages == []  # in the outbox, sent by its job
    assert deliver_outbox()["sent"] == 3
    mails = _by_recipient(smtp_server)
    assert set(mails) == {"centrum@example.org", "city@example.org", "contact@example.org"}

    dutch = mails["centrum@example.org"]
    text = body_text(dutch)
    assert "Sportief Samen" in text and "Transvaal" in text
    assert "26 februari 2026" in text  # dates in the recipient's language
    assert "/coordination/alerts/" in text and text.count("http://") >= 2
    assert dutch.get_body(preferencelist=("html",)) is not None

    english = body_text(mails["city@example.org"])
    assert "26 February 2026" in english, english
    assert "1 new continuity alert" in mails["city@example.org"]["Subject"]

    notice = body_text(mails["contact@example.org"])
    assert "one volunteer" in notice and "Sportief Samen" in notice
    assert f"/initiatives/{initiative.id}" in notice


def test_no_mail_when_nothing_is_new(db_session, make_user, people, smtp_server):
    initiative = factories.initiative(db_session, neighbourhood="Transvaal", contact=people["contact"])
    factories.placement(db_session, make_user(), initiative, since=A_MONTH_AGO)
    db_session.commit()
    run_scan(db_session, now=NOW, thresholds=Thresholds())
    db_session.commit()
    # The last digest went out after the alert opened: nothing new since.
    counts = send_digests(db_session, now=NOW + DAY, since=NOW + dt.timedelta(hours=1))
    assert counts["new_alerts"] == 0 and smtp_server.messages == []


def test_resolved_alerts_are_not_sent(db_session, make_user, people, smtp_server):
    initiative = factories.initiative(db_session, neighbourhood="Transvaal", contact=people["contact"])
    factories.placement(db_session, make_user(), initiative, since=A_MONTH_AGO)
    db_session.commit()
    run_scan(db_session, now=NOW, thresholds=Thresholds())
    factories.placement(db_session, make_user(), initiative, since=A_MONTH_AGO)
    db_session.commit()
    run_scan(db_session, now=NOW + dt.timedelta(hours=1), thresholds=Thresholds())
    db_session.commit()
    assert send_digests(db_session, now=NOW + DAY, since=NOW - DAY)["new_alerts"] == 0
    assert smtp_server.messages == []


def test_a_mail_server_that_is_down_loses_no_digest(db_session, make_user, people):
    # No smtp_server fixture: the app's mail port has nothing listening.
    initiative = factories.initiative(db_session, neighbourhood="Transvaal", contact=people["contact"])
    factories.placement(db_session, make_user(), initiative, since=A_MONTH_AGO)
    db_session.commit()
    run_scan(db_session, now=NOW, thresholds=Thresholds())
    db_session.commit()
    counts = send_digests(db_session, now=NOW + DAY, since=NOW - DAY)
    db_session.commit()
    assert counts["failed_mails"] == 0 and counts["coordinator_mails"] == 2
    assert deliver_outbox() == {"sent": 0, "retrying": 1, "failed": 0}  # the run stops at the first
    waiting = outbox_rows(db_session)
    assert len(waiting) == 3 and {mail.status for mail in waiting} == {MailStatus.PENDING}
    assert [mail.attempts for mail in waiting] == [1, 0, 0] and "ConnectionRefusedError" in waiting[0].last_error
