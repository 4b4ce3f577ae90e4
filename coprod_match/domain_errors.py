"""The one family of errors a service raises when a rule of the domain says no.

A service raises a subclass of `DomainError`; it never knows whether a page or
the API asked. `errors.py` turns every one of them into the answer for the
edge that asked, in one place: an RFC 9457 problem document for the API; for
a page, the form shown again with the message beside the field, or a flash
and a redirect, or the error page. Views keep no `except` ladders.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """What a person tried is not possible; `message` says why in plain words.

    Subclasses set `status` (the HTTP answer), `problem_type` (a stable
    machine-readable name, `urn:coprod-match:problem:<type>`), a default
    `message`, and `flash_category` for pages ("info" when nothing is wrong,
    only already done). `field` names the input the message belongs to, where
    there is one: a form field on a page, a JSON pointer `#/<field>` in the API;
    `parameter` names a query-string argument instead.
    """

    status: int = 409
    problem_type: str = "conflict"
    message = _l("This is not possible in the current state. Please look at it again.")
    flash_category: str = "error"

    def __init__(self, message=None, *, field: str | None = None, parameter: str | None = None):
        if message is not None:
            self.message = message
        self.field = field
        self.parameter = parameter
        super().__init__(str(self.message))


class NotFound(DomainError):
    """Missing and someone else's records answer the same, so ids reveal nothing."""

    status = 404
    problem_type = "not-found"
    message = _l("There is no such record, or it is not yours to see.")


class InvalidInput(DomainError):
    """Input that passed the form or schema but not the data (an unknown code, a date order)."""

    status = 422
    problem_type = "validation"
    message = _l("Some of what you sent is not right.")


class NotAllowed(DomainError):
    """The person's role or relation to the record does not allow this."""

    status = 403
    problem_type = "forbidden"
    message = _l("You cannot do this with your account.")
