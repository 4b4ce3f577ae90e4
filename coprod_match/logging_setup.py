"""Logs to stdout, one line per event, tagged with the request id.

Log lines carry ids and codes, never names, e-mail addresses or free text
typed by people.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def init_app(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
    )
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("coprod_match")
    if not any(isinstance(h.filters[0], RequestIdFilter) for h in logger.handlers if h.filters):
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    access_log = logging.getLogger("coprod_match.requests")

    @app.before_request
    def _assign_request_id() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        response.headers["X-Request-ID"] = g.get("request_id", "-")
        started = g.get("request_started")
        elapsed_ms = (time.perf_counter() - started) * 1000 if started else 0.0
        # The URL rule, not the path: paths can contain tokens from e-mailed links.
        route = request.url_rule.rule if request.url_rule else "<no route>"
        access_log.info(
            "%s %s %s %.1fms", request.method, route, response.status_code, elapsed_ms
        )
        return response
