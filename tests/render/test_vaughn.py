"""The withholding log (Vaughn index): one CSV row per withheld or pending item."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from declass.rules.errors import LeakError, RequestError
from declass.rules.policy import load_policy
from declass.rules.release import Override, PhraseRedaction
from declass.service import pipeline
from declass.service.formats import OUTPUTS
from declass.service.render.pdf_layout import Row, page_numbers
from declass.service.render.vaughn import HEADER, escape_cell

POLICY = load_policy("public")
WITHHELD = dt.date(2010, 1, 1)
HEADER_LINE = (
    "document,segment,label,page,lines,marking,action,exemption,reasons,rule,reviewer,reason"
)


def vaughn(data: bytes, **options: object) -> list[dict[str, str]]:
    output = pipeline.run(data, POLICY, WITHHELD, fmt="vaughn", **options).output  # type: ignore[arg-type]
    return list(csv.DictReader(io.StringIO(output.decode("utf-8"))))


def test_the_header_row_is_exactly_the_contract(paris: bytes) -> None:
    output = pipeline.run(paris, POLICY, WITHHELD, fmt="vaughn").output.decode("utf-8")
    assert output.split("\r\n")[0] == HEADER_LINE == ",".join(HEADER)


def test_one_row_per_withheld_or_pending_segment_in_order(paris: bytes) -> None:
    decided = pipeline.run(paris, POLICY, WITHHELD).release
    expected = [d.segment for d in decided.decisions if d.action != "release"]
    rows = vaughn(paris)
    assert [row["segment"] for row in rows] == expected
    assert {row["document"] for row in rows} == {decided.document.sha256}
    by_id = {d.segment: d for d in decided.decisions}
    for row in rows:
        decision = by_id[row["segment"]]
        assert row["action"] == decision.action
        assert row["rule"] == decision.rule
        assert row["reasons"] == ", ".join(decision.reasons)
        assert row["exemption"] == " ".join(decision.exemptions)


def test_no_row_holds_withheld_text(paris: bytes) -> None:
    text = paris.decode("utf-8")
    output = pipeline.run(paris, POLICY, WITHHELD, fmt="vaughn").output.decode("utf-8")
    for phrase in ("Ferrand-Quillet", "pipeline contract", "Velmoria", "PolCouns delivered"):
        assert phrase in text
        assert phrase not in output


def test_a_released_document_has_only_the_header(paris: bytes) -> None:
    output = pipeline.run(paris, POLICY, dt.date(2020, 1, 1), fmt="vaughn").output
    assert output.decode("utf-8") == HEADER_LINE + "\r\n"


def test_pages_and_lines_are_those_of_the_pdf(paris: bytes) -> None:
    """Each box carries its segment id on the page it is drawn on: the log's page column
    must name exactly the pages where the PDF shows that id, and its lines the box's rows."""
    long = paris.replace(b"\xc2\xb64. (C)", b"\xc2\xb64. (C) " + b"More words here. " * 400)
    for page_size in ("letter", "a4"):
        pdf = pipeline.run(long, POLICY, WITHHELD, fmt="pdf", page_size=page_size).output
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
        rows = vaughn(long, page_size=page_size)
        assert any("-" in row["page"] for row in rows)  # a box that runs over a page
        for row in rows:
            first, _, last = row["page"].partition("-")
            shown = range(int(first), int(last or first) + 1)
            on = [n for n, page in enumerate(pages, 1) if row["segment"] in page.split()]
            assert on == list(shown), (page_size, row["segment"])
            assert int(row["lines"]) >= 1


def test_a_box_that_runs_over_pages_counts_its_rows(paris: bytes) -> None:
    long = paris.replace(b"\xc2\xb64. (C)", b"\xc2\xb64. (C) " + b"More words here. " * 400)
    rows = {row["segment"]: row for row in vaughn(long)}
    assert int(rows["s013"]["lines"]) > 60


def test_span_redactions_are_rows_with_their_page(paris: bytes) -> None:
    overrides = [Override(segment="s009", action="release", reviewer="A. Reviewer")]
    spans = [PhraseRedaction(phrase="Solange Ferrand-Quillet", exemption="(b)(6)")]
    rows = vaughn(paris, overrides=overrides, redactions=spans)
    span_rows = [row for row in rows if row["action"] == "redact"]
    assert [(r["segment"], r["label"], r["exemption"], r["page"]) for r in span_rows] == [
        ("s009", "1", "(b)(6)", "1")
    ]
    assert span_rows[0]["rule"] == "redaction #0 (phrase)"
    assert "s009" not in {row["segment"] for row in rows if row["action"] != "redact"}


def test_overrides_to_withhold_carry_reviewer_and_reason(paris: bytes) -> None:
    released = dt.date(2020, 1, 1)
    override = Override(
        segment="s010", action="withhold", reviewer="A. Reviewer", reason="=HYPERLINK(1)"
    )
    output = pipeline.run(paris, POLICY, released, fmt="vaughn", overrides=[override]).output
    (row,) = csv.DictReader(io.StringIO(output.decode("utf-8")))
    assert (row["segment"], row["action"], row["reviewer"]) == ("s010", "withhold", "A. Reviewer")
    assert row["reason"] == "'=HYPERLINK(1)"  # a spreadsheet shows it, never runs it


def test_a_reason_quoting_withheld_text_is_refused_naming_the_field(paris: bytes) -> None:
    quote = "the Velmorian gas pipeline project enjoys strong support"
    overrides = [
        Override(segment="s010", action="withhold", reason="second paragraph"),
        Override(segment="s012", action="withhold", reason=f"says {quote}"),
    ]
    with pytest.raises(RequestError) as caught:
        pipeline.run(paris, POLICY, WITHHELD, fmt="vaughn", overrides=overrides)
    assert caught.value.field == "overrides.1.reason"
    assert "Velmorian" not in caught.value.message


def test_remarks_that_only_meet_side_by_side_are_allowed(paris: bytes) -> None:
    """Two reasons whose words run on into withheld text only when joined are each fine."""
    overrides = [
        Override(segment="s010", action="withhold", reason="the Velmorian gas"),
        Override(
            segment="s012", action="withhold", reason="pipeline project enjoys strong support"
        ),
    ]
    rows = vaughn(paris, overrides=overrides)
    assert [r["reason"] for r in rows if r["reason"]] == [o.reason for o in overrides]


def test_the_renderer_keeps_typed_cells_out_of_the_gates_allowance(paris: bytes) -> None:
    """Defence in depth: were a quoting reason to reach the renderer, the gate refuses it."""
    decided = pipeline.run(paris, POLICY, WITHHELD).release
    quote = "the Velmorian gas pipeline project enjoys strong support"
    override = Override(segment="s012", action="withhold", reason=quote)
    decisions = [
        d.model_copy(update={"override": override}) if d.segment == "s012" else d
        for d in decided.decisions
    ]
    forged = decided.model_copy(update={"decisions": decisions})
    with pytest.raises(LeakError):
        pipeline.render(forged, paris.decode("utf-8"), "vaughn")


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("(b)(1)", "(b)(1)"),
        ("", ""),
    ],
    ids=["equals", "plus", "minus", "at", "tab", "label", "empty"],
)
def test_cells_that_start_like_formulas_are_escaped(cell: str, shown: str) -> None:
    assert escape_cell(cell) == shown


def test_page_breaks_keep_a_label_with_its_box() -> None:
    rows = [Row("x")] * 3 + [Row("label", keep_with_next=True)] + [Row("y")] * 5
    assert page_numbers(rows, 4, 3) == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert page_numbers(rows[:2], 4, 3) == [1, 1]
    assert page_numbers([], 4, 3) == []


def test_http_negotiates_text_csv(client: FlaskClient, paris: bytes) -> None:
    response = client.post(
        "/v1/redact?as_of=2010-01-01",
        data=paris,
        content_type="text/plain",
        headers={"Accept": "text/csv"},
    )
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.get_data(as_text=True).startswith(HEADER_LINE + "\r\n")
    assert "Ferrand-Quillet" not in response.get_data(as_text=True)


def test_http_format_field_with_overrides(client: FlaskClient, paris: bytes) -> None:
    body = {
        "text": paris.decode("utf-8"),
        "as_of": "2020-01-01",
        "format": "vaughn",
        "overrides": [{"segment": "s012", "action": "withhold", "reason": "privacy"}],
    }
    response = client.post("/v1/redact", json=body)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["segment"], r["reason"]) for r in rows] == [("s012", "privacy")]


def test_openapi_offers_every_output_format(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    content = spec["paths"]["/v1/redact"]["post"]["responses"]["200"]["content"]
    assert set(content) == {f.accept for f in OUTPUTS.values()}


def test_http_refuses_a_quoting_reason_with_a_422(client: FlaskClient, paris: bytes) -> None:
    body = {
        "text": paris.decode("utf-8"),
        "as_of": "2010-01-01",
        "format": "vaughn",
        "overrides": [
            {
                "segment": "s012",
                "action": "withhold",
                "reason": "the Velmorian gas pipeline project enjoys strong support",
            }
        ],
    }
    response = client.post("/v1/redact", json=body)
    assert response.status_code == 422
    assert "overrides.0.reason" in response.get_json()["detail"]
    assert "Velmorian" not in response.get_data(as_text=True)


def test_pages_agree_with_the_pdf_across_the_corpus(corpus: list[Path]) -> None:
    """Each box's segment id is printed on every page the box is drawn on."""
    for path in corpus[::50]:
        data = path.read_bytes()
        for page_size in ("letter", "a4"):
            pdf = pipeline.run(data, POLICY, WITHHELD, fmt="pdf", page_size=page_size).output
            pages = [page.extract_text().split() for page in PdfReader(io.BytesIO(pdf)).pages]
            for row in vaughn(data, page_size=page_size):
                if row["action"] == "redact" or row["lines"] == "0":
                    continue
                first, _, last = row["page"].partition("-")
                on = [n for n, words in enumerate(pages, 1) if row["segment"] in words]
                assert on == list(range(int(first), int(last or first) + 1)), (
                    path.name,
                    page_size,
                    row["segment"],
                )
