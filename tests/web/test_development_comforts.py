"""Development comforts: `make run PORT=...`, links to where the site runs, readable development mail.

Production keeps its rules (tests/web/test_hardening.py): every link from
PUBLIC_BASE_URL, never from a request.
"""

from __future__ import annotations

import email
import email.policy
import importlib
import logging
import os
import re

import pytest

import config
from config import ProductionConfig
from coprod_match import create_app
from coprod_match.links import page_url
from coprod_match.mail import send_after_commit
from coprod_match.models import Role
from coprod_match.services import invitations as invitation_service
from tests import factories
from tests.outbox import deliver_outbox, outbox_rows

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVED_ON = "http://127.0.0.1:8000"


@pytest.fixture
def app_config_overrides(tmp_path):
    # A development app as `make run PORT=8000` starts it, when PUBLIC_BASE_URL is not set.
    return {"APP_ENV": "development", "PUBLIC_BASE_URL_FROM_REQUEST": True, "SERVER_NAME": None,
            "MAIL_LOG_FOLDER": str(tmp_path / "mail")}


def test_make_run_takes_a_port():
    with open(os.path.join(ROOT, "Makefile"), encoding="utf-8") as handle:
        makefile = handle.read()
    assert re.search(r"^PORT \?= 5000$", makefile, re.MULTILINE)
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert 'echo "Open http://127.0.0.1:$(PORT) in your browser.' in run
    assert "--port $(PORT)" in run and "--port 5000" not in run
    # Both processes know the port: the scheduler's mails link to it too.
    assert "PORT=$(PORT) $(FLASK) scheduler run" in run and "PORT=$(PORT) $(FLASK) run" in run
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        assert "make run PORT=8000" in handle.read()


def test_the_development_config_follows_the_port_unless_an_address_is_set(monkeypatch):
    monkeypatch.setenv("PORT", "8000")
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    try:
        importlib.reload(config)
        assert config.DevelopmentConfig.PUBLIC_BASE_URL == SERVED_ON
        assert config.DevelopmentConfig.PUBLIC_BASE_URL_FROM_REQUEST is True
        monkeypatch.setenv("PUBLIC_BASE_URL", "https://wijk.example")
        importlib.reload(config)
        assert config.DevelopmentConfig.PUBLIC_BASE_URL == "https://wijk.example"
        assert config.DevelopmentConfig.PUBLIC_BASE_URL_FROM_REQUEST is False
        assert config.ProductionConfig.PUBLIC_BASE_URL_FROM_REQUEST is False
    finally:
        monkeypatch.undo()
        importlib.reload(config)


def test_a_reset_link_asked_for_on_port_8000_points_to_port_8000(client, db_session, make_user):
    make_user(Role.CITIZEN, email="amal@example.org")
    page = client.get("/auth/password/forgot", base_url=SERVED_ON)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post("/auth/password/forgot", base_url=SERVED_ON,
                           data={"email": "amal@example.org", "csrf_token": token})
    assert response.status_code == 302
    (row,) = outbox_rows(db_session)
    message = email.message_from_bytes(row.message, policy=email.policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert re.search(re.escape(SERVED_ON) + r"/auth/password/reset/\S+", text), text


def test_an_invitation_sent_on_port_8000_links_there_and_the_scheduler_uses_public_base_url(app, db_session,
                                                                                            make_user):
    world = factories.invitation_world(db_session, make_user)
    with app.test_request_context("/", base_url=SERVED_ON):
        invitation_service.invite_citizen(db_session, world["ayse"], world["day_care"], actor=world["contact"])
    db_session.commit()
    (row,) = outbox_rows(db_session, kind="invitation")
    assert f"{SERVED_ON}/invitations/link/".encode() in row.message
    # Without a request (the scheduler), PUBLIC_BASE_URL says where the site is: make run gives it the PORT.
    assert page_url("auth.login") == app.config["PUBLIC_BASE_URL"] + "/auth/login"


def test_production_never_takes_links_from_the_request(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    settings = type("Production", (ProductionConfig,), {
        "SECRET_KEY": "production-test-" + "0" * 32, "SQLALCHEMY_DATABASE_URI": None,
        "RATELIMIT_STORAGE_URI": "memory://", "PUBLIC_BASE_URL": "https://wijk.example",
        "PUBLIC_BASE_URL_FROM_REQUEST": True})
    production = create_app(settings)
    assert production.config["PUBLIC_BASE_URL_FROM_REQUEST"] is False
    with production.test_request_context("/", base_url="http://evil.example"):
        assert page_url("auth.login") == "https://wijk.example/auth/login"


def test_development_mail_is_logged_readable_and_kept_as_an_eml_file(app, db_session, tmp_path, caplog):
    app.config["MAIL_BACKEND"] = "log"
    link = SERVED_ON + "/invitations/link/" + "x" * 120  # longer than any quoted-printable line
    send_after_commit(db_session, "ayse@example.org", "Uitnodiging: Coöperatie Moerwijk",
                      f"Hallo Ayşe,\n\nOpen deze link:\n{link}\n", f"<p><a href='{link}'>Open</a></p>",
                      kind="test")
    db_session.commit()
    logger = logging.getLogger("coprod_match.mail")
    logger.addHandler(caplog.handler)  # the app's loggers do not pass records up to the root
    try:
        with caplog.at_level(logging.INFO, logger="coprod_match.mail"):
            assert deliver_outbox()["sent"] == 1
    finally:
        logger.removeHandler(caplog.handler)
    logged = caplog.text
    assert "Subject: Uitnodiging: Coöperatie Moerwijk" in logged and "To: ayse@example.org" in logged
    assert "Hallo Ayşe," in logged and link in logged  # decoded text, the link whole on one line
    assert "Content-Transfer-Encoding" not in logged and "=\n" not in logged
    (kept,) = os.listdir(tmp_path / "mail")
    assert kept.endswith(".eml")
    assert oct(os.stat(tmp_path / "mail").st_mode & 0o777) == "0o700"
    with open(tmp_path / "mail" / kept, "rb") as handle:
        message = email.message_from_bytes(handle.read(), policy=email.policy.default)
    assert message["Subject"] == "Uitnodiging: Coöperatie Moerwijk"
    assert link in message.get_body(preferencelist=("plain",)).get_content()


def test_development_mail_is_kept_in_the_instance_folder_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    development = create_app({"SECRET_KEY": "development-test-key", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert development.config["MAIL_LOG_FOLDER"] == os.path.join(str(tmp_path), "mail")
