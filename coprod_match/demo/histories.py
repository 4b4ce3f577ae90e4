"""One demo placement's story: its state changes, check-ins and the invitation behind it.

Times are counted back from `now`, so nothing lies in the future, and the
professional acting at a moment is whoever was the initiative's contact then.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..models import (
    CheckInKind,
    DeclineReason,
    EndReason,
    InitiativeStatus,
    InvitationAnswer,
    PlacementState,
)
from ..vocabulary import CameThrough
from .content import (
    APPLY_MESSAGES,
    CHECK_IN_NOTES,
    DECLINE_NOTES,
    END_NOTES,
    INITIATIVE_PAUSED_NOTE,
    INVITATION_MESSAGES,
    LANGUAGE_NAMES,
    PAUSE_NOTES,
    REJECT_NOTES,
)
from .draws import moment_days_ago, weighted_choice
from .seeds import (
    CheckInSeed,
    CitizenSeed,
    EventSeed,
    InitiativeSeed,
    InvitationSeed,
    PlacementSeed,
)

S = PlacementState

# Days an ended placement lasted, by how the volunteer came in (lowest, highest).
_STAYED_DAYS = {
    CameThrough.OWN: (20, 150),
    CameThrough.PLAN: (40, 270),
    CameThrough.INVITATION: (60, 420),
}
# Attendance: the chance a volunteer is recorded in a given week, and how far back it goes
# (a year: enough for the statement and the charts, few enough rows to seed fast).
_ATTENDED_SHARE = 0.6
_ATTENDANCE_DAYS = 365

# How many days of history each state needs (citizen and initiative must be that old).
HISTORY_DAYS = {
    S.SUGGESTED: 8, S.INVITED: 11, S.APPLIED: 21, S.ACCEPTED: 16, S.DECLINED: 16,
    S.EXPIRED: 20, S.REJECTED: 12, S.ACTIVE: 24, S.PAUSED: 45, S.ENDED: 60,
}


@dataclass
class Candidate:
    """What placement generation needs to know about a citizen, and their growing load."""

    seed: CitizenSeed
    district: str | None
    languages: frozenset[str]
    interests: frozenset[str]
    age_days: int
    committed: int = 0
    initiatives: set[str] = field(default_factory=set)


class PlacementContext:
    """Builds placements for one initiative: history, check-ins and invitation."""

    def __init__(self, rng: random.Random, now: dt.datetime, initiative: InitiativeSeed):
        self.rng = rng
        self.now = now
        self.initiative = initiative
        self.age_days = (now.date() - initiative.start_date).days
        self.short_title = initiative.title.split(":", 1)[0]

    def professional_at(self, at: dt.datetime) -> str | None:
        """The contact professional at that moment, or None in a gap left by turnover.

        Before the first recorded period, the first contact stands in (the
        initiative is older than its records).
        """
        contacts = sorted(self.initiative.contacts, key=lambda contact: contact.starts_at)
        if at < contacts[0].starts_at:
            return contacts[0].professional_email
        for contact in contacts:
            if contact.starts_at <= at and (contact.ends_at is None or at < contact.ends_at):
                return contact.professional_email
        return None

    def placement(self, candidate: Candidate, state: str, note: str | None) -> PlacementSeed:
        rng, now = self.rng, self.now
        email = candidate.seed.email
        span = max(HISTORY_DAYS[state], min(candidate.age_days, self.age_days) - 1)
        events: list[tuple[str | None, str, int, str | None, str | None]] = []
        # (from, to, days ago, actor: "citizen" / "professional" / None, reason)
        end_reason = end_note = citizen_message = None
        starts_on = None
        closed = self.initiative.status == InitiativeStatus.CLOSED

        def opening(days_ago: int, via_invitation: bool) -> None:
            if via_invitation:
                events.append((None, S.INVITED, days_ago, "professional", None))
            else:
                events.append((None, S.APPLIED, days_ago, "citizen", None))

        # Volunteers a linking pin invited personally stay longer (the article): fewer of the
        # ended ones came that way, and those who did stopped later (see the end below).
        invited_share = {S.ACTIVE: 0.6, S.PAUSED: 0.6, S.ENDED: 0.4}.get(state, 0.55)
        via_invitation = rng.random() < invited_share or state in (S.INVITED, S.DECLINED, S.EXPIRED)
        # Some invitations go out from the coordinator's district plan rather than a contact's own list.
        came_through = CameThrough.PLAN if rng.random() < 0.25 else CameThrough.INVITATION
        if not via_invitation:
            came_through = CameThrough.OWN
        if state in (S.ACTIVE, S.PAUSED, S.ENDED):
            long = note in ("long", "inactive")
            lowest = {S.ACTIVE: 14, S.PAUSED: 30, S.ENDED: 40}[state]
            if note == "inactive":
                lowest = 120
            if closed:
                lowest = (now.date() - self.initiative.end_date).days + 25
            top = max(lowest, span - 10)
            activated = rng.randint(max(lowest, top - 200), top) if long else rng.randint(
                lowest, top
            )
            first = activated + rng.randint(4, 9)
            accepted = activated + rng.randint(1, 3)
            opening(first, via_invitation)
            if not via_invitation:
                citizen_message = rng.choice(APPLY_MESSAGES)
            events.append((events[-1][1], S.ACCEPTED, accepted,
                           "citizen" if via_invitation else "professional", None))
            events.append((S.ACCEPTED, S.ACTIVE, activated, "professional", None))
            starts_on = (now - dt.timedelta(days=activated)).date()
            if state == S.ACTIVE and activated > 120 and rng.random() < 0.2:
                paused_at = rng.randint(40, activated - 40)
                back_at = paused_at - rng.randint(7, 21)
                events.append((S.ACTIVE, S.PAUSED, paused_at, "citizen", rng.choice(PAUSE_NOTES)))
                events.append((S.PAUSED, S.ACTIVE, back_at, "professional", None))
            if state == S.PAUSED:
                if self.initiative.status == InitiativeStatus.PAUSED:
                    reason, who = INITIATIVE_PAUSED_NOTE, "professional"
                else:
                    reason, who = rng.choice(PAUSE_NOTES), "citizen"
                events.append((S.ACTIVE, S.PAUSED, rng.randint(3, min(60, activated - 7)), who,
                               reason))
            if state == S.ENDED:
                if closed:
                    end_reason = EndReason.INITIATIVE_CLOSED
                    ended = (now.date() - self.initiative.end_date).days
                else:
                    end_reason = EndReason(note) if note else weighted_choice(
                        rng,
                        (EndReason.NO_TIME, EndReason.HEALTH, EndReason.MOVED,
                         EndReason.NOT_A_FIT, EndReason.OTHER),
                        (35, 15, 15, 15, 10),
                    )
                    # How long they stayed depends on how they came in: own sign-ups often stop
                    # within months, personally invited volunteers after a year or so.
                    low, high = _STAYED_DAYS[came_through]
                    ended = max(5, activated - min(activated - 5, rng.randint(low, high)))
                end_note = rng.choice(END_NOTES[end_reason])
                who = "professional" if end_reason in (
                    EndReason.NOT_A_FIT, EndReason.INITIATIVE_CLOSED
                ) else "citizen"
                events.append((S.ACTIVE, S.ENDED, max(ended, 1), who, end_note))
        elif state == S.ACCEPTED:
            first = rng.randint(5, 14)
            opening(first, via_invitation)
            if not via_invitation:
                citizen_message = rng.choice(APPLY_MESSAGES)
            events.append((events[-1][1], S.ACCEPTED, first - rng.randint(1, 3),
                           "citizen" if via_invitation else "professional", None))
            starts_on = now.date() + dt.timedelta(days=rng.randint(3, 14))
        elif state == S.INVITED:
            opening(rng.randint(1, 10), True)
        elif state == S.APPLIED:
            opening(rng.randint(1, 20), False)
            citizen_message = rng.choice(APPLY_MESSAGES)
        elif state == S.SUGGESTED:
            events.append((None, S.SUGGESTED, rng.randint(1, 7), None, None))
        elif state == S.DECLINED:
            first = rng.randint(8, min(span, 120))
            opening(first, True)
            decline = weighted_choice(rng, list(DeclineReason), (40, 20, 15, 15, 10))
            events.append((S.INVITED, S.DECLINED, first - rng.randint(1, 6), "citizen",
                           DECLINE_NOTES[decline]))
        elif state == S.EXPIRED:
            first = rng.randint(16, min(span, 150))
            opening(first, True)
            events.append((S.INVITED, S.EXPIRED, first - 14, None, None))
        elif state == S.REJECTED:
            first = rng.randint(6, min(span, 90))
            opening(first, False)
            citizen_message = rng.choice(APPLY_MESSAGES)
            events.append((S.APPLIED, S.REJECTED, first - rng.randint(1, 4), "professional",
                           rng.choice(REJECT_NOTES)))
        else:  # pragma: no cover - every state is handled above
            raise ValueError(state)

        seeds = []
        for from_state, to_state, days_ago, who, reason in events:
            at = moment_days_ago(rng, now, days_ago)
            if seeds and at <= seeds[-1].at:
                at = seeds[-1].at + dt.timedelta(minutes=rng.randint(5, 90))
            actor = email if who == "citizen" else (
                self.professional_at(at) if who == "professional" else None
            )
            seeds.append(EventSeed(
                from_state=None if from_state is None else str(from_state),
                to_state=str(to_state), at=at, actor_email=actor, reason=reason,
            ))

        check_ins, last_activity = self._activity(candidate, state, note, seeds)
        invitation = self._invitation(candidate, seeds) if seeds[0].to_state == S.INVITED else None
        if invitation is None:
            came_through = CameThrough.OWN  # applied, suggested by matching, or rejected: no invitation
        return PlacementSeed(
            citizen_email=email,
            initiative_title=self.initiative.title,
            state=str(state),
            created_at=seeds[0].at,
            state_changed_at=seeds[-1].at,
            starts_on=starts_on,
            last_activity_at=last_activity,
            end_reason=None if end_reason is None else str(end_reason),
            end_note=end_note,
            citizen_message=citizen_message,
            events=tuple(seeds),
            check_ins=check_ins,
            invitation=invitation,
            came_through=came_through.value,
        )

    def _activity(self, candidate, state, note, events):
        """Attendance about weekly while active; the last record is the placement's last activity.

        Most weeks the contact ticks the volunteer off (with the time given),
        sometimes the volunteer says "I helped today" themselves. A volunteer
        who stopped coming (note "inactive", and a few others) has nothing
        recorded for the last two to three months.
        """
        if state not in (S.ACTIVE, S.PAUSED, S.ENDED):
            return (), None
        rng, now = self.rng, self.now
        activated = next(e.at for e in events if e.to_state == S.ACTIVE)
        stopped = events[-1].at if state != S.ACTIVE else now
        days_active = (stopped - activated).days
        if days_active < 2:
            return (), activated
        last_day = stopped
        if note == "inactive" or (state == S.ACTIVE and days_active > 90 and rng.random() < 0.05):
            quiet_days = rng.randint(63, 90)
            last_day = stopped - dt.timedelta(days=quiet_days + rng.randint(0, 5))
            if last_day <= activated:
                return (), activated
        pauses = _paused_spans(events)
        first_day = max(activated, last_day - dt.timedelta(days=_ATTENDANCE_DAYS))
        weeks = max(1, (last_day - first_day).days // 7)
        check_ins = []
        for week in range(weeks):
            # The last week always has a record, so an active volunteer is seen recently.
            if week < weeks - 1 and rng.random() > _ATTENDED_SHARE:
                continue
            # rng.random() rather than randint: this runs for every week of every placement.
            day = first_day + dt.timedelta(days=week * 7 + int(rng.random() * 7))
            moment = day.replace(hour=9 + int(rng.random() * 10), minute=5 * int(rng.random() * 12))
            moment = min(moment, last_day - dt.timedelta(hours=1))
            if moment <= activated or any(start <= moment < end for start, end in pauses):
                continue
            minutes = 60 + 15 * int(rng.random() * 9) if rng.random() < 0.85 else None
            professional = self.professional_at(moment)
            if professional is not None and rng.random() < 0.8:
                note_text = rng.choice(CHECK_IN_NOTES) if rng.random() < 0.2 else None
                check_ins.append(CheckInSeed(
                    CheckInKind.ACTIVITY.value, professional, moment, note_text, minutes,
                ))
            else:
                check_ins.append(CheckInSeed(
                    CheckInKind.CITIZEN_HELPED.value, candidate.seed.email, moment, None, minutes,
                ))
        last = max([activated, *(c.at for c in check_ins)])
        return tuple(check_ins), last

    def _invitation(self, candidate: Candidate, events: Sequence[EventSeed]) -> InvitationSeed:
        """The personal message behind an invited placement, and how it was answered."""
        rng = self.rng
        sent = events[0]
        sender = sent.actor_email
        name = _first_name(candidate.seed.display_name)
        # Professionals write to a resident in the resident's language (the demo's staff speak them).
        locale = candidate.seed.preferred_locale
        if locale not in INVITATION_MESSAGES:
            locale = "nl"
        shared = sorted(
            code for code in candidate.languages & set(self.initiative.languages)
            if code in LANGUAGE_NAMES[locale]
        )
        template, shared_line = INVITATION_MESSAGES[locale]
        reason = shared_line.format(language=LANGUAGE_NAMES[locale][shared[0]]) if shared else ""
        message = template.format(name=name, initiative=self.short_title, shared_language=reason)
        answer = answered_at = decline_reason = None
        following = events[1] if len(events) > 1 else None
        if following is not None and following.to_state in (S.ACCEPTED, S.DECLINED):
            answered_at = following.at
            answer = (InvitationAnswer.ACCEPTED if following.to_state == S.ACCEPTED
                      else InvitationAnswer.DECLINED).value
            if answer == InvitationAnswer.DECLINED:
                decline_reason = next(
                    (code.value for code, text in DECLINE_NOTES.items()
                     if text == following.reason),
                    DeclineReason.OTHER.value,
                )
        opened = None
        if answered_at is not None:
            opened = answered_at - dt.timedelta(minutes=rng.randint(1, 600))
            opened = max(opened, sent.at + dt.timedelta(minutes=1))
        elif rng.random() < 0.5:
            opened = sent.at + dt.timedelta(hours=rng.randint(1, 20))
        return InvitationSeed(
            sender_email=sender,
            message=message,
            sent_at=sent.at,
            expires_at=sent.at + dt.timedelta(days=14),
            opened_at=opened,
            answered_at=answered_at,
            answer=answer,
            decline_reason=decline_reason,
        )


def _paused_spans(events: Sequence[EventSeed]) -> list[tuple[dt.datetime, dt.datetime]]:
    """The times a placement was paused and came back (nobody attends while paused)."""
    spans = []
    for pause, back in itertools.pairwise(events):
        if pause.to_state == S.PAUSED and back.to_state == S.ACTIVE:
            spans.append((pause.at, back.at))
    return spans


def _first_name(display_name: str) -> str:
    return display_name.split(" ", 1)[0]
