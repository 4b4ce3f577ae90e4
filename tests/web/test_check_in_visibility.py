"""Who sees what of the monthly check-ins: the contact sees averages only once three volunteers
answered; coordinators and admins see each volunteer's answers (and that look is logged)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from babel.dates import format_date

from coprod_match.continuity.rules import Thresholds
from coprod_match.continuity.scan import run_scan
from coprod_match.continuity.wording import SCALE_WORDS
from coprod_match.i18n import local_today
from coprod_match.models import AlertKind, AuditEntry, AuditResident, ContinuityAlert, Role, utcnow
from coprod_match.web.forms.check_ins import SCALE_LABELS
from tests import factories
from tests.check_ins import contact_check_in, volunteer_check_in
from tests.factories import client_for


def _months():
    this_month = local_today().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    return last_month, this_month


def test_averages_from_three_answers_and_each_answer_for_coordinators(app, db_session, make_user):
    contact, other = make_user(Role.PROFESSIONAL), make_user(Role.PROFESSIONAL)
    initiative = factories.initiative(db_session, title="Coffee morning", contact=contact)
    factories.initiative(db_session, title="Other walks", contact=other)
    names = ["Ayse Yilmaz", "Bram de Vries", "Chana Kowalska", "Dima Petrenko"]
    volunteers = [factories.placement(db_session, make_user(Role.CITIZEN, name=name), initiative)
                  for name in names]
    last_month, this_month = _months()
    # Last month two answered (and one did not): no averages. This month three answered.
    volunteer_check_in(db_session, volunteers[0], last_month, appreciated=1, comment="Nobody says thank you")
    volunteer_check_in(db_session, volunteers[1], last_month, appreciated=5)
    volunteer_check_in(db_session, volunteers[2], last_month, answered=False)
    for placement, appreciated in zip(volunteers[:3], (5, 4, 4), strict=True):
        volunteer_check_in(db_session, placement, this_month, appreciated=appreciated, supported=3,
                           too_much=2, comment="Rather busy" if appreciated == 5 else None)
    db_session.commit()
    path = f"/professionals/initiatives/{initiative.id}/check-ins"

    page = client_for(app, contact).get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert text.count("No averages: too few answers.") == 1  # last month's row
    assert "4.3" in text  # this month: (5 + 4 + 4) / 3 feel appreciated
    assert not any(name in text for name in names)
    assert "Nobody says thank you" not in text and "Rather busy" not in text
    # The manage page leads here.
    assert path in client_for(app, contact).get(f"/professionals/initiatives/{initiative.id}").get_data(
        as_text=True)

    before = db_session.scalar(sa.select(sa.func.coalesce(sa.func.max(AuditEntry.id), 0)))
    for overseer in (make_user(Role.COORDINATOR), make_user(Role.ADMIN)):
        text = client_for(app, overseer).get(path).get_data(as_text=True)
        assert all(name in text for name in names[:2]) and "Nobody says thank you" in text
        assert "Dima Petrenko" not in text  # never answered: nothing to show
    db_session.expire_all()
    logged = db_session.execute(
        sa.select(AuditEntry.action, sa.func.count(AuditResident.citizen_id))
        .join(AuditResident, AuditResident.entry_id == AuditEntry.id)
        .where(AuditEntry.id > before).group_by(AuditEntry.id, AuditEntry.action)).all()
    assert logged == [("check_ins.answers_viewed", 3)] * 2

    # Refused: another professional, a citizen, a coordinator of other districts.
    assert client_for(app, other).get(path).status_code == 404
    assert client_for(app, make_user(Role.CITIZEN)).get(path).status_code == 403
    elsewhere = make_user(Role.COORDINATOR, is_municipal=False)
    assert client_for(app, elsewhere).get(path).status_code == 404
    assert client_for(app, contact).get("/professionals/initiatives/999999/check-ins").status_code == 404


def test_an_alert_page_shows_what_was_answered(app, db_session, make_user):
    contact = make_user(Role.PROFESSIONAL, name="Petra Jansen")
    initiative = factories.initiative(db_session, contact=contact)
    placement = factories.placement(db_session, make_user(Role.CITIZEN, name="Ayse Yilmaz"), initiative)
    last_month, this_month = _months()
    volunteer_check_in(db_session, placement, last_month, too_much=4, appreciated=2, supported=1,
                       comment="Two shifts a week now")
    volunteer_check_in(db_session, placement, this_month, too_much=5, appreciated=1, supported=1)
    contact_check_in(db_session, initiative, contact, this_month, needs_help=True, hours=31, burden="heavier",
                     comment="I cannot do the rota alone")
    # Another initiative whose two volunteers answered neither of the last two months.
    quiet = factories.initiative(db_session, title="Quiet walks", contact=contact)
    month_before = (last_month - dt.timedelta(days=1)).replace(day=1)
    for name in ("Bram de Vries", "Chana Kowalska"):
        silent = factories.placement(db_session, make_user(Role.CITIZEN, name=name), quiet)
        for month in (month_before, last_month):
            volunteer_check_in(db_session, silent, month, answered=False)
    db_session.commit()
    run_scan(db_session, now=utcnow(), thresholds=Thresholds())
    db_session.commit()
    coordinator = make_user(Role.COORDINATOR)
    client = client_for(app, coordinator)
    alerts = {a.kind: a for a in db_session.scalars(sa.select(ContinuityAlert))}

    text = client.get(f"/coordination/alerts/{alerts[AlertKind.VOLUNTEER_STRAIN].id}").get_data(as_text=True)
    assert "What was answered" in text and "Two shifts a week now" in text
    # The table uses the form's own words ("Much", not "mostly"); the comment keeps its own direction.
    assert "<td data-label=\"It is too much for me\">Very much (5)</td>" in text and "Much (4)" in text
    assert '<span dir="auto">Two shifts a week now</span>' in text
    assert "It was too much for Ayse Yilmaz in two check-ins in a row." in text
    # A 2 is "a little": only two answers of 1 say "did not".
    assert "Ayse Yilmaz felt little appreciated in two check-ins in a row." in text
    assert "Ayse Yilmaz did not feel supported by the contact person in two check-ins in a row." in text
    assert f"/professionals/initiatives/{initiative.id}/check-ins" in text

    text = client.get(f"/coordination/alerts/{alerts[AlertKind.CONTACT_STRAIN].id}").get_data(as_text=True)
    assert "I cannot do the rota alone" in text and "31" in text
    assert "Petra Jansen asks for help with this initiative." in text
    # Under "The volunteers make my work ..." the cell says only what was chosen.
    assert '<td data-label="The volunteers make my work ...">heavier</td>' in text
    assert '<span dir="auto">I cannot do the rota alone</span>' in text

    text = client.get(f"/coordination/alerts/{alerts[AlertKind.CHECK_INS_UNANSWERED].id}").get_data(as_text=True)
    months = " and ".join(format_date(month, "LLLL y", locale="en") for month in (month_before, last_month))
    assert f"2 of the 2 volunteers who were asked did not answer the monthly check-in in {months}." in text

    dashboard = client.get(f"/coordination/?kind={AlertKind.CONTACT_STRAIN.value}&scope=all")
    assert dashboard.status_code == 200 and "Contact person under strain" in dashboard.get_data(as_text=True)


def test_tables_say_the_scale_in_the_words_the_form_offered(app):
    # The form offered "Much" while the tables said "4 (mostly)": one set of words, in every language.
    for locale in ("en", "nl"):
        with app.test_request_context(headers={"Accept-Language": locale}):
            assert {value: str(word) for value, word in SCALE_WORDS.items()} == \
                {value: str(label) for value, label in SCALE_LABELS.items()}
