"""The PDF gates read the strings drawn; these tests prove that equals reading the file back.

Where :func:`declass.service.render.pdf.render_pdf_drawn` answers, its text must be
exactly what PDFium extracts from the finished file (the gates' read-back), so the
leak gate and key 2 give the same verdicts on the same words; where it cannot vouch
for the text (a character outside the plain set, span marks, the log), it answers
None and the release is read back. bench/bench_pdf.py --agree checks the whole corpus.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from declass.rules.errors import DeclassError, LeakError
from declass.rules.leakgate import fold
from declass.rules.parse import normalise
from declass.rules.policy import load_policy
from declass.rules.release import PhraseRedaction, Release
from declass.service import pdfium as pdfium_module
from declass.service.pipeline import check_gates, release
from declass.service.render import outputs, pdf_gate
from declass.service.render.pdf import (
    NumberedCanvas,
    ReleaseDocTemplate,
    pdf_text,
    render_pdf_drawn,
)
from declass.service.render.pdf_drawn import FONTS, PLAIN_EXTRA, RecordingText
from tests.conftest import DATA, corpus_files

AS_OF = dt.date(2026, 11, 28)
POLICIES = ["public", "partner-gbr-secret"]
TEST_DOCUMENTS = [*sorted(DATA.glob("*.txt")), *sorted((DATA / "adversarial").glob("*.txt"))]
CORPUS_SAMPLE = corpus_files()[::10]
needs_pdfium = pytest.mark.skipif(
    pdfium_module.pdfium() is None, reason="pypdfium2 (the ocr extra) is not installed"
)


def _released(path: Path, policy: str, **options: object) -> tuple[Release, str] | None:
    try:
        text = normalise(path.read_bytes())
        return release(text, load_policy(policy), AS_OF, **options), text  # type: ignore[arg-type]
    except DeclassError:
        return None


def _verdict(said: str, decided: Release, text: str) -> str:
    """What the two gates say of ``said``: passed, or the refusal's message."""
    try:
        check_gates(said, said, decided, text)
    except LeakError as exc:
        return str(exc)
    return "passed"


def _agree(path: Path, policy: str) -> None:
    released = _released(path, policy)
    if released is None:
        pytest.skip("the release is refused before any PDF is written")
    decided, text = released
    data, drawn = render_pdf_drawn(decided, text)
    read_back = pdf_gate.gate_text(data)
    if drawn is None:
        return  # not plain: the release is read back, as before
    assert drawn == read_back
    assert fold(drawn) == fold(read_back)
    assert _verdict(drawn, decided, text) == _verdict(read_back, decided, text)


@needs_pdfium
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("path", TEST_DOCUMENTS, ids=lambda p: p.name)
def test_drawn_text_is_the_read_back_of_every_test_document(path: Path, policy: str) -> None:
    _agree(path, policy)


@needs_pdfium
@pytest.mark.skipif(not CORPUS_SAMPLE, reason="no corpus (set DECLASS_CORPUS)")
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("path", CORPUS_SAMPLE, ids=lambda p: p.name)
def test_drawn_text_is_the_read_back_of_a_corpus_sample(path: Path, policy: str) -> None:
    _agree(path, policy)


def test_most_releases_take_the_drawn_text() -> None:
    """The common case (ASCII and the usual punctuation, line-end hyphens) is plain."""
    released = _released(DATA / "paris_2006.txt", "public")
    assert released is not None
    assert render_pdf_drawn(*released)[1] is not None


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("adversarial/unicode_lookalikes.txt", {}),  # reportlab would draw substitutes
        (
            "paris_2006.txt",
            {"redactions": [PhraseRedaction(phrase="Astergrad", exemption="(b)(6)")]},
        ),
    ],
)
def test_what_is_not_plain_is_read_back(
    name: str, options: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    released = _released(DATA / name, "public", **options)
    assert released is not None
    decided, text = released
    assert render_pdf_drawn(decided, text)[1] is None
    monkeypatch.setattr(pdf_gate, "gate_text", lambda data: "read back")
    rendered = outputs.render_as_pdf(decided, text, log=False, page_size="letter")
    assert rendered.emitted == rendered.released_text == "read back"


def test_the_log_is_read_back() -> None:
    released = _released(DATA / "paris_2006.txt", "public")
    assert released is not None
    assert render_pdf_drawn(*released, log=True)[1] is None


def test_a_plain_release_is_not_read_back(monkeypatch: pytest.MonkeyPatch) -> None:
    released = _released(DATA / "paris_2006.txt", "public")
    assert released is not None

    def refuse(data: bytes) -> str:
        raise AssertionError("read back although the drawn text was plain")

    monkeypatch.setattr(pdf_gate, "gate_text", refuse)
    rendered = outputs.render_as_pdf(*released, log=False, page_size="a4")
    assert "Astergrad" in rendered.emitted


@needs_pdfium
@pytest.mark.parametrize("font", sorted(FONTS))
def test_plain_characters_read_back_as_themselves(font: str) -> None:
    """Each character outside ASCII the drawn text takes as read is extracted as itself
    by PDFium and by pypdf, in every font the release draws with."""
    lines = [f"x{char}y" for char in PLAIN_EXTRA]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    for first in range(0, len(lines), 60):
        text = canvas.beginText(40, 800)
        text.setFont(font, 9, 11)
        for line in lines[first : first + 60]:
            text.textLine(line)
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    for read_back in (pdf_gate.gate_text(data), pdf_text(data)):
        assert [line for line in read_back.split("\n") if line][: len(lines)] == lines


WORD = st.text(alphabet="abcXYZ019-.,()/¶’—", min_size=1, max_size=9)
LINE = st.lists(WORD, max_size=12).map(" ".join)
SPACED = st.tuples(st.integers(0, 6), LINE, st.integers(0, 3)).map(
    lambda t: " " * t[0] + t[1] + " " * t[2]
)


@needs_pdfium
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SPACED, min_size=1, max_size=70))
def test_drawn_text_matches_the_read_back_of_any_lines(lines: list[str]) -> None:
    """Indentation, runs of spaces, line-end hyphens, long lines that wrap, page breaks:
    wherever the drawn text answers, it is exactly the read-back."""
    text = "UNCLASSIFIED\n\n" + "\n".join(lines) + "\n"
    decided = release(text, load_policy("public"), AS_OF)
    data, drawn = render_pdf_drawn(decided, text)
    if drawn is not None:
        assert drawn == pdf_gate.gate_text(data)


@pytest.mark.parametrize("font", sorted(FONTS))
@pytest.mark.parametrize(
    "text",
    ["", "plain ASCII (S//NF) ¶1.", "\\ ( ) escapes", PLAIN_EXTRA, "x\u2227y", "tab\there"],
)
def test_recording_text_writes_what_reportlab_writes(font: str, text: str) -> None:
    """The recording text object's own path for plain strings gives reportlab's bytes,
    for every plain character and for strings that are not plain (substitute fonts)."""
    ours = NumberedCanvas(io.BytesIO()).beginText(10, 20)
    theirs = Canvas(io.BytesIO()).beginText(10, 20)
    for tx in (ours, theirs):
        tx.setFont(font, 9, 11)
        tx.textLine(text)
        tx.textOut(text)
        tx.textLine("after")
    assert isinstance(ours, RecordingText)
    assert ours.getCode() == theirs.getCode()
    assert (ours.getX(), ours.getY()) == (theirs.getX(), theirs.getY())


def test_text_shown_past_the_recorder_is_read_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page that shows text the recorder never noted (here a text object reportlab
    makes directly) is not plain: the release is read back."""
    released = _released(DATA / "paris_2006.txt", "public")
    assert released is not None
    decorate = ReleaseDocTemplate._decorate

    def decorate_and_write(self: ReleaseDocTemplate, canvas: Canvas, doc: object) -> None:
        decorate(self, canvas, doc)  # type: ignore[arg-type]
        hidden = PDFTextObject(canvas, 100, 100)
        hidden.setFont("Courier", 9)
        hidden.textLine("unnoted words")
        canvas.drawText(hidden)

    monkeypatch.setattr(ReleaseDocTemplate, "_decorate", decorate_and_write)
    assert render_pdf_drawn(*released)[1] is None


def test_a_document_that_spells_an_operator_is_read_back() -> None:
    """The count of text operators is over the written page, strings included: a line
    that reads like one counts more than the strings noted, so the page is read back."""
    text = "UNCLASSIFIED\n\nThe operator (x) Tj shows a string.\n"
    decided = release(text, load_policy("public"), AS_OF)
    assert render_pdf_drawn(decided, text)[1] is None
