"""Rows to records: every bad row named by line and column, clashes and duplicates found."""

from __future__ import annotations

import datetime as dt

from coprod_match.schedule import slot_bit
from coprod_match.transfers.reading import read_table
from coprod_match.transfers.validation import Lookups, validate_citizens, validate_initiatives

LOOKUPS = Lookups(
    neighbourhoods={"transvaal": 1, "schilderswijk": 2},
    interests={"meals": "meals", "cooking and shared meals": "meals", "company": "company"},
    target_groups={"elderly": "elderly", "newcomers": "newcomers"},
    languages={"tr": "tr", "nl": "nl", "ar": "ar"},
    professionals={"linking.pin@example.nl": 7},
    taken_emails=frozenset({"taken@example.nl"}),
    existing_initiatives=frozenset({("old club", 1)}),
)

INITIATIVE_HEADER = ("title,description,neighbourhood,status,interests,tasks,complementary_tasks,"
                     "languages,schedule,volunteers_min,volunteers_ideal,start_date,end_date,"
                     "contact_emails\n")


def _initiatives(*rows: str):
    return validate_initiatives(read_table((INITIATIVE_HEADER + "\n".join(rows)).encode()), LOOKUPS)


def _where(validation):
    return [(p.line, p.column) for p in validation.problems]


def test_a_good_initiative_row():
    result = _initiatives(
        'Samen koken,"Cook, eat, talk",Transvaal,open,Cooking and shared meals|company,'
        "Cook|Shop,Wash up,tr|nl,wed-evening,1,4,01-02-2026,,Linking.Pin@example.nl"
    )
    assert result.ok, result.problems
    (record,) = result.records
    assert record.line == 2
    assert record.description == "Cook, eat, talk"
    assert record.neighbourhood_id == 1
    assert record.interests == ("meals", "company")
    assert record.core_tasks == ("Cook", "Shop") and record.complementary_tasks == ("Wash up",)
    assert record.schedule_slots == slot_bit("wed", "evening")
    assert record.start_date == dt.date(2026, 2, 1) and record.end_date is None
    assert record.contact_ids == (7,)


def test_defaults_for_empty_optional_cells():
    (record,) = _initiatives("Walks,,schilderswijk,,,,,,,,,2026-01-01,,").records
    assert (record.status, record.volunteers_min, record.volunteers_ideal) == ("open", 1, 3)
    assert record.hours_per_week == 2 and record.welcomes_dutch_learners is False


def test_every_bad_cell_is_reported_with_line_and_column():
    result = _initiatives(
        "Good,,Transvaal,,,,,,,,,2026-01-01,,",
        ",,Atlantis,sleeping,knitting,,,xx,someday,5,2,2026-13-01,,nobody@example.nl",
        "Ends early,,Transvaal,,,,,,,,,2026-05-01,2026-04-01,",
    )
    assert not result.ok
    assert result.bad_lines == [3, 4]
    assert set(_where(result)) == {
        (3, "title"), (3, "neighbourhood"), (3, "status"), (3, "interests"), (3, "languages"),
        (3, "schedule"), (3, "start_date"), (3, "volunteers_min"), (3, "contact_emails"),
        (4, "end_date"),
    }
    assert [r.line for r in result.records] == [2]


def test_duplicates_in_the_file_and_clashes_with_existing_initiatives():
    result = _initiatives(
        "Walks,,Transvaal,,,,,,,,,2026-01-01,,",
        "WALKS,,transvaal,,,,,,,,,2026-01-01,,",
        "Walks,,Schilderswijk,,,,,,,,,2026-01-01,,",  # same title elsewhere is another initiative
        "Old Club,,Transvaal,,,,,,,,,2026-01-01,,",
    )
    assert _where(result) == [(3, "title"), (5, "title")]
    assert "line 2" in str(result.problems[0].message)
    assert "already exists" in str(result.problems[1].message)


def test_unknown_missing_and_doubled_columns_are_reported_on_line_1():
    table = read_table(b"title,titel,title,description\nWalks,x,y,z\n")
    result = validate_initiatives(table, LOOKUPS)
    assert sorted(_where(result)) == [
        (1, "neighbourhood"), (1, "start_date"), (1, "titel"), (1, "title"),
    ]
    assert result.records == []


def test_export_only_columns_are_ignored():
    table = read_table(b"id,title,neighbourhood,district,active_volunteers,start_date\n"
                       b"9,Walks,Transvaal,Centrum,4,2026-01-01\n")
    assert validate_initiatives(table, LOOKUPS).ok


def test_rows_with_the_wrong_number_of_cells():
    result = _initiatives("Walks,,Transvaal,,,,,,,,,2026-01-01,", "Runs,,Transvaal,,,,,,,,,2026-01-01,,,x")
    assert _where(result) == [(2, None), (3, None)]
    assert "13 cells" in str(result.problems[0].message)


CITIZEN_HEADER = ("email;name;neighbourhood;preferred_locale;languages;interests;"
                  "wants_to_practise_dutch;availability;max_hours_per_week;max_initiatives;"
                  "consent_to_contact\n")


def _citizens(*rows: str):
    return validate_citizens(read_table((CITIZEN_HEADER + "\n".join(rows)).encode()), LOOKUPS)


def test_a_good_citizen_row():
    result = _citizens("Fatma@Example.nl;Fatma Y\u0131lmaz;Schilderswijk;nl;tr:native|nl:basic;meals;"
                       "ja;wed-evening|sat-morning;4;2;yes")
    assert result.ok, result.problems
    (record,) = result.records
    assert record.email == "fatma@example.nl"
    assert record.languages == (("tr", "native"), ("nl", "basic"))
    assert record.wants_to_practise_dutch and record.consent_to_contact
    assert record.availability_slots == slot_bit("wed", "evening") | slot_bit("sat", "morning")


def test_citizen_problems_duplicates_and_existing_accounts():
    result = _citizens(
        "a@example.nl;A;Transvaal;;;;;;;;",
        "A@example.nl;A again;Transvaal;;;;;;;;",
        "taken@example.nl;Taken;Transvaal;;;;;;;;",
        "not-an-address;;Nowhere;fr;tr;;perhaps;mon-night;0;11;",
    )
    assert _where(result) == [
        (3, "email"), (4, "email"),
        (5, "email"), (5, "name"), (5, "neighbourhood"), (5, "preferred_locale"), (5, "languages"),
        (5, "wants_to_practise_dutch"), (5, "availability"), (5, "max_hours_per_week"),
        (5, "max_initiatives"),
    ]
    assert [r.line for r in result.records] == [2]


def test_the_import_takes_as_many_volunteers_as_the_form_and_the_api_and_no_more():
    from coprod_match.vocabulary import Limits

    def ideal(count: int):
        return _initiatives(
            f'Samen koken,"Cook, eat, talk",Transvaal,open,,,,,,1,{count},01-02-2026,,'
        )

    assert ideal(Limits.VOLUNTEERS_MAX).ok
    too_many = ideal(Limits.VOLUNTEERS_MAX + 1)
    assert _where(too_many) == [(2, "volunteers_ideal")]


def test_a_title_with_a_line_break_is_refused_because_it_goes_into_mail_subjects():
    result = _initiatives(
        '"Samen\r\nBcc: all@example.org","Cook, eat, talk",Transvaal,open,company,'
        "Cook,,nl,wed-evening,1,4,01-02-2026,,",
        "Samen\tkoken,Talk,Transvaal,open,company,Cook,,nl,wed-evening,1,4,01-02-2026,,",
    )
    assert not result.ok and result.records == []
    titles = [p for p in result.problems if p.column == "title"]
    assert len(titles) == 2 and all("one line" in str(p.message) for p in titles)


def test_who_can_join_columns_are_optional_and_checked():
    header = "title,neighbourhood,start_date,open_to,min_age,max_age\n"
    result = validate_initiatives(read_table((header + "\n".join([
        "Sportief Samen,Transvaal,2026-01-01,Vrouwen,18,",
        "Walks,Transvaal,2026-01-01,,,",
        "Bad,Transvaal,2026-01-01,children,50,40",
    ])).encode()), LOOKUPS)
    assert _where(result) == [(4, "open_to"), (4, "max_age")]
    sports, walks = result.records
    assert (sports.open_to, sports.min_age, sports.max_age) == ("women", 18, None)
    assert (walks.open_to, walks.min_age, walks.max_age) == ("everyone", None, None)
