"""Property-based fuzzing of the whole API, in process, against its own OpenAPI document.

Schemathesis generates valid (positive) and invalid (negative) requests for
every operation and sends each as every role (and anonymously) through the
WSGI app. Any server error, undocumented status code, wrong content type,
response that does not match its schema, or invalid request that is accepted
fails the test, with every finding listed. For operations with an id in the
path, positive cases are also sent for the caller's own records, so the
deeper code runs too, not only the 404s of random ids.

Examples per operation are bounded (API_FUZZ_EXAMPLES, default 6) and
derandomised, so the run is repeatable and takes about half a minute.
"""

from __future__ import annotations

import contextlib
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from coprod_match.models import Role

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "6"))
CALLERS = (None, *Role)
# Path parameter -> the world's record a role's own request uses.
OWN_RECORDS = {"initiative_id": "initiative_own", "placement_id": "placement_own",
               "alert_id": "alert_own"}


def _run_operation(operation, mode, world) -> list[str]:
    findings: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    def fuzz(case):
        for role in CALLERS:
            variants = [case]
            path_ids = {name: world.ids[record] for name, record in OWN_RECORDS.items()
                        if name in (case.path_parameters or {})}
            if path_ids and mode == schemathesis.GenerationMode.POSITIVE:
                own = operation.Case(path_parameters={**case.path_parameters, **path_ids},
                                     query=case.query, body=case.body, media_type=case.media_type)
                variants.append(own)
            for variant in variants:
                try:
                    variant.call_and_validate(headers=world.headers(role), checks=CHECKS)
                except Exception as failure:  # findings come as FailureGroup or AssertionError
                    findings.append(f"{operation.label} [{mode}] as {role}: {str(failure)[:1500]}")

    # Unsatisfiable: nothing to make invalid (no parameters and no body), so no negative cases.
    with contextlib.suppress(Unsatisfiable):
        fuzz()
    return findings


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
def test_api_conforms_to_its_openapi_document(app, world, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    findings: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 28  # every operation of the document (the matrix test lists them)
    for operation in operations:
        findings.extend(_run_operation(operation, mode, world))
    assert not findings, f"{len(findings)} findings:\n\n" + "\n\n".join(dict.fromkeys(findings))
