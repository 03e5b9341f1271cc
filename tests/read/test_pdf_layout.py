"""PDF uploads are read in layout order; pages whose order is unsure go to review.

Every PDF here is drawn by reportlab inside the test. Each portion carries
its own tokens, so a test can say exactly which text was released: the
``(S)`` tokens must be in no output whatever the page looks like, and the
``(U)`` tokens are released from a plain page and held for review from a
page whose reading order cannot be trusted.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from declass.rules.errors import InputError
from declass.rules.policy import load_policy
from declass.rules.release import Override
from declass.rules.untrusted import Untrusted
from declass.service.batch.work import BatchJob, Task, release_document
from declass.service.pipeline import Format, analyze, run
from declass.service.read import pdf as pdf_input
from declass.service.read.pdf import PdfError, PdfText, read_pdf

POLICY = load_policy("public")
AS_OF = dt.date(2026, 1, 1)  # before the memo's DECL date: (S) withheld, (U) released
FORMATS: tuple[Format, ...] = ("text", "json", "pdf")

HEADER = [
    "SECRET",
    "",
    "MEMORANDUM FOR THE RECORD",
    "SUBJECT: (U) Harbour survey",
    "Classified By: J. Doe, Director, Reason: 1.4(b)",
    "Declassify On: 20451231",
    "",
]
#: Paragraph number, mark, and the lines of its body; tokens name their portion.
UNCLASSIFIED = [
    (
        "1.",
        "(U)",
        ["Alphawick harbour opens at dawn and", "Alphamoss closes at dusk for the team."],
    ),
    ("3.", "(U)", ["Charlieplume notes the weather and", "Charliefern files the tide tables."]),
]
SECRET = [
    ("2.", "(S)", ["Bravoquill cipher routes pass under", "Bravotarn beside the eastern pier."]),
    ("4.", "(S)", ["Deltagrove agents meet at the lock", "Deltamire keeps the spare keys."]),
]
U_TOKENS = ["Alphawick", "Alphamoss", "Charlieplume", "Charliefern"]
S_TOKENS = ["Bravoquill", "Bravotarn", "Deltagrove", "Deltamire"]


@dataclass(frozen=True)
class Text:
    """One string drawn at (x, y), in the order the test lists it."""

    x: float
    y: float
    text: str
    font: str = "Helvetica"
    size: float = 10
    angle: float = 0


def draw(*pages: Iterable[Text]) -> bytes:
    """A PDF whose content streams draw each page's strings in the given order."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1)
    for page in pages:
        for item in page:
            canvas.saveState()
            canvas.setFont(item.font, item.size)
            canvas.translate(item.x, item.y)
            canvas.rotate(item.angle)
            canvas.drawString(0, 0, item.text)
            canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def memo_lines() -> list[str]:
    """The memo as text, paragraphs in order, one blank line between them."""
    lines = list(HEADER)
    for number, mark, body in sorted(UNCLASSIFIED + SECRET):
        lines += [f"{number} {mark} {body[0]}", *body[1:], ""]
    return [*lines, "SECRET"]


def single_column(lines: list[str], top: float = 720, leading: float = 14) -> list[Text]:
    return [Text(72, top - i * leading, line) for i, line in enumerate(lines) if line]


def released(pdf: PdfText, fmt: Format = "text") -> str:
    """Everything the pipeline hands out for this reading, as text to search."""
    outcome = run(pdf.text.encode(), POLICY, AS_OF, fmt=fmt, untrusted=pdf.untrusted)
    if fmt == "pdf":
        return "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(outcome.output)).pages
        )
    return outcome.output.decode("utf-8")


def assert_no_secret(output: str | bytes) -> None:
    data = output if isinstance(output, str) else output.decode("latin-1")
    for token in S_TOKENS:
        assert token not in data, f"{token} released"


# --- (a) a plain single-column memo -------------------------------------------------------


def test_single_column_memo_is_read_in_order_and_trusted() -> None:
    pdf = read_pdf(draw(single_column(memo_lines())), max_pages=10)
    assert pdf.text == "\n".join(memo_lines())
    assert pdf.untrusted == ()
    assert pdf.pages == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_single_column_memo_releases_its_unclassified_portions(fmt: Format) -> None:
    output = released(read_pdf(draw(single_column(memo_lines())), max_pages=10), fmt)
    assert_no_secret(output)
    for token in U_TOKENS:
        assert token in output


def test_courier_page_keeps_its_indentation_and_spacing() -> None:
    lines = ["SECRET", "", "   A. (U) Indented Echoline", "E.O. 12958:  DECL: 08/25/2016"]
    items = [Text(50, 700 - 12 * i, line, font="Courier") for i, line in enumerate(lines)]
    assert read_pdf(draw(items), max_pages=10).text == "\n".join(lines)


# --- (b) two text columns -----------------------------------------------------------------


def two_columns(stagger: float = 0) -> list[Text]:
    """The header across the page, then (U) paragraphs on the left, (S) on the right."""
    items = single_column(HEADER)
    top = 720 - 14 * len(HEADER)
    for column, (x, portions) in enumerate(((72, UNCLASSIFIED), (320, SECRET))):
        y = top - column * stagger
        for number, mark, body in portions:
            items.append(Text(x, y, f"{number} {mark} {body[0]}"))
            items += [Text(x, y - 14 * (i + 1), line) for i, line in enumerate(body[1:])]
            y -= 14 * (len(body) + 1)
    return items


@pytest.mark.parametrize("stagger", [0, 7], ids=["aligned", "staggered"])
def test_two_column_page_is_untrusted(stagger: float) -> None:
    pdf = read_pdf(draw(two_columns(stagger)), max_pages=10)
    assert [(r.page, r.reason) for r in pdf.untrusted] == [(1, "two text columns")]
    (only,) = pdf.untrusted
    assert (only.start, only.end) == (0, len(pdf.text))


@pytest.mark.parametrize("stagger", [0, 7], ids=["aligned", "staggered"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_two_column_page_releases_no_secret_and_holds_its_portions(
    fmt: Format, stagger: float
) -> None:
    pdf = read_pdf(draw(two_columns(stagger)), max_pages=10)
    output = released(pdf, fmt)
    assert_no_secret(output)
    for token in U_TOKENS:
        assert token not in output, f"{token} released from an untrusted page"


def test_held_portions_name_the_layout_rule_and_a_problem_without_text() -> None:
    pdf = read_pdf(draw(two_columns()), max_pages=10)
    report = analyze(pdf.text.encode(), POLICY, AS_OF, untrusted=pdf.untrusted)
    held = [d for d in report["decisions"] if d["rule"] == "public/layout-untrusted"]
    assert held and all(d["action"] == "review" for d in held)
    assert not [d for d in report["decisions"] if d["action"] == "release"][1:]  # banner only
    problems = [p for p in report["document"]["problems"] if p["code"] == "layout_order_untrusted"]
    assert {p["segment"] for p in problems} == {d["segment"] for d in held}
    assert {p["detail"] for p in problems} == {"page 1: two text columns"}


def test_only_the_untrusted_page_is_held() -> None:
    plain = single_column(memo_lines())
    pdf = read_pdf(draw(plain, two_columns()), max_pages=10)
    assert {r.page for r in pdf.untrusted} == {2}
    first_page = len("\n".join(memo_lines()))
    assert min(r.start for r in pdf.untrusted) == first_page + 1
    output = released(pdf)
    assert_no_secret(output)
    assert "Alphawick" in output  # page 1's copy


# --- (c) marks in the margin, drawn after their paragraph ------------------------------------


def margin_marks(rise: float) -> list[Text]:
    """Each paragraph's body at x=110 drawn first, then its mark at x=72, ``rise`` above."""
    items = single_column(HEADER)
    y = 720 - 14 * len(HEADER)
    for number, mark, body in sorted(UNCLASSIFIED + SECRET):
        items += [Text(110, y - 14 * i, line) for i, line in enumerate(body)]
        items.append(Text(72, y + rise, f"{number} {mark}"))
        y -= 14 * (len(body) + 1)
    return items


@pytest.mark.parametrize("rise", [0, 6, 14], ids=["same-baseline", "raised", "line-above"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_margin_marks_drawn_late_are_never_released_under_the_wrong_mark(
    rise: float, fmt: Format
) -> None:
    pdf = read_pdf(draw(margin_marks(rise)), max_pages=10)
    output = released(pdf, fmt)
    assert_no_secret(output)
    if pdf.untrusted:  # held for a person, whichever check saw it first
        assert "Alphawick" not in output
    else:  # or read with each mark on the line before its paragraph, and released so
        lines = [" ".join(line.split()) for line in pdf.text.split("\n")]
        for number, mark, body in UNCLASSIFIED + SECRET:
            assert lines[lines.index(body[0]) - 1] == f"{number} {mark}"
        assert "Alphawick" in output


def test_marks_set_out_beside_or_inside_their_line_are_untrusted() -> None:
    for rise in (0, 6):
        assert read_pdf(draw(margin_marks(rise)), max_pages=10).untrusted, rise


def test_a_mark_beside_its_paragraph_is_named_margin_text() -> None:
    pdf = read_pdf(draw(margin_marks(0)), max_pages=10)
    assert pdf.untrusted[0].reason == "text in the margin"


def test_a_margin_mark_on_its_paragraphs_baseline_is_read_before_it() -> None:
    text = read_pdf(draw(margin_marks(0)), max_pages=10).text
    for number, mark, body in UNCLASSIFIED + SECRET:
        line = next(line for line in text.split("\n") if body[0] in line)
        assert " ".join(line.split()) == f"{number} {mark} {body[0]}"


# --- (d) a page drawn bottom to top -------------------------------------------------------


def test_page_drawn_bottom_up_is_read_top_down() -> None:
    pdf = read_pdf(draw(reversed(single_column(memo_lines()))), max_pages=10)
    assert pdf.text == "\n".join(memo_lines())
    assert pdf.untrusted == ()
    output = released(pdf)
    assert_no_secret(output)
    assert all(token in output for token in U_TOKENS)


def test_words_drawn_right_to_left_are_read_left_to_right() -> None:
    words = ["1.", "(U)", "Echoline", "harbour", "notes"]
    items, x = [], 72.0
    for word in words:
        items.append(Text(x, 700, word))
        x += pdfmetrics.stringWidth(word + " ", "Helvetica", 10)
    assert read_pdf(draw(reversed(items)), max_pages=10).text == " ".join(words)


# --- other pages whose order cannot be trusted --------------------------------------------


BODY = single_column(memo_lines())


def right_margin_marks() -> list[Text]:
    """Each paragraph's mark far right of its first line, the way a few forms set them."""
    items = single_column(HEADER)
    y = 720 - 14 * len(HEADER)
    for number, mark, body in sorted(UNCLASSIFIED + SECRET):
        items.append(Text(72, y, f"{number} {body[0]}"))
        items += [Text(72, y - 14 * (i + 1), line) for i, line in enumerate(body[1:])]
        items.append(Text(480, y, mark))
        y -= 14 * (len(body) + 1)
    return items


#: A page each check must catch: (reason, the page's strings).
ODD_PAGES = {
    "right-margin marks": ("text in the margin", right_margin_marks()),
    "rotated": ("rotated text", [*BODY, Text(500, 300, "(U) Sideways Foxtrot", angle=90)]),
    "off the page": ("text outside the page", [*BODY, Text(700, 300, "(U) Offpage Golfline")]),
    "drawn over": ("overlapping text", [*BODY, Text(72, 720 - 14 * 8, "(U) Overdrawn Hotelmark")]),
    "mixed sizes": (
        "mixed font sizes on one line",
        [*BODY[:-1], Text(72, 100, "(U) Tiny"), Text(95, 100, "BIG", size=30)],
    ),
}


@pytest.mark.parametrize("case", sorted(ODD_PAGES))
def test_odd_pages_are_untrusted(case: str) -> None:
    reason, items = ODD_PAGES[case]
    pdf = read_pdf(draw(items), max_pages=10)
    assert reason in {r.reason for r in pdf.untrusted}
    assert_no_secret(released(pdf))
    assert "Alphawick" not in released(pdf)


def test_marks_set_out_left_of_an_indented_body_are_untrusted() -> None:
    items = [Text(110, t.y, t.text) for t in single_column(HEADER)]
    y = 720 - 14 * len(HEADER)
    for number, mark, body in sorted(UNCLASSIFIED + SECRET):
        items.append(Text(72, y + 14, f"{number} {mark}"))
        items += [Text(110, y - 14 * i, line) for i, line in enumerate(body)]
        y -= 14 * (len(body) + 2)
    pdf = read_pdf(draw(items), max_pages=10)
    assert [r.reason for r in pdf.untrusted] == ["text in the margin"]
    assert_no_secret(released(pdf))


def test_an_outdented_line_of_prose_is_not_margin_text() -> None:
    items = [Text(110, t.y, t.text) for t in single_column(memo_lines())]
    items.append(Text(72, 100, "A line of ordinary prose set out left, running across the edge."))
    assert read_pdf(draw(items), max_pages=10).untrusted == ()


# --- declass's own release -----------------------------------------------------------------


def test_declass_pdf_release_reads_back_trusted(paris: bytes) -> None:
    pdf = run(paris, POLICY, dt.date(2020, 1, 1), fmt="pdf").output
    read = read_pdf(pdf, max_pages=10)
    assert read.untrusted == ()
    assert "Ferrand-Quillet said France had not yet taken a position" in " ".join(read.text.split())


@pytest.mark.corpus
def test_corpus_releases_read_back_trusted(corpus: list[Path]) -> None:
    """declass's PDF release of real cables (every 50th) is read back with no page held."""
    for path in corpus[::50]:
        pdf = run(path.read_bytes(), POLICY, dt.date(2026, 11, 28), fmt="pdf").output
        assert read_pdf(pdf, max_pages=2000).untrusted == (), path.name


# --- limits --------------------------------------------------------------------------------


def test_fonts_past_their_budget_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The layout reader inflates font programs with no cap of its own: they are measured."""
    pdfmetrics.registerFont(TTFont("VeraLayoutTest", "Vera.ttf"))
    data = draw([Text(72, 700, "UNCLASSIFIED", font="VeraLayoutTest")])
    assert read_pdf(data, max_pages=10).text == "UNCLASSIFIED"
    monkeypatch.setattr(pdf_input, "MAX_FONT_BYTES", 1_000)
    with pytest.raises(PdfError) as caught:
        read_pdf(data, max_pages=10)
    assert caught.value.code == "pdf-too-large"


def test_a_page_with_too_many_glyphs_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_input, "MAX_PAGE_GLYPHS", 50)
    with pytest.raises(PdfError) as caught:
        read_pdf(draw(single_column(memo_lines())), max_pages=10)
    assert caught.value.code == "pdf-too-large"


# --- the engine side -----------------------------------------------------------------------


def memo_text() -> str:
    return "\n".join(memo_lines())


def test_ranges_hold_only_what_would_be_released() -> None:
    text = memo_text()
    everything = [Untrusted(start=0, end=len(text), page=1, reason="two text columns")]
    outcome = run(text.encode(), POLICY, AS_OF, fmt="json", untrusted=everything)
    actions = {d.rule.split("/")[1]: d.action for d in outcome.release.decisions}
    assert actions["layout-untrusted"] == "review"
    assert actions["classified-not-declassified"] == "withhold"  # stays withheld, not review
    banners = [s for s in outcome.release.document.segments if s.kind == "banner"]
    assert outcome.release.summary.released == len(banners)  # rewritten, never read out


def test_a_range_holds_every_segment_it_touches_and_no_other() -> None:
    text = memo_text()
    at = text.index("Charlieplume")
    touch = [Untrusted(start=at, end=at + 1, page=1, reason="text in the margin")]
    release = run(text.encode(), POLICY, AS_OF, untrusted=touch).release
    held = [d.segment for d in release.decisions if d.action == "review"]
    segment = next(s for s in release.document.segments if s.start <= at < s.end)
    assert held == [segment.id]
    assert "Alphawick" in run(text.encode(), POLICY, AS_OF, untrusted=touch).output.decode()


def test_an_empty_range_holds_nothing() -> None:
    text = memo_text()
    empty = [Untrusted(start=5, end=5, page=1, reason="rotated text")]
    assert run(text.encode(), POLICY, AS_OF, untrusted=empty).release.summary.review == 0


def test_a_reviewer_may_release_a_held_portion() -> None:
    text = memo_text()
    everything = [Untrusted(start=0, end=len(text), page=1, reason="two text columns")]
    first = run(text.encode(), POLICY, AS_OF, untrusted=everything).release
    held = next(d for d in first.decisions if d.rule == "public/layout-untrusted" and d.lines)
    override = Override(segment=held.segment, action="release", reason="read it", reviewer="rv")
    second = run(text.encode(), POLICY, AS_OF, overrides=[override], untrusted=everything)
    decision = next(d for d in second.release.decisions if d.segment == held.segment)
    assert decision.action == "release"


def test_a_range_past_the_text_is_refused() -> None:
    text = memo_text()
    beyond = [Untrusted(start=0, end=len(text) + 1, page=1, reason="two text columns")]
    with pytest.raises(InputError) as caught:
        run(text.encode(), POLICY, AS_OF, untrusted=beyond)
    assert caught.value.field == "untrusted"


def test_a_range_ending_before_it_starts_is_invalid() -> None:
    with pytest.raises(ValueError):
        Untrusted(start=5, end=4, page=1, reason="rotated text")


# --- every edge passes the ranges on ---------------------------------------------------------


def upload(client: FlaskClient, path: str, pdf: bytes, **form: str) -> bytes:
    response = client.post(
        path,
        data={"file": (io.BytesIO(pdf), "memo.pdf", "application/pdf"), **form},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data()


@pytest.mark.parametrize("fmt", FORMATS)
def test_http_upload_of_two_columns_releases_no_secret(client: FlaskClient, fmt: Format) -> None:
    body = upload(client, "/v1/redact", draw(two_columns()), as_of=AS_OF.isoformat(), format=fmt)
    if fmt == "pdf":
        body = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages).encode()
    assert_no_secret(body)
    assert b"Alphawick" not in body


def test_http_analyze_upload_holds_the_untrusted_page(client: FlaskClient) -> None:
    report = json.loads(upload(client, "/v1/analyze", draw(two_columns()), as_of="2026-01-01"))
    codes = {p["code"] for p in report["document"]["problems"]}
    assert "layout_order_untrusted" in codes


def test_http_extract_returns_the_ranges_for_the_review_page(client: FlaskClient) -> None:
    response = client.post(
        "/v1/extract",
        data={"file": (io.BytesIO(draw(two_columns())), "memo.pdf")},
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    found = response.get_json()
    assert [r["reason"] for r in found["untrusted"]] == ["two text columns"]
    sent = {"text": found["text"], "as_of": "2026-01-01", "untrusted": found["untrusted"]}
    redacted = client.post("/v1/redact", json={**sent, "format": "json"})
    assert redacted.status_code == 200
    assert_no_secret(redacted.get_data())
    assert "Alphawick" not in redacted.get_json()["text"]


def test_http_extract_stays_plain_text_by_default(client: FlaskClient) -> None:
    response = client.post(
        "/v1/extract",
        data={"file": (io.BytesIO(draw(two_columns())), "memo.pdf")},
        content_type="multipart/form-data",
    )
    assert response.mimetype == "text/plain"
    assert "Bravoquill" in response.get_data(as_text=True)  # the caller's own document


def test_http_refuses_ranges_that_do_not_fit_the_text(client: FlaskClient) -> None:
    ranges = [{"start": 0, "end": 10_000, "page": 1, "reason": "two text columns"}]
    response = client.post("/v1/redact", json={"text": memo_text(), "untrusted": ranges})
    assert response.status_code in (400, 422)
    assert "Alphawick" not in response.get_data(as_text=True)


def test_http_refuses_a_reason_of_the_callers_own(client: FlaskClient) -> None:
    ranges = [{"start": 0, "end": 5, "page": 1, "reason": "Bravoquill"}]
    response = client.post("/v1/redact", json={"text": memo_text(), "untrusted": ranges})
    assert response.status_code == 422


def test_batch_passes_the_ranges_on(tmp_path: Path) -> None:
    source, target = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "memo.pdf").write_bytes(draw(two_columns()))
    job = BatchJob(str(source), str(target), POLICY, AS_OF, FORMATS)
    record = release_document(Task("memo.pdf"), job)
    assert record["status"] == "ok", record
    for name in record["outputs"].values():
        data = (target / name).read_bytes()
        if name.endswith(".pdf"):
            data = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).encode()
        assert_no_secret(data)
        assert b"Alphawick" not in data
