"""/openapi.json: OpenAPI 3.1 shape, every route, and schemas that are the pydantic models."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pydantic import BaseModel

from declass.service.formats import RAW_MEDIA_TYPES
from declass.service.http import schemas
from declass.service.http.openapi import OPERATIONS, REF

AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture
def document(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    assert isinstance(document, dict)
    return document


def _refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield item
            else:
                yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def test_top_level_shape(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["title"] == "declass"
    assert document["info"]["version"]
    assert set(document) >= {"openapi", "info", "paths", "components"}
    assert document["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"


def test_every_route_is_documented_and_nothing_else(app: Flask, document: dict[str, Any]) -> None:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        routes.setdefault(path, set()).update((rule.methods or set()) - AUTOMATIC_METHODS)
    documented = {
        path: {method.upper() for method in item} for path, item in document["paths"].items()
    }
    assert documented == routes


def test_every_ref_resolves(document: dict[str, Any]) -> None:
    refs = set(_refs(document))
    assert refs
    for ref in refs:
        assert _resolve(document, ref) is not None


def test_every_operation_has_responses_and_problems(document: dict[str, Any]) -> None:
    problem_ref = {"$ref": REF.format(model="Problem")}
    for item in document["paths"].values():
        for operation in item.values():
            assert operation["operationId"]
            assert "200" in operation["responses"]
            default = operation["responses"]["default"]["content"]
            assert default["application/problem+json"]["schema"] == problem_ref


def test_document_endpoints_take_text_json_forms_and_raw_documents(
    document: dict[str, Any],
) -> None:
    for path in ("/v1/redact", "/v1/analyze"):
        body = document["paths"][path]["post"]["requestBody"]["content"]
        assert set(body) == {
            "text/plain",
            "application/json",
            "multipart/form-data",
            *RAW_MEDIA_TYPES,
        }
    redact = document["paths"]["/v1/redact"]["post"]
    assert set(redact["responses"]["200"]["content"]) == {
        "text/plain",
        "application/pdf",
        "application/json",
        "text/csv",
    }
    assert {p["name"] for p in redact["parameters"]} == set(schemas.RedactOptions.model_fields)


def test_extract_takes_forms_and_raw_files_and_names_its_reader(
    document: dict[str, Any],
) -> None:
    extract = document["paths"]["/v1/extract"]["post"]
    body = extract["requestBody"]["content"]
    assert set(body) == {"text/plain", "multipart/form-data", *RAW_MEDIA_TYPES}
    found = _resolve(
        document, extract["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )
    assert {"text", "untrusted", "reader", "problems"} <= set(found["properties"])
    assert set(found["properties"]["reader"]["enum"]) == {"text", "pdf", "docx", "ocr"}


def test_open_endpoints_need_no_key(document: dict[str, Any]) -> None:
    for path in ("/healthz", "/readyz", "/openapi.json"):
        assert document["paths"][path]["get"]["security"] == []
    assert "security" not in document["paths"]["/metrics"]["get"]  # the key, by default
    assert "security" not in document["paths"]["/v1/redact"]["post"]


@pytest.mark.parametrize(
    ("name", "model", "mode"),
    [
        ("Problem", schemas.Problem, "serialization"),
        ("RedactRequest", schemas.RedactRequest, "validation"),
        ("PolicyList", schemas.PolicyList, "serialization"),
        ("Health", schemas.Health, "serialization"),
    ],
    ids=["problem", "redact-request", "policy-list", "health"],
)
def test_components_are_the_pydantic_schemas(
    document: dict[str, Any], name: str, model: Any, mode: Any
) -> None:
    generated = model.model_json_schema(ref_template=REF, mode=mode)
    generated.pop("$defs", None)
    assert document["components"]["schemas"][name] == generated


def test_operation_table_names_real_models() -> None:
    for op in OPERATIONS:
        for content in (op.body, op.ok):
            for value in content.values():
                assert isinstance(value, dict) or issubclass(value, BaseModel)


def test_the_document_validates_as_openapi_3_1(document: dict[str, Any]) -> None:
    """A full OpenAPI 3.1 validation (``openapi-spec-validator``, a test dependency)."""
    validator: Any = pytest.importorskip("openapi_spec_validator")
    validator.validate(document)
