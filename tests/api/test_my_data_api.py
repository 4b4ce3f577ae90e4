"""GET /api/v1/me/data: the resident's whole document, the same as the download, documented in the OpenAPI spec."""

from __future__ import annotations

import pytest

from coprod_match.models import Role
from tests import factories
from tests.factories import api_headers, client_for
from tests.web.test_my_data import DOCUMENT_KEYS, build_history


@pytest.fixture
def resident(app, db_session, make_user):
    contact = make_user(Role.PROFESSIONAL, name="Fatima the nurse", organisation="Zorg Den Haag")
    ayse = factories.profile(make_user(Role.CITIZEN, name="Ayse", email="ayse@example.org"), consents=True)
    sports = factories.initiative(db_session, title="Sports for women", contact=contact)
    build_history(db_session, ayse, sports, contact)
    db_session.commit()
    assert client_for(app, contact).get(f"/professionals/initiatives/{sports.id}").status_code == 200
    return ayse


def _without_time_of_making(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "generated_at"}


def test_a_token_gets_the_same_document_as_the_download(app, db_session, resident):
    headers = api_headers(db_session, resident, actor=resident)
    db_session.commit()
    answer = app.test_client().get("/api/v1/me/data", headers=headers)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    document = answer.get_json()
    assert list(document) == DOCUMENT_KEYS
    assert document["staff_looks"][0]["organisation"] == "Zorg Den Haag"
    assert "Fatima" not in str(document["staff_looks"])
    assert [token["name"] for token in document["api_tokens"]] == ["tests"]
    download = client_for(app, resident).get("/account/my-data.json").get_json()
    # The download's login is one more session; everything else is the same document.
    assert ({**_without_time_of_making(download), "login_sessions": []}
            == {**_without_time_of_making(document), "login_sessions": []})


def test_the_browser_session_works_too(app, resident):
    answer = client_for(app, resident).get("/api/v1/me/data")
    assert answer.status_code == 200 and answer.get_json()["account"]["email"] == "ayse@example.org"


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN])
def test_staff_get_a_problem_document_not_a_residents_data(app, db_session, make_user, resident, role):
    member = make_user(role)
    headers = api_headers(db_session, member, actor=member)
    db_session.commit()
    answer = app.test_client().get("/api/v1/me/data", headers=headers)
    assert answer.status_code == 403 and answer.mimetype == "application/problem+json"
    assert "ayse" not in answer.get_data(as_text=True)


def test_no_credentials_answer_401(app, resident):
    answer = app.test_client().get("/api/v1/me/data")
    assert answer.status_code == 401 and answer.mimetype == "application/problem+json"


def test_the_openapi_document_describes_every_key(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/me/data"]["get"]
    schema_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    assert list(schema["properties"]) == DOCUMENT_KEYS
    looks = spec["components"]["schemas"]["MyDataLook"]["properties"]
    assert set(looks) == {"at", "organisation", "role", "action"}
