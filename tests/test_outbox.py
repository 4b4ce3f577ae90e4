"""The mail outbox on SQLite and PostgreSQL, with a real SMTP server: never lost, never sent twice.

A mail is a row written with its change; the `mail_outbox` job sends it. A
message that cannot be built (a line break in a subject) is stored as failed
and breaks neither the request nor the job; a server that is away keeps the
mail waiting until it is back.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time

import pytest
import sqlalchemy as sa

from coprod_match.extensions import db
from coprod_match.jobs import registry
from coprod_match.jobs.registry import JOBS, JobSpec
from coprod_match.jobs.runner import run_job
from coprod_match.jobs.schedules import Every
from coprod_match.mail import send_after_commit
from coprod_match.models import Initiative, JobOutcome, JobRun, MailStatus, OutboxMail, Role, utcnow
from coprod_match.outbox import CLAIM_SECONDS, RetryRules, claim_next, send_due_mail
from coprod_match.services import invitations
from tests import factories
from tests.conftest import csrf_token
from tests.outbox import deliver_outbox, outbox_rows
from tests.smtp_server import Collect, SMTPServer, body_text

BROKEN_TITLE = "Tea afternoon\r\nBcc: everyone@example.org"


@pytest.fixture
def app_config_overrides():
    # Runs one second apart fall in different slots, and a retry is due a second later.
    return {"MAIL_OUTBOX_POLL_SECONDS": 1, "MAIL_RETRY_SECONDS": 1, "MAIL_RETRY_MAX_SECONDS": 4}


@pytest.fixture
def world(db_session, make_user):
    return factories.invitation_world(db_session, make_user)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _runs(session, job_name: str) -> list[JobRun]:
    session.expire_all()
    return list(session.scalars(sa.select(JobRun).where(JobRun.job_name == job_name).order_by(JobRun.id)))


def _next_second() -> None:
    """Wait for the next one-second slot, so the job's lease lets the next run in."""
    time.sleep(1.05 - (time.time() % 1))


# --- Must show: the server is away, the invitation is kept, its mail goes once when it is back -----------


def test_with_the_server_stopped_the_invitation_is_kept_and_its_mail_goes_once_when_it_is_back(
        app, world, db_session):
    port = _free_port()
    app.config["MAIL_PORT"] = port  # nothing listens yet
    professional = factories.client_for(app, world["contact"])
    path = f"/invitations/new/{world['day_care'].id}/{world['ayse'].id}"
    sent = professional.post(path, data={"csrf_token": csrf_token(professional, path), "message": "Come along?"})
    assert sent.status_code == 302
    (mail,) = outbox_rows(db_session)
    assert (mail.kind, mail.status, mail.attempts) == ("invitation", MailStatus.PENDING, 0)

    first = run_job(app, "mail_outbox", "scheduler-a")
    assert first.outcome == JobOutcome.SUCCEEDED and first.counts["retrying"] == 1
    (mail,) = outbox_rows(db_session)
    assert mail.status == MailStatus.PENDING and mail.attempts == 1 and mail.next_attempt_at > utcnow() - dt.timedelta(seconds=1)
    assert "ConnectionRefusedError" in mail.last_error

    server = SMTPServer(port=port).start()
    try:
        _next_second()
        time.sleep(1)  # the back-off of the first retry
        second = run_job(app, "mail_outbox", "scheduler-a")
        assert second.outcome == JobOutcome.SUCCEEDED and second.counts["sent"] == 1
        _next_second()
        assert run_job(app, "mail_outbox", "scheduler-a").outcome == "idle"  # nothing due: not logged
        assert [message["To"] for message in server.messages] == ["ayse@example.org"]
        assert world["day_care"].title in server.messages[0]["Subject"]
    finally:
        server.stop()
    (mail,) = outbox_rows(db_session)
    assert mail.status == MailStatus.SENT and mail.message is None and mail.sent_at is not None
    assert [run.outcome for run in _runs(db_session, "mail_outbox")] == ["succeeded", "succeeded"]


# --- Must show: a broken message is stored as failed, the others still go -------------------------------


def test_the_reminder_job_with_a_broken_message_records_the_failure_and_still_sends_the_others(
        app, world, db_session, make_user, smtp_server):
    other = factories.initiative(db_session, title="Walking group", contact=world["contact"])
    sara = factories.profile(make_user(Role.CITIZEN, name="Sara", email="sara@example.org"), consents=True)
    db_session.commit()
    eleven_days_ago = utcnow() - dt.timedelta(days=11)  # the reminder is due 4 days before the end
    for citizen, initiative in ((world["ayse"], world["day_care"]), (sara, other)):
        invitations.invite_citizen(db_session, citizen, initiative, actor=world["contact"], now=eleven_days_ago)
    db_session.commit()
    # A title stored before titles were checked: the subject of its mail cannot be built.
    db_session.execute(sa.update(Initiative).where(Initiative.id == world["day_care"].id).values(title=BROKEN_TITLE))
    db_session.commit()
    deliver_outbox()
    smtp_server.messages.clear()

    result = run_job(app, "invitation_reminders", "scheduler-a")
    assert result.outcome == JobOutcome.SUCCEEDED
    assert result.counts["reminded"] == 2 and result.counts["mails_not_built"] == 1
    reminders = outbox_rows(db_session, kind="invitation_reminder")
    failed = [mail for mail in reminders if mail.status == MailStatus.FAILED]
    assert len(failed) == 1 and failed[0].recipient == "ayse@example.org"
    assert "could not be built" in failed[0].last_error and "linefeed" in failed[0].last_error
    assert deliver_outbox()["sent"] == 1
    assert [message["To"] for message in smtp_server.messages] == ["sara@example.org"]
    assert all(run.outcome != JobOutcome.RUNNING for run in _runs(db_session, "invitation_reminders"))


def test_an_api_invitation_with_a_broken_title_is_kept_and_answers_without_a_500(app, world, db_session):
    db_session.execute(sa.update(Initiative).where(Initiative.id == world["day_care"].id).values(title=BROKEN_TITLE))
    db_session.commit()
    headers = factories.api_headers(db_session, world["contact"], actor=world["contact"])
    db_session.commit()
    answer = app.test_client().post("/api/v1/invitations", headers=headers, json={
        "citizen_id": world["ayse"].id, "initiative_id": world["day_care"].id})
    assert answer.status_code == 201, answer.get_json()
    (mail,) = outbox_rows(db_session)
    assert mail.status == MailStatus.FAILED and "could not be built" in mail.last_error


def test_the_api_refuses_a_title_with_a_line_break_with_422(app, world, db_session):
    headers = factories.api_headers(db_session, world["contact"], actor=world["contact"])
    db_session.commit()
    path = f"/api/v1/initiatives/{world['day_care'].id}"
    for title in (BROKEN_TITLE, "Tea\ttime", "Tea\u2028time"):
        answer = app.test_client().patch(path, headers=headers, json={"title": title})
        assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
        assert answer.get_json()["errors"][0]["pointer"] == "#/title"
    db_session.expire_all()
    assert "\n" not in db_session.get(Initiative, world["day_care"].id).title


def test_the_initiative_form_refuses_a_title_with_a_line_break(app, world, db_session):
    professional = factories.client_for(app, world["contact"])
    path = f"/professionals/initiatives/{world['day_care'].id}/edit"
    page = professional.get(path)
    assert page.status_code == 200
    answer = professional.post(path, data={"csrf_token": csrf_token(professional, path), "title": BROKEN_TITLE})
    assert answer.status_code == 422
    assert "Use one line, without line breaks" in answer.get_data(as_text=True)


# --- Sending: once, with back-off, and given up with the reason -------------------------------------------


def test_a_claimed_mail_is_not_claimed_again_until_its_claim_ends(app, db_session):
    send_after_commit(db_session, "amal@example.org", "Hello", "Text")
    db_session.commit()
    now = utcnow()
    first = claim_next(db.engine, now=now)
    assert first is not None and first.attempts == 1
    assert claim_next(db.engine, now=now + dt.timedelta(seconds=CLAIM_SECONDS - 1)) is None
    again = claim_next(db.engine, now=now + dt.timedelta(seconds=CLAIM_SECONDS + 1))  # its sender died
    assert again is not None and again.id == first.id and again.attempts == 2


def test_two_senders_at_once_send_every_mail_exactly_once(app, db_session, smtp_server):
    for number in range(30):
        send_after_commit(db_session, f"person{number}@example.org", f"Mail {number}", "Text")
    db_session.commit()
    config = dict(app.config)
    counts = []

    def sender():
        with app.app_context():
            counts.append(send_due_mail(db.engine, config))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(count["sent"] for count in counts) == 30
    recipients = [message["To"] for message in smtp_server.messages]
    assert sorted(recipients) == sorted(f"person{number}@example.org" for number in range(30))
    assert {mail.status for mail in outbox_rows(db_session)} == {MailStatus.SENT}


def test_retries_back_off_and_give_up_after_the_last_try(app, db_session):
    app.config.update(MAIL_PORT=_free_port(), MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_SECONDS=60,
                      MAIL_RETRY_MAX_SECONDS=100)
    rules = RetryRules.from_config(app.config)
    assert [rules.wait_after(n).total_seconds() for n in (1, 2, 3)] == [60, 100, 100]
    send_after_commit(db_session, "amal@example.org", "Hello", "Text")
    db_session.commit()
    now = utcnow()
    for attempt, later in ((1, 0), (2, 61), (3, 162)):
        counts = send_due_mail(db.engine, app.config, now=now + dt.timedelta(seconds=later))
        (mail,) = outbox_rows(db_session)
        assert mail.attempts == attempt
    assert counts == {"sent": 0, "retrying": 0, "failed": 1}
    assert mail.status == MailStatus.FAILED and mail.message is None and "ConnectionRefusedError" in mail.last_error
    assert send_due_mail(db.engine, app.config, now=now + dt.timedelta(days=1))["failed"] == 0


def test_an_address_the_server_refuses_for_good_fails_at_once_and_the_next_mail_goes(app, db_session):
    class Refusing(Collect):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("gone@"):
                return "550 no such mailbox"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    refusing = SMTPServer(handler=Refusing()).start()
    try:
        app.config["MAIL_PORT"] = refusing.port
        send_after_commit(db_session, "gone@example.org", "Hello", "Text")
        send_after_commit(db_session, "amal@example.org", "Hello", "Text")
        db_session.commit()
        assert deliver_outbox() == {"sent": 1, "retrying": 0, "failed": 1}
        assert [message["To"] for message in refusing.messages] == ["amal@example.org"]
    finally:
        refusing.stop()
    gone, amal = outbox_rows(db_session)
    assert gone.status == MailStatus.FAILED and gone.attempts == 1 and "550" in gone.last_error
    assert amal.status == MailStatus.SENT


def test_a_mail_whose_change_rolls_back_is_never_sent(app, db_session, smtp_server):
    send_after_commit(db_session, "amal@example.org", "Hello", "Text")
    db_session.rollback()
    assert outbox_rows(db_session) == [] and deliver_outbox()["sent"] == 0


def test_a_sent_mail_reads_as_built(app, db_session, smtp_server):
    send_after_commit(db_session, "amal@example.org", "Één uitnodiging", "Hallo Amal,\nTot dinsdag!",
                      "<p>Hallo Amal</p>")
    db_session.commit()
    deliver_outbox()
    (message,) = smtp_server.messages
    assert message["Subject"] == "Één uitnodiging" and message["From"] == app.config["MAIL_SENDER"]
    assert body_text(message).replace("\r\n", "\n").strip() == "Hallo Amal,\nTot dinsdag!"  # CRLF on the wire
    assert message.get_body(preferencelist=("html",)) is not None


# --- The runner: a run that raised is always recorded as failed --------------------------------------------


def _with_job(monkeypatch, body) -> None:
    spec = JobSpec("broken_job", body, lambda config: Every(3600))
    monkeypatch.setattr(registry, "JOBS", (*JOBS, spec))


def test_a_job_that_raises_in_the_middle_of_a_mail_loop_is_recorded_as_failed(app, db_session, monkeypatch):
    def body(session, context):
        send_after_commit(session, "one@example.org", "One", "Text")
        raise RuntimeError("the second mail broke")

    _with_job(monkeypatch, body)
    result = run_job(app, "broken_job", "scheduler-a")
    (run,) = _runs(db_session, "broken_job")
    assert result.outcome == run.outcome == JobOutcome.FAILED and "the second mail broke" in run.error
    assert run.finished_at is not None and outbox_rows(db_session) == []  # rolled back with the run


def test_a_job_whose_commit_fails_is_recorded_as_failed(app, db_session, monkeypatch):
    def body(session, context):
        session.add(OutboxMail(kind="x", recipient="a@example.org", status="not-a-status", attempts=0,
                               next_attempt_at=utcnow()))
        return {}

    _with_job(monkeypatch, body)
    assert run_job(app, "broken_job", "scheduler-a").outcome == JobOutcome.FAILED
    (run,) = _runs(db_session, "broken_job")
    assert run.outcome == JobOutcome.FAILED and run.finished_at is not None


def test_an_interrupted_job_is_recorded_as_failed_and_the_interrupt_goes_on(app, db_session, monkeypatch):
    def body(session, context):
        raise KeyboardInterrupt

    _with_job(monkeypatch, body)
    with pytest.raises(KeyboardInterrupt):
        run_job(app, "broken_job", "scheduler-a")
    (run,) = _runs(db_session, "broken_job")
    assert run.outcome == JobOutcome.FAILED


def test_counts_that_cannot_be_stored_make_a_failed_run_not_a_running_one(app, db_session, monkeypatch):
    _with_job(monkeypatch, lambda session, context: {"when": object()})
    run_job(app, "broken_job", "scheduler-a")
    (run,) = _runs(db_session, "broken_job")
    assert run.outcome == JobOutcome.FAILED and run.finished_at is not None
