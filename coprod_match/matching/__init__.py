"""Matching: explained suggestions both ways and an optimal district placement plan.

The engine (`facts`, `engine`, `plan`) is pure: plain data and numpy in,
ranked results out; no Flask, no database session. `snapshot` loads the
facts from the database and keeps the vectorised arrays between requests;
`service` answers the three questions for pages and commands; `texts`
turns reason codes into plain, translated words.
"""
