"""Every error is one problem+json shape, with the right status, and never echoes the document."""

from __future__ import annotations

import io
import shutil
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfWriter
from werkzeug.test import TestResponse

from declass.rules.errors import LeakError
from declass.service.http.app import create_app
from declass.service.http.schemas import Problem
from tests.conftest import http_config
from tests.http.test_http_api import blank_pdf, make_pdf

#: A sentence that must never come back: it is the "document" of the failing requests.
SECRET = "Aurelia Bouchez met the minister at Quillan on Tuesday"


def assert_problem(response: TestResponse, status: int, code: str) -> dict[str, Any]:
    """The RFC 9457 shape, the status and code, and no document text anywhere."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert isinstance(body, dict)
    problem = Problem.model_validate(body)
    assert problem.status == status
    assert problem.code == code
    assert problem.type == f"https://declass.invalid/problems/{code}"
    assert problem.request_id == response.headers["X-Request-ID"]
    assert problem.instance.endswith(problem.request_id)
    assert problem.title and problem.detail
    everything = response.get_data(as_text=True) + str(response.headers)
    for word in ("Aurelia", "Bouchez", "Quillan", "minister"):
        assert word not in everything
    return body


def post_text(client: FlaskClient, data: bytes, query: str = "", **kw: Any) -> TestResponse:
    return client.post(f"/v1/redact{query}", data=data, content_type="text/plain", **kw)


def test_not_utf8_is_400(client: FlaskClient) -> None:
    data = SECRET.encode("utf-8") + b"\xff\xfe" + SECRET.encode("utf-8")
    assert_problem(post_text(client, data), 400, "bad-input")


def test_not_utf8_json_body_is_400(client: FlaskClient) -> None:
    data = b'{"text": "' + SECRET.encode() + b'\xff"}'
    response = client.post("/v1/redact", data=data, content_type="application/json")
    assert_problem(response, 400, "bad-input")


def test_lone_surrogate_in_json_is_400(client: FlaskClient) -> None:
    data = ('{"text": "' + SECRET + '\\ud800"}').encode()
    response = client.post("/v1/analyze", data=data, content_type="application/json")
    assert_problem(response, 400, "bad-input")


@pytest.mark.parametrize("data", [b"", b"  \n\n \t"], ids=["empty", "blank"])
def test_empty_is_400(client: FlaskClient, data: bytes) -> None:
    assert_problem(post_text(client, data), 400, "bad-input")


def test_invalid_json_is_400(client: FlaskClient) -> None:
    data = ('{"text": "' + SECRET).encode()
    response = client.post("/v1/redact", data=data, content_type="application/json")
    assert_problem(response, 400, "invalid-json")


def test_deeply_nested_json_is_400(client: FlaskClient) -> None:
    data = b"[" * 100_000 + b"]" * 100_000
    response = client.post("/v1/redact", data=data, content_type="application/json")
    assert_problem(response, 400, "invalid-json")


def test_json_that_is_not_an_object_is_422(client: FlaskClient) -> None:
    response = client.post("/v1/redact", json=[SECRET])
    assert_problem(response, 422, "invalid-request")


@pytest.mark.parametrize(
    "content_type",
    ["application/xml", "image/gif", "text/plain; charset=latin-1", ""],
    ids=["xml", "gif", "latin-1", "none"],
)
def test_unsupported_media_type_is_415(client: FlaskClient, content_type: str) -> None:
    response = client.post("/v1/redact", data=SECRET.encode(), content_type=content_type)
    assert_problem(response, 415, "unsupported-media-type")


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png"])
def test_a_raw_body_that_is_not_what_it_declares_is_422(
    client: FlaskClient, content_type: str
) -> None:
    response = client.post("/v1/redact", data=SECRET.encode(), content_type=content_type)
    assert_problem(response, 422, "format-mismatch")


def test_unacceptable_accept_is_406(client: FlaskClient) -> None:
    response = post_text(client, SECRET.encode(), headers={"Accept": "image/png"})
    assert_problem(response, 406, "not-acceptable")


@pytest.mark.parametrize(
    "query",
    ["?policy=nonesuch", "?policy=does-not-exist"],
    ids=["query", "kebab"],
)
def test_unknown_policy_is_404(client: FlaskClient, query: str) -> None:
    body = assert_problem(post_text(client, SECRET.encode(), query), 404, "unknown-policy")
    assert body["field"] == "policy"


def test_unknown_policy_detail_is_404(client: FlaskClient) -> None:
    assert_problem(client.get("/v1/policies/nonesuch"), 404, "unknown-policy")


def test_policy_names_are_never_paths(client: FlaskClient) -> None:
    response = client.post("/v1/analyze", json={"text": SECRET, "policy": "/etc/passwd.toml"})
    body = assert_problem(response, 422, "invalid-request")
    assert body["field"] == "policy"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"as_of": "01/01/2010"}, "as_of"),
        ({"as_of": 20100101}, "as_of"),
        ({"as_of": "2010-02-30"}, "as_of"),
        ({"overrides": [{"segment": "s001", "action": "publish"}]}, "overrides.0.action"),
        ({"overrides": [{"segment": "s999", "action": "release"}]}, "overrides.0.segment"),
        ({"redactions": [{"pattern": "(", "exemption": "(b)(6)"}]}, "redactions.0.pattern"),
        ({"redactions": [{"pattern": "(?<=a)", "exemption": "(b)(6)"}]}, "redactions.0.pattern"),
        ({"redactions": [{"start": 5, "end": 1, "exemption": "(b)(6)"}]}, "redactions.0"),
        ({"redactions": [{"start": 0, "end": 10**6, "exemption": "(b)(6)"}]}, "redactions.0"),
        (
            {"redactions": [{"phrase": "Velmoria", "exemption": "Ferrand-Quillet"}]},
            "redactions.0.exemption",
        ),
        (
            {"overrides": [{"segment": "s002", "action": "withhold", "exemption": "b6"}]},
            "overrides.0.exemption",
        ),
        ({"redactions": [{"words": SECRET}]}, "redactions.0"),
        ({"redactions": [[None, None]]}, "redactions.0"),
        ({"redactions": [SECRET]}, "redactions.0"),
        ({"format": "docx"}, "format"),
        ({"page_size": "legal"}, "page_size"),
        ({"texts": SECRET}, "texts"),
        ({"policy": {"id": "x", "version": "1", "title": "t"}}, "policy.audience"),
    ],
    ids=[
        "date-format",
        "date-number",
        "date-impossible",
        "override-action",
        "override-unknown-segment",
        "pattern-invalid",
        "pattern-unsupported",
        "range-reversed",
        "range-outside",
        "exemption-free-text",
        "override-exemption-free-text",
        "redaction-kind",
        "redaction-list",
        "redaction-string",
        "format",
        "page-size",
        "unknown-field",
        "inline-policy",
    ],
)
def test_invalid_request_is_422_naming_the_field(
    client: FlaskClient, paris: bytes, body: dict[str, Any], field: str
) -> None:
    document = paris.decode() + "\n" + SECRET + "\n"
    response = client.post("/v1/redact", json={"text": document, **body})
    problem = assert_problem(response, 422, response.json["code"] if response.json else "?")
    assert problem["code"] in {"invalid-request", "invalid-policy", "pattern-unsupported"}
    assert problem["field"] == field


def test_invalid_query_option_is_422(client: FlaskClient) -> None:
    body = assert_problem(
        post_text(client, SECRET.encode(), "?as_of=yesterday"), 422, "invalid-request"
    )
    assert body["field"] == "as_of"
    body = assert_problem(
        post_text(client, SECRET.encode(), "?asof=2010-01-01"), 422, "invalid-request"
    )
    assert body["field"] == "asof"


def test_multipart_without_file_is_422(client: FlaskClient) -> None:
    response = client.post(
        "/v1/redact", data={"as_of": "2010-01-01"}, content_type="multipart/form-data"
    )
    body = assert_problem(response, 422, "invalid-request")
    assert body["field"] == "file"


def upload(client: FlaskClient, data: bytes) -> TestResponse:
    return client.post(
        "/v1/redact",
        data={"file": (io.BytesIO(data), "upload.pdf", "application/pdf")},
        content_type="multipart/form-data",
    )


def test_pdf_without_text_is_422(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A blank page is read as a scan; OCR finds nothing on it (or is not installed)."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert_problem(upload(client, blank_pdf()), 422, "ocr-unavailable")
    monkeypatch.undo()
    if shutil.which("tesseract") is not None:
        body = assert_problem(upload(client, blank_pdf()), 422, "no-text-found")
        assert "text layer" in body["detail"]


def test_encrypted_pdf_is_422(client: FlaskClient) -> None:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert_problem(upload(client, buffer.getvalue()), 422, "encrypted-pdf")


def test_pdf_over_the_page_limit_is_422() -> None:
    client = create_app(http_config(max_pdf_pages=2)).test_client()
    body = assert_problem(upload(client, make_pdf([SECRET], pages=3)), 422, "too-many-pages")
    assert "3 pages" in body["detail"]


def test_damaged_pdf_is_422(client: FlaskClient) -> None:
    data = b"%PDF-1.7\n" + SECRET.encode() + b"\n1 0 obj << /Type /Catalog >>\n%%EOF"
    assert_problem(upload(client, data), 422, "unreadable-pdf")


def test_wrong_method_is_405(client: FlaskClient) -> None:
    response = client.get("/v1/redact")
    assert_problem(response, 405, "method-not-allowed")
    assert "POST" in response.headers["Allow"]


def test_unknown_path_is_404(client: FlaskClient) -> None:
    assert_problem(client.get("/v1/" + SECRET.replace(" ", "-")), 404, "not-found")


def test_leak_gate_refusal_is_500_without_text(
    client: FlaskClient, paris: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise LeakError("leak gate: withheld text of segment s009 found in the output")

    monkeypatch.setattr("declass.service.pipeline.check_release", refuse)
    body = assert_problem(post_text(client, paris), 500, "leak-detected")
    assert "Ferrand" not in body["detail"]


def test_unexpected_exception_is_500_with_request_id_and_scrubbed_log(
    client: FlaskClient, paris: bytes, monkeypatch: pytest.MonkeyPatch, http_logs: io.StringIO
) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise KeyError(SECRET)

    monkeypatch.setattr("declass.service.render.outputs.render_text", explode)
    response = post_text(client, paris, headers={"X-Request-ID": "trace-42"})
    body = assert_problem(response, 500, "internal-error")
    assert body["request_id"] == "trace-42"
    log = http_logs.getvalue()
    assert "KeyError" in log
    assert "trace-42" in log
    assert "Aurelia" not in log


def test_problem_shape_is_the_same_for_routing_and_api_errors(client: FlaskClient) -> None:
    routing = client.get("/nowhere").json
    api = client.get("/v1/policies/nonesuch").json
    required = {"type", "title", "status", "detail", "code", "instance", "request_id"}
    assert routing is not None
    assert api is not None
    assert required <= set(routing)
    assert required <= set(api)
