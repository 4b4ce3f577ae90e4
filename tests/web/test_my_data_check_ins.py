"""My data shows the issue-16 data: attendance minutes, monthly check-in answers, thanks received, and a
professional's own contact check-ins; on the page, the printable page, the download and the API alike."""

from __future__ import annotations

import datetime as dt
import json

from coprod_match.models import (
    CheckInKind,
    ContactCheckIn,
    PlacementCheckIn,
    PlacementState,
    PlacementThanks,
    Role,
    VolunteerCheckIn,
    utcnow,
)
from coprod_match.services import my_data
from tests import factories
from tests.factories import api_headers, client_for


def test_my_data_holds_minutes_check_in_answers_thanks_and_contact_check_ins(app, db_session, make_user):
    fatima = make_user(Role.PROFESSIONAL, name="Fatima the nurse")
    ayse = make_user(Role.CITIZEN, name="Ayse")
    care = factories.day_care(db_session, contact=fatima)
    placement = factories.placement(db_session, ayse, care, PlacementState.ACTIVE)
    now = utcnow()
    db_session.add_all([
        PlacementCheckIn(placement_id=placement.id, kind=CheckInKind.CITIZEN_HELPED, recorded_by_id=ayse.id,
                         minutes=95),
        VolunteerCheckIn(placement_id=placement.id, month=dt.date(2026, 10, 1), token_hash="a" * 64,
                         expires_at=now, answered_at=now, answered_via="link", still_helping="yes",
                         appreciated=4, supported=2, too_much=5, comment="Tuesdays are long"),
        PlacementThanks(placement_id=placement.id, author_id=fatima.id, sentence="You made the mornings warm"),
        ContactCheckIn(initiative_id=care.id, professional_id=fatima.id, month=dt.date(2026, 10, 1),
                       answered_at=now, hours=14, burden="heavier", needs_help=True, comment="I need a colleague"),
    ])
    db_session.commit()

    client = client_for(app, ayse)
    for path in ("/account/my-data", "/account/my-data/print"):
        text = client.get(path).get_data(as_text=True)
        for expected in ("95 minutes", "October 2026", "I feel supported by the contact person: 2 of 5",
                         "It is too much for me: 5 of 5", "Tuesdays are long", "You made the mornings warm"):
            assert expected in text, (path, expected)
        assert "I need a colleague" not in text  # Fatima's own words are in her data, not Ayse's

    download = json.loads(client.get("/account/my-data.json").get_data(as_text=True))
    headers = api_headers(db_session, ayse, actor=ayse)
    db_session.commit()
    api = client_for(app).get("/api/v1/me/data", headers=headers).get_json()
    for document in (download, api):
        (place,) = document["placements"]
        assert place["check_ins"][0]["minutes"] == 95
        assert place["monthly_check_ins"][0] | {"asked_at": None, "answered_at": None} == {
            "month": "2026-10-01", "asked_at": None, "answered_at": None, "answered_via": "link",
            "still_helping": "yes", "appreciated": 4, "supported": 2, "too_much": 5, "comment": "Tuesdays are long"}
        assert place["thanks"]["sentence"] == "You made the mornings warm" and place["thanks"]["by"] == "professional"
        assert document["contact_check_ins"] == []

    (own,) = my_data.my_data_document(db_session, fatima)["contact_check_ins"]
    assert (own["initiative"]["id"], own["month"], own["hours"], own["burden"], own["needs_help"], own["comment"]) \
        == (care.id, "2026-10-01", 14, "heavier", True, "I need a colleague")
