"""The OpenAPI 3.1 document, generated from the pydantic models of the schemas.

Every schema under ``components.schemas`` comes from pydantic
(:func:`pydantic.json_schema.models_json_schema`, validation mode for
requests, serialization mode for responses); this module only says which
model goes with which path, media type and status. The table below is
checked against the application's URL map by the tests, so a new route
without an entry fails the build.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from declass.service.http import schemas as s

REF = "#/components/schemas/{model}"
Content = dict[str, type[BaseModel] | dict[str, Any]]
TEXT = {"type": "string"}
DOCUMENT_TEXT = {"type": "string", "minLength": 1, "pattern": r"\S"}
PDF = {"type": "string", "contentMediaType": "application/pdf"}
VAUGHN = {
    "type": "string",
    "contentMediaType": "text/csv",
    "description": "The withholding log (Vaughn index): one CSV row per withheld or pending item",
}
METRICS = {"type": "string", "description": "Prometheus text exposition format"}
HTML = {"type": "string", "contentMediaType": "text/html"}
#: Documents sent as the whole body and read by their first bytes (declass.service.reader).
RAW_DOCUMENTS: Content = {
    media: {"type": "string", "contentMediaType": media}
    for media in (
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/png",
        "image/tiff",
    )
}
DOCUMENT_ERRORS = (400, 401, 403, 404, 413, 415, 422, 500, 503)
REDACT_HEADERS = (
    "X-Declass-Marking",
    "X-Declass-Withheld",
    "X-Declass-Review",
    "X-Declass-Policy",
    "X-Declass-Final",
)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    ok: Content
    query: type[BaseModel] | None = None
    body: Content = field(default_factory=dict)
    errors: tuple[int, ...] = (401, 500)
    ok_headers: tuple[str, ...] = ()
    open: bool = False
    path_params: tuple[str, ...] = ()


OPERATIONS = (
    Operation(
        "post",
        "/v1/redact",
        "redact",
        "Release a document under a policy as text, PDF, a JSON report or a withholding log",
        ok={
            "text/plain": TEXT,
            "application/pdf": PDF,
            "application/json": s.RedactReport,
            "text/csv": VAUGHN,
        },
        query=s.RedactOptions,
        body={
            "text/plain": DOCUMENT_TEXT,
            "application/json": s.RedactRequest,
            "multipart/form-data": s.RedactUpload,
            **RAW_DOCUMENTS,
        },
        errors=(*DOCUMENT_ERRORS, 406),
        ok_headers=REDACT_HEADERS,
    ),
    Operation(
        "post",
        "/v1/analyze",
        "analyze",
        "The document model and proposed decisions, with no rendered output",
        ok={"application/json": s.Report},
        query=s.AnalyzeOptions,
        body={
            "text/plain": DOCUMENT_TEXT,
            "application/json": s.AnalyzeRequest,
            "multipart/form-data": s.AnalyzeUpload,
            **RAW_DOCUMENTS,
        },
        errors=DOCUMENT_ERRORS,
    ),
    Operation(
        "post",
        "/v1/extract",
        "extract",
        "The text of a file as the service reads it (the caller's own document), with the"
        " reader that read it and the ranges that must go to review",
        ok={"text/plain": TEXT, "application/json": s.Extracted},
        body={"multipart/form-data": s.ExtractUpload, "text/plain": TEXT, **RAW_DOCUMENTS},
        errors=(400, 401, 403, 413, 415, 422, 500, 503),
    ),
    Operation(
        "get",
        "/v1/policies",
        "listPolicies",
        "The policies clients may name",
        ok={"application/json": s.PolicyList},
    ),
    Operation(
        "get",
        "/v1/policies/{policy_id}",
        "getPolicy",
        "One policy, in full",
        ok={"application/json": s.PolicyDetail},
        errors=(401, 404, 500),
        path_params=("policy_id",),
    ),
    Operation(
        "get", "/healthz", "healthz", "Liveness", ok={"application/json": s.Health}, open=True
    ),
    Operation(
        "get",
        "/readyz",
        "readyz",
        "Readiness: the policies are loaded",
        ok={"application/json": s.Readiness},
        errors=(503,),
        open=True,
    ),
    Operation(
        "get",
        "/openapi.json",
        "openapi",
        "This document",
        ok={"application/json": {"type": "object"}},
        open=True,
    ),
    Operation(
        "get",
        "/",
        "reviewPage",
        "The review page for staff (HTML; its API calls need a key when keys are set)",
        ok={"text/html": HTML},
        errors=(403,),
        open=True,
    ),
    Operation(
        "get",
        "/metrics",
        "metrics",
        "Prometheus metrics (a key, unless DECLASS_METRICS_PUBLIC opens them)",
        ok={"text/plain": METRICS},
        errors=(401, 403),
    ),
)

HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-ID": {"description": "The request id (echoed when sane, else generated)."},
    "X-Declass-Marking": {"description": "The released overall marking."},
    "X-Declass-Withheld": {"description": "Segments withheld.", "type": "integer"},
    "X-Declass-Review": {"description": "Segments withheld now and routed to review."},
    "X-Declass-Policy": {"description": "The policy that decided: id@version."},
    "X-Declass-Final": {
        "description": "true when nothing is pending review and it is no preview; else a draft."
    },
}


def build_openapi() -> dict[str, Any]:
    """The whole document, built once per application and cached in its state."""
    schemas, refs = _components()
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "declass",
            "version": _version(),
            "description": "Releases documents that carry US classification markings. "
            "Every error is application/problem+json (see the Problem schema).",
        },
        "servers": [{"url": "/"}],
        "security": [{"apiKey": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "headers": {
                name: {
                    "description": spec["description"],
                    "schema": {"type": spec.get("type", "string")},
                }
                for name, spec in HEADERS.items()
            },
            "securitySchemes": {
                "apiKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A key from DECLASS_API_KEYS: Authorization: Bearer <key>",
                }
            },
        },
    }


Refs = dict[tuple[Any, JsonSchemaMode], dict[str, Any]]


def _components() -> tuple[dict[str, Any], Refs]:
    pairs: list[tuple[type[BaseModel], JsonSchemaMode]] = [(s.Problem, "serialization")]
    for op in OPERATIONS:
        pairs += [(m, "validation") for m in op.body.values() if isinstance(m, type)]
        pairs += [(m, "serialization") for m in op.ok.values() if isinstance(m, type)]
    refs, top = models_json_schema(list(dict.fromkeys(pairs)), ref_template=REF)
    return dict(top.get("$defs", {})), dict(refs)


def _content(content: Content, mode: JsonSchemaMode, refs: Refs) -> dict[str, Any]:
    return {
        media: {"schema": refs[(model, mode)] if isinstance(model, type) else model}
        for media, model in content.items()
    }


def _operation(op: Operation, refs: Refs) -> dict[str, Any]:
    ok: dict[str, Any] = {"description": "OK", "content": _content(op.ok, "serialization", refs)}
    ok["headers"] = {h: {"$ref": f"#/components/headers/{h}"} for h in ("X-Request-ID",)}
    ok["headers"].update({h: {"$ref": f"#/components/headers/{h}"} for h in op.ok_headers})
    problem = {"application/problem+json": {"schema": refs[(s.Problem, "serialization")]}}
    responses: dict[str, Any] = {"200": ok}
    for status in op.errors:
        responses[str(status)] = {"description": _reason(status), "content": problem}
    responses["default"] = {"description": "A problem", "content": problem}
    result: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "parameters": _parameters(op),
        "responses": responses,
    }
    if op.body:
        result["requestBody"] = {
            "required": True,
            "content": _content(op.body, "validation", refs),
        }
    if op.open:
        result["security"] = []
    return result


def _parameters(op: Operation) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in op.path_params
    ]
    if op.query is not None:
        schema = op.query.model_json_schema(ref_template=REF)
        for name, prop in schema["properties"].items():
            params.append({"name": name, "in": "query", "required": False, "schema": prop})
    return params


def _reason(status: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(status).phrase


def _version() -> str:
    try:
        return importlib.metadata.version("declass")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - not installed
        return "0"
