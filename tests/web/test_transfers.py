"""The import and export page: roles, the row report, and bad uploads that never give a 500."""

from __future__ import annotations

import io
import os

import pytest
import sqlalchemy as sa

from coprod_match.models import Initiative, Role, User
from tests.conftest import csrf_token
from tests.factories import client_for

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "coprod_match", "data", "examples")


def _example(kind: str) -> bytes:
    with open(os.path.join(EXAMPLES, f"{kind}.csv"), "rb") as handle:
        return handle.read()


@pytest.fixture
def coordinator_client(app, make_user):
    client = client_for(app, make_user(Role.COORDINATOR))
    return client


def _upload(client, data: bytes | None, *, kind="initiatives", filename="list.csv",
            check_only=False, token=True):
    form = {"kind": kind}
    if token:
        form["csrf_token"] = csrf_token(client, "/transfers/")
    if data is not None:
        form["file"] = (io.BytesIO(data), filename)
    if check_only:
        form["check_only"] = "y"
    return client.post("/transfers/", data=form, content_type="multipart/form-data")


def _count(db_session, model) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("role, status", [
    (Role.COORDINATOR, 200), (Role.ADMIN, 200), (Role.PROFESSIONAL, 403), (Role.CITIZEN, 403),
])
def test_who_may_open_the_page(app, make_user, role, status):
    client = client_for(app, make_user(role))
    assert client.get("/transfers/").status_code == status
    assert client.get("/transfers/initiatives.csv").status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client):
    for path in ("/transfers/", "/transfers/initiatives.csv", "/transfers/examples/citizens.csv"):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_nav_links_to_the_page_for_coordinators(coordinator_client):
    page = coordinator_client.get("/transfers/").get_data(as_text=True)
    assert 'href="/transfers/"' in page
    assert "There are no initiatives yet" in page  # the empty state of the export


def test_import_the_example_files(coordinator_client, db_session):
    response = _upload(coordinator_client, _example("initiatives"))
    assert response.status_code == 302
    page = coordinator_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "8 records are imported" in page
    response = _upload(coordinator_client, _example("citizens"), kind="citizens")
    assert response.status_code == 302
    assert _count(db_session, Initiative) == 8
    assert _count(db_session, User) == 11


def test_check_only_writes_nothing(coordinator_client, db_session, reference_data):
    response = _upload(coordinator_client, _example("initiatives"), check_only=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The file is fine: 8 rows can be imported" in page
    assert '<input checked id="check_only"' in page  # the choice is kept
    assert _count(db_session, Initiative) == 0


def test_bad_rows_are_listed_by_line_and_column(coordinator_client, db_session, reference_data):
    text = _example("initiatives").decode()
    lines = text.splitlines()
    lines[2] = lines[2].replace(",Transvaal,", ",Atlantis,")
    lines[5] = lines[5].replace("2026-03-06", "6 March")
    response = _upload(coordinator_client, "\n".join(lines).encode())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    assert "2 rows of 8 have a problem" in page
    assert "<td>3</td>" in page and "<code>neighbourhood</code>" in page
    assert "<td>6</td>" in page and "<code>start_date</code>" in page
    assert "&#34;6 March&#34; is not a date" in page or "&quot;6 March&quot; is not a date" in page
    assert _count(db_session, Initiative) == 0


@pytest.mark.parametrize("data, filename, message", [
    (None, "list.csv", "Choose a file."),
    (b"", "list.csv", "The file is empty."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "photo.png", "This is not a CSV file"),
    (b"PK\x03\x04\x14\x00\x06\x00", "list.xlsx", "This is a spreadsheet file, not a CSV file"),
    ("title,neighbourhood\nCaf\xe9,Transvaal\n".encode("latin-1"), "list.csv", "not saved as UTF-8"),
    (b"just some words\nthat are not a table\n", "notes.txt", "Unknown column"),
    (b'title,neighbourhood,start_date\n"' + b"x" * 200_000 + b'",Transvaal,2026-01-01\n',
     "list.csv", "cannot be read as CSV"),
])
def test_bad_files_get_a_clear_message(coordinator_client, reference_data, data, filename, message):
    response = _upload(coordinator_client, data, filename=filename)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_an_unknown_kind_is_a_form_error(coordinator_client, reference_data):
    response = _upload(coordinator_client, _example("initiatives"), kind="placements")
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_an_oversized_upload_gets_413_with_the_page(coordinator_client, reference_data):
    response = _upload(coordinator_client, b"title\n" + b"x" * (3 * 1024 * 1024))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "larger than 2 MB" in page
    assert 'name="csrf_token"' in page  # the form is there to try again


def test_upload_needs_a_csrf_token(coordinator_client, db_session, reference_data):
    response = _upload(coordinator_client, _example("initiatives"), token=False)
    assert response.status_code == 400
    assert _count(db_session, Initiative) == 0


def test_wrong_role_cannot_upload(app, make_user, db_session, reference_data):
    client = client_for(app, make_user(Role.PROFESSIONAL))
    token = csrf_token(client, "/auth/password")
    response = client.post("/transfers/", data={
        "csrf_token": token, "kind": "initiatives",
        "file": (io.BytesIO(_example("initiatives")), "list.csv"),
    }, content_type="multipart/form-data")
    assert response.status_code == 403
    assert _count(db_session, Initiative) == 0


def test_export_downloads(coordinator_client, reference_data):
    assert _upload(coordinator_client, _example("initiatives")).status_code == 302
    response = coordinator_client.get("/transfers/initiatives.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("id,title,")
    assert "active_volunteers" in body.splitlines()[0]
    assert len(body.splitlines()) == 9

    excel = coordinator_client.get("/transfers/initiatives.csv?excel=1").get_data()
    assert excel.startswith(b"\xef\xbb\xbfid;title;")

    page = coordinator_client.get("/transfers/").get_data(as_text=True)
    assert "8 initiatives, each with its number of active volunteers" in page


def test_example_files_download(coordinator_client):
    assert coordinator_client.get("/transfers/examples/citizens.csv").get_data() == _example("citizens")
    assert coordinator_client.get("/transfers/examples/other.csv").status_code == 404


def test_cell_text_in_messages_is_escaped(coordinator_client, reference_data):
    # Lazy translated messages count as safe HTML in Flask-Babel; the cell text inside must not.
    data = b"title,neighbourhood,start_date\nX,<script>alert(1)</script>,2026-01-01\n"
    page = _upload(coordinator_client, data).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_record_added_meanwhile_refuses_the_whole_file_beside_the_file_field(
        coordinator_client, db_session, reference_data, monkeypatch):
    from coprod_match.services import transfers

    def someone_was_faster(session, records, actor):
        raise sa.exc.IntegrityError("INSERT", {}, Exception("duplicate"))

    monkeypatch.setattr(transfers, "_write_initiatives", someone_was_faster)
    response = _upload(coordinator_client, _example("initiatives"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Someone added some of these records at the same moment. Nothing was imported." in page
    assert 'name="csrf_token"' in page  # the form is there to try again
    assert _count(db_session, Initiative) == 0
