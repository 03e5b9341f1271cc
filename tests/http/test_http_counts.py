"""The log line and the metrics of /v1/redact come from the typed release, not the report.

A text or PDF release has no use for the JSON report, so building it on every
request only to read three counts is waste; these tests make building it fail
and check that the release, its log line and its counts are still right.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
from typing import Any

import pytest
from flask.testing import FlaskClient

from declass.rules.parse import normalise

AS_OF = "2010-01-01"


def refuse_reports(monkeypatch: pytest.MonkeyPatch) -> int:
    """Make every service module's ``release_report`` raise; how many were patched."""

    def refuse(*_args: Any, **_kwargs: Any) -> dict[str, Any]:
        raise RuntimeError("the JSON report was built")

    patched = 0
    for name, module in list(sys.modules.items()):
        if name.startswith("declass.service") and hasattr(module, "release_report"):
            monkeypatch.setattr(module, "release_report", refuse)
            patched += 1
    return patched


def logged_document(logs: io.StringIO) -> dict[str, Any]:
    lines = [json.loads(line) for line in logs.getvalue().splitlines() if line.strip()]
    document: dict[str, Any] = [line for line in lines if line.get("event") == "request"][-1][
        "document"
    ]
    return document


def segment_counts(client: FlaskClient) -> dict[str, float]:
    exposition = client.get("/metrics").get_data(as_text=True)
    found = re.findall(r'^declass_segments_total\{action="(\w+)"\} (\S+)$', exposition, re.M)
    return {action: float(value) for action, value in found}


@pytest.mark.parametrize("fmt", ["text", "pdf"])
def test_redact_logs_and_counts_without_building_the_report(
    client: FlaskClient,
    paris: bytes,
    http_logs: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
) -> None:
    assert refuse_reports(monkeypatch) >= 1
    response = client.post(
        f"/v1/redact?as_of={AS_OF}&format={fmt}", data=paris, content_type="text/plain"
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    document = logged_document(http_logs)
    assert document["sha256"] == hashlib.sha256(normalise(paris).encode()).hexdigest()
    assert document["policy"] == response.headers["X-Declass-Policy"]
    assert document["as_of"] == AS_OF
    assert document["format"] == fmt
    assert document["withheld"] == int(response.headers["X-Declass-Withheld"]) >= 1
    assert document["review"] == int(response.headers["X-Declass-Review"])
    counts = segment_counts(client)
    assert counts["release"] == document["released"] >= 1
    assert counts["withhold"] == document["withheld"]
    assert document["segments"] == document["released"] + document["withheld"] + document["review"]


def test_the_patch_bites_where_the_report_is_the_output(
    client: FlaskClient, paris: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A JSON release is the report: with the builder refused, it cannot be made."""
    refuse_reports(monkeypatch)
    response = client.post(
        f"/v1/redact?as_of={AS_OF}&format=json", data=paris, content_type="text/plain"
    )
    assert response.status_code == 500
    assert "Ferrand" not in response.get_data(as_text=True)


def test_analyze_counts_come_from_its_report(
    client: FlaskClient, paris: bytes, http_logs: io.StringIO
) -> None:
    report = client.post(f"/v1/analyze?as_of={AS_OF}", data=paris, content_type="text/plain")
    assert report.status_code == 200
    document = logged_document(http_logs)
    assert document["operation"] == "analyze"
    assert {key: document[key] for key in ("released", "withheld", "review")} == {
        key: report.get_json()["release"][key] for key in ("released", "withheld", "review")
    }
    assert segment_counts(client)["withhold"] == document["withheld"]
