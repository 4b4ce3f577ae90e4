"""Whether an initiative is open to a resident, in words: one decision for pages, API and services.

`open_to.why_not_open` is the rule; this module reads it for a resident and an
initiative from the database and says it in plain words. Sign-up and
invitations refuse with `NotOpenToThemError`; the initiative page shows the
same words instead of the sign-up button; matching applies the same rule to
arrays (matching/engine.py).
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from ..domain_errors import DomainError
from ..models import Initiative, Role, User, utcnow
from ..open_to import Refusal, why_not_open
from ..queries.search import Resident
from ..vocabulary import LOCAL_ZONE, OpenTo

# Said to the resident themselves (the sign-up page, the initiative page, the API).
TO_RESIDENT = {
    Refusal.WOMEN_ONLY: _l("This initiative is only for women."),
    Refusal.MEN_ONLY: _l("This initiative is only for men."),
    Refusal.GENDER_NOT_GIVEN: _l(
        "This initiative is only for women or only for men. You have not said on your profile "
        "if you are a woman or a man. You can add it there if you want to join."
    ),  # the general words; refusal_words() names the group the initiative is for
    Refusal.BIRTH_YEAR_NOT_GIVEN: _l(
        "This initiative is for people of a certain age. Add your birth year to your profile "
        "if you want to join."
    ),
    Refusal.TOO_YOUNG: _l("This initiative is for older people than you."),
    Refusal.TOO_OLD: _l("This initiative is for younger people than you."),
}

# Gender not given, for the group the initiative is for: the page already says "Women only".
GENDER_NOT_GIVEN_FOR = {
    OpenTo.WOMEN: _l("This initiative is for women only. You have not said if you are a woman: "
                     "you can add it to your profile."),
    OpenTo.MEN: _l("This initiative is for men only. You have not said if you are a man: "
                   "you can add it to your profile."),
}


def refusal_words(refusal: Refusal, open_to: str) -> str:
    """Why this resident may not join, said to them, naming the initiative's group."""
    if refusal == Refusal.GENDER_NOT_GIVEN and open_to in GENDER_NOT_GIVEN_FOR:
        return str(GENDER_NOT_GIVEN_FOR[OpenTo(open_to)])
    return str(TO_RESIDENT[refusal])


# Said to the professional who tries to invite them: the same words whatever the reason, so an
# invitation never tells staff a resident's gender or age (they are shown to nobody but the resident).
TO_INVITER = _l(
    "This initiative is only for one group of people or one age group, and this person is not in it "
    "or has not said. You cannot invite them."
)


class NotOpenToThemError(DomainError):
    """The initiative is for one group or an age range, and this resident is not in it."""

    status = 409
    problem_type = "not-open-to-you"
    message = TO_RESIDENT[Refusal.GENDER_NOT_GIVEN]

    def __init__(self, refusal: Refusal, *, to_inviter: bool = False, open_to: str = OpenTo.EVERYONE):
        super().__init__(TO_INVITER if to_inviter else refusal_words(refusal, open_to))
        self.refusal = refusal


def local_year(now: dt.datetime | None = None) -> int:
    return (now or utcnow()).astimezone(LOCAL_ZONE).year


def refusal_for(initiative: Initiative, resident: User, *, now: dt.datetime | None = None) -> Refusal | None:
    """Why this resident may not join this initiative, or None when they may."""
    profile = resident.citizen_profile
    return why_not_open(
        initiative.open_to, initiative.min_age, initiative.max_age,
        profile.gender if profile is not None else None,
        profile.birth_year if profile is not None else None,
        year=local_year(now),
    )


def searching_resident(user, *, now: dt.datetime | None = None) -> Resident | None:
    """The logged-in resident as the search's "open to me" filter needs them; None for anyone else."""
    if user is None or not getattr(user, "is_authenticated", False) or user.role != Role.CITIZEN:
        return None
    profile = user.citizen_profile
    return Resident(
        gender=profile.gender if profile is not None else None,
        birth_year=profile.birth_year if profile is not None else None,
        year=local_year(now),
    )


def check_open_to(initiative: Initiative, resident: User, *, to_inviter: bool = False,
                  now: dt.datetime | None = None) -> None:
    """Raise NotOpenToThemError when the initiative is not open to this resident."""
    refusal = refusal_for(initiative, resident, now=now)
    if refusal is not None:
        raise NotOpenToThemError(refusal, to_inviter=to_inviter, open_to=initiative.open_to)


def who_it_is_open_to(initiative: Initiative) -> str:
    """Who can join, in plain words for the initiative page: "Women only, aged 18 to 65"."""
    group = {
        "everyone": _l("Everyone"),
        "women": _l("Women only"),
        "men": _l("Men only"),
    }[initiative.open_to]
    low, high = initiative.min_age, initiative.max_age
    if low is not None and high is not None:
        return str(_l("%(group)s, aged %(low)d to %(high)d", group=group, low=low, high=high))
    if low is not None:
        return str(_l("%(group)s, aged %(low)d or older", group=group, low=low))
    if high is not None:
        return str(_l("%(group)s, aged %(high)d or younger", group=group, high=high))
    return str(group)
