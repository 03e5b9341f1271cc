"""A release tells the truth about how it was made: drafts say so, reviewers' work
shows with their names, dispositions follow FOIA practice, and the text and the PDF
count a withheld body in the same lines.

Two golden PDFs (a draft and an overridden final release) are kept as the text a
reader extracts from them, in ``tests/data/golden_pdfs``; ``pytest --update-golden``
rewrites them and the diff is the review.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

from declass.rules.errors import RequestError
from declass.rules.parse import normalise
from declass.rules.policy import load_policy
from declass.rules.release import Override, PhraseRedaction, Release
from declass.rules.wrap import WITHHELD_COLUMNS, count_rows
from declass.service import pipeline
from declass.service.render.pdf import DRAFT_GREY, pdf_text
from declass.service.render.pdf_layout import layout
from declass.service.render.pdf_style import build_styles, page_geometry
from declass.service.render.pieces import released_pieces
from declass.service.render.review_log import review_rows
from declass.service.render.text import render_text

DATA = Path(__file__).resolve().parents[1] / "data"
PUBLIC = load_policy("public")
PARIS = (DATA / "paris_2006.txt").read_text(encoding="utf-8")
LAPAZ = (DATA / "golden" / "lapaz_1998_x1.txt").read_text(encoding="utf-8")
CLASSIFIED = dt.date(2010, 1, 1)  # Paris 2006 is still classified: DECL 08/25/2016
DECLASSIFIED = dt.date(2016, 8, 25)
PENDING = dt.date(2024, 1, 1)  # La Paz 1998 (X1): two paragraphs go to review
GOLDEN_PDFS = DATA / "golden_pdfs"
DRAFT_STROKE_OP = (
    " ".join(f"{c:g}".lstrip("0") for c in (DRAFT_GREY.red, DRAFT_GREY.green, DRAFT_GREY.blue))
    + " RG"
).encode()  # as reportlab writes it: ".82 .82 .82 RG"


def _release(text: str, as_of: dt.date, **kwargs: object) -> Release:
    return pipeline.release(normalise(text.encode()), PUBLIC, as_of, **kwargs)  # type: ignore[arg-type]


def _overrides() -> list[Override]:
    return [
        Override(segment="s009", action="release", reason="FOIA appeal granted", reviewer="jdoe"),
        Override(
            segment="s010",
            action="withhold",
            reason="names a private person",
            reviewer="asmith",
            exemption="(b)(6)",
        ),
    ]


# --- dispositions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "as_of", "kwargs", "disposition"),
    [
        (PARIS, DECLASSIFIED, {}, "RELEASED IN FULL"),
        (PARIS, CLASSIFIED, {}, "DENIED IN FULL"),
        (PARIS, CLASSIFIED, {"overrides": _overrides()}, "RELEASED IN PART"),
        (
            PARIS,
            DECLASSIFIED,
            {"redactions": [PhraseRedaction(phrase="Astergrad", exemption="(b)(6)")]},
            "RELEASED IN PART",
        ),
        (LAPAZ, PENDING, {}, "PENDING REVIEW"),
    ],
    ids=["all-released", "only-header-lines", "overridden", "span-in-paragraph", "pending"],
)
def test_disposition(
    text: str, as_of: dt.date, kwargs: dict[str, object], disposition: str
) -> None:
    assert _release(text, as_of, **kwargs).summary.disposition == disposition


def test_header_lines_do_not_make_a_release_partial() -> None:
    release = _release(PARIS, CLASSIFIED)
    kinds = {s.id: s.kind for s in release.document.segments}
    released = {kinds[d.segment] for d in release.decisions if d.action == "release"}
    assert "routing" in released and "tags" in released  # released as structure...
    assert release.summary.disposition == "DENIED IN FULL"  # ...yet nothing substantive


# --- draft or final ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "as_of", "preview", "final", "first_line"),
    [
        (LAPAZ, PENDING, False, False, "DRAFT — NOT FOR RELEASE — 2 portions pending review"),
        (
            PARIS,
            CLASSIFIED,
            True,
            False,
            "DRAFT — NOT FOR RELEASE — 0 portions pending review — preview",
        ),
        (PARIS, CLASSIFIED, False, True, "UNCLASSIFIED"),
    ],
    ids=["pending", "preview", "final"],
)
def test_text_opens_with_the_draft_line(
    text: str, as_of: dt.date, preview: bool, final: bool, first_line: str
) -> None:
    release = _release(text, as_of, preview=preview)
    assert release.is_final is final
    assert render_text(release, normalise(text.encode())).split("\n")[0] == first_line


@pytest.mark.parametrize(("final", "as_of"), [(False, PENDING), (True, CLASSIFIED)])
def test_every_pdf_page_of_a_draft_says_draft(final: bool, as_of: dt.date) -> None:
    text = LAPAZ if not final else PARIS
    outcome = pipeline.run(text.encode(), PUBLIC, as_of, fmt="pdf", log=True)
    reader = PdfReader(io.BytesIO(outcome.output))
    # The diagonal mark is stroked in its own grey: look for that in every page's drawing.
    streams = [page.get_contents().get_data() for page in reader.pages]  # type: ignore[union-attr]
    assert len(streams) >= 2
    assert all((DRAFT_STROKE_OP in stream) is not final for stream in streams)
    first = reader.pages[0].extract_text()
    assert ("DRAFT — NOT FOR RELEASE — 2 portions pending review" in first) is not final
    # The mark is drawn, not written: a reader extracting the page sees no stray letters.
    assert all("DRAFT" not in page.extract_text() for page in reader.pages[1:])


# --- overrides show ------------------------------------------------------------------


def test_text_names_each_reviewer() -> None:
    release = _release(PARIS, CLASSIFIED, overrides=_overrides())
    out = render_text(release, normalise(PARIS.encode()))
    stamp = out.split("\n")[1]
    assert "declassified in part on review by jdoe on 2010-01-01" in stamp
    assert "withheld on review by asmith on 2010-01-01" in stamp
    paragraph = next(line for line in out.split("\n") if line.startswith("¶1."))
    assert paragraph.endswith("commitments. [released on review: jdoe]")
    assert "¶2. (C) [3 lines withheld on review by asmith: (b)(6)" in out


def test_a_reviewer_that_is_not_a_name_is_never_printed() -> None:
    typed = Override(segment="s009", action="release", reviewer="Agreed. The minister said")
    release = _release(PARIS, CLASSIFIED, overrides=[typed])
    out = render_text(release, normalise(PARIS.encode()))
    assert "[released on review: reviewer]" in out
    assert "minister said" not in out.split("\n")[1]


def test_pdf_review_log_has_a_row_per_override_and_span() -> None:
    redaction = PhraseRedaction(phrase="Astergrad", exemption="(b)(6)")
    release = _release(
        PARIS, CLASSIFIED, overrides=_overrides(), redactions=[redaction], reviewer="jdoe"
    )
    rows = review_rows(release)
    assert rows[0] == ["Segment", "Action", "Reviewer", "Reason", "Exemption"]
    assert rows[1] == ["s009", "released on review", "jdoe", "FOIA appeal granted", "-"]
    assert rows[2] == ["s010", "withheld on review", "asmith", "names a private person", "(b)(6)"]
    spans = [row for row in rows if row[1] == "span withheld"]
    assert len(spans) == len(release.spans) >= 1
    assert all(row[2] == "jdoe" and row[4] == "(b)(6)" for row in spans)
    outcome = pipeline.render(release, normalise(PARIS.encode()), "pdf", log=True)
    read_back = " ".join(pdf_text(outcome.output).split())
    for needle in ("Review log", "released on review", "withheld on review", "FOIA appeal"):
        assert needle in read_back


def test_a_reason_that_quotes_withheld_text_refuses_the_release() -> None:
    """Refused when decided, naming the field, before anything is rendered: the reason
    would otherwise print withheld words in the stamp and the review log."""
    words = normalise(PARIS.encode()).split("¶3. (C) ")[1].split()[:10]
    quoting = Override(segment="s009", action="release", reason=" ".join(words), reviewer="jdoe")
    with pytest.raises(RequestError, match=r"overrides\.0\.reason"):
        _release(PARIS, CLASSIFIED, overrides=[quoting])


# --- line counts agree ---------------------------------------------------------------


LONG = " ".join(f"word{n}" for n in range(110))
ONE_LINE_PARAGRAPH = (
    "C O N F I D E N T I A L\n\nE.O. 12958: DECL: 08/25/2036\nTAGS: PREL\n"
    f"SUBJECT: (U) A TEST\n\n¶1. (C) {LONG}\n\n¶2. (U) The embassy hosted a reception.\n"
)


@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_text_and_pdf_count_a_withheld_body_alike(page_size: str) -> None:
    text = normalise(ONE_LINE_PARAGRAPH.encode())
    release = _release(text, CLASSIFIED)
    expected = count_rows(LONG, WITHHELD_COLUMNS)
    # 110 words on one source line: as many lines as a plain greedy wrap at 80 columns
    assert expected == len(textwrap.wrap(LONG, WITHHELD_COLUMNS)) > 1
    said = re.search(r"¶1\. \(C\) \[(\d+) lines withheld", render_text(release, text))
    assert said is not None and int(said.group(1)) == expected
    geometry = page_geometry(page_size, build_styles())
    rows = layout(released_pieces(release, text), text, geometry.columns)
    blocks = [row.block for row in rows if row.block is not None]
    assert sum(1 for b in blocks if b.segment == blocks[0].segment) == expected


# --- golden PDFs (look at them: pdftoppm -png -r 60) ------------------------------------


GOLDEN_CASES = {
    "draft_lapaz_1998_x1": (LAPAZ, PENDING, {}),
    "overridden_final_paris_2006": (
        PARIS,
        CLASSIFIED,
        {
            "overrides": _overrides(),
            "redactions": [PhraseRedaction(phrase="Velmoria", exemption="(b)(6)")],
            "reviewer": "jdoe",
        },
    ),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_pdf(name: str, update_golden: bool) -> None:
    text, as_of, kwargs = GOLDEN_CASES[name]
    release = _release(text, as_of, **kwargs)
    outcome = pipeline.render(release, normalise(text.encode()), "pdf", log=True)
    again = pipeline.render(release, normalise(text.encode()), "pdf", log=True)
    assert outcome.output == again.output  # deterministic
    extracted = pdf_text(outcome.output)
    golden = GOLDEN_PDFS / f"{name}.txt"
    if update_golden:
        golden.write_text(extracted, encoding="utf-8")
    assert golden.is_file(), f"missing {golden.name}: run pytest --update-golden"
    assert extracted == golden.read_text(encoding="utf-8")
