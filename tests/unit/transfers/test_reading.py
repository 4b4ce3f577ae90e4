"""Reading CSV bytes: encodings, delimiters, quotes and line numbers (no app, no database)."""

from __future__ import annotations

import pytest

from coprod_match.transfers.reading import FileProblem, detect_delimiter, read_table


def test_comma_file_with_line_numbers():
    table = read_table(b"title,neighbourhood\nCoffee,Transvaal\nWalks,Moerwijk\n")
    assert table.delimiter == ","
    assert table.header == ("title", "neighbourhood")
    assert [(row.line, row.values) for row in table.rows] == [
        (2, ("Coffee", "Transvaal")),
        (3, ("Walks", "Moerwijk")),
    ]


def test_semicolons_and_byte_order_mark_as_dutch_excel_writes_them():
    data = "\ufefftitle;neighbourhood\r\nKoffie, thee en praat;Transvaal\r\n".encode()
    table = read_table(data)
    assert table.delimiter == ";"
    assert table.header == ("title", "neighbourhood")  # no BOM glued to the first name
    assert table.rows[0].values == ("Koffie, thee en praat", "Transvaal")


def test_quoted_cells_with_delimiters_quotes_and_line_breaks():
    data = (
        b'title,description,neighbourhood\n'
        b'"Coffee, tea","She said ""welcome""\nand stayed",Transvaal\n'
        b'Walks,plain,Moerwijk\n'
    )
    table = read_table(data)
    assert table.rows[0].values == ("Coffee, tea", 'She said "welcome"\nand stayed', "Transvaal")
    assert table.rows[0].line == 2
    assert table.rows[1].line == 4  # the physical line, after the cell that spans two lines


def test_blank_lines_and_rows_of_only_separators_are_skipped_but_counted():
    data = b"title;neighbourhood\n\n;\nCoffee;Transvaal\n;;\n"
    table = read_table(data)
    assert [(row.line, row.values[0]) for row in table.rows] == [(4, "Coffee")]


def test_excel_separator_hint_line():
    table = read_table(b"sep=;\ntitle;neighbourhood\nCoffee;Transvaal\n")
    assert table.delimiter == ";"
    assert table.header_line == 2
    assert table.rows[0].line == 3


def test_header_names_are_normalised():
    table = read_table(b"Title , Hours per week,start-date\nA,2,2026-01-01\n")
    assert table.header == ("title", "hours_per_week", "start_date")


def test_formula_guard_from_an_export_is_removed():
    table = read_table(b"title,tasks\n'=Coffee,'+Tea\n")
    assert table.rows[0].values == ("=Coffee", "+Tea")


@pytest.mark.parametrize("line, expected", [
    ("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ("single", ","),
    ('"a;b",c,d', ","),  # the semicolon is inside quotes
])
def test_detect_delimiter(line, expected):
    assert detect_delimiter(line) == expected


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_empty_files(data):
    with pytest.raises(FileProblem, match="empty"):
        read_table(data)


def test_binary_file_is_not_csv():
    with pytest.raises(FileProblem, match="not a CSV file"):
        read_table(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_not_utf8_names_the_line():
    data = "title,neighbourhood\nCaf\xe9,Transvaal\n".encode("latin-1")
    with pytest.raises(FileProblem, match="UTF-8") as caught:
        read_table(data)
    assert caught.value.line == 2


def test_too_many_rows():
    data = b"title\n" + b"x\n" * 11
    with pytest.raises(FileProblem, match="more than 10 rows"):
        read_table(data, max_rows=10)
