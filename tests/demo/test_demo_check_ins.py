"""The demo's year of check-ins: monthly answers, attendance, thanks, channels and the showcase cases.

The showcase cases are checked against the alert definitions of issue 16
(the rules themselves live in continuity/): generated data without a
database, then the seeded rows once through `flask demo seed`.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections import Counter, defaultdict
from statistics import median

import pytest
import sqlalchemy as sa

from coprod_match.demo import generate_demo
from coprod_match.demo.accounts import (
    HAND_OVER_PAIR,
    STRAINED_VOLUNTEER_EMAIL,
    TURKISH_RESIDENT_EMAIL,
    citizen_email,
)
from coprod_match.demo.content import ARTICLE_INITIATIVES, CHECK_IN_SHOWCASE
from coprod_match.demo.monthly import months_until
from coprod_match.models import (
    ContactCheckIn,
    ContinuityAlert,
    Initiative,
    JobRun,
    Notification,
    Placement,
    PlacementCheckIn,
    PlacementThanks,
    User,
    VolunteerCheckIn,
    utcnow,
)
from coprod_match.reference_data import DATA_DIR
from coprod_match.vocabulary import LOCAL_ZONE
from tests.conftest import csrf_token

TODAY = dt.date(2026, 3, 2)
NOW = dt.datetime.combine(TODAY, dt.time(0, 0), tzinfo=dt.UTC)
MONTHS = months_until(NOW)
STRAINED_AT = ARTICLE_INITIATIVES[CHECK_IN_SHOWCASE.strained_article - 1].title
OVERLOADED_AT = ARTICLE_INITIATIVES[CHECK_IN_SHOWCASE.overloaded_article - 1].title
QUIET = ARTICLE_INITIATIVES[CHECK_IN_SHOWCASE.unanswered_article - 1].title


@pytest.fixture(scope="module")
def demo():
    with open(os.path.join(DATA_DIR, "neighbourhoods.csv"), encoding="utf-8") as handle:
        hague = {row["name"]: row["district"] for row in csv.DictReader(handle)}
    return generate_demo(seed=2026, citizens=300, initiatives=None, today=TODAY, neighbourhoods=hague)


def _strained(answer) -> bool:
    return answer.too_much >= 4 or answer.appreciated <= 2 or answer.supported <= 2


# The alert definitions of issue 16, applied to the generated values.

def _well_being(answer) -> float:
    return (answer.appreciated + answer.supported + 6 - answer.too_much) / 3


def _volunteer_strain(placements) -> set[tuple[str, str]]:
    """Two strained answers in a row, or a sharp fall (1.5 by default) between the two latest."""
    found = set()
    for p in placements:
        answered = [c for c in p.volunteer_check_ins if c.answered_at is not None]
        if p.state in ("active", "paused") and len(answered) >= 2 and (
            all(map(_strained, answered[-2:])) or _well_being(answered[-2]) - _well_being(answered[-1]) >= 1.5
        ):
            found.add((p.citizen_email, p.initiative_title))
    return found


def _contact_strain(contact_check_ins) -> set[tuple[str, str]]:
    by_contact = defaultdict(list)
    for c in contact_check_ins:
        if c.answered_at is not None:
            by_contact[c.professional_email, c.initiative_title].append(c)
    return {
        key for key, answered in by_contact.items()
        if (answered[-1].month >= MONTHS[-2] and answered[-1].needs_help)
        or (len(answered) >= 2 and all(c.burden == "heavier" for c in answered[-2:]))
    }


def _not_answering(placements) -> set[str]:
    silent = defaultdict(list)
    for p in placements:
        asked = {c.month: c for c in p.volunteer_check_ins}
        if MONTHS[-3] in asked and MONTHS[-2] in asked:
            silent[p.initiative_title].append(
                asked[MONTHS[-3]].answered_at is None and asked[MONTHS[-2]].answered_at is None)
    return {title for title, flags in silent.items() if len(flags) >= 2 and sum(flags) * 2 > len(flags)}


def test_the_showcase_cases_and_only_they_meet_the_new_alert_rules(demo):
    assert _volunteer_strain(demo.placements) == {(STRAINED_VOLUNTEER_EMAIL, STRAINED_AT)}
    assert _contact_strain(demo.contact_check_ins) == {(HAND_OVER_PAIR[1], OVERLOADED_AT)}
    assert _not_answering(demo.placements) == {QUIET}

    els = next(p for p in demo.placements if (p.citizen_email, p.initiative_title)
               == (STRAINED_VOLUNTEER_EMAIL, STRAINED_AT))
    answered = [c for c in els.volunteer_check_ins if c.answered_at is not None]
    assert [(c.too_much, c.appreciated) for c in answered[-2:]] == [(5, 2), (4, 2)]
    assert els.state == "active" and len(els.volunteer_check_ins) == 12
    assert citizen_email(CHECK_IN_SHOWCASE.strained_persona) == STRAINED_VOLUNTEER_EMAIL


def test_a_year_of_monthly_check_ins_asked_on_the_first_mostly_answered(demo):
    check_ins = [c for p in demo.placements for c in p.volunteer_check_ins]
    assert {c.month for c in check_ins} == set(MONTHS) and len(MONTHS) == 12
    for c in check_ins:
        assert c.asked_at < NOW and c.asked_at.astimezone(LOCAL_ZONE).date() == c.month
        if c.answered_at is not None:
            assert c.asked_at < c.answered_at < min(NOW, c.asked_at + dt.timedelta(days=21))
            assert c.answered_via in ("link", "app") and c.still_helping in ("yes", "paused", "stopped")
    # One a month while active: a volunteer active all year was asked twelve times.
    for p in demo.placements:
        months = [c.month for c in p.volunteer_check_ins]
        assert len(months) == len(set(months))
        if p.state == "active" and p.events[-1].at < NOW - dt.timedelta(days=400):
            assert months == MONTHS, p.citizen_email
    current = [c for c in check_ins if c.month == MONTHS[-1]]
    earlier = [c for c in check_ins if c.month != MONTHS[-1]]
    assert current and sum(c.answered_at is not None for c in current) < len(current) / 3
    assert 0.6 < sum(c.answered_at is not None for c in earlier) / len(earlier) < 0.95
    answers = [c for c in earlier if c.answered_at is not None]
    assert sum(c.appreciated >= 4 for c in answers) / len(answers) > 0.7
    assert sum(c.too_much <= 2 for c in answers) / len(answers) > 0.6
    assert Counter(c.appreciated for c in answers)[3] > 0  # some variety
    assert any(c.comment for c in answers)


def test_a_few_paused_and_stopped_answers_each_the_volunteers_own_move_and_ayses_question_stays_open(demo):
    moved = Counter()
    for p in demo.placements:
        for c in p.volunteer_check_ins:
            if c.still_helping in ("paused", "stopped"):
                # The answer made the move: the placement's next event, by the volunteer, at that moment.
                event = next(e for e in p.events if e.at > c.asked_at)
                assert (event.at, event.actor_email, event.from_state) == (c.answered_at, p.citizen_email, "active")
                assert event.to_state == {"paused": "paused", "stopped": "ended"}[c.still_helping]
                moved[c.still_helping] += 1
    assert 2 <= moved["paused"] <= 15 and 2 <= moved["stopped"] <= 15

    signed = [(p.citizen_email, c) for p in demo.placements for c in p.volunteer_check_ins if c.signed_link]
    assert len(signed) == 1
    email, question = signed[0]
    assert email == TURKISH_RESIDENT_EMAIL and question.month == MONTHS[-1] and question.answered_at is None
    assert question.asked_at + dt.timedelta(days=21) >= NOW + dt.timedelta(days=7)  # still open a week on


def test_contacts_answer_monthly_for_their_open_initiatives(demo):
    current = {(c.professional_email, i.title) for i in demo.initiatives if i.status == "open"
               for c in i.contacts if c.ends_at is None}
    keys = {(c.professional_email, c.initiative_title) for c in demo.contact_check_ins}
    assert keys == current
    answered = [c for c in demo.contact_check_ins if c.answered_at is not None]
    burden = Counter(c.burden for c in answered)
    assert burden["same"] + burden["lighter"] > 0.8 * len(answered) and burden["heavier"] > 0
    assert sum(c.needs_help for c in answered) <= 0.1 * len(answered)
    assert all(0 <= c.hours <= 300 for c in answered)


def test_attendance_is_about_weekly_with_minutes(demo):
    active_all_year = [p for p in demo.placements if p.state == "active"
                       and p.events[-1].at < NOW - dt.timedelta(days=400)]
    assert active_all_year
    assert 20 <= median(len(p.check_ins) for p in active_all_year) <= 45
    check_ins = [c for p in demo.placements for c in p.check_ins]
    assert {c.kind for c in check_ins} == {"activity", "citizen_helped"}
    with_minutes = [c.minutes for c in check_ins if c.minutes is not None]
    assert len(with_minutes) > 0.7 * len(check_ins) and set(with_minutes) <= set(range(60, 181))


def test_came_through_all_three_channels_and_invited_volunteers_stay_longer(demo):
    channels = Counter(p.came_through for p in demo.placements)
    assert set(channels) == {"invitation", "own", "plan"}
    for p in demo.placements:
        assert (p.invitation is not None) == (p.came_through in ("invitation", "plan"))

    def stayed(p) -> int:
        active = next(e.at for e in p.events if e.to_state == "active")
        return (p.events[-1].at - active).days

    ended = defaultdict(list)
    for p in demo.placements:
        if p.state == "ended" and any(e.to_state == "active" for e in p.events):
            ended[p.came_through].append(stayed(p))
    assert median(ended["invitation"]) > median(ended["own"])


def test_thanks_for_a_few_long_running_volunteers_and_ayse(demo):
    thanked = {p.citizen_email: p for p in demo.placements if p.thanks is not None}
    assert 3 <= len(thanked) <= 20
    assert thanked[TURKISH_RESIDENT_EMAIL].thanks.sentence == CHECK_IN_SHOWCASE.thanked_sentence
    for p in thanked.values():
        assert p.state == "active" and len(p.thanks.sentence) <= 300
        assert p.thanks.written_at < NOW


def test_the_seeded_demo_has_the_rows_and_its_alerts(runner, db_session, client):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert STRAINED_VOLUNTEER_EMAIL in result.output
    # The seed ran the continuity scan: the dashboard has alerts at first start, and the run log says so.
    alerts = db_session.scalar(sa.select(sa.func.count()).select_from(ContinuityAlert))
    assert alerts > 0
    runs = db_session.scalars(sa.select(JobRun).where(JobRun.job_name == "continuity_scan")).all()
    assert [(run.outcome, run.counts["opened"]) for run in runs] == [("succeeded", alerts)]

    # Each question of this month still waiting has its inbox message pointing to it.
    waiting = db_session.scalars(sa.select(VolunteerCheckIn).where(
        VolunteerCheckIn.month == months_until(utcnow())[-1], VolunteerCheckIn.answered_at.is_(None))).all()
    messages = db_session.execute(sa.select(Notification.user_id, Notification.link)
                                  .where(Notification.kind == "check_in.asked")).all()
    assert waiting and sorted(messages) == sorted((c.placement.citizen_id, f"/my/check-ins/{c.id}") for c in waiting)

    # Ayşe's signed link works without logging in, once.
    link = re.search(r"http://localhost\.test(/check-in/\S+)", result.output)
    assert link is not None, result.output
    path = link.group(1)
    assert client.get(path).status_code == 200
    answered = client.post(path, data={"csrf_token": csrf_token(client, path), "still_helping": "yes",
                                       "appreciated": "5", "supported": "4", "too_much": "2"})
    assert answered.status_code == 200
    assert client.get(path).status_code == 400  # used: refused (in Ayşe's Turkish)
    db_session.expire_all()
    ayses = db_session.scalar(sa.select(VolunteerCheckIn).join(Placement).join(User)
                              .where(User.email == TURKISH_RESIDENT_EMAIL, VolunteerCheckIn.answered_via == "link",
                                     VolunteerCheckIn.month == months_until(utcnow())[-1]))
    assert ayses is not None and ayses.appreciated == 5
    assert "/check-in/" not in runner.invoke(args=["demo", "logins"]).output

    hashes = db_session.scalars(sa.select(VolunteerCheckIn.token_hash)).all()
    assert len(hashes) > 300 and len(set(hashes)) == len(hashes)
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in hashes)
    assert all(expires - asked == dt.timedelta(days=21) for asked, expires in db_session.execute(
        sa.select(VolunteerCheckIn.asked_at, VolunteerCheckIn.expires_at)))
    months = db_session.scalars(sa.select(VolunteerCheckIn.month).distinct()).all()
    assert len(months) == 12

    els = db_session.scalar(sa.select(User).where(User.email == STRAINED_VOLUNTEER_EMAIL))
    latest = db_session.execute(
        sa.select(VolunteerCheckIn.too_much, VolunteerCheckIn.appreciated)
        .join(Placement).join(Initiative)
        .where(Placement.citizen_id == els.id, Initiative.title == STRAINED_AT,
               VolunteerCheckIn.answered_at.is_not(None))
        .order_by(VolunteerCheckIn.month.desc()).limit(2)
    ).all()
    assert [tuple(row) for row in latest] == [(4, 2), (5, 2)]

    professional = db_session.scalar(sa.select(User).where(User.email == HAND_OVER_PAIR[1]))
    contact = db_session.execute(
        sa.select(ContactCheckIn.burden, ContactCheckIn.needs_help, ContactCheckIn.comment)
        .join(Initiative).where(ContactCheckIn.professional_id == professional.id,
                                Initiative.title == OVERLOADED_AT, ContactCheckIn.answered_at.is_not(None))
        .order_by(ContactCheckIn.month.desc()).limit(2)
    ).all()
    assert [(burden, needs) for burden, needs, _ in contact] == [("heavier", True), ("heavier", False)]
    assert "hulp" in contact[0].comment

    assert set(db_session.scalars(sa.select(Placement.came_through).distinct())) == {"invitation", "own", "plan"}
    ayse = db_session.scalar(sa.select(User).where(User.email == TURKISH_RESIDENT_EMAIL))
    assert db_session.scalar(
        sa.select(sa.func.count()).select_from(PlacementThanks).join(Placement)
        .where(Placement.citizen_id == ayse.id)) == 1
    assert db_session.scalar(
        sa.select(sa.func.count()).select_from(PlacementCheckIn)
        .where(PlacementCheckIn.minutes.is_not(None))) > 500
