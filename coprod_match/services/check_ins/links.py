"""The check-in link: a signed token naming the placement, the month and the end; it works once.

Like the invitation link (services/invitations/links.py): signed under its own
salt, so no other token passes; only its SHA-256 is stored, and the row it
names must carry that hash. An answered, expired or unknown link is refused
with one plain message that reveals nothing about the person.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from ...domain_errors import DomainError

CHECK_IN_SALT = "coprod-match/check-in-link"  # one salt per purpose

LINK_INVALID = "invalid"
LINK_EXPIRED = "expired"
LINK_USED = "used"
# The same, answered in the app: there is no link to speak of.
ANSWERED = "answered"

LINK_MESSAGES = {
    LINK_INVALID: _l("The link is not complete or not right. Please copy the whole link from the e-mail."),
    LINK_EXPIRED: _l("The time to answer these questions is over. You will get new questions next month."),
    LINK_USED: _l("You already answered these questions. Thank you! The link works only once."),
    ANSWERED: _l("You already answered these questions. Thank you!"),
}


class CheckInLinkError(DomainError):
    """The link cannot be used; `reason` is one of the LINK_* codes."""

    status = 400
    flash_category = "info"

    def __init__(self, reason: str):
        super().__init__(LINK_MESSAGES[reason])
        self.reason = reason
        self.problem_type = f"check-in-link-{reason}"


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=CHECK_IN_SALT)


def check_in_token(placement_id: int, month: dt.date, expires_at: dt.datetime, secret_key: str) -> str:
    """The link's token, made before the row exists (the rows of a month are inserted together)."""
    return _serializer(secret_key).dumps(
        {"p": placement_id, "m": month.isoformat(), "e": int(expires_at.timestamp())})


def read_token(token: str, secret_key: str) -> tuple[int, str, int]:
    """(placement id, month, end as a timestamp) from a token this site signed; else CheckInLinkError."""
    try:
        data = _serializer(secret_key).loads(token)
    except BadSignature:
        raise CheckInLinkError(LINK_INVALID) from None
    if (not isinstance(data, dict) or not isinstance(data.get("p"), int)
            or not isinstance(data.get("m"), str) or not isinstance(data.get("e"), int)):
        raise CheckInLinkError(LINK_INVALID)
    return data["p"], data["m"], data["e"]
