"""Schemathesis against /openapi.json, in process through the WSGI application.

Every operation the document describes is called with generated requests
(valid and invalid bodies, query strings, headers): no response may be a 500,
and every response must match the document — its status code, media type,
headers and body schema. Bounded: 25 examples per operation, no deadline.
Requests carry an API key (the in-process client has no loopback address).

Two of schemathesis's default checks are left out, for reasons of the test
harness rather than the service: "schema-valid data must be accepted" (JSON
Schema cannot say that a range ends after it starts, that a policy id is
loaded or that a pattern is safe, so such requests are refused with a 422 or
404 naming the field) and "schema-violating data must be rejected" (a
``text/plain`` body is a string whatever its bytes, ``null`` and ``[]``
included, and the key this test adds to every request reads to schemathesis
as a header it had removed).
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from declass.service.http.app import create_app
from tests.conftest import API_KEY, http_config

APP = create_app(http_config(api_keys=[API_KEY]))
AUTH = {"Authorization": f"Bearer {API_KEY}"}
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
# Raw document bodies are bytes, sent as schemathesis sends any binary body.
for _media in (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "image/tiff",
):
    schemathesis.serializer.alias(_media, "application/octet-stream")
schema = schemathesis.openapi.from_wsgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case: Any) -> None:  # a schemathesis.Case
    case.call_and_validate(headers=AUTH, checks=CHECKS)
