"""Request bodies within bounds: too large (413), too deep (400), too long (422), all answered cheaply."""

from __future__ import annotations

import io
import json
import time

import pytest

from coprod_match.api.common import JSON_MAX_DEPTH, JSON_MAX_ITEMS
from coprod_match.models import Role
from tests import factories

PROBLEM = "application/problem+json"
# Generous for a loaded CI machine; the same requests took 18 s (2,000,000 items) before the limits.
QUICK_SECONDS = 0.5


@pytest.fixture
def citizen_api(app, db_session, make_user):
    citizen = make_user(Role.CITIZEN)
    headers = factories.api_headers(db_session, citizen, actor=None)
    db_session.commit()
    return app.test_client(), headers


def _timed(call):
    started = time.perf_counter()
    response = call()
    return response, time.perf_counter() - started


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == PROBLEM
    return response.get_json()


class _CountingStream(io.RawIOBase):
    """A request body that says how much of it the app read (nothing, for a body that is too large)."""

    def __init__(self, size: int):
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence] + offset
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.size - self.position)
        buffer[:count] = b" " * count
        self.position += count
        self.read_bytes += count
        return count


def test_a_50_mb_body_is_refused_before_it_is_read(citizen_api):
    client, headers = citizen_api
    body = _CountingStream(50 * 1024 * 1024)
    response, seconds = _timed(lambda: client.patch(
        "/api/v1/me", headers=headers, input_stream=body, content_length=body.size,
        content_type="application/json"))
    _problem(response, 413)
    assert body.read_bytes == 0
    assert seconds < QUICK_SECONDS


def test_a_two_million_item_list_is_refused_quickly(citizen_api):
    client, headers = citizen_api
    text = '{"interests": [' + ",".join(['"a"'] * 2_000_000) + "]}"
    response, seconds = _timed(lambda: client.patch("/api/v1/me", headers=headers, data=text,
                                                    content_type="application/json"))
    _problem(response, 413)  # 8 MB: far over MAX_CONTENT_LENGTH
    assert seconds < QUICK_SECONDS


def test_a_list_longer_than_any_field_takes_is_a_422_at_its_pointer(citizen_api):
    client, headers = citizen_api
    count = 20_000  # fits in the size limit: the walk refuses it, not marshmallow item by item
    response, seconds = _timed(lambda: client.patch(
        "/api/v1/me", headers=headers, json={"languages": [{"code": "tr", "level": "native"}],
                                             "interests": ["a"] * count}))
    body = _problem(response, 422)
    assert body["errors"] == [{"pointer": "#/interests", "detail": f"At most {JSON_MAX_ITEMS} items."}]
    assert seconds < QUICK_SECONDS
    nested = client.patch("/api/v1/me", headers=headers,
                          json={"languages": [{"code": ["x"] * (JSON_MAX_ITEMS + 1)}]})
    assert _problem(nested, 422)["errors"][0]["pointer"] == "#/languages/0/code"
    many_fields = client.patch("/api/v1/me", headers=headers,
                               json={f"field{number}": 1 for number in range(JSON_MAX_ITEMS + 1)})
    assert _problem(many_fields, 422)["errors"][0]["pointer"] == "#/"


@pytest.mark.parametrize("depth", [JSON_MAX_DEPTH + 1, 1_000, 100_000])
def test_deep_nesting_is_a_400_not_a_500(citizen_api, depth):
    client, headers = citizen_api
    text = '{"interests": ' + "[" * depth + "]" * depth + "}"
    response, seconds = _timed(lambda: client.patch("/api/v1/me", headers=headers, data=text,
                                                    content_type="application/json"))
    body = _problem(response, 400)
    assert "nested too deeply" in body["detail"]
    assert seconds < QUICK_SECONDS


def test_a_body_within_the_bounds_still_works(citizen_api):
    client, headers = citizen_api
    response = client.patch("/api/v1/me", headers=headers, json={
        "interests": [], "languages": [{"code": "tr", "level": "native"}], "wants_to_practise_dutch": True})
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json()["profile"]["wants_to_practise_dutch"] is True


@pytest.mark.parametrize("value", [1, 0, "true", "false", "yes", None, 1.0])
def test_strict_booleans_take_only_true_and_false(citizen_api, value):
    client, headers = citizen_api
    response = client.patch("/api/v1/me", headers=headers, json={"wants_to_practise_dutch": value})
    body = _problem(response, 422)
    assert body["errors"][0]["pointer"] == "#/wants_to_practise_dutch"
    for accepted in (True, False):
        ok = client.patch("/api/v1/me", headers=headers, json={"wants_to_practise_dutch": accepted})
        assert ok.status_code == 200 and ok.get_json()["profile"]["wants_to_practise_dutch"] is accepted


def test_page_forms_larger_than_the_limit_are_refused(client, reference_data, app):
    page = client.post("/auth/login", data={"email": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    assert page.status_code == 413
    assert "too large" in page.get_data(as_text=True)


def test_no_field_takes_more_entries_than_the_bounds_allow():
    """The bounds must never refuse a body a schema accepts: the longest list and the widest schema fit."""
    from coprod_match.api.schemas import initiatives, me
    from coprod_match.vocabulary import Limits

    widest = max(len(schema._declared_fields) for schema in (
        initiatives.InitiativeInputSchema, me.ProfileUpdateSchema))
    assert max(Limits.CODES_PER_LIST, Limits.TASKS_PER_KIND, widest) <= JSON_MAX_ITEMS
    assert json.loads("[" * JSON_MAX_DEPTH + "]" * JSON_MAX_DEPTH)  # the limit is far from the decoder's
