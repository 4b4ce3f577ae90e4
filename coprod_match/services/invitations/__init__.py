"""Personal invitations: a professional (the linking pin) asks a citizen to join an initiative.

One invitation is one placement in state `invited` (moved only by the state
machine in services/placements.py) plus an Invitation row with the personal
message, the times, the answer and the hash of the link's token.

- `links`: the signed, single-use link in the e-mail;
- `sending`: inviting a citizen, or someone met in person by e-mail address;
- `answering`: yes, no, finishing the account an invitation made, taking it back;
- `jobs`: the reminder before the end, and expiry without an answer;
- `looks`: what staff read while inviting, each look at residents' data logged;
- `notices`: the e-mail to the citizen and the inbox messages to the inviters;
- `pending`: removing the pending accounts whose invitations ended;
- `errors`, `settings`, `waiting`: what the others share (refusals as DomainErrors,
  the tunable rules, whether an invitation still waits for its answer).

Services flush; the caller's unit of work commits. Mails go out after the
commit (`mail.send_after_commit` writes them to the outbox). Callers import from this package; `links`
and `looks` are imported by name where they are used.
"""

from .answering import (
    accept_invitation,
    answer_invitation,
    complete_pending_account,
    decline_invitation,
    lapse_invitations_of,
    mark_opened,
    withdraw_invitation,
)
from .errors import (
    LINK_EXPIRED,
    LINK_INVALID,
    LINK_USED,
    LINK_WITHDRAWN,
    AlreadyInvolvedError,
    DailyLimitError,
    InvitationClosedError,
    InvitationError,
    InvitationLinkError,
    MessageTooLongError,
    NoConsentError,
    NotInvitableError,
    NotYourInvitationError,
    RecentlyAnsweredError,
)
from .jobs import expire_due, send_due_reminders
from .links import invitation_from_token, invitation_token
from .pending import expired_pending_accounts, remove_pending_accounts
from .sending import SentInvitation, default_message, invite_by_email, invite_citizen
from .settings import InvitationRules, rules
from .waiting import ensure_waiting

__all__ = [
    "LINK_EXPIRED", "LINK_INVALID", "LINK_USED", "LINK_WITHDRAWN",
    "AlreadyInvolvedError", "DailyLimitError", "InvitationClosedError", "InvitationError",
    "InvitationLinkError", "InvitationRules", "MessageTooLongError", "NoConsentError", "NotInvitableError",
    "NotYourInvitationError", "RecentlyAnsweredError", "SentInvitation",
    "accept_invitation", "answer_invitation", "complete_pending_account", "decline_invitation",
    "default_message", "ensure_waiting", "expire_due", "expired_pending_accounts", "invitation_from_token",
    "invitation_token", "invite_by_email", "invite_citizen", "lapse_invitations_of", "mark_opened",
    "remove_pending_accounts", "rules", "send_due_reminders",
    "withdraw_invitation",
]
