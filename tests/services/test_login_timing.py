"""A login costs one password-hash check whatever the address: timing tells nobody who has an account."""

from __future__ import annotations

import statistics
import time

from coprod_match.models import Role
from coprod_match.services import accounts

ROUNDS = 7  # bench/logins.py measures 20 through the login form


def test_unknown_address_and_account_without_password_take_as_long_as_a_wrong_password(db_session, make_user):
    with_password = make_user(Role.CITIZEN, email="has-password@example.org")
    without = make_user(Role.CITIZEN, email="invited@example.org")
    without.password_hash = None  # imported or invited, never set a password
    db_session.commit()
    tries = {
        "wrong password": with_password.email,
        "unknown address": "nobody@example.org",
        "no password": without.email,
    }
    seconds: dict[str, list[float]] = {kind: [] for kind in tries}
    for _ in range(ROUNDS):  # interleaved, so a busy moment of the machine hits every kind alike
        for kind, email in tries.items():
            start = time.perf_counter()
            assert accounts.authenticate(db_session, email, "Not-the-password-42") is None
            seconds[kind].append(time.perf_counter() - start)
    median = {kind: statistics.median(values) for kind, values in seconds.items()}
    reference = median["wrong password"]
    # Generous bounds for a busy test machine; without a hash check a path is over 20 times faster.
    for kind in ("unknown address", "no password"):
        assert 0.5 * reference < median[kind] < 2 * reference, median
