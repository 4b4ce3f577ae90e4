"""The three matching questions for pages and commands, and turning plan rows into invitations.

Reads need an app context (config and the per-app snapshot cache); the one
write, `invite_plan_rows`, goes through the placement state machine and
flushes; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import InvalidInput
from ..models import Initiative, Neighbourhood, User, utcnow
from . import engine, plan
from .facts import CitizenFacts, InitiativeFacts, Match, Weights
from .freshness import live_snapshot
from .snapshot import load_citizens, load_initiatives


def weights() -> Weights:
    return Weights.from_mapping(current_app.config)


def _turned_away_days() -> int:
    return int(current_app.config.get("MATCHING_TURNED_AWAY_DAYS", 90))


def current_snapshot(session: orm.Session) -> engine.Snapshot:
    """This process's snapshot with every stored change written in (see freshness.py)."""
    return live_snapshot().current(session)


def citizen_facts(session: orm.Session, citizen_id: int) -> CitizenFacts | None:
    found = load_citizens(session, now=utcnow(), turned_away_days=_turned_away_days(), ids=[citizen_id])
    return found[0] if found else None


def initiative_facts(session: orm.Session, initiative_id: int) -> InitiativeFacts | None:
    found = load_initiatives(session, now=utcnow(), turned_away_days=_turned_away_days(), ids=[initiative_id])
    return found[0] if found else None


def suggestions_for_citizen(session: orm.Session, citizen_id: int, *, limit: int = 10) -> list[Match]:
    """Initiatives suggested to a citizen, best first, with reason codes."""
    citizen = citizen_facts(session, citizen_id)
    if citizen is None:
        return []
    return engine.suggest_for_citizen(current_snapshot(session), citizen, limit=limit)


def candidates_for_initiative(session: orm.Session, initiative_id: int, *, limit: int = 20,
                              facts: InitiativeFacts | None = None) -> list[Match]:
    """Citizens who could join an initiative, best first, with reason codes (`facts`: already read)."""
    initiative = facts or initiative_facts(session, initiative_id)
    if initiative is None:
        return []
    return engine.candidates_for_initiative(current_snapshot(session), initiative, limit=limit)


def match_for(session: orm.Session, citizen_id: int, initiative_id: int, *,
              require_consent: bool = False) -> Match | None:
    """Score and reason codes for one pair from fresh data, or None when it may not be matched."""
    citizen = citizen_facts(session, citizen_id)
    initiative = initiative_facts(session, initiative_id)
    if citizen is None or initiative is None:
        return None
    return engine.explain(current_snapshot(session), citizen, initiative, require_consent=require_consent)


def reasons_for(session: orm.Session, citizen_id: int, initiative_id: int) -> list[str] | None:
    """'Why this fits you' for a citizen on an initiative's page, in the current language.

    None when the initiative is not something we would suggest to them (a
    hard filter: no shared time, over their limits, full, declined recently...).
    """
    from .texts import reason_texts

    match = match_for(session, citizen_id, initiative_id)
    if match is None:
        return None
    return reason_texts(session, match.reasons, audience="citizen")


def districts(session: orm.Session) -> list[str]:
    return list(session.scalars(sa.select(Neighbourhood.district).distinct().order_by(Neighbourhood.district)))


class UnknownDistrictError(InvalidInput):
    message = _l("There is no such district.")


def placement_plan(session: orm.Session, *, district: str | None = None,
                   snapshot: engine.Snapshot | None = None) -> plan.Plan:
    """The optimal placement plan for one district's initiatives, or for the whole city.

    Seconds of work for a city: pages never call it; the plan job does (plan_runs), on a fresh snapshot.
    """
    snapshot = snapshot or current_snapshot(session)
    places = None
    if district is not None:
        places = [snapshot.place_of[n.id] for n in snapshot.neighbourhoods if n.district == district]
        if not places:
            raise UnknownDistrictError(field="district")
    config = current_app.config
    return plan.build_plan(
        snapshot,
        places=places,
        candidates_per_citizen=int(config.get("MATCHING_PLAN_CANDIDATES", 50)),
        max_new_per_citizen=int(config.get("MATCHING_PLAN_MAX_NEW_PER_CITIZEN", 1)),
    )


@dataclass
class InviteOutcome:
    invited: list[tuple[int, int]] = field(default_factory=list)
    # (citizen_id, initiative_id, why): "no_longer_fits", "no_room" or "daily_limit"
    skipped: list[tuple[int, int, str]] = field(default_factory=list)


def invite_plan_rows(
    session: orm.Session, pairs: list[tuple[int, int]], *, actor: User
) -> InviteOutcome:
    """Invite the chosen plan rows: real invitations (link, e-mail, inbox) through the invitation service.

    Each pair is checked again on fresh data (the plan may be a minute old):
    the hard filters with consent, and the initiative's room counting
    invitations already out. Pairs that no longer pass are skipped, not
    forced. Flushes; the caller commits (and the mails go out then).
    """
    from ..services import invitations
    from ..services import placements as machine

    outcome = InviteOutcome()
    room: dict[int, int] = {}
    from ..security import can_invite

    for citizen_id, initiative_id in dict.fromkeys(pairs):
        if not can_invite(session, actor, initiative_id):  # outside the coordinator's districts
            outcome.skipped.append((citizen_id, initiative_id, "not_yours"))
            continue
        match = match_for(session, citizen_id, initiative_id, require_consent=True)
        if match is None:
            outcome.skipped.append((citizen_id, initiative_id, "no_longer_fits"))
            continue
        if initiative_id not in room:
            facts = initiative_facts(session, initiative_id)
            room[initiative_id] = facts.volunteers_ideal - facts.places_taken - facts.pending
        if room[initiative_id] <= 0:
            outcome.skipped.append((citizen_id, initiative_id, "no_room"))
            continue
        citizen = session.get(User, citizen_id)
        initiative = session.get(Initiative, initiative_id)
        try:
            invitations.invite_citizen(session, citizen, initiative, actor=actor, via="plan")
        except invitations.DailyLimitError:
            outcome.skipped.append((citizen_id, initiative_id, "daily_limit"))
            continue
        except (machine.InitiativeFullError, machine.InitiativeNotOpenError):
            outcome.skipped.append((citizen_id, initiative_id, "no_room"))
            continue
        except invitations.InvitationError:
            outcome.skipped.append((citizen_id, initiative_id, "no_longer_fits"))
            continue
        room[initiative_id] -= 1
        outcome.invited.append((citizen_id, initiative_id))
    return outcome


def plan_as_dict(result: plan.Plan, rows: list[dict]) -> dict:
    """The plan for --json: the figures and the rows (with reasons already in words)."""
    return {**result.summary(), "seconds": {k: round(v, 4) for k, v in result.seconds.items()}, "rows": rows}

