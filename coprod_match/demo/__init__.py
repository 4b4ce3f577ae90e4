"""A realistic The Hague demo, and reference data loading, from the `flask` command line.

The demo is built in two steps so it can be tested and trusted:
`generate_demo` is a pure function of the seed, the sizes, today's date and
the neighbourhood list (same input, same output); `seed_demo` writes what
is missing to the database with bulk inserts, so a second run adds nothing
and 100,000 citizens take minutes, not hours.

The city's content (staff, residents, the article's initiatives, personas,
notes) is data in coprod_match/data/demo/, read by `content`. The generator
is `generator` with `people`, `initiatives`, `placements`, `histories` and
`monthly` (a year of check-ins, thanks and the alerts' showcase cases);
`writer` puts its values in the database and `commands` holds the `flask
demo` and `flask reference` commands.

The content, the generator and the writer load on first use (module
`__getattr__`), not when `flask` registers the commands at start-up.
"""

from .accounts import DEMO_PASSWORD, citizen_email, demo_logins, professional_email
from .commands import demo_cli, reference_cli

__all__ = [
    "ARTICLE_INITIATIVES",
    "DEMO_PASSWORD",
    "MIN_CITIZENS",
    "DemoData",
    "citizen_email",
    "demo_cli",
    "demo_logins",
    "generate_demo",
    "professional_email",
    "reference_cli",
    "seed_demo",
]


def __getattr__(name: str):
    if name in ("ARTICLE_INITIATIVES", "MIN_CITIZENS"):
        from . import content

        return getattr(content, name)
    if name == "generate_demo":
        from .generator import generate_demo

        return generate_demo
    if name == "DemoData":
        from .seeds import DemoData

        return DemoData
    if name == "seed_demo":
        from .writer import seed_demo

        return seed_demo
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
