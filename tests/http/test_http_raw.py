"""Raw PDF, DOCX and scan bodies on /v1/redact and /v1/analyze, read by read_document."""

from __future__ import annotations

import shutil

import pytest
from flask.testing import FlaskClient

from declass.service.reader import DOCX_MEDIA_TYPE
from tests import docx_documents as dd
from tests.scans import CLASSIFIED_TOKENS, UNCLASSIFIED_TOKENS, memo_pdf, page_images, png_bytes

QUERY = "?as_of=2010-01-01&format=text"


def test_a_raw_pdf_body_is_released_by_its_portions(client: FlaskClient) -> None:
    response = client.post("/v1/redact" + QUERY, data=memo_pdf(), content_type="application/pdf")
    assert response.status_code == 200, response.get_data(as_text=True)
    out = response.get_data(as_text=True)
    assert all(token in out for token in UNCLASSIFIED_TOKENS)
    assert not any(token in out for token in CLASSIFIED_TOKENS)


def test_a_raw_docx_with_hidden_content_goes_to_review(client: FlaskClient) -> None:
    clean = dd.to_bytes(dd.memo())
    hidden_document = dd.memo()
    dd.add_notes(hidden_document, "footnotes", ["(U) A footnote TKN-U-0100."])
    hidden = dd.to_bytes(hidden_document)
    released = client.post("/v1/redact" + QUERY, data=clean, content_type=DOCX_MEDIA_TYPE)
    assert released.status_code == 200
    assert "TKN-U-0002" in released.get_data(as_text=True)
    held = client.post("/v1/analyze?as_of=2010-01-01", data=hidden, content_type=DOCX_MEDIA_TYPE)
    assert held.status_code == 200
    report = held.get_json()
    details = {p.get("detail") for p in report["document"]["problems"]}
    assert "page 1: hidden Word content" in details
    assert "TKN-U-0100" not in client.post(
        "/v1/redact" + QUERY, data=hidden, content_type=DOCX_MEDIA_TYPE
    ).get_data(as_text=True)


def test_a_damaged_raw_pdf_is_422_with_the_reader_code(client: FlaskClient) -> None:
    response = client.post("/v1/redact", data=b"%PDF-1.7\nbroken", content_type="application/pdf")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "unreadable-pdf"


def test_a_raw_scan_without_tesseract_is_422_saying_how_to_install(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    scan = png_bytes(page_images(memo_pdf())[0])
    response = client.post("/v1/analyze", data=scan, content_type="image/png")
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "ocr-unavailable"
    assert "apt-get install tesseract-ocr" in body["detail"]
