"""One page of a list and what the pagination links need, in a known number of statements.

Flask-SQLAlchemy's `paginate` counts by wrapping the whole query, eager loads
and all, in `count(*)`. Here the caller passes the count it wants: a narrow
`count(*)` over the filters, or a total it already has (the dashboard sums
its per-kind counts), so a page costs its items plus at most one count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm


@dataclass(frozen=True)
class Page:
    """The attributes the `pagination` macro and the API's page body read."""

    items: Sequence
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        # Past the end (an old link), "previous" leads to the last page there is.
        return min(self.page - 1, self.pages)

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_of(session: orm.Session, query: sa.Select, *, page: int, per_page: int,
            count: sa.Select | None = None, total: int | None = None) -> Page:
    """Page `page` of `query` (which orders stably), counted by `count` or given as `total`."""
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    if total is None:
        # Counted even when the first page is short, so a page's statements never depend on the data.
        total = session.scalar(count) or 0
    return Page(rows, page, per_page, total)
