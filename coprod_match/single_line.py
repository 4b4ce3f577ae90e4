"""Text that may end up in a mail header (a title in a subject, a name, an organisation): one line.

A line break in a header would let the text add headers of its own, and the
mail library refuses to build such a message. So every door (forms, API,
CSV import, services) refuses control characters in these fields, with one
message. Pure: no Flask, so the CSV validation can use it too.
"""

from __future__ import annotations

import re

from .lazy_text import lazy_text as _l

# C0 and C1 control characters (line breaks, tabs, NUL...) and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

MESSAGE = _l("Use one line, without line breaks, tabs or other special characters.")


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))
