"""CSV import and export of initiatives and citizens, as pure functions.

Municipalities keep their lists in spreadsheets. This package reads such a
file (bytes in), checks every row against the reference data (plain
lookups in) and gives back plain records and a list of problems, each
with the line and column a person can find in their spreadsheet. It never
touches the database: `services/transfers.py` loads the lookups and writes
the records, all or nothing.

Modules: `reading` (bytes -> header and rows), `cells` (one cell -> one
value), `validation` (rows -> records and problems), `export` (records ->
CSV text). The columns are documented in `coprod_match/data/examples/README.md`.
"""
