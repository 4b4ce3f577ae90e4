"""A worker takes a published snapshot's local file only when the file says it is that snapshot.

Published snapshots are numbered by the database. A file left in the folder
by another database (a restored one, a second installation, a benchmark)
can carry the same number: taking it would answer matching questions about
other people.
"""

from __future__ import annotations

import os
import shutil

from coprod_match.matching import publishing
from coprod_match.matching.facts import Weights
from coprod_match.matching.freshness import LiveSnapshot
from coprod_match.models import Role
from tests import factories


def publish(app, session) -> None:
    publishing.publish_snapshot(session, Weights.from_mapping(app.config), turned_away_days=90)
    session.commit()


def live(app, directory) -> LiveSnapshot:
    return LiveSnapshot(weights=Weights.from_mapping(app.config), turned_away_days=90,
                        directory=str(directory), check_seconds=0)


def test_a_file_of_another_snapshot_under_the_same_name_is_not_used(app, db_session, make_user, tmp_path):
    factories.day_care(db_session)
    factories.profile(make_user(Role.CITIZEN), availability_slots=factories.TUESDAY_MORNING, consents=True)
    db_session.commit()
    publish(app, db_session)
    first = live(app, tmp_path / "one")
    first.current(db_session)
    [first_file] = [name for name in os.listdir(tmp_path / "one") if name.endswith(".snapshot")]
    assert first.counts.loads == 1 and first.counts.builds == 0

    publish(app, db_session)
    second_published = publishing.latest_published(db_session)
    assert publishing.file_name(second_published) != first_file
    # The first snapshot's file, under the name the second one has.
    (tmp_path / "two").mkdir()
    impostor = tmp_path / "two" / publishing.file_name(second_published)
    shutil.copy(tmp_path / "one" / first_file, impostor)

    second = live(app, tmp_path / "two")
    second.current(db_session)
    assert (second.counts.loads, second.counts.builds) == (0, 1)  # refused; built its own meanwhile
    assert not impostor.exists()
    second.current(db_session)  # the next check fetches the real file
    assert second.counts.loads == 1
    assert impostor.exists()
    assert publishing.is_file_of(second_published, _meta(impostor))


def _meta(path) -> dict:
    from coprod_match.matching.store import read_meta

    return read_meta(str(path))


def test_workers_that_see_a_new_snapshot_together_fetch_it_once_and_share_the_file(app, make_user, tmp_path,
                                                                                monkeypatch, db_session):
    """Each worker writing its own copy would leave them mapping different files, sharing nothing."""
    import threading
    import time

    from coprod_match.extensions import db

    factories.day_care(db_session)
    db_session.commit()
    publish(app, db_session)
    fetched = []
    slow_fetch = publishing.published_data

    def published_data(session, published_id):
        fetched.append(published_id)
        time.sleep(0.3)  # the database takes a while to send 10 MB: the others check meanwhile
        return slow_fetch(session, published_id)

    monkeypatch.setattr(publishing, "published_data", published_data)
    workers = [live(app, tmp_path) for _ in range(3)]

    def ask(worker):
        with app.app_context():
            worker.current(db.session)
            db.session.remove()

    threads = [threading.Thread(target=ask, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fetched) == 1
    assert [worker.counts.loads for worker in workers] == [1, 1, 1]
    assert len([name for name in os.listdir(tmp_path) if name.endswith(".snapshot")]) == 1
