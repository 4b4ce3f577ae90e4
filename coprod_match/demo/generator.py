"""`generate_demo`: the whole demo as plain values, a pure function of its arguments.

Each part (staff, initiatives, citizens, placements, monthly check-ins) draws from its own
random stream, split off the seed in a fixed order, so asking for more
citizens or initiatives extends the demo instead of reshuffling it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from .content import ARTICLE_INITIATIVES, MIN_CITIZENS, PERSONAS, STAFF
from .initiatives import generate_initiatives
from .monthly import add_check_ins
from .people import generate_citizens, generate_staff
from .placements import generate_placements
from .seeds import DemoData


def generate_demo(
    *,
    seed: int,
    citizens: int,
    initiatives: int | None,
    today: dt.date,
    neighbourhoods: Mapping[str, str],
) -> DemoData:
    """The whole demo as plain values: same arguments, same data.

    `neighbourhoods` maps each neighbourhood name to its district (from the
    reference data). `initiatives` None means the article's set; fewer takes
    the first ones, more adds generated initiatives for benchmarks.
    """
    if citizens < MIN_CITIZENS:
        raise ValueError(f"the demo needs at least {MIN_CITIZENS} citizens")
    if initiatives is not None and initiatives < 0:
        raise ValueError("initiatives cannot be negative")
    districts = set(neighbourhoods.values())
    needed = (
        {a.neighbourhood for a in ARTICLE_INITIATIVES}
        | {p.neighbourhood for p in PERSONAS}
        | {area for s in STAFF for area in s.areas if area not in districts}
    )
    missing = sorted(needed - set(neighbourhoods))
    if missing:
        raise ValueError(f"the demo needs these neighbourhoods: {', '.join(missing)}")

    master = random.Random(seed)  # noqa: S311 - demo data, not security
    # One stream per part, split off in a fixed order: more citizens do not reshuffle the staff.
    streams = {
        name: random.Random(master.getrandbits(64))  # noqa: S311
        for name in ("staff", "initiatives", "citizens", "placements", "check_ins")
    }
    now = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)
    wanted = len(ARTICLE_INITIATIVES) if initiatives is None else initiatives
    extra_count = max(0, wanted - len(ARTICLE_INITIATIVES))

    staff = generate_staff(streams["staff"], now, neighbourhoods, extra_count)
    initiative_seeds = generate_initiatives(
        streams["initiatives"], now, neighbourhoods, staff, wanted
    )
    people = generate_citizens(streams["citizens"], now, neighbourhoods, citizens)
    placements = generate_placements(
        streams["placements"], now, neighbourhoods, initiative_seeds, people
    )
    placements, contact_check_ins = add_check_ins(
        streams["check_ins"], now, initiative_seeds, placements,
        {person.email: person.display_name for person in people},
    )
    return DemoData(
        staff=tuple(staff),
        citizens=tuple(people),
        initiatives=tuple(initiative_seeds),
        placements=tuple(placements),
        contact_check_ins=tuple(contact_check_ins),
    )
