"""Exemption labels come from a closed list: FOIA's and those the policy declares.

A label is printed on the release, so a free-text one would publish whatever
it says. It is refused, naming the field and never more than a short prefix.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources

import pytest
from flask.testing import FlaskClient

from declass.rules.errors import PolicyError, RequestError
from declass.rules.exemptions import FOIA_EXEMPTIONS, PREFIX, ExemptionError, safe_prefix
from declass.rules.policy import LoadedPolicy, load_policy, parse_policy, shipped_policies
from declass.rules.release import Override, PhraseRedaction, RangeRedaction
from declass.service.pipeline import run

PUBLIC = load_policy("public")
AS_OF = dt.date(2010, 1, 1)
TEXT = (
    "C O N F I D E N T I A L PARIS 001234\n\n"
    "E.O. 12958: DECL: 08/25/2016\n"
    "TAGS: PREL FR\n\n"
    "¶1. (C) The minister met the delegation in private.\n\n"
    "¶2. (U) The embassy hosted Aurelia Bouchez at a reception.\n"
)
FREE_TEXT = "Aurelia Bouchez told us"


def with_labels(*labels: str, exemption: str = "(b)(1)") -> LoadedPolicy:
    quoted = ", ".join(f'"{label}"' for label in labels)
    data = (
        f'id = "custom"\nversion = "1"\ntitle = "Custom"\naudience = "public"\n'
        f'exemption = "{exemption}"\nexemption_labels = [{quoted}]\n'
    )
    return parse_policy(data.encode())


def test_the_vocabulary_is_foia_b1_to_b9_and_b7_subparagraphs() -> None:
    assert FOIA_EXEMPTIONS[:9] == tuple(f"(b)({n})" for n in range(1, 10))
    assert FOIA_EXEMPTIONS[9:] == tuple(f"(b)(7)({x})" for x in "ABCDEF")


@pytest.mark.parametrize("label", FOIA_EXEMPTIONS)
def test_every_foia_label_is_accepted_and_printed(label: str) -> None:
    redaction = PhraseRedaction(phrase="Aurelia Bouchez", exemption=label)
    output = run(TEXT.encode(), PUBLIC, AS_OF, redactions=[redaction]).output.decode()
    assert f"[{label}]" in output and "Bouchez" not in output


@pytest.mark.parametrize(
    "label",
    [FREE_TEXT, "b6", "(B)(6)", "(b)(6) ", "(b)(10)", "(b)(7)(G)", "(b)(6), (b)(7)(C)", "x"],
    ids=["sentence", "short-form", "upper-case", "trailing-space", "b10", "b7g", "list", "x"],
)
def test_other_labels_are_refused_on_redactions(label: str) -> None:
    redaction = PhraseRedaction(phrase="Aurelia Bouchez", exemption=label)
    with pytest.raises(ExemptionError) as caught:
        run(TEXT.encode(), PUBLIC, AS_OF, redactions=[redaction])
    assert isinstance(caught.value, RequestError)
    assert caught.value.field == "redactions.0.exemption"
    if len(label) > PREFIX:
        assert label not in caught.value.message


def test_other_labels_are_refused_on_overrides() -> None:
    segment = run(TEXT.encode(), PUBLIC, AS_OF).release.document.segments[-1].id
    override = Override(segment=segment, action="withhold", exemption=FREE_TEXT)
    with pytest.raises(ExemptionError) as caught:
        run(TEXT.encode(), PUBLIC, AS_OF, overrides=[override])
    assert caught.value.field == "overrides.0.exemption"
    assert "Bouchez" not in caught.value.message


def test_the_first_bad_label_is_named_by_position() -> None:
    redactions = [
        RangeRedaction(start=0, end=5, exemption="(b)(6)"),
        RangeRedaction(start=0, end=5, exemption="(b)(6)(Q)"),
    ]
    with pytest.raises(ExemptionError) as caught:
        run(TEXT.encode(), PUBLIC, AS_OF, redactions=redactions)
    assert caught.value.field == "redactions.1.exemption"


def test_a_label_the_policy_declares_is_accepted() -> None:
    policy = with_labels("(b)(3) 50 U.S.C. 3024(i)")
    redaction = PhraseRedaction(phrase="Aurelia Bouchez", exemption="(b)(3) 50 U.S.C. 3024(i)")
    output = run(TEXT.encode(), policy, AS_OF, redactions=[redaction]).output.decode()
    assert "[(b)(3) 50 U.S.C. 3024(i)]" in output
    with pytest.raises(ExemptionError):  # declared by another policy only
        run(TEXT.encode(), PUBLIC, AS_OF, redactions=[redaction])


def test_the_policy_exemption_itself_is_in_the_vocabulary() -> None:
    assert with_labels("DOE-NSI", exemption="DOE-NSI").policy.exemption == "DOE-NSI"
    with pytest.raises(PolicyError) as caught:
        with_labels(exemption="classified")
    assert "exemption" in caught.value.message


def test_declared_labels_are_single_short_lines() -> None:
    with pytest.raises(PolicyError):
        with_labels("x" * 41)
    with pytest.raises(PolicyError):
        with_labels("")


def test_shipped_policies_declare_no_labels_of_their_own() -> None:
    folder = resources.files("declass.rules.policies")
    for loaded in shipped_policies():
        table = tomllib.loads(folder.joinpath(f"{loaded.policy.id}.toml").read_text())
        assert table["exemption_labels"] == []  # written out, so an editor sees the field
        assert loaded.policy.exemption in FOIA_EXEMPTIONS


def test_safe_prefix_keeps_a_few_plain_characters() -> None:
    assert safe_prefix("(b)(6)") == "(b)(..."
    assert safe_prefix("b6") == "b6"
    assert safe_prefix("<sc>") == "?sc?"
    assert safe_prefix("é\n") == "??"


def test_http_refuses_a_free_text_label_with_422(client: FlaskClient, paris: bytes) -> None:
    body = {
        "text": paris.decode(),
        "as_of": "2010-01-01",
        "redactions": [{"phrase": "Velmoria", "exemption": "Ferrand-Quillet said so"}],
    }
    response = client.post("/v1/redact", json=body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == "invalid-request"
    assert problem["field"] == "redactions.0.exemption"
    assert "Quillet" not in response.get_data(as_text=True)


def test_http_accepts_a_label_an_inline_policy_declares(
    inline_client: FlaskClient, paris: bytes
) -> None:
    policy = inline_client.get("/v1/policies/public").get_json()["policy"]
    inline = {**policy, "id": "inline-labels", "version": "1", "exemption_labels": ["(b)(3)-NSA"]}
    body = {
        "text": paris.decode(),
        "policy": inline,
        "as_of": "2020-01-01",
        "redactions": [{"phrase": "Velmoria", "exemption": "(b)(3)-NSA"}],
    }
    response = inline_client.post("/v1/redact", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "[(b)(3)-NSA]" in response.get_data(as_text=True)
