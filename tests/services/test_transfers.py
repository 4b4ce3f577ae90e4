"""CSV import and export against the database (SQLite and PostgreSQL).

The issue's Must-show: a 50-row initiatives file with 3 bad rows names all
three by line and imports nothing; fixed, it imports 50; a file with
semicolons and a byte order mark imports too.
"""

from __future__ import annotations

import csv
import io
import os

import pytest
import sqlalchemy as sa

from coprod_match.models import (
    AuditEntry,
    CitizenProfile,
    Consent,
    Initiative,
    InitiativeContact,
    PlacementState,
    Role,
    TaskKind,
    User,
)
from coprod_match.services.accounts import make_password_reset_token, user_from_password_reset_token
from coprod_match.services.transfers import import_csv, initiatives_for_export
from coprod_match.transfers.export import initiatives_csv
from coprod_match.transfers.reading import read_table
from coprod_match.transfers.validation import CITIZENS, INITIATIVES
from tests import factories

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "coprod_match", "data", "examples")
HEADER = ["title", "neighbourhood", "interests", "languages", "schedule", "tasks",
          "complementary_tasks", "volunteers_min", "volunteers_ideal", "start_date",
          "contact_emails"]
NEIGHBOURHOODS = ["Schilderswijk", "Transvaal", "Moerwijk", "Regentessekwartier", "Laakkwartier en Spoorwijk"]


def _initiatives_file(bad: dict[int, dict[str, str]] | None = None, *, delimiter: str = ",",
                      bom: bool = False) -> bytes:
    """50 initiative rows; `bad` replaces cells of some rows (by row index 0-49)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=HEADER, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    for number in range(50):
        row = {
            "title": f"Buurtinitiatief {number:02d}",
            "neighbourhood": NEIGHBOURHOODS[number % len(NEIGHBOURHOODS)],
            "interests": "meals|company",
            "languages": "nl|tr",
            "schedule": "mon-morning|wed-evening",
            "tasks": "Cook, together; with neighbours",  # the delimiters inside are quoted
            "complementary_tasks": "Make coffee",
            "volunteers_min": "1",
            "volunteers_ideal": "4",
            "start_date": "01-03-2026" if number % 2 else "2026-03-01",
            "contact_emails": "pin@example.org",
        }
        row.update((bad or {}).get(number, {}))
        writer.writerow(row)
    text = buffer.getvalue()
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


@pytest.fixture
def professional(make_user):
    return make_user(Role.PROFESSIONAL, email="pin@example.org")


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


def _count(db_session, model) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(model))


BAD_ROWS = {
    6: {"neighbourhood": "Atlantis"},  # line 8
    20: {"start_date": "31-02-2026"},  # line 22
    41: {"volunteers_min": "9"},  # line 43: more than the ideal 4
}


def test_three_bad_rows_of_fifty_are_named_and_nothing_is_imported(db_session, professional, coordinator):
    outcome = import_csv(db_session, INITIATIVES, _initiatives_file(BAD_ROWS), actor=coordinator)
    db_session.rollback()
    assert not outcome.ok
    assert outcome.rows == 50
    assert outcome.bad_lines == [8, 22, 43]
    assert [(p.line, p.column) for p in outcome.problems] == [
        (8, "neighbourhood"), (22, "start_date"), (43, "volunteers_min"),
    ]
    assert outcome.imported == 0
    assert _count(db_session, Initiative) == 0
    assert _count(db_session, AuditEntry) == 0


def test_with_the_rows_fixed_all_fifty_are_imported(db_session, professional, coordinator):
    outcome = import_csv(db_session, INITIATIVES, _initiatives_file(), actor=coordinator)
    db_session.commit()
    assert outcome.ok and outcome.imported == 50
    assert _count(db_session, Initiative) == 50
    first = db_session.scalar(sa.select(Initiative).where(Initiative.title == "Buurtinitiatief 07"))
    assert first.neighbourhood.name == "Moerwijk"
    assert [(t.title, t.kind) for t in first.tasks] == [
        ("Cook, together; with neighbours", TaskKind.CORE), ("Make coffee", TaskKind.COMPLEMENTARY),
    ]
    assert {i.code for i in first.interests} == {"meals", "company"}
    assert [c.professional_id for c in first.contacts] == [professional.id]
    assert first.created_by_id == coordinator.id
    assert _count(db_session, InitiativeContact) == 50
    (entry,) = db_session.scalars(sa.select(AuditEntry)).all()
    assert entry.action == "import.initiatives" and entry.details == {"rows": 50}
    assert entry.actor_id == coordinator.id


def test_semicolons_and_a_byte_order_mark_import_too(db_session, professional):
    data = _initiatives_file(delimiter=";", bom=True)
    assert data.startswith(b"\xef\xbb\xbf") and b";" in data.splitlines()[0]
    outcome = import_csv(db_session, INITIATIVES, data, actor=None)
    db_session.commit()
    assert outcome.ok and outcome.imported == 50


def test_dry_run_checks_everything_and_writes_nothing(db_session, professional):
    outcome = import_csv(db_session, INITIATIVES, _initiatives_file(), actor=None, dry_run=True)
    assert outcome.ok and outcome.rows == 50 and outcome.imported == 0
    db_session.rollback()
    assert _count(db_session, Initiative) == 0


def test_a_second_import_of_the_same_file_clashes_with_every_row(db_session, professional):
    assert import_csv(db_session, INITIATIVES, _initiatives_file(), actor=None).ok
    db_session.commit()
    again = import_csv(db_session, INITIATIVES, _initiatives_file(), actor=None)
    assert len(again.bad_lines) == 50
    assert _count(db_session, Initiative) == 50


def test_lookups_are_set_based(app, db_session, professional):
    """The number of queries does not grow with the number of rows."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    engine = db_session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        import_csv(db_session, INITIATIVES, _initiatives_file(), actor=None, dry_run=True)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    db_session.rollback()
    assert len(statements) <= 8, statements


def test_example_files_import(db_session, reference_data):
    for kind in (INITIATIVES, CITIZENS):
        with open(os.path.join(EXAMPLES, f"{kind}.csv"), "rb") as handle:
            outcome = import_csv(db_session, kind, handle.read(), actor=None)
        assert outcome.ok, [(p.line, p.column, str(p.message)) for p in outcome.problems]
        assert outcome.imported > 0
    db_session.commit()
    assert _count(db_session, Initiative) == 8
    assert _count(db_session, CitizenProfile) == 10


def test_imported_citizens_are_pending_until_they_confirm_and_can_reset_it(app, db_session, reference_data,
                                                                           make_user):
    make_user(Role.CITIZEN, email="taken@example.nl")
    data = (b"email;name;neighbourhood;languages;availability;consent_to_contact\n"
            b"Nieuw@Example.nl;Nieuwe Buur;schilderswijk;tr:native|nl:basic;mon-morning;ja\n"
            b"taken@example.nl;Al Bekend;Transvaal;;;\n")
    refused = import_csv(db_session, CITIZENS, data, actor=None)
    assert [(p.line, p.column) for p in refused.problems] == [(3, "email")]
    db_session.rollback()

    outcome = import_csv(db_session, CITIZENS, data.rsplit(b"\n", 2)[0] + b"\n", actor=None)
    db_session.commit()
    assert outcome.ok and outcome.imported == 1
    user = db_session.scalar(sa.select(User).where(User.email == "nieuw@example.nl"))
    assert user.password_hash is None and user.role == Role.CITIZEN
    assert user.is_pending and not user.is_enabled  # nobody sees them until they confirm
    profile = user.citizen_profile
    # The file's "ja" is the organisation's intention (an `imported` record), not the resident's consent.
    assert not profile.consent_to_contact and profile.consent_given_at is None
    (record,) = db_session.scalars(sa.select(Consent).where(Consent.user_id == user.id)).all()
    assert (record.source, record.kind, record.granted) == ("imported", "invitations", True)
    assert {(lang.language_code, lang.level) for lang in profile.languages} == {("tr", "native"), ("nl", "basic")}
    # "Forgot password" works for an account without a password.
    token = make_password_reset_token(user, app.config["SECRET_KEY"])
    assert user_from_password_reset_token(db_session, token, app.config["SECRET_KEY"], 3600) == user


def test_export_counts_active_volunteers_and_round_trips(db_session, professional, make_user):
    import_csv(db_session, INITIATIVES, _initiatives_file(), actor=None)
    db_session.commit()
    initiative = db_session.scalar(sa.select(Initiative).where(Initiative.title == "Buurtinitiatief 03"))
    for state in (PlacementState.ACTIVE, PlacementState.ACTIVE, PlacementState.APPLIED):
        factories.placement(db_session, make_user(Role.CITIZEN), initiative, state)
    db_session.commit()

    rows = {row.title: row for row in initiatives_for_export(db_session)}
    assert rows["Buurtinitiatief 03"].active_volunteers == 2
    assert rows["Buurtinitiatief 04"].active_volunteers == 0
    assert rows["Buurtinitiatief 03"].contact_emails == ("pin@example.org",)

    text = initiatives_csv(rows.values(), delimiter=";", byte_order_mark=True)
    table = read_table(text.encode())
    assert len(table.rows) == 50 and table.delimiter == ";"
    # Importing the export here clashes (they exist), but every cell is understood.
    outcome = import_csv(db_session, INITIATIVES, text.encode(), actor=None, dry_run=True)
    assert {p.column for p in outcome.problems} == {"title"}


def test_flask_import_command_must_show(runner, db_session, professional, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_initiatives_file(BAD_ROWS))
    result = runner.invoke(args=["import", "initiatives", str(bad)])
    assert result.exit_code != 0
    for line in (8, 22, 43):
        assert f"Line {line}, column" in result.output
    assert "Nothing was imported" in result.output
    assert _count(db_session, Initiative) == 0

    checked = runner.invoke(args=["import", "initiatives", str(bad.with_name("x")), "--dry-run"])
    assert checked.exit_code != 0  # a missing file is an error too

    good = tmp_path / "good.csv"
    good.write_bytes(_initiatives_file(delimiter=";", bom=True))
    dry = runner.invoke(args=["import", "initiatives", str(good), "--dry-run"])
    assert dry.exit_code == 0 and "Nothing was imported" in dry.output
    assert _count(db_session, Initiative) == 0
    result = runner.invoke(args=["import", "initiatives", str(good)])
    assert result.exit_code == 0, result.output
    assert "Imported 50 initiatives" in result.output
    assert _count(db_session, Initiative) == 50


def test_flask_import_citizens_and_export_commands(runner, db_session, reference_data, tmp_path):
    result = runner.invoke(args=["import", "citizens", os.path.join(EXAMPLES, "citizens.csv")])
    assert result.exit_code == 0, result.output
    assert "Imported 10 citizens" in result.output
    runner.invoke(args=["import", "initiatives", os.path.join(EXAMPLES, "initiatives.csv")])
    out = tmp_path / "export.csv"
    result = runner.invoke(args=["export", "initiatives", "--out", str(out), "--excel"])
    assert result.exit_code == 0, result.output
    table = read_table(out.read_bytes())
    assert table.delimiter == ";" and len(table.rows) == 8
    assert "active_volunteers" in table.header
