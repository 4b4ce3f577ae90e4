"""Who logs in and which URLs each measured route asks for, read from the seeded city."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from coprod_match import create_app
from coprod_match.demo.accounts import DEMO_PASSWORD, demo_email
from coprod_match.extensions import db
from coprod_match.models import User
from coprod_match.services.api_tokens import create_api_token
from coprod_match.transaction import unit_of_work

from .load import Route

# The municipal coordinator: candidates of any initiative in the city, as the routes below ask for
# (coordinator1 works in three districts and gets 404 for initiatives elsewhere).
COORDINATOR_EMAIL = demo_email("coordinator2")
# Words residents type, in the demo's language (Dutch): each finds some initiatives in a city.
SEARCH_WORDS = ("wandelen", "huiswerk", "eten", "dementie")
PASSWORD = DEMO_PASSWORD


@dataclass(frozen=True)
class Cast:
    citizens: list[str]  # e-mails of demo citizens with a home neighbourhood, one per client
    coordinator: str
    neighbourhoods: list[int]  # search centres
    initiatives: list[int]  # open initiatives for detail and candidates


def read_cast(database_url: str, clients: int) -> Cast:
    engine = sa.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        citizens = conn.scalars(sa.text(
            "SELECT u.email FROM users u JOIN citizen_profiles p ON p.user_id = u.id "
            "WHERE u.role = 'citizen' AND u.is_enabled AND u.pending_since IS NULL "
            "AND p.neighbourhood_id IS NOT NULL AND u.email LIKE '%@demo.coprod.nl' "
            "ORDER BY u.id LIMIT :n"), {"n": clients * 2}).all()
        places = conn.scalars(sa.text(
            "SELECT id FROM neighbourhoods WHERE name IN "
            "('Schilderswijk', 'Transvaal', 'Regentessekwartier', 'Laakkwartier') ORDER BY id")).all()
        # Spread over the city: every n-th open initiative, not the first few.
        initiatives = conn.scalars(sa.text(
            "SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM initiatives "
            "WHERE status = 'open') numbered WHERE n % 7 = 1 ORDER BY id LIMIT 20")).all()
    engine.dispose()
    if len(citizens) < clients or not places or not initiatives:
        raise RuntimeError("the city lacks demo citizens, neighbourhoods or open initiatives")
    return Cast(list(citizens), COORDINATOR_EMAIL, list(places), list(initiatives))


def make_tokens(database_url: str, emails: dict[str, list[str]]) -> dict[str, list[str]]:
    """A fresh API token per e-mail, as `flask users token` makes one (stored as a hash)."""
    from config import normalise_database_url

    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
                      "SECRET_KEY": "bench-only-tokens", "APP_ENV": "development"})
    tokens: dict[str, list[str]] = {}
    with app.app_context(), unit_of_work() as session:
        for identity, addresses in emails.items():
            for email in addresses:
                user = session.scalar(sa.select(User).where(User.email == email))
                tokens.setdefault(identity, []).append(create_api_token(session, user, "bench", actor=None)[1])
    with app.app_context():
        db.engine.dispose()
    return tokens


def routes_for(cast: Cast) -> tuple[Route, list[Route]]:
    """The trivial route, then every page and API list of the issue's table."""
    filters = [f"near={place}&radius=2&language=tr" for place in cast.neighbourhoods]
    words = [f"q={word}" for word in SEARCH_WORDS]
    details = tuple(f"/initiatives/{n}" for n in cast.initiatives)
    candidates = tuple(f"/matching/initiatives/{n}/candidates" for n in cast.initiatives)
    trivial = Route("trivial: GET /healthz", "anonymous", ("/healthz",), statements=False)
    return trivial, [
        Route("search with filters", "citizen", tuple(f"/initiatives/?{f}" for f in filters), 3),
        Route("search with text", "citizen", tuple(f"/initiatives/?{w}" for w in words), 3),
        Route("initiative detail (citizen)", "citizen", details, 3),
        Route("suggestions (citizen)", "citizen", ("/matching/suggestions",), 3),
        Route("candidates (coordinator)", "coordinator", candidates, 5),
        Route("coordinator dashboard", "coordinator", ("/coordination/",), 5),
        Route("API initiatives, filters", "citizen-token", tuple(f"/api/v1/initiatives?{f}" for f in filters), 3),
        Route("API initiatives, text", "citizen-token", tuple(f"/api/v1/initiatives?{w}" for w in words), 3),
        Route("API me/suggestions", "citizen-token", ("/api/v1/me/suggestions",), 3),
        Route("API candidates", "coordinator-token",
              tuple(f"/api/v1/initiatives/{n}/candidates" for n in cast.initiatives), 5),
        Route("plan page (coordinator)", "coordinator", ("/matching/plan",), max_seconds=1.0,
              concurrency=1),
    ]
