"""Records named by their codes in what people send: interests, languages, target groups.

Pages offer only known codes; the API and imports can send any text, so the
services refuse a code nobody knows, naming the field it came in.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import InvalidInput


class UnknownCodeError(InvalidInput):
    """A code that names no interest, language or target group."""

    def __init__(self, codes: list[str], *, field: str):
        super().__init__(_l("Unknown code: %(codes)s", codes=", ".join(codes)), field=field)
        self.codes = codes


def records_by_code(session: orm.Session, model, codes: Iterable[str], *, field: str) -> list:
    """The records with these codes, in the order given (each once); unknown codes are refused."""
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return []
    found = {record.code: record for record in session.scalars(sa.select(model).where(model.code.in_(wanted)))}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise UnknownCodeError(unknown, field=field)
    return [found[code] for code in wanted]
