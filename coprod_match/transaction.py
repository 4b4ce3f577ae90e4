"""One unit of work per request, command and job: one place commits, or rolls back.

Services change the session and flush; they never commit. Every HTML and API
view runs inside `unit_of_work_view`, which commits when the answer is below
400 and rolls back when the view raised or answered 400 or more. Commands and
job bodies run inside `unit_of_work()`, which commits at the end of the block
or rolls back if it raised.

What must happen only once the change is stored (mail, refreshing matching)
is registered by the service that causes it with `after_commit`: it runs
after the outermost commit, whoever commits, and is dropped on rollback.

What happened even when the answer is a refusal is registered with
`keep_on_refusal`: a page answered 4xx (a form shown again with its errors)
is rolled back, and then those rows alone are written. A staff look at a
resident on such a page is still a look (services/audit.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

import sqlalchemy as sa
from sqlalchemy import orm

log = logging.getLogger("coprod_match.transaction")

_AFTER_COMMIT_KEY = "coprod_match.after_commit"
_KEEP_ON_REFUSAL_KEY = "coprod_match.keep_on_refusal"


def after_commit(session: orm.Session, action: Callable[[], None]) -> None:
    """Run `action` once `session` commits its outermost transaction; forget it on rollback."""
    session.info.setdefault(_AFTER_COMMIT_KEY, []).append(action)


def keep_on_refusal(session: orm.Session, make_row: Callable[[], object]) -> None:
    """Write the row `make_row` builds even when this request answers 4xx and its changes are rolled back."""
    session.info.setdefault(_KEEP_ON_REFUSAL_KEY, []).append(make_row)


@sa.event.listens_for(orm.Session, "after_commit")
def _run_after_commit(session: orm.Session) -> None:
    session.info.pop(_KEEP_ON_REFUSAL_KEY, None)  # stored with the rest
    for action in session.info.pop(_AFTER_COMMIT_KEY, None) or ():
        try:
            action()
        except Exception:
            # The change is stored; a failed follow-up must not turn it into an error page.
            log.exception("an action after commit failed")


@sa.event.listens_for(orm.Session, "after_soft_rollback")
def _forget_after_commit(session: orm.Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction rolled back
        session.info.pop(_AFTER_COMMIT_KEY, None)
        session.info.pop(_KEEP_ON_REFUSAL_KEY, None)


@contextmanager
def unit_of_work(session: orm.Session | None = None) -> Iterator[orm.Session]:
    """Commit what the block did, or roll all of it back if it raised: for commands and jobs."""
    if session is None:
        from .extensions import db

        session = db.session
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    session.commit()


def unit_of_work_view(view: Callable) -> Callable:
    """Wrap a view: commit below 400, roll back on 400 and above or when it raised."""
    from flask import current_app

    from .extensions import db

    @wraps(view)
    def in_unit_of_work(*args, **kwargs):
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except BaseException:
            db.session.rollback()
            raise
        if response.status_code < 400:
            db.session.commit()
        else:
            _roll_back_keeping(db.session)
        return response

    in_unit_of_work.runs_in_unit_of_work = True  # read by the tests that check every view has one
    return in_unit_of_work


def _roll_back_keeping(session: orm.Session) -> None:
    """Roll back a refused request, then store only what was registered with `keep_on_refusal`."""
    keep = session.info.pop(_KEEP_ON_REFUSAL_KEY, None)
    session.rollback()
    if keep:
        session.add_all(make_row() for make_row in keep)
        session.commit()


def init_app(app) -> None:
    """Put every view registered so far (call after the blueprints) in a unit of work."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = unit_of_work_view(view)
