"""The contact's monthly check-in: who is asked (once a month), what a mail lists, and answering."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.domain_errors import InvalidInput, NotFound
from coprod_match.jobs.context import JobContext
from coprod_match.jobs.registry import job_named
from coprod_match.models import ContactCheckIn, InitiativeStatus, Notification, Role, utcnow
from coprod_match.services import contact_check_ins
from coprod_match.services.contact_check_ins import (
    MonthAnswer,
    answer_contact_check_in,
    ask_contacts,
    month_of,
)
from coprod_match.vocabulary import Burden, Limits
from tests import factories
from tests.outbox import outbox_rows

# 23:30 UTC on 30 November is already 1 December in The Hague: the month is December.
LATE_NOVEMBER = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)


@pytest.fixture
def world(db_session, make_user):
    nadia, pieter, gone = (make_user(Role.PROFESSIONAL, name=name) for name in ("Nadia", "Pieter", "Gone"))
    sports = factories.initiative(db_session, title="Sports for women", contact=nadia)
    factories.initiative(db_session, title="Repair café", status=InitiativeStatus.PAUSED, contact=nadia)
    factories.initiative(db_session, title="Closed choir", status=InitiativeStatus.CLOSED, contact=pieter)
    factories.initiative(db_session, title="Draft walks", status=InitiativeStatus.DRAFT, contact=pieter)
    handed = factories.initiative(db_session, title="Homework help", contact=pieter)
    ended = factories.initiative(db_session, title="Old garden", contact=gone)
    ended.contacts[0].ends_at = utcnow()  # handed over: no longer asked
    db_session.commit()
    return {"nadia": nadia, "pieter": pieter, "gone": gone, "sports": sports, "homework": handed}


def test_month_is_the_local_month():
    assert month_of(LATE_NOVEMBER) == dt.date(2026, 12, 1)
    assert month_of(dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)) == dt.date(2026, 11, 1)


def test_each_current_contact_of_an_open_or_paused_initiative_is_asked_once_a_month(db_session, world):
    now = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
    assert ask_contacts(db_session, now=now) == 3  # Nadia twice (open and paused), Pieter once (open)
    db_session.commit()
    rows = db_session.scalars(sa.select(ContactCheckIn)).all()
    assert {(row.professional_id, row.initiative.title) for row in rows} == {
        (world["nadia"].id, "Sports for women"), (world["nadia"].id, "Repair café"),
        (world["pieter"].id, "Homework help")}
    assert all(row.month == dt.date(2026, 11, 1) and row.answered_at is None for row in rows)
    inbox = db_session.scalars(sa.select(Notification).where(Notification.kind == "contact.check_in")).all()
    assert len(inbox) == 3
    assert f"/initiatives/{world['sports'].id}/my-month" in {message.link for message in inbox}
    # One mail per person, listing each of their initiatives with its page.
    mails = outbox_rows(db_session, kind="contact_check_in")
    assert sorted(mail.recipient for mail in mails) == sorted([world["nadia"].email, world["pieter"].email])
    nadia_mail = next(mail for mail in mails if mail.recipient == world["nadia"].email).message.decode()
    assert "Repair caf" in nadia_mail and f"/initiatives/{world['sports'].id}/my-month" in nadia_mail
    assert world["gone"].email not in {mail.recipient for mail in mails}

    # Later the same month nobody is asked again; the next month everyone is.
    assert ask_contacts(db_session, now=now + dt.timedelta(days=3)) == 0
    db_session.commit()
    assert len(outbox_rows(db_session, kind="contact_check_in")) == 2
    assert ask_contacts(db_session, now=now + dt.timedelta(days=10)) == 3


def test_asking_reads_the_same_for_many_contacts(db_session, make_user, world):
    def reads_to_ask(now) -> int:
        seen = []

        def listener(conn, cursor, statement, *args):
            seen.append(statement.lstrip().upper().startswith("SELECT"))

        sa.event.listen(db_session.get_bind(), "before_cursor_execute", listener)
        try:
            ask_contacts(db_session, now=now)
            db_session.flush()
        finally:
            sa.event.remove(db_session.get_bind(), "before_cursor_execute", listener)
        return sum(seen)

    few = reads_to_ask(dt.datetime(2026, 3, 25, tzinfo=dt.UTC))
    db_session.commit()
    for number in range(6):
        factories.initiative(db_session, title=f"Extra {number}", contact=make_user(Role.PROFESSIONAL))
    db_session.commit()
    many = reads_to_ask(dt.datetime(2026, 4, 25, tzinfo=dt.UTC))
    # Three questions or nine: the same reads (inserts grow with the people asked, reads do not).
    assert many == few


def test_answering_stores_and_a_second_answer_corrects_it(db_session, world):
    now = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
    ask_contacts(db_session, now=now)
    first = answer_contact_check_in(db_session, world["sports"], MonthAnswer(12, Burden.HEAVIER, True, "Too busy"),
                                    actor=world["nadia"], now=now + dt.timedelta(hours=2))
    again = answer_contact_check_in(db_session, world["sports"], MonthAnswer(10, Burden.SAME, False),
                                    actor=world["nadia"], now=now + dt.timedelta(days=2))
    db_session.commit()
    assert again.id == first.id
    rows = db_session.scalars(sa.select(ContactCheckIn).where(
        ContactCheckIn.initiative_id == world["sports"].id)).all()
    assert [(r.hours, r.burden, r.needs_help, r.comment) for r in rows] == [(10, "same", False, None)]
    assert rows[0].answered_at is not None


def test_an_answer_before_the_question_makes_the_month(db_session, world):
    now = dt.datetime(2026, 11, 3, 8, 0, tzinfo=dt.UTC)
    answer_contact_check_in(db_session, world["homework"], MonthAnswer(None, Burden.LIGHTER, False),
                            actor=world["pieter"], now=now)
    db_session.commit()
    assert ask_contacts(db_session, now=now + dt.timedelta(days=22)) == 2  # Nadia's two; Pieter answered already


@pytest.mark.parametrize("answer, field", [
    (MonthAnswer(-1, Burden.SAME, False), "hours"),
    (MonthAnswer(Limits.CONTACT_HOURS_PER_MONTH_MAX + 1, Burden.SAME, False), "hours"),
    (MonthAnswer(3, "much", False), "burden"),
    (MonthAnswer(3, Burden.SAME, False, "x" * (Limits.CHECK_IN_COMMENT + 1)), "comment"),
])
def test_bad_answers_are_refused(db_session, world, answer, field):
    with pytest.raises(InvalidInput) as refused:
        answer_contact_check_in(db_session, world["sports"], answer, actor=world["nadia"])
    assert refused.value.field == field


def test_only_a_current_contact_answers(db_session, world):
    with pytest.raises(NotFound):
        answer_contact_check_in(db_session, world["sports"], MonthAnswer(1, Burden.SAME, False), actor=world["pieter"])


def test_the_daily_job_asks_from_the_configured_day_once_a_month(app, db_session, world):
    spec = job_named("contact_check_ins")
    day = app.config["CONTACT_CHECK_IN_DAY"]

    def run(now):
        return spec.body(db_session, JobContext(now=now, scheduled_for=now, previous_success_at=None))

    assert run(dt.datetime(2026, 11, day - 1, 9, tzinfo=dt.UTC)) == {"asked": 0}
    assert run(dt.datetime(2026, 11, day, 9, tzinfo=dt.UTC)) == {"asked": 3}
    assert run(dt.datetime(2026, 11, day + 1, 9, tzinfo=dt.UTC)) == {"asked": 0}
    assert contact_check_ins.asking_day_reached(dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC), 31)
