"""Monthly check-ins: asking people how it goes, and taking their answers (issue 16).

- `volunteers`: each active volunteer is asked once a month about each placement, by a
  signed link in a mail and in the app; the answer may pause or stop the placement;
- `answers`: what an answer is and when it is whole (pure: no Flask, no session);
- `links`: the signed, single-use link in the mail.

Services flush; the caller (a page, the job) commits.
"""

from .answers import VolunteerAnswer
from .links import CheckInLinkError
from .volunteers import (
    answer_check_in,
    ask_volunteers,
    check_in_from_token,
    ensure_open,
    open_check_ins_of,
    own_check_in,
)

__all__ = [
    "CheckInLinkError",
    "VolunteerAnswer",
    "answer_check_in",
    "ask_volunteers",
    "check_in_from_token",
    "ensure_open",
    "open_check_ins_of",
    "own_check_in",
]
