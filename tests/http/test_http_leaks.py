"""True removal over HTTP: withheld text is in no body, header, log line or metric.

The cable is CONFIDENTIAL until 2016: as of 2010 the public policy withholds
its subject and paragraphs. The words that occur only in withheld text are
computed from the analysis, and none of them may come back in any format,
through any body shape — nor in the logs or the metrics.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from werkzeug.test import TestResponse

from declass.rules.parse import normalise
from declass.rules.policy import load_policy
from declass.service.formats import OUTPUTS
from declass.service.http.app import create_app
from declass.service.pipeline import analyze
from tests.conftest import http_config
from tests.http.test_http_api import make_pdf

AS_OF = dt.date(2010, 1, 1)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{6,}")
#: Words the service itself writes (stamp, placeholders, report vocabulary).
GENERATED = {"classified", "declassified", "unclassified", "confidential", "withheld", "continued"}


def withheld_words(document: bytes, as_of: dt.date) -> set[str]:
    """Distinctive words that occur in withheld bodies and nowhere in released text."""
    text = document.decode("utf-8")
    report = analyze(document, load_policy("public"), as_of)
    withheld, released = [], []
    for segment, decision in zip(report["document"]["segments"], report["decisions"], strict=True):
        if decision["action"] == "release":
            released.append(text[segment["start"] : segment["end"]])
        else:
            withheld.append(text[segment["body_start"] : segment["end"]])
            released.append(text[segment["start"] : segment["body_start"]])
    words = {w.casefold() for w in _WORD.findall(" ".join(withheld))}
    return words - {w.casefold() for w in _WORD.findall(" ".join(released))} - GENERATED


@pytest.fixture(scope="module")
def secrets(paris: bytes) -> set[str]:
    words = withheld_words(paris, AS_OF)
    assert {"ferrand-quillet", "astergrad", "velmorian", "pipeline"} <= words
    return words


def visible_text(response: TestResponse) -> str:
    """What a recipient can read: the body (a PDF's extracted text and raw bytes) and headers."""
    parts = [str(response.headers)]
    if response.mimetype == "application/pdf":
        reader = PdfReader(io.BytesIO(response.data))
        parts += [page.extract_text() for page in reader.pages]
        parts += [str(v) for v in (reader.metadata or {}).values()]
        parts.append(response.data.decode("latin-1"))
    else:
        parts.append(response.get_data(as_text=True))
    return "\n".join(parts)


def leaked(text: str, secrets: set[str]) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)} & secrets


def requests(paris: bytes) -> list[tuple[str, str, dict[str, Any]]]:
    text = paris.decode("utf-8")
    query = f"?as_of={AS_OF.isoformat()}"
    pdf = make_pdf(text.splitlines())
    cases: list[tuple[str, str, dict[str, Any]]] = []
    for fmt in OUTPUTS:
        cases += [
            (f"text-body-{fmt}", f"/v1/redact{query}&format={fmt}&log=true",
             {"data": paris, "content_type": "text/plain"}),
            (f"json-body-{fmt}", "/v1/redact",
             {"json": {"text": text, "as_of": AS_OF.isoformat(), "format": fmt, "log": True}}),
            (f"upload-{fmt}", f"/v1/redact{query}&format={fmt}",
             {"data": {"file": (io.BytesIO(paris), "c.txt")},
              "content_type": "multipart/form-data"}),
        ]  # fmt: skip
    cases.append(
        ("pdf-upload-json", f"/v1/redact{query}&format=json",
         {"data": {"file": (io.BytesIO(pdf), "c.pdf")}, "content_type": "multipart/form-data"})
    )  # fmt: skip
    cases.append(("analyze", f"/v1/analyze{query}", {"data": paris, "content_type": "text/plain"}))
    return cases


def test_no_withheld_text_in_any_response_log_or_metric(
    client: FlaskClient, paris: bytes, secrets: set[str], http_logs: io.StringIO
) -> None:
    for name, path, kwargs in requests(paris):
        response = client.post(path, **kwargs)
        assert response.status_code == 200, (name, response.json)
        assert int(response.headers.get("X-Declass-Withheld", "1")) > 0, name
        assert not leaked(visible_text(response), secrets), name
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "declass_documents_total" in metrics
    assert not leaked(metrics, secrets)
    assert not leaked(http_logs.getvalue(), secrets)


def test_span_redactions_leave_no_trace(
    client: FlaskClient, paris: bytes, http_logs: io.StringIO
) -> None:
    body = {
        "text": paris.decode("utf-8"),
        "as_of": "2020-01-01",
        "redactions": [
            {"phrase": "Solange", "exemption": "(b)(6)"},
            {"pattern": r"Ferrand-Quillet", "exemption": "(b)(6)"},
            {"pattern": r"Astergrad\S*", "exemption": "(b)(6)", "ignore_case": True},
        ],
    }
    hidden = {"solange", "ferrand-quillet", "astergrad", "astergrad's"}
    for fmt in OUTPUTS:
        response = client.post("/v1/redact", json={**body, "format": fmt})
        assert response.status_code == 200, response.json
        assert not leaked(visible_text(response), hidden), fmt
    assert not leaked(http_logs.getvalue(), hidden)


def test_logs_are_json_lines_with_request_ids(
    client: FlaskClient, paris: bytes, http_logs: io.StringIO
) -> None:
    ids = [
        client.post("/v1/redact", data=paris, content_type="text/plain").headers["X-Request-ID"],
        client.get("/nowhere").headers["X-Request-ID"],
        client.post("/v1/redact", data=b"\xff", content_type="text/plain").headers["X-Request-ID"],
    ]
    lines = [json.loads(line) for line in http_logs.getvalue().splitlines()]
    requests_logged = [line for line in lines if line["event"] == "request"]
    assert [line["request_id"] for line in requests_logged] == ids
    first, missing, bad = requests_logged
    assert first["document"]["sha256"] == hashlib_sha256_of(paris)
    assert first["document"]["withheld"] >= 0
    assert first["route"] == "/v1/redact"
    assert missing["route"] is None
    assert missing["status"] == 404
    assert bad["problem"] == "bad-input"
    assert all({"ts", "level", "duration_ms", "status"} <= set(line) for line in requests_logged)


def hashlib_sha256_of(document: bytes) -> str:
    return hashlib.sha256(normalise(document).encode("utf-8")).hexdigest()


def test_metrics_exposition(client: FlaskClient, paris: bytes) -> None:
    client.post(f"/v1/redact?as_of={AS_OF}", data=paris, content_type="text/plain")
    client.post("/v1/analyze", data=paris, content_type="text/plain")
    client.get("/nowhere")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert 'declass_http_requests_total{method="POST",route="/v1/redact",status="200"} 1.0' in text
    assert 'declass_http_requests_total{method="GET",route="unmatched",status="404"} 1.0' in text
    assert "declass_http_request_duration_seconds_bucket" in text
    assert 'declass_documents_total{format="text",operation="redact"} 1.0' in text
    assert 'declass_documents_total{format="json",operation="analyze"} 1.0' in text
    assert re.search(r'declass_segments_total\{action="withhold"\} [1-9]', text)
    assert "nowhere" not in text


def test_metrics_are_per_application(paris: bytes) -> None:
    first = create_app(http_config()).test_client()
    second = create_app(http_config()).test_client()
    first.post("/v1/analyze", data=paris, content_type="text/plain")
    assert "declass_documents_total{" in first.get("/metrics").get_data(as_text=True)
    assert "declass_documents_total{" not in second.get("/metrics").get_data(as_text=True)
