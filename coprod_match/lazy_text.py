"""Messages worded by the pure cores and translated only when shown.

The CSV reading and validation code must run without Flask (tests and
scripts import it bare), yet its messages reach residents in their own
language. A `LazyText` keeps the message and its values, and translates
through Flask-Babel when it is turned into text inside the app; without
Flask it reads as written. Mark messages as `_l("...")` so the catalogues
pick them up.
"""

from __future__ import annotations


class LazyText:
    """A message id with its values, translated each time it is shown."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, **params):
        self.msgid = msgid
        self.params = params

    def __str__(self) -> str:
        try:
            from flask_babel import gettext
        except ImportError:
            return self.msgid % self.params if self.params else self.msgid
        return gettext(self.msgid, **self.params)

    def __repr__(self) -> str:
        return f"LazyText({self.msgid!r})"

    def __eq__(self, other) -> bool:
        if isinstance(other, LazyText | str):
            return str(self) == str(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.msgid)

    def __contains__(self, part: str) -> bool:
        return part in str(self)

    def __len__(self) -> int:
        return len(str(self))


def lazy_text(msgid: str, **params) -> LazyText:
    return LazyText(msgid, **params)
