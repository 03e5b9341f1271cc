"""The /v1 endpoints through the factory: bodies, options, negotiation, uploads, policies."""

from __future__ import annotations

import io
import json

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

from declass.service.http.schemas import PolicyDetail, PolicyList, RedactReport, Report

WITHHELD_AS_OF = "2010-01-01"
RELEASED_AS_OF = "2020-01-01"


def make_pdf(lines: list[str], pages: int = 1) -> bytes:
    """A PDF with a text layer: ``lines`` drawn on each of ``pages`` pages."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1)
    for _ in range(pages):
        text = canvas.beginText(40, 750)
        text.setFont("Courier", 8)
        for line in lines:
            text.textLine(line)
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def blank_pdf() -> bytes:
    """A PDF with a drawing and no text layer, as a scan would have."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1)
    canvas.rect(100, 100, 200, 200, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_lists_policies(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json is not None
    assert response.json["status"] == "ready"
    assert "public" in response.json["policies"]


def test_redact_text_body(client: FlaskClient, paris: bytes) -> None:
    response = client.post(
        f"/v1/redact?as_of={WITHHELD_AS_OF}", data=paris, content_type="text/plain"
    )
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Declass-Marking"] == "UNCLASSIFIED"
    assert response.headers["X-Declass-Policy"].startswith("public@")
    assert int(response.headers["X-Declass-Withheld"]) > 0
    assert response.headers["X-Declass-Review"] == "0"
    assert "withheld" in response.get_data(as_text=True)


def test_redact_releases_after_the_declassification_date(client: FlaskClient, paris: bytes) -> None:
    response = client.post(
        f"/v1/redact?as_of={RELEASED_AS_OF}", data=paris, content_type="text/plain"
    )
    assert response.status_code == 200
    assert response.headers["X-Declass-Withheld"] == "0"
    assert "Ferrand-Quillet" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "accept", "mimetype"),
    [
        ("format=text", "application/json", "text/plain"),
        ("format=json", "text/plain", "application/json"),
        ("format=pdf", None, "application/pdf"),
        ("", "application/pdf", "application/pdf"),
        ("", "application/json", "application/json"),
        ("", "text/plain;q=0.5, application/json", "application/json"),
        ("", "*/*", "text/plain"),
        ("", None, "text/plain"),
    ],
    ids=[
        "query-text-beats-accept",
        "query-json-beats-accept",
        "query-pdf",
        "accept-pdf",
        "accept-json",
        "accept-quality",
        "accept-any",
        "no-accept",
    ],
)
def test_content_negotiation(
    client: FlaskClient, paris: bytes, query: str, accept: str | None, mimetype: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.post(
        f"/v1/redact?as_of={WITHHELD_AS_OF}&{query}",
        data=paris,
        content_type="text/plain",
        headers=headers,
    )
    assert response.status_code == 200, response.json
    assert response.mimetype == mimetype


def test_redact_pdf_response(client: FlaskClient, paris: bytes) -> None:
    response = client.post(
        f"/v1/redact?as_of={WITHHELD_AS_OF}&format=pdf&log=true&page_size=a4",
        data=paris,
        content_type="text/plain",
    )
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF-")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="declass-')
    assert disposition.endswith('.pdf"')
    assert len(PdfReader(io.BytesIO(response.data)).pages) >= 1


def test_redact_json_body_with_reviewers_work(client: FlaskClient, paris: bytes) -> None:
    body = {
        "text": paris.decode("utf-8"),
        "policy": "public",
        "as_of": RELEASED_AS_OF,
        "overrides": [{"segment": "s001", "action": "withhold", "reason": "routing"}],
        "redactions": [
            {"phrase": "Solange Ferrand-Quillet", "exemption": "(b)(6)"},
            {"pattern": "Astergrad", "exemption": "(b)(6)"},
            {"start": 0, "end": 4, "exemption": "(b)(6)"},
        ],
        "format": "json",
    }
    response = client.post("/v1/redact", json=body)
    assert response.status_code == 200, response.json
    report = RedactReport.model_validate(response.json)
    assert len(report.overrides) == 1
    assert [r.matches > 0 for r in report.redactions] == [True, True, True]
    assert "Solange Ferrand-Quillet" not in report.text
    assert "Astergrad" not in report.text


def test_redact_json_body_defaults_to_text(client: FlaskClient, paris: bytes) -> None:
    response = client.post(
        "/v1/redact", json={"text": paris.decode("utf-8"), "as_of": WITHHELD_AS_OF}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/plain"


def test_redact_inline_policy(inline_client: FlaskClient, paris: bytes) -> None:
    policy = inline_client.get("/v1/policies/public").json
    assert policy is not None
    inline = {**policy["policy"], "id": "inline-test", "version": "1"}
    response = inline_client.post(
        "/v1/redact",
        json={"text": paris.decode(), "policy": inline, "as_of": WITHHELD_AS_OF},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200, response.json
    assert response.json is not None
    digest = response.json["policy"]["sha256"]
    assert response.headers["X-Declass-Policy"] == f"inline policy {digest[:12]}@1"


def test_query_options_apply_to_json_bodies_and_the_body_wins(
    client: FlaskClient, paris: bytes
) -> None:
    response = client.post(
        f"/v1/redact?as_of={RELEASED_AS_OF}&format=pdf",
        json={"text": paris.decode(), "as_of": WITHHELD_AS_OF, "format": "json"},
    )
    assert response.status_code == 200
    assert response.json is not None
    assert response.json["as_of"] == WITHHELD_AS_OF


def test_multipart_text_upload(client: FlaskClient, paris: bytes) -> None:
    response = client.post(
        "/v1/redact",
        data={
            "file": (io.BytesIO(paris), "cable.txt", "text/plain"),
            "as_of": WITHHELD_AS_OF,
            "format": "json",
            "overrides": json.dumps([{"segment": "s005", "action": "withhold"}]),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.json
    report = RedactReport.model_validate(response.json)
    assert report.overrides[0].segment == "s005"


def test_multipart_pdf_upload(client: FlaskClient, paris: bytes) -> None:
    pdf = make_pdf(paris.decode("utf-8").splitlines()[:40])
    response = client.post(
        f"/v1/analyze?as_of={WITHHELD_AS_OF}",
        data={"file": (io.BytesIO(pdf), "cable.pdf", "application/pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.json
    report = Report.model_validate(response.json)
    assert report.document.banner is not None
    assert report.document.banner.level == "C"


def test_multipart_pdf_upload_redacts(client: FlaskClient, paris: bytes) -> None:
    pdf = make_pdf(paris.decode("utf-8").splitlines()[:40])
    response = client.post(
        "/v1/redact",
        data={"file": (io.BytesIO(pdf), "cable.pdf"), "as_of": WITHHELD_AS_OF},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.json
    assert int(response.headers["X-Declass-Withheld"]) > 0


def test_analyze_text_and_json(client: FlaskClient, paris: bytes) -> None:
    as_text = client.post(
        f"/v1/analyze?as_of={WITHHELD_AS_OF}", data=paris, content_type="text/plain"
    )
    as_json = client.post("/v1/analyze", json={"text": paris.decode(), "as_of": WITHHELD_AS_OF})
    assert as_text.status_code == as_json.status_code == 200
    assert as_text.json == as_json.json
    report = Report.model_validate(as_text.json)
    assert "text" not in (as_text.json or {})
    assert len(report.decisions) == len(report.document.segments)
    assert report.policy.id == "public"


def test_analyze_ignores_accept(client: FlaskClient, paris: bytes) -> None:
    response = client.post(
        "/v1/analyze", data=paris, content_type="text/plain", headers={"Accept": "image/png"}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/json"


def test_policies_list(client: FlaskClient) -> None:
    response = client.get("/v1/policies")
    assert response.status_code == 200
    listing = PolicyList.model_validate(response.json)
    assert listing.default == "public"
    assert {"public", "partner-gbr-secret"} <= {p.id for p in listing.policies}


def test_policy_detail(client: FlaskClient) -> None:
    response = client.get("/v1/policies/partner-gbr-secret")
    assert response.status_code == 200
    detail = PolicyDetail.model_validate(response.json)
    assert detail.policy.partner == "GBR"
    assert detail.ref.id == "partner-gbr-secret"


def test_other_policy_by_query(client: FlaskClient, paris: bytes) -> None:
    response = client.post(
        f"/v1/redact?as_of={WITHHELD_AS_OF}&policy=partner-gbr-secret",
        data=paris,
        content_type="text/plain",
    )
    assert response.status_code == 200
    assert response.headers["X-Declass-Policy"].startswith("partner-gbr-secret@")
