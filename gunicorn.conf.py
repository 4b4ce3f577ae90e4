"""gunicorn settings, read from the repository root whenever gunicorn starts here (`gunicorn wsgi:app`).

Command-line options (--workers, --bind) still win. What this file adds:

- The app is loaded once, in the master process, before the workers are
  forked (`preload_app`), and made ready there: the matching snapshot is
  mapped (or built, on a new installation), the pages every visitor sees
  first are rendered once so templates and lazily imported modules are
  loaded. Workers start from that memory instead of each building their
  own, so most of it is shared between them, and no visitor ever waits for
  the snapshot.
- The master keeps no database connection across the fork.
"""

import gc

preload_app = True


def when_ready(server):
    from coprod_match.extensions import db
    from coprod_match.matching.freshness import warm

    app = server.app.wsgi()
    warm(app)
    client = app.test_client()
    for path in ("/", "/initiatives"):
        client.get(path, base_url=app.config["PUBLIC_BASE_URL"])  # a host TRUSTED_HOSTS accepts
    with app.app_context():
        db.engine.dispose()  # each worker opens its own connections
    # Objects made so far are never collected again: collection would touch (and so copy) shared pages.
    gc.collect()
    gc.freeze()
