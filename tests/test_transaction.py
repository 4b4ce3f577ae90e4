"""One unit of work per request, command and job: what commits, what rolls back, what follows a commit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coprod_match.domain_errors import DomainError
from coprod_match.extensions import db
from coprod_match.models import AuditEntry
from coprod_match.transaction import after_commit, unit_of_work, unit_of_work_view

# The tests add a route to the app they are given.
pytestmark = pytest.mark.own_app


class TooLate(DomainError):
    status = 409
    problem_type = "too-late"
    message = "Too late."


def _write(action: str) -> None:
    db.session.add(AuditEntry(actor_id=None, action=action, entity_type="test", entity_id=None, details={}))
    db.session.flush()


def _actions() -> list[str]:
    with db.engine.connect() as connection:
        return list(connection.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def views(app):
    """Views that write a row and then answer in different ways, each in a unit of work."""
    followed: list[str] = []

    def answer(how: str):
        _write(how)
        after_commit(db.session, lambda: followed.append(how))
        if how == "refused":
            raise TooLate()
        if how == "crashed":
            raise RuntimeError("boom")
        return ("bad input", 422) if how == "invalid" else "fine"

    app.add_url_rule("/test-unit/<how>", "test_unit", unit_of_work_view(answer))
    return followed


def test_an_answer_below_400_commits_and_then_runs_what_follows(app, views):
    response = app.test_client().get("/test-unit/stored")
    assert response.status_code == 200
    assert _actions() == ["stored"] and views == ["stored"]


@pytest.mark.parametrize("how, status", [("invalid", 422), ("refused", 409), ("crashed", 500)])
def test_an_error_answer_a_refusal_or_a_crash_rolls_everything_back(app, views, how, status):
    response = app.test_client().get(f"/test-unit/{how}", headers={"Accept": "application/json"})
    assert response.status_code == status
    assert _actions() == [] and views == []


def test_every_view_of_the_app_runs_in_a_unit_of_work(app):
    unwrapped = sorted(endpoint for endpoint, view in app.view_functions.items()
                       if endpoint != "static" and not getattr(view, "runs_in_unit_of_work", False))
    assert unwrapped == []


def test_a_command_block_commits_or_rolls_back_as_a_whole(app):
    followed: list[str] = []
    with unit_of_work():
        _write("kept")
        after_commit(db.session, lambda: followed.append("kept"))
    with pytest.raises(RuntimeError), unit_of_work():
        _write("dropped")
        after_commit(db.session, lambda: followed.append("dropped"))
        raise RuntimeError("the command failed")
    assert _actions() == ["kept"] and followed == ["kept"]
