"""What the professional or the citizen is told when an invitation cannot be sent, answered or opened."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


class InvitationError(Exception):
    """An invitation that cannot be sent or answered; `message` is for the person."""

    message = _l("This invitation is not possible.")

    def __init__(self, message=None):
        super().__init__(str(message or self.message))
        if message is not None:
            self.message = message


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


class NoRoomError(InvitationError):
    message = _l("This initiative has no free place. You cannot invite more people now.")


class NotOpenError(InvitationError):
    message = _l("This initiative is not open, so nobody can be invited now.")


class NotInvitableError(InvitationError):
    message = _l("This person cannot be invited.")


class MessageTooLongError(InvitationError):
    message = _l("Your message is too long. Please make it shorter.")


# Why a link is refused; the page explains each in plain words.
LINK_INVALID = "invalid"
LINK_EXPIRED = "expired"
LINK_USED = "used"
LINK_WITHDRAWN = "withdrawn"


class InvitationLinkError(Exception):
    """The link cannot be used; `reason` is one of the LINK_* codes."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
