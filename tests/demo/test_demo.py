"""The The Hague demo: deterministic, idempotent, and telling the article's stories.

Generation is tested without a database (it is a pure function); seeding is
tested on SQLite and PostgreSQL through the `app` fixture.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import os
import subprocess
import sys
from collections import Counter, defaultdict

import pytest
import sqlalchemy as sa

from coprod_match.demo import (
    ARTICLE_INITIATIVES,
    DEMO_PASSWORD,
    MIN_CITIZENS,
    demo_logins,
    generate_demo,
    seed_demo,
)
from coprod_match.models import (
    FINAL_STATES,
    Base,
    Initiative,
    InitiativeContact,
    InitiativeStatus,
    InitiativeTask,
    Placement,
    PlacementEvent,
    PlacementState,
    Role,
    TaskKind,
    User,
)
from coprod_match.reference_data import DATA_DIR
from coprod_match.services.accounts import authenticate
from tests.factories import client_for

TODAY = dt.date(2026, 3, 2)
COMMITTED = {PlacementState.ACTIVE, PlacementState.PAUSED, PlacementState.ACCEPTED}


@pytest.fixture(scope="module")
def hague() -> dict[str, str]:
    """Neighbourhood -> district, as the reference data file has it."""
    with open(os.path.join(DATA_DIR, "neighbourhoods.csv"), encoding="utf-8") as handle:
        return {row["name"]: row["district"] for row in csv.DictReader(handle)}


def _generate(hague, **overrides):
    arguments = {"seed": 7, "citizens": 120, "initiatives": None, "today": TODAY,
                 "neighbourhoods": hague}
    arguments.update(overrides)
    return generate_demo(**arguments)


# --- generation, without a database ------------------------------------------------------


def test_same_seed_gives_same_data(hague):
    first = _generate(hague, initiatives=40)
    assert first == _generate(hague, initiatives=40)
    other = _generate(hague, initiatives=40, seed=8)
    assert other.citizens != first.citizens
    assert other.placements != first.placements


def test_more_citizens_keep_the_first_ones_and_the_staff(hague):
    small = _generate(hague, citizens=60)
    large = _generate(hague, citizens=200)
    assert large.citizens[:60] == small.citizens
    assert large.staff == small.staff
    assert large.initiatives == small.initiatives


def test_initiative_count_takes_the_article_first_then_generates(hague):
    assert [i.title for i in _generate(hague, initiatives=5).initiatives] == [
        a.title for a in ARTICLE_INITIATIVES[:5]
    ]
    assert len(_generate(hague).initiatives) == len(ARTICLE_INITIATIVES)

    data = _generate(hague, initiatives=90)
    titles = [i.title for i in data.initiatives]
    assert len(titles) == len(set(titles)) == 90
    assert titles[: len(ARTICLE_INITIATIVES)] == [a.title for a in ARTICLE_INITIATIVES]
    assert {i.neighbourhood for i in data.initiatives} <= set(hague)
    assert len({i.neighbourhood for i in data.initiatives}) > 15
    professionals = [s for s in data.staff if s.role == Role.PROFESSIONAL]
    assert len(professionals) > len(_professionals(_generate(hague)))


def _professionals(data):
    return [s for s in data.staff if s.role == Role.PROFESSIONAL]


def test_sportief_samen_is_for_women_and_its_history_has_only_women(hague):
    data = _generate(hague, citizens=300)
    sports = next(i for i in data.initiatives if i.title.startswith("Sportief Samen"))
    assert sports.open_to == "women"
    gender = {c.email: c.gender for c in data.citizens}
    there = [p.citizen_email for p in data.placements if p.initiative_title == sports.title]
    assert there and all(gender[email] == "woman" for email in there)
    # Most residents answered; some did not, so "not said" can be seen in the demo too.
    answers = Counter(c.gender for c in data.citizens)
    assert answers["woman"] > 100 and answers["man"] > 50 and answers[None] > 10
    assert sum(c.birth_year is not None for c in data.citizens) > 200


def test_sportief_samen_suggests_no_man_after_seeding(runner, db_session):
    from coprod_match.matching import service as matching

    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    sports = db_session.scalar(sa.select(Initiative).where(Initiative.title.startswith("Sportief Samen")))
    assert sports.open_to == "women"
    candidates = [m.citizen_id for m in matching.candidates_for_initiative(db_session, sports.id, limit=50)]
    assert candidates
    genders = {user.id: user.citizen_profile.gender for user in db_session.scalars(
        sa.select(User).where(User.id.in_(candidates)))}
    assert set(genders.values()) == {"woman"}


def test_too_few_citizens_is_refused(hague):
    with pytest.raises(ValueError, match="at least"):
        _generate(hague, citizens=MIN_CITIZENS - 1)


def test_generated_placements_are_consistent(hague):
    data = _generate(hague, citizens=1500, initiatives=150)
    now = dt.datetime.combine(TODAY, dt.time(0, 0), tzinfo=dt.UTC)
    initiatives = {i.title: i for i in data.initiatives}
    people = {c.email: c for c in data.citizens}
    by_initiative = defaultdict(Counter)
    pairs = Counter()
    for placement in data.placements:
        by_initiative[placement.initiative_title][placement.state] += 1
        pairs[placement.citizen_email, placement.initiative_title] += 1
        events = placement.events
        assert events[0].from_state is None
        for before, after in itertools.pairwise(events):
            assert after.from_state == before.to_state
            assert after.at > before.at
        assert events[-1].to_state == placement.state
        assert placement.created_at == events[0].at
        assert placement.state_changed_at == events[-1].at
        assert events[-1].at < now
        assert all(check_in.at < now for check_in in placement.check_ins)
        assert (placement.end_reason is not None) == (placement.state == PlacementState.ENDED)
        if placement.invitation is not None:
            assert events[0].to_state == PlacementState.INVITED
            assert placement.invitation.expires_at > placement.invitation.sent_at
        assert events[0].at > people[placement.citizen_email].created_at
    assert max(pairs.values()) == 1
    for title, states in by_initiative.items():
        initiative = initiatives[title]
        assert initiative.status != InitiativeStatus.DRAFT
        assert states[PlacementState.ACTIVE] <= initiative.volunteers_ideal
        assert sum(states[s] for s in COMMITTED) <= initiative.volunteers_ideal
    # The spread the continuity alerts need: single volunteers, none, below minimum.
    actives = [by_initiative[i.title][PlacementState.ACTIVE] for i in data.initiatives
               if i.status == InitiativeStatus.OPEN]
    assert actives.count(1) >= 3
    assert actives.count(0) >= 2
    assert any(
        1 < by_initiative[i.title][PlacementState.ACTIVE] < i.volunteers_min
        for i in data.initiatives
    )


def test_citizens_look_like_the_hague(hague):
    data = _generate(hague, citizens=2000)
    languages = Counter(code for c in data.citizens for code, _ in c.languages)
    speaks_dutch = sum(any(code == "nl" for code, _ in c.languages) for c in data.citizens)
    assert speaks_dutch / len(data.citizens) > 0.85
    for code in ("tr", "ary", "rif", "pap", "pl", "so", "ar", "uk"):
        assert languages[code] > 10, code
    where = Counter(c.neighbourhood for c in data.citizens)
    assert where["Schilderswijk"] > where["Benoordenhout"] * 2
    assert any(c.wants_to_practise_dutch for c in data.citizens)
    assert all(c.consent_given_at is not None for c in data.citizens if c.consent_to_contact)
    assert 0.7 < sum(c.consent_to_contact for c in data.citizens) / len(data.citizens) < 0.95
    # Residents who read Dutch with difficulty often use the site in their own language.
    locales = Counter(c.preferred_locale for c in data.citizens)
    assert set(locales) == {"nl", "en", "tr", "ar", "pl", "bg", "uk"}
    assert locales["nl"] > len(data.citizens) / 2 and locales["tr"] > 20 and locales["ar"] > 20


# --- seeding the database (SQLite and PostgreSQL) -----------------------------------------


def _table_counts(session) -> dict[str, int]:
    return {
        table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


def test_seeding_twice_adds_nothing(db_session):
    added = seed_demo(db_session, seed=11, citizens=40, initiatives=30, today=TODAY)
    db_session.commit()
    counts = _table_counts(db_session)
    for table, count in added.items():
        assert counts[table] == count, table
    assert added["placements"] > 0 and added["invitations"] > 0

    again = seed_demo(db_session, seed=11, citizens=40, initiatives=30, today=TODAY)
    db_session.commit()
    assert again.keys() == added.keys()
    assert sum(again.values()) == 0
    assert _table_counts(db_session) == counts


def test_more_citizens_later_never_overfills_an_initiative(db_session):
    seed_demo(db_session, seed=3, citizens=30, today=TODAY)
    db_session.commit()
    before = db_session.scalar(sa.select(sa.func.count()).select_from(Placement))
    added = seed_demo(db_session, seed=3, citizens=80, today=TODAY)
    db_session.commit()
    assert added["users"] == 50
    # Initiatives that already had placements get no new ones.
    assert added["placements"] == 0
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Placement)) == before


def _active_counts(session) -> dict[int, int]:
    query = (
        sa.select(Initiative.id, sa.func.count(Placement.id))
        .outerjoin(
            Placement,
            (Placement.initiative_id == Initiative.id)
            & (Placement.state == PlacementState.ACTIVE),
        )
        .group_by(Initiative.id)
    )
    return dict(iter(session.execute(query)))


def test_default_seed_through_the_cli(runner, db_session):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "Rows added" in result.output
    for _, email, password in demo_logins():
        assert email in result.output and password in result.output

    roles = Counter(db_session.scalars(sa.select(User.role)))
    assert roles[Role.ADMIN] == 1
    assert roles[Role.COORDINATOR] == 2
    assert roles[Role.PROFESSIONAL] >= 10
    assert roles[Role.CITIZEN] == 300
    staff = db_session.scalars(sa.select(User).where(User.role != Role.CITIZEN)).all()
    assert all(user.work_areas for user in staff if user.role != Role.ADMIN)

    initiatives = db_session.scalars(sa.select(Initiative)).all()
    assert len(initiatives) == len(ARTICLE_INITIATIVES)
    active = _active_counts(db_session)
    for initiative in initiatives:
        assert active[initiative.id] <= initiative.volunteers_ideal, initiative.title
        assert 1 <= len(initiative.contacts) <= 2
    assert sum(1 for count in active.values() if count == 1) >= 3
    assert any(count == 0 for count in active.values())
    assert any(
        1 < active[i.id] < i.volunteers_min for i in initiatives
    ), "an initiative below its minimum"
    statuses = Counter(i.status for i in initiatives)
    assert statuses[InitiativeStatus.DRAFT] == 1
    assert statuses[InitiativeStatus.PAUSED] == 1
    assert any(i.end_date and i.end_date <= dt.date.today() + dt.timedelta(days=60)
               for i in initiatives)

    orphaned = [i for i in initiatives if not any(c.is_current for c in i.contacts)]
    assert orphaned, "an initiative orphaned by turnover"
    handed_over = [
        i for i in initiatives
        if any(c.is_current for c in i.contacts) and any(not c.is_current for c in i.contacts)
    ]
    assert handed_over, "an initiative with a contact history"

    assert db_session.scalar(
        sa.select(sa.func.count()).select_from(InitiativeTask)
        .where(InitiativeTask.kind == TaskKind.COMPLEMENTARY)
    ) >= len(ARTICLE_INITIATIVES)
    day_care = next(i for i in initiatives if i.title.startswith("Samen Dag"))
    assert {"tr", "ary", "rif"} <= {language.code for language in day_care.languages}

    states = Counter(db_session.scalars(sa.select(Placement.state)))
    for state in (PlacementState.ACTIVE, PlacementState.PAUSED, PlacementState.APPLIED,
                  PlacementState.INVITED, PlacementState.ENDED, PlacementState.DECLINED):
        assert states[state] > 0, state
    live_pairs = Counter(
        db_session.execute(
            sa.select(Placement.citizen_id, Placement.initiative_id)
            .where(Placement.state.not_in([s.value for s in FINAL_STATES]))
        ).all()
    )
    assert max(live_pairs.values()) == 1
    last_event = {
        placement_id: to_state
        for placement_id, to_state in db_session.execute(
            sa.select(PlacementEvent.placement_id, PlacementEvent.to_state)
            .order_by(PlacementEvent.placement_id, PlacementEvent.id)
        )
    }
    for placement_id, state in db_session.execute(sa.select(Placement.id, Placement.state)):
        assert last_event[placement_id] == state

    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0, again.output
    assert "total" in again.output and again.output.split("total")[1].split()[0] == "0"


def test_demo_logins_work_and_have_something_to_show(runner, db_session):
    assert runner.invoke(args=["demo", "seed", "--citizens", "30"]).exit_code == 0
    logins = demo_logins()
    assert [role for role, _, _ in logins] == ["admin", "coordinator", "professional", "professional", "citizen"]
    for role, email, password in logins:
        assert password == DEMO_PASSWORD
        user = authenticate(db_session, email, password)
        assert user is not None and user.role == role, email
    first, second = (authenticate(db_session, logins[i][1], DEMO_PASSWORD) for i in (2, 3))
    assert first.id != second.id

    def current_initiatives(professional):
        return set(db_session.scalars(
            sa.select(InitiativeContact.initiative_id).where(
                InitiativeContact.professional_id == professional.id, InitiativeContact.ends_at.is_(None))
        ))

    # Both listed professionals are contacts of one initiative: a hand-over can be tried at once.
    shared = current_initiatives(first) & current_initiatives(second)
    assert shared
    assert any(db_session.get(Initiative, initiative_id).status == InitiativeStatus.OPEN
               for initiative_id in shared)
    citizen = authenticate(db_session, logins[4][1], DEMO_PASSWORD)
    assert db_session.scalar(
        sa.select(sa.func.count()).select_from(Placement).where(
            Placement.citizen_id == citizen.id, Placement.state == PlacementState.ACTIVE
        )
    ) >= 1
    assert authenticate(db_session, logins[4][1], "wrong-password-123") is None


def test_demo_people_can_be_reached_the_way_they_chose(app, runner, db_session):
    assert runner.invoke(args=["demo", "seed", "--citizens", "40"]).exit_code == 0
    professionals = db_session.scalars(sa.select(User).where(User.role == Role.PROFESSIONAL)).all()
    assert professionals and all(p.phone and p.work_email and p.organisation for p in professionals)
    citizens = db_session.scalars(sa.select(User).where(User.role == Role.CITIZEN)).all()
    assert any(c.shares_phone for c in citizens) and any(c.shares_email for c in citizens)
    assert not all(c.shares_phone or c.shares_email for c in citizens)  # sharing stays a choice
    assert all(c.phone for c in citizens if c.shares_phone)
    naima = authenticate(db_session, demo_logins()[4][1], DEMO_PASSWORD)
    assert naima.phone and naima.shares_phone and naima.shares_email
    # Her contact person's work phone is on "My initiatives", as a link a phone can call.
    page = client_for(app, naima).get("/citizens/initiatives").get_data(as_text=True)
    assert 'href="tel:070' in page


def test_logins_command(runner):
    before = runner.invoke(args=["demo", "logins"])
    assert before.exit_code == 0
    assert "flask demo seed" in before.output
    assert runner.invoke(args=["demo", "seed", "--citizens", "20"]).exit_code == 0
    after = runner.invoke(args=["demo", "logins"])
    assert after.exit_code == 0
    assert "flask demo seed" not in after.output
    for role, email, password in demo_logins():
        assert role in after.output and email in after.output and password in after.output


def test_reference_load_command(runner, db_session):
    first = runner.invoke(args=["reference", "load"])
    assert first.exit_code == 0, first.output
    assert "0 added" not in first.output
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Base.metadata.tables[
        "neighbourhoods"])) > 30
    second = runner.invoke(args=["reference", "load"])
    assert second.exit_code == 0
    assert "0 added, 0 updated" in second.output


def test_seed_refuses_production_without_the_flag(app, runner, db_session):
    app.config["APP_ENV"] = "production"
    result = runner.invoke(args=["demo", "seed", "--citizens", "20"])
    assert result.exit_code != 0
    assert "production" in result.output
    assert db_session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_seed_refuses_fewer_citizens_than_personas(runner, db_session):
    result = runner.invoke(args=["demo", "seed", "--citizens", str(MIN_CITIZENS - 1)])
    assert result.exit_code == 2
    assert f"at least {MIN_CITIZENS}" in result.output
    assert db_session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_flask_starts_without_the_demo_generator():
    """Only `demo seed` needs the generator, its content and the writer: other commands start faster."""
    code = (
        "import sys; from coprod_match import create_app; "
        "create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://', 'SECRET_KEY': 'x'}); "
        "print(sorted(m for m in sys.modules if m.startswith('coprod_match.demo')))"
    )
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                          check=True, env={**os.environ, "APP_ENV": "testing"})
    assert done.stdout.split() == [
        "['coprod_match.demo',", "'coprod_match.demo.accounts',", "'coprod_match.demo.commands']"
    ]
