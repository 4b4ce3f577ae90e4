"""The check-in pages: from the mailed link without logging in, and in the app for the volunteer.

Bad input is shown again with the person's answers and a message beside the
field (422); a link works once; only the volunteer opens their own check-in.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from coprod_match.models import (
    Notification,
    PlacementCheckIn,
    PlacementState,
    Role,
    VolunteerCheckIn,
    utcnow,
)
from coprod_match.services.check_ins import ask_volunteers
from coprod_match.services.check_ins.links import check_in_token
from coprod_match.vocabulary import Limits
from tests import factories
from tests.conftest import csrf_token

LONG_AGO = utcnow() - dt.timedelta(days=40)


def _asked(app, session, make_user):
    contact = make_user(Role.PROFESSIONAL, name="Fatima")
    kitchen = factories.initiative(session, title="Samen koken", contact=contact)
    volunteer = make_user(Role.CITIZEN, name="Ayse")
    placement = factories.placement(session, volunteer, kitchen, since=LONG_AGO)
    session.commit()
    ask_volunteers(session, now=utcnow())
    session.commit()
    check_in = session.scalar(sa.select(VolunteerCheckIn))
    token = check_in_token(placement.id, check_in.month, check_in.expires_at, app.config["SECRET_KEY"])
    return contact, volunteer, placement, check_in, f"/check-in/{token}"


def _answer(client, path, **fields):
    data = {"csrf_token": csrf_token(client, path), **fields}
    return client.post(path, data=data)


def test_the_link_asks_without_login_refuses_bad_input_beside_the_field_and_works_once(app, db_session, make_user):
    _contact, _volunteer, placement, check_in, path = _asked(app, db_session, make_user)
    visitor = factories.client_for(app)
    page = visitor.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Are you still helping at" in html and "Samen koken" in html
    assert page.headers["Referrer-Policy"] == "no-referrer"
    for name in ("still_helping", "appreciated", "supported", "too_much", "comment", "end_reason", "note"):
        assert f'name="{name}"' in html
    # Every box says who reads it: the comment the coordinators, the stop's reason and note the contact.
    assert "Only coordinators read this." in html.split('id="comment-hint"')[1].split("</p>")[0]
    for box in ("end_reason", "note"):
        assert "Your contact person reads this." in html.split(f'id="{box}-hint"')[1].split("</p>")[0]
        assert f'aria-describedby="{box}-hint"' in html

    refused = _answer(visitor, path, still_helping="yes", appreciated="9", too_much="2",
                      comment="x" * (Limits.CHECK_IN_COMMENT + 1))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="appreciated-error"' in html and "Choose one of the five answers." in html
    assert 'id="supported-error"' in html and "Choose one answer." in html
    assert 'id="comment-error"' in html
    assert '<input checked id="too_much-1" name="too_much" type="radio" value="2">' in html  # kept as given
    assert db_session.scalar(sa.select(VolunteerCheckIn.answered_at)) is None

    thanks = _answer(visitor, path, still_helping="yes", appreciated="4", supported="5", too_much="1",
                     comment="Gezellig")
    assert thanks.status_code == 200 and "Thank you for your answers" in thanks.get_data(as_text=True)
    assert "Next month we ask again." in thanks.get_data(as_text=True)
    db_session.expire_all()
    assert (check_in.still_helping, check_in.appreciated, check_in.answered_via, check_in.comment) == (
        "yes", 4, "link", "Gezellig")
    assert db_session.scalar(sa.select(PlacementCheckIn.placement_id)) == placement.id

    again = visitor.get(path)
    assert again.status_code == 400 and "You already answered these questions" in again.get_data(as_text=True)
    posted_again = visitor.post(path, data={"still_helping": "stopped", "end_reason": "no_time"})
    assert posted_again.status_code == 400
    db_session.expire_all()
    assert check_in.still_helping == "yes" and placement.state == PlacementState.ACTIVE


def test_stopping_from_the_link_asks_why_and_tells_the_contact(app, db_session, make_user):
    contact, _volunteer, placement, _check_in, path = _asked(app, db_session, make_user)
    visitor = factories.client_for(app)
    refused = _answer(visitor, path, still_helping="stopped", note="Ik verhuis")
    assert refused.status_code == 422 and 'id="end_reason-error"' in refused.get_data(as_text=True)
    assert "Ik verhuis" in refused.get_data(as_text=True)
    stopped = _answer(visitor, path, still_helping="stopped", end_reason="moved", note="Ik verhuis")
    assert stopped.status_code == 200
    assert "Next month we ask again" not in stopped.get_data(as_text=True)
    db_session.expire_all()
    assert (placement.state, placement.end_reason) == ("ended", "moved")
    assert db_session.scalar(sa.select(Notification.kind).where(Notification.user_id == contact.id)) \
        == "placement.stopped"


def test_an_expired_or_broken_link_gets_a_friendly_page(app, db_session, make_user):
    _contact, _volunteer, _placement, _check_in, path = _asked(app, db_session, make_user)
    visitor = factories.client_for(app)
    broken = visitor.get(path[:-3] + "abc")
    assert broken.status_code == 400 and "This link does not work" in broken.get_data(as_text=True)
    db_session.execute(sa.update(VolunteerCheckIn).values(expires_at=utcnow() - dt.timedelta(minutes=1)))
    db_session.commit()
    expired = visitor.get(path)
    assert expired.status_code == 400 and "The time to answer these questions is over" in expired.get_data(as_text=True)


def test_in_the_app_only_the_volunteer_answers_their_own_check_in(app, db_session, make_user):
    contact, volunteer, placement, check_in, _path = _asked(app, db_session, make_user)
    path = f"/my/check-ins/{check_in.id}"
    assert factories.client_for(app, make_user(Role.CITIZEN)).get(path).status_code == 404
    assert factories.client_for(app, contact).get(path).status_code == 403
    assert factories.client_for(app).get(path).status_code in (302, 401)

    client = factories.client_for(app, volunteer)
    mine = client.get("/citizens/initiatives").get_data(as_text=True)
    assert "Answer this month's questions" in mine and path in mine
    paused = _answer(client, path, still_helping="paused", appreciated="2", supported="3", too_much="5")
    assert paused.status_code == 200
    assert "Next month we ask again" not in paused.get_data(as_text=True)
    assert "We do not send you these questions during your break." in paused.get_data(as_text=True)
    db_session.expire_all()
    assert placement.state == PlacementState.PAUSED and check_in.answered_via == "app"
    assert path not in client.get("/citizens/initiatives").get_data(as_text=True)
    assert client.get(path).status_code == 302  # answered: back to My initiatives, which says so
    said = client.get(path, follow_redirects=True).get_data(as_text=True)
    assert "You already answered these questions. Thank you!" in said and "The link works only once" not in said
    posted_again = client.post(path, data={"csrf_token": csrf_token(client, "/citizens/initiatives"),
                                           "still_helping": "yes"}, follow_redirects=True)
    assert "You already answered these questions. Thank you!" in posted_again.get_data(as_text=True)
    db_session.expire_all()
    assert check_in.still_helping == "paused"
