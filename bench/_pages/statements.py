"""SQL statements per request, counted in process: the same app on the same database, the same logins.

A `before_cursor_execute` listener counts what each request sends. The first
request of a route may build caches (the matching snapshot, reference
labels); the count reported is the warm one, the most over the route's next
requests, as a worker serves it most of the time.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from coprod_match import create_app
from coprod_match.extensions import db


def count_statements(database_url: str, routes, logins: dict[str, str], password: str,
                     tokens: dict[str, str], env_extra: dict[str, str]) -> dict[str, dict]:
    """{route name: {"statements": warm count, "first": cold count, "status": last status}}."""
    from config import normalise_database_url

    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
                      "SECRET_KEY": "bench-only-statements", "WTF_CSRF_ENABLED": False,
                      "MAIL_BACKEND": "log", "SESSION_COOKIE_SECURE": False, "APP_ENV": "development",
                      "TWO_FACTOR_REQUIRED": False, "PRIVACY_ACCEPTANCE_REQUIRED": False,
                      **{key: int(value) for key, value in env_extra.items() if value.isdigit()}})
    # One log line per request is gunicorn's business here, not the counter's.
    logging.getLogger("coprod_match.requests").setLevel(logging.WARNING)
    counter = {"n": 0}
    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _count(*_args):
        counter["n"] += 1

    clients = {}
    for identity, email in logins.items():
        client = app.test_client()
        answer = client.post("/auth/login", data={"email": email, "password": password})
        if answer.status_code != 302:
            raise RuntimeError(f"in-process login as {email} answered {answer.status_code}")
        clients[identity] = (client, {})
    for identity, token in tokens.items():
        clients[identity] = (app.test_client(), {"Authorization": f"Bearer {token}"})
    clients["anonymous"] = (app.test_client(), {})

    found = {}
    try:
        for route in routes:
            client, headers = clients[route.identity]
            counts, status = [], None
            for path in route.paths[:4]:
                counter["n"] = 0
                answer = client.get(path, headers={"Accept-Language": "en", **headers})
                counts.append(counter["n"])
                status = answer.status_code
            found[route.name] = {"statements": max(counts[1:] or counts), "first": counts[0], "status": status}
    finally:
        sa.event.remove(engine, "before_cursor_execute", _count)
        with app.app_context():
            db.engine.dispose()
    return found
