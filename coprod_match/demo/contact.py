"""Demo contact details: linking pins give a work phone and e-mail, some residents share theirs.

Without them "My initiatives" and the manage page show no way to call anyone,
so the demo hid a whole feature. Each person's details come from a generator
of their own, seeded by their e-mail address, so the main draws (and every
other demo figure) stay as they were.
"""

from __future__ import annotations

import random
import re
import unicodedata

from .accounts import citizen_email

# Naima (citizen0001, the citizen login of `flask demo logins`) shares both, so the
# professionals' pages show a resident's phone and e-mail at once.
SHARES_BOTH = frozenset({citizen_email(1)})


def _slug(text: str, joiner: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return joiner.join(re.findall(r"[a-z0-9]+", plain))


def staff_contact(email: str, display_name: str, organisation: str) -> dict:
    """A work phone (The Hague's 070) and a work e-mail at the organisation's (example) domain."""
    rng = random.Random(f"work-{email}")  # noqa: S311 - demo data, not secrets
    return {
        "phone": f"070 {rng.randint(300, 399)} {rng.randint(0, 9999):04d}",
        "work_email": f"{_slug(display_name, '.')}@{_slug(organisation, '') or 'wijkteam'}.example",
    }


def resident_contact(email: str) -> dict:
    """About half give a mobile number; some of them share it, some share their e-mail address."""
    rng = random.Random(f"contact-{email}")  # noqa: S311 - demo data, not secrets
    phone = f"06 {rng.randint(10000000, 99999999)}" if rng.random() < 0.5 else None
    if email in SHARES_BOTH:
        return {"phone": phone or "06 12345678", "shares_phone": True, "shares_email": True}
    return {"phone": phone, "shares_phone": phone is not None and rng.random() < 0.5,
            "shares_email": rng.random() < 0.25}
