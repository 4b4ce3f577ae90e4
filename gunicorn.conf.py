"""gunicorn settings, read from the repository root whenever gunicorn starts here (`gunicorn wsgi:app`).

Command-line options (--workers, --bind) still win. What this file adds:
each worker has its matching snapshot ready before it takes its first
request, mapped from the snapshot the scheduler published when there is
one, so no visitor ever waits for it to be built.
"""


def post_worker_init(worker):
    from coprod_match.matching.freshness import warm

    warm(worker.wsgi)
