"""From the bytes of a CSV file to a header and rows with their line numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..lazy_text import lazy_text as _l

MAX_ROWS = 10_000
# Dutch Excel writes semicolons, most other tools commas; some tools write tabs.
DELIMITERS = (",", ";", "\t")
# Excel understands a first line like "sep=;" and some files have one.
SEPARATOR_HINT = "sep="
# Spreadsheets treat a cell starting with one of these as a formula; exports put a ' before it.
FORMULA_STARTS = ("=", "+", "-", "@")


class FileProblem(Exception):
    """The file as a whole cannot be read: not a CSV file, not UTF-8, empty, too long."""

    def __init__(self, message, line: int | None = None):
        super().__init__(str(message))
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row: the line in the file where it starts (header = line 1) and its cells."""

    line: int
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CsvTable:
    header: tuple[str, ...]
    header_line: int
    rows: tuple[CsvRow, ...]
    delimiter: str


def decode(data: bytes) -> str:
    """Text from UTF-8 bytes, with or without a byte order mark."""
    if not data.strip():
        raise FileProblem(_l("The file is empty."))
    if b"\x00" in data:
        raise FileProblem(
            _l("This is not a CSV file. Save the spreadsheet as \"CSV UTF-8\" and try again.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileProblem(
            _l("The file is not saved as UTF-8. In Excel, choose \"Save as\" and then "
               "\"CSV UTF-8 (comma delimited)\"."),
            line=line,
        ) from None


def detect_delimiter(first_line: str) -> str:
    """The delimiter the header line uses most, counting only outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def normalise_column_name(name: str) -> str:
    """'Hours per week ' and 'hours_per_week' name the same column."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def clean_cell(value: str) -> str:
    """Trim spaces and undo the quote an export puts before formula-like text."""
    value = value.strip()
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def read_table(data: bytes, *, max_rows: int = MAX_ROWS) -> CsvTable:
    """Header and non-empty rows of a CSV file; raises FileProblem when it cannot be read."""
    text = decode(data)
    skipped_lines = 0
    first_line, _, rest = text.partition("\n")
    hint = first_line.strip().lower()
    if hint.startswith(SEPARATOR_HINT) and len(hint) == len(SEPARATOR_HINT) + 1:
        delimiter = first_line.strip()[-1]
        text = rest
        skipped_lines = 1
    else:
        delimiter = detect_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    header: tuple[str, ...] | None = None
    header_line = 0
    rows: list[CsvRow] = []
    previous_end = skipped_lines
    try:
        for values in reader:
            start = previous_end + 1
            previous_end = reader.line_num + skipped_lines
            cells = tuple(clean_cell(v) for v in values)
            if not any(cells):
                continue  # blank lines and rows of empty cells (";;;;" at the end of a sheet)
            if header is None:
                header = tuple(normalise_column_name(c) for c in cells)
                header_line = start
                continue
            rows.append(CsvRow(line=start, values=cells))
            if len(rows) > max_rows:
                raise FileProblem(
                    _l("The file has more than %(count)d rows. Split it into smaller files.",
                       count=max_rows)
                )
    except csv.Error as error:
        raise FileProblem(
            _l("This line cannot be read as CSV (%(reason)s).", reason=str(error)),
            line=previous_end + 1,
        ) from None
    if header is None:
        raise FileProblem(_l("The file is empty."))
    return CsvTable(header=header, header_line=header_line, rows=tuple(rows), delimiter=delimiter)
