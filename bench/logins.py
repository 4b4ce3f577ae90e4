"""Login timing: a wrong password, an unknown address and an account without a password.

Each answer must take about as long (within 10%), so that the time of a
login does not tell whether an address has an account. 20 logins of each
kind through the real login form, interleaved, on a throwaway SQLite database.

    .venv/bin/python bench/logins.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
TARGET = 0.10  # largest difference of a median from the wrong-password median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds

    from flask_migrate import upgrade

    from coprod_match import create_app
    from coprod_match.extensions import db
    from coprod_match.models import Role, User
    from coprod_match.passwords import hash_password

    directory = tempfile.mkdtemp(prefix="bench-logins-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/logins.sqlite3", "APP_ENV": "testing",
                      "TESTING": True, "SECRET_KEY": "bench-only", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade(directory=os.path.join(ROOT, "migrations"))
        db.session.add_all([
            User(email="has-password@example.org", password_hash=hash_password("Correct-Horse-Battery-42"),
                 role=Role.CITIZEN, display_name="With password"),
            User(email="invited@example.org", password_hash=None, role=Role.CITIZEN, display_name="Invited"),
        ])
        db.session.commit()
    tries = {"wrong password": "has-password@example.org", "unknown address": "nobody@example.org",
             "no password": "invited@example.org"}
    seconds: dict[str, list[float]] = {kind: [] for kind in tries}
    client = app.test_client()
    for _ in range(rounds):
        for kind, email in tries.items():
            start = time.perf_counter()
            answer = client.post("/auth/login", data={"email": email, "password": "Not-the-password-42"})
            seconds[kind].append(time.perf_counter() - start)
            assert answer.status_code == 422, answer.status_code
    reference = statistics.median(seconds["wrong password"])
    problems = 0
    print(f"{'login':<18}{'median ms':>10}{'mean ms':>10}{'vs wrong password':>20}")
    for kind, values in seconds.items():
        median = statistics.median(values)
        difference = median / reference - 1
        flag = "" if abs(difference) <= TARGET else "  PROBLEM"
        problems += bool(flag)
        print(f"{kind:<18}{median * 1000:>10.1f}{statistics.fmean(values) * 1000:>10.1f}{difference:>+19.1%}{flag}")
    print(f"target: every median within {TARGET:.0%} of the wrong-password median ({rounds} logins each)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
