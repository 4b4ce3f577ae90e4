"""What the professional or the citizen is told when an invitation cannot be sent, answered or opened.

Every refusal is a DomainError: `errors.py` shows it on the page that asked,
or answers a problem document in the API. A full or closed initiative is
refused by the placement state machine's own errors (services/placements.py).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...domain_errors import DomainError, NotAllowed


class InvitationError(DomainError):
    """An invitation that cannot be sent; `message` tells the professional why."""

    status = 409
    problem_type = "cannot-invite"
    message = _l("This invitation is not possible.")


class NoConsentError(InvitationError):
    message = _l("This person has not agreed to be invited. You cannot send an invitation.")


class DailyLimitError(InvitationError):
    message = _l("You have sent the most invitations for today. You can send more tomorrow.")


class RecentlyAnsweredError(InvitationError):
    message = _l(
        "This person said no to this initiative, or did not answer, not long ago. "
        "Please do not ask again so soon."
    )


class AlreadyInvolvedError(InvitationError):
    message = _l("This person is already invited here, or already takes part.")


class NotInvitableError(InvitationError):
    message = _l("This person cannot be invited.")


class MessageTooLongError(InvitationError):
    # The same answer as a form or schema gives for a text that is too long.
    status = 422
    problem_type = "validation"
    message = _l("Your message is too long. Please make it shorter.")

    def __init__(self, message=None, *, field: str | None = "message"):
        super().__init__(message, field=field)


class InvitationClosedError(DomainError):
    """Answered, taken back or past its end: there is nothing left to answer or take back."""

    status = 409
    problem_type = "invalid-move"
    flash_category = "info"
    message = _l("This invitation was already answered or has ended.")


class NotYourInvitationError(NotAllowed):
    message = _l("This invitation is for another account. Log out, and open the link again.")


# Why a link is refused.
LINK_INVALID = "invalid"
LINK_EXPIRED = "expired"
LINK_USED = "used"
LINK_WITHDRAWN = "withdrawn"

LINK_MESSAGES = {
    LINK_INVALID: _l("The link is not complete or not right. Please copy the whole link from the e-mail."),
    LINK_EXPIRED: _l("This invitation has ended: the time to answer is over."),
    LINK_USED: _l("You already answered this invitation. The link works only once."),
    LINK_WITHDRAWN: _l("This invitation was taken back, or it no longer applies."),
}


class InvitationLinkError(DomainError):
    """The link cannot be used; `reason` is one of the LINK_* codes, `message` says it in plain words."""

    status = 400

    def __init__(self, reason: str):
        super().__init__(LINK_MESSAGES[reason])
        self.reason = reason
        self.problem_type = f"invitation-link-{reason}"
