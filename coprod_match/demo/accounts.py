"""Demo accounts: their e-mail addresses, the shared password, one login per role, how many."""

from __future__ import annotations

from ..models import Role

DEMO_DOMAIN = "demo.coprod.nl"
# Published on purpose: every demo account shares it, so never seed a real database.
DEMO_PASSWORD = "Hofstad-demo-2026"  # noqa: S105
# The demo everyone sees: `flask demo seed` without options (and `make run`).
DEFAULT_SEED = 2026
DEFAULT_CITIZENS = 300


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def citizen_email(number: int) -> str:
    return demo_email(f"citizen{number:04d}")


def professional_email(number: int) -> str:
    return demo_email(f"professional{number:02d}")


ADMIN_EMAIL = demo_email("admin")
# coordinator1 works in their own districts; this one is municipal and sees the whole city.
MUNICIPAL_COORDINATOR_EMAIL = demo_email("coordinator2")


# Both are contacts of the Schilderswijk day care ("Samen Dag", data/demo/initiatives.toml), so
# a hand-over or a colleague's view can be tried at once (tests/demo checks they stay so).
HAND_OVER_PAIR = (professional_email(1), professional_email(2))


# Showcase residents who read the site in their own language (data/demo/personas.toml, 11th and 12th):
# Ayşe Yılmaz in Turkish, Khaled Haddad in Arabic (tests/demo checks they stay so).  # noqa: RUF003
TURKISH_RESIDENT_EMAIL = citizen_email(11)
ARABIC_RESIDENT_EMAIL = citizen_email(12)


# The informal carer whose monthly check-ins say it is too much (data/demo/check_ins.toml, persona 2;
# tests/demo checks they stay the same).
STRAINED_VOLUNTEER_EMAIL = citizen_email(2)


def demo_logins() -> list[tuple[str, str, str]]:
    """One login per role (role, e-mail, password), and two professionals of one initiative."""
    return [
        (Role.ADMIN.value, ADMIN_EMAIL, DEMO_PASSWORD),
        (Role.COORDINATOR.value, demo_email("coordinator1"), DEMO_PASSWORD),
        # Contacts for the Schilderswijk day care, so the professional pages have content.
        *((Role.PROFESSIONAL.value, email, DEMO_PASSWORD) for email in HAND_OVER_PAIR),
        # Naima: active at the day care and applied to the heart-health walks.
        (Role.CITIZEN.value, citizen_email(1), DEMO_PASSWORD),
    ]
