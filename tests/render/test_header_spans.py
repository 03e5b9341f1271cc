"""A reviewer's span over a released header line is a routine request, never a 500.

A ``(b)(6)`` on the official named in ``Classified By:``, or a span over the
authority ``E.O. 12958`` or the reasons ``1.5 (b)``, used to leave the value in
the report's ``document`` (or in a placeholder's basis), and the leak gate then
refused the release with a 500. Values read from a spanned header are blanked
in the report; the classification reasons, which every withholding prints as
its basis, are codes the model writes. An exemption label that would print
withheld words is refused at the edge (422), not by the gate.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from declass.service.render.pdf import pdf_text

WITHHELD = "2010-01-01"
RELEASED = "2020-01-01"
NAME = "HAROLD V. ASHCOMBE"


def redact(client: FlaskClient, text: str, as_of: str, fmt: str, redaction: dict[str, Any]) -> str:
    body = {"text": text, "as_of": as_of, "format": fmt, "redactions": [redaction]}
    response = client.post("/v1/redact", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    return pdf_text(response.data) if fmt == "pdf" else response.get_data(as_text=True)


@pytest.mark.parametrize("fmt", ["json", "text", "pdf"])
@pytest.mark.parametrize("as_of", [WITHHELD, RELEASED])
@pytest.mark.parametrize(
    "redaction",
    [
        ({"phrase": NAME, "exemption": "(b)(6)"}, "HAROLD V"),
        ({"phrase": "ashcombe", "exemption": "(b)(6)", "ignore_case": True}, "ASHCOMBE"),
        ({"pattern": r"(?i)cda\s+harold\s+v\.\s+\w+", "exemption": "(b)(6)"}, "HAROLD V"),
    ],
    ids=["phrase", "surname-any-case", "pattern-with-title"],
)
def test_span_over_the_classifier_is_released_without_the_name(
    client: FlaskClient, paris: bytes, fmt: str, as_of: str, redaction: tuple[dict[str, Any], str]
) -> None:
    request, hidden = redaction
    body = redact(client, paris.decode(), as_of, fmt, request)
    assert hidden not in body.upper()
    assert "Classified By:" in body or fmt == "pdf"


@pytest.mark.parametrize("fmt", ["json", "text", "pdf"])
@pytest.mark.parametrize("as_of", [WITHHELD, RELEASED])
@pytest.mark.parametrize(
    "phrase", ["E.O. 12958", "1.5 (b)", "1.5 (b) and (d)", "DECL: 08/25/2016", "PREL PGOV"]
)
def test_span_over_a_header_value_is_never_a_500(
    client: FlaskClient, paris: bytes, fmt: str, as_of: str, phrase: str
) -> None:
    redact(client, paris.decode(), as_of, fmt, {"phrase": phrase, "exemption": "(b)(6)"})


def test_spanned_authority_is_blanked_in_the_report(client: FlaskClient, paris: bytes) -> None:
    redaction = {"phrase": "E.O. 12958", "exemption": "(b)(6)"}
    body = {"text": paris.decode(), "as_of": WITHHELD, "format": "json", "redactions": [redaction]}
    report = client.post("/v1/redact", json=body).json
    assert report is not None
    decl = report["document"]["declassification"]
    assert (decl["raw"], decl["authority"]) == (None, None)
    assert decl["kind"] == "date"  # the shape and the codes stay
    assert "12958" not in str(report)


def test_analyze_blanks_nothing_it_releases(client: FlaskClient, paris: bytes) -> None:
    response = client.post("/v1/analyze", json={"text": paris.decode(), "as_of": WITHHELD})
    assert response.status_code == 200
    assert response.json is not None
    assert response.json["document"]["classified_by"]["authority"] == NAME


# --- labels --------------------------------------------------------------------------

CABLE = (
    "C O N F I D E N T I A L PARIS 001234\n\nE.O. 12958: DECL: 08/25/2016\nTAGS: PREL FR\n\n"
    "Classified By: Ambassador Jane Roe for reasons 1.4 (b) and (d)\n\n"
    "¶1. (C) Velmoria pipeline.\n\n¶2. (U) The embassy hosted a reception.\n"
)


def labelled_policy(client: FlaskClient, **changes: Any) -> dict[str, Any]:
    policy = client.get("/v1/policies/public").get_json()["policy"]
    return {**policy, "id": "labels", "version": "1", **changes}


def test_free_text_label_is_refused_at_the_edge(client: FlaskClient) -> None:
    redaction = {"phrase": "embassy", "exemption": "Velmoria pipeline"}
    body = {"text": CABLE, "as_of": WITHHELD, "redactions": [redaction]}
    response = client.post("/v1/redact", json=body)
    assert response.status_code == 422
    assert response.json is not None
    assert response.json["field"] == "redactions.0.exemption"
    assert "Velmoria" not in response.get_data(as_text=True)


@pytest.mark.parametrize("fmt", ["json", "text", "pdf"])
def test_declared_label_repeating_withheld_words_is_a_422(
    inline_client: FlaskClient, fmt: str
) -> None:
    policy = labelled_policy(inline_client, exemption_labels=["Velmoria pipeline"])
    redaction = {"phrase": "embassy", "exemption": "Velmoria pipeline"}
    body = {"text": CABLE, "as_of": WITHHELD, "policy": policy, "format": fmt}
    response = inline_client.post("/v1/redact", json={**body, "redactions": [redaction]})
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert response.json is not None
    assert response.json["field"] == "redactions.0.exemption"
    assert "Velmoria" not in response.get_data(as_text=True)


def test_policy_label_repeating_withheld_words_is_a_422(inline_client: FlaskClient) -> None:
    policy = labelled_policy(
        inline_client, exemption_labels=["Velmoria pipeline"], exemption="Velmoria pipeline"
    )
    body = {"text": CABLE, "as_of": WITHHELD, "policy": policy}
    response = inline_client.post("/v1/analyze", json=body)
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert response.json is not None
    assert response.json["field"] == "policy.exemption"


def test_declared_label_that_repeats_nothing_is_printed(inline_client: FlaskClient) -> None:
    policy = labelled_policy(inline_client, exemption_labels=["(b)(3)-NSA"])
    redaction = {"phrase": "embassy", "exemption": "(b)(3)-NSA"}
    body = {"text": CABLE, "as_of": WITHHELD, "policy": policy, "redactions": [redaction]}
    response = inline_client.post("/v1/redact", json=body)
    assert response.status_code == 200
    assert "[(b)(3)-NSA]" in response.get_data(as_text=True)
