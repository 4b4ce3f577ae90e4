"""`write_rows`: many rows into one table, as fast as the database allows.

Seeding a city writes about a million rows. On PostgreSQL an INSERT, even
in an executemany, costs a statement per row; COPY streams all rows of a
table in one statement (psycopg 3's `cursor.copy`), about ten times faster.
Other databases (SQLite), or PostgreSQL through another driver, get plain
executemany in large batches.

Both run on the session's own connection, inside its transaction: the
caller still commits or rolls back everything at once. Ids are not written:
each row takes the next value of its table's sequence (serial default), so
the sequences are where the app's later inserts expect them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

BATCH_SIZE = 20_000

Row = Mapping[str, Any]


def write_rows(session: orm.Session, target, rows: Iterable[Row]) -> int:
    """Insert `rows` (dicts by column name, all with the same keys) into a model's table.

    Returns how many rows were written. Does not commit.
    """
    table: sa.Table = getattr(target, "__table__", target)
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    rows = itertools.chain([first], rows)
    names = list(first)
    _check_complete(table, names)
    session.flush()  # whatever the session holds goes first, as an INSERT would
    connection = session.connection()
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        return _copy(connection, table, names, rows)
    return _executemany(connection, table, rows)


def _check_complete(table: sa.Table, names: list[str]) -> None:
    """Refuse rows that leave out a column with a Python-side default.

    COPY does not run SQLAlchemy's defaults; rows must say every value an
    INSERT would have filled in, so both paths write the same rows.
    """
    missing = [
        column.name for column in table.columns
        if column.name not in names and column.default is not None
        and not (column.primary_key and column.autoincrement in (True, "auto"))
    ]
    if missing:
        raise ValueError(f"rows for {table.name} lack columns with defaults: {missing}")


def _copy(connection: sa.Connection, table: sa.Table, names: list[str],
          rows: Iterator[Row]) -> int:
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    # The columns' own bind processing (UTC for UTCDateTime), as an INSERT would apply it.
    processors = [
        (name, table.c[name].type.bind_processor(dialect)) for name in names
    ]
    statement = (
        f"COPY {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(name) for name in names)}) FROM STDIN"
    )
    count = 0
    driver_connection = connection.connection.driver_connection
    with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([
                row[name] if process is None or row[name] is None else process(row[name])
                for name, process in processors
            ])
            count += 1
    return count


def _executemany(connection: sa.Connection, table: sa.Table, rows: Iterator[Row]) -> int:
    statement = sa.insert(table)
    count = 0
    while batch := list(itertools.islice(rows, BATCH_SIZE)):
        connection.execute(statement, batch)
        count += len(batch)
    return count
