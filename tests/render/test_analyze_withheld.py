"""``analyze`` never carries withheld text.

Header values the parser read (the Classified By block, the E.O. line) are
blanked in the report when the segment they were read from is not released,
and the report passes the same leak gate as every release. A Classified By
line with a numbered classified paragraph glued to it (a lost line break) is
not a header line that may be released as structure.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from declass.rules.errors import LeakError
from declass.rules.leakgate import RUN, fold
from declass.rules.policy import LoadedPolicy, load_policy, policy_from_mapping
from declass.rules.release import PhraseRedaction
from declass.service import pipeline
from declass.service.render import report as report_module
from declass.service.render.report import strings_of

PUBLIC = load_policy("public")
PARTNER = load_policy("partner-gbr-secret")
AS_OF = dt.date(2010, 1, 1)
SECRET = "the pipeline contract with Velmoria would be signed in secret next week by the cabinet"
HEAD = "C O N F I D E N T I A L PARIS 001234\n\n"
TAIL = "\n\n¶2. (U) The embassy hosted a reception.\n"

GLUED_CLASSIFIED_BY = (
    HEAD + "E.O. 12958: DECL: 08/25/2016\nTAGS: PREL FR\n\n"
    "Classified By: Ambassador Harold Ashcombe for reasons 1.4(b) and (d). "
    f"1. (C) The minister said {SECRET}." + TAIL
)
GLUED_CLASSIFIED_BY_NO_SPACE = (
    HEAD + "E.O. 12958: DECL: 08/25/2016\nTAGS: PREL FR\n\n"
    f"CLASSIFIED BY: Harold Ashcombe, Ambassador; REASON: 1.4(D) 1.(C) {SECRET.upper()}." + TAIL
)
PROSE_ON_THE_EO_LINE = (
    HEAD + f"E.O. 12958: DECL: 08/25/2036 The minister said that {SECRET} and that\n"
    "TAGS: PREL FR\n\nClassified By: Ambassador Harold Ashcombe for reasons 1.4(b) and (d)\n\n"
    "¶1. (C) The minister agreed." + TAIL
)
PLAIN = (
    HEAD + "E.O. 12958: DECL: 08/25/2016\nTAGS: PREL FR\n\n"
    "Classified By: Ambassador Harold Ashcombe for reasons 1.4(b) and (d)\n\n"
    f"¶1. (C) The minister said {SECRET}." + TAIL
)


def policy_without_headers(*kept: str) -> LoadedPolicy:
    """The public policy, releasing only the header kinds ``kept`` as structure."""
    table = PUBLIC.policy.model_dump(mode="json")
    table.update({"id": "public-strict", "release_headers": list(kept)})
    return policy_from_mapping(table, "test policy")


def withheld_runs(report: dict[str, Any], text: str) -> set[tuple[str, ...]]:
    """Every run of 8 words (or the whole of a shorter piece) of a withheld segment
    that does not also occur in released text."""
    segments = {s["id"]: s for s in report["document"]["segments"]}
    withheld: list[list[str]] = []
    released: list[list[str]] = []
    for decision in report["decisions"]:
        segment = segments[decision["segment"]]
        body = text[segment["start"] : segment["end"]]
        (released if decision["action"] == "release" else withheld).append(fold(body))
    shown = {tuple(words[i : i + RUN]) for words in released for i in range(len(words))}
    runs = set()
    for words in withheld:
        size = min(RUN, len(words))
        runs |= {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}
    return {run for run in runs if len(run) >= 2 and run not in shown}


def assert_no_withheld_run(report: dict[str, Any], text: str) -> None:
    words = fold("\n".join(strings_of(report)))
    present = {tuple(words[i : i + n]) for n in range(2, RUN + 1) for i in range(len(words))}
    leaked = withheld_runs(report, text) & present
    assert not leaked, sorted(leaked)[:3]


@pytest.mark.parametrize(
    ("text", "loaded"),
    [
        pytest.param(GLUED_CLASSIFIED_BY, PUBLIC, id="classified-by-glued-to-a-paragraph"),
        pytest.param(GLUED_CLASSIFIED_BY_NO_SPACE, PUBLIC, id="glued-without-a-space"),
        pytest.param(GLUED_CLASSIFIED_BY, PARTNER, id="glued-partner"),
        pytest.param(PROSE_ON_THE_EO_LINE, PUBLIC, id="prose-on-the-eo-line"),
        pytest.param(PLAIN, policy_without_headers("routing", "tags"), id="headers-withheld"),
    ],
)
def test_analyze_report_holds_no_withheld_run(text: str, loaded: LoadedPolicy) -> None:
    report = pipeline.analyze(text.encode(), loaded, AS_OF)
    assert_no_withheld_run(report, text)
    assert "velmoria" not in json.dumps(report).lower()


def test_classified_by_glued_to_a_paragraph_is_not_released_as_a_header() -> None:
    outcome = pipeline.run(GLUED_CLASSIFIED_BY.encode(), PUBLIC, AS_OF)
    assert "Velmoria" not in outcome.output.decode()
    # The parser splits the glued portion off the header line (or, failing that, the header
    # segment holds an unassigned marking): either way the segment with its text is held.
    text = GLUED_CLASSIFIED_BY
    at = text.index("Velmoria")
    release = outcome.release
    holder = next(s for s in release.document.segments if s.start <= at < s.end)
    assert release.decision_for(holder.id).action != "release"


def test_values_of_withheld_headers_are_blanked_keeping_the_shape() -> None:
    loaded = policy_without_headers("routing", "tags")
    document = pipeline.analyze(PLAIN.encode(), loaded, AS_OF)["document"]
    cb, decl = document["classified_by"], document["declassification"]
    assert (cb["raw"], cb["authority"], cb["title"]) == (None, None, None)
    assert cb["reasons"] == ["1.4(b)", "1.4(d)"]  # codes, not text: the reviewer needs them
    assert (decl["raw"], decl["event"]) == (None, None)
    assert decl["kind"] == "date" and decl["date"] == "2016-08-25"


def test_values_of_released_headers_are_kept() -> None:
    document = pipeline.analyze(PLAIN.encode(), PUBLIC, AS_OF)["document"]
    assert document["classified_by"]["authority"] == "Harold Ashcombe"
    assert document["classified_by"]["raw"].startswith("Classified By: Ambassador")
    assert document["declassification"]["raw"] == "E.O. 12958: DECL: 08/25/2016"
    segments = {s["id"]: s["kind"] for s in document["segments"]}
    assert segments[document["classified_by"]["segment"]] == "classified_by"
    assert segments[document["declassification"]["segment"]] == "declassification"


def test_a_span_in_a_header_blanks_its_value() -> None:
    redaction = PhraseRedaction(phrase="Harold Ashcombe", exemption="(b)(6)")
    outcome = pipeline.run(PLAIN.encode(), PUBLIC, AS_OF, fmt="json", redactions=[redaction])
    report = json.loads(outcome.output)
    assert report["document"]["classified_by"]["raw"] is None
    assert "Ashcombe" not in outcome.output.decode()


def test_analyze_goes_through_the_leak_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    real = report_module.release_report

    def leaky_report(release: Any, released_text: str | None) -> dict[str, Any]:
        report = real(release, released_text)
        report["document"]["problems"].append({"detail": f"the minister said {SECRET}"})
        return report

    monkeypatch.setattr(pipeline, "release_report", leaky_report)
    with pytest.raises(LeakError) as caught:
        pipeline.analyze(PLAIN.encode(), PUBLIC, AS_OF)
    assert "Velmoria" not in caught.value.message


@pytest.mark.parametrize("text", [GLUED_CLASSIFIED_BY, PROSE_ON_THE_EO_LINE])
def test_http_analyze_holds_no_withheld_run(client: FlaskClient, text: str) -> None:
    response = client.post("/v1/analyze", json={"text": text, "as_of": AS_OF.isoformat()})
    assert response.status_code == 200, response.get_data(as_text=True)
    report = response.get_json()
    assert_no_withheld_run(report, text)
    assert "Velmoria" not in response.get_data(as_text=True)
