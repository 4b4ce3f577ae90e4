"""Reads shared by pages, the API and jobs: select() builders and grouped counts; no writes.

- `search`: the initiative search, its filters read from the URL, and a narrow count of it.
- `initiatives`: active volunteer counts, current contacts, lists of codes, one initiative's page,
  a professional's initiatives.
- `paging`: one page of a list and its count, in a known number of statements.
- `placements`: a citizen's placements.
- `invitation_funnel`: the linking-pin funnel and the follow-up lists of invitations.
- `admin`: accounts by role and neighbourhoods by district.

Callers import from the module of the subject; this package re-exports nothing.
"""
