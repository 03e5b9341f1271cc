"""Scans through OCR: our marked memo, rasterised, read back, released; and the refusals.

The memo is typeset in the test (tests/scans.py), rendered to a PNG, a
two-page TIFF and an image-only PDF, read through Tesseract and then run
through the one pipeline: the (U) tokens come out, the (S//NF) token never
does. Tests that run Tesseract skip visibly where it is not installed; the
limits are checked before Tesseract runs, so they are tested everywhere.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil

import pytesseract
import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from declass.rules.errors import InputError
from declass.rules.policy import load_policy
from declass.service.pipeline import run
from declass.service.read import ocr as ocr_input
from declass.service.read.ocr import (
    OcrRefused,
    OcrText,
    OcrUnavailable,
    is_png,
    is_tiff,
    ocr_document,
    pdf_is_image_only,
)
from tests.scans import (
    BANNER,
    CLASSIFIED_TOKENS,
    UNCLASSIFIED_TOKENS,
    bomb_png,
    degrade,
    image_only_pdf,
    memo_pdf,
    page_images,
    png_bytes,
    tiff_bytes,
)

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="tesseract-ocr is absent (apt-get install tesseract-ocr)",
)
AS_OF = dt.date(2026, 11, 28)
KNOWN_REASONS = {"low-confidence-marking", "low-confidence-banner", "low-confidence-page"}


@pytest.fixture(scope="module")
def pages() -> list[Image.Image]:
    return page_images(memo_pdf())


@pytest.fixture(scope="module")
def scans(pages: list[Image.Image]) -> dict[str, tuple[bytes, ocr_input.Kind]]:
    return {
        "png": (png_bytes(pages[0]), "png"),
        "tiff": (tiff_bytes(pages), "tiff"),
        "pdf": (image_only_pdf(pages), "pdf"),
    }


@pytest.fixture(scope="module")
def read(scans: dict[str, tuple[bytes, ocr_input.Kind]]) -> dict[str, OcrText]:
    """Each scan read once for the module (a page takes seconds)."""
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract-ocr is absent (apt-get install tesseract-ocr)")
    return {name: ocr_document(data, kind) for name, (data, kind) in scans.items()}


@pytest.fixture
def no_engine_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Limits are checked before any page reaches Tesseract, so no Tesseract is needed."""
    monkeypatch.setattr(ocr_input, "tesseract_engine", lambda: "tesseract (not run)")


# --- reading the memo -------------------------------------------------------------


@needs_tesseract
@pytest.mark.parametrize(("name", "pages_read"), [("png", 1), ("tiff", 2), ("pdf", 2)])
def test_the_scan_reads_back_with_marks_and_tokens(
    read: dict[str, OcrText], name: str, pages_read: int
) -> None:
    result = read[name]
    assert result.pages == pages_read
    assert result.engine.startswith("tesseract ")
    assert result.text.count(BANNER) == 2 * pages_read
    assert "1. (U) " in result.text
    assert "2. (S//NF) " in result.text
    for token in ("TOKENALPHA", "TOKENBRAVO", *(["TOKENCHARLIE"] if pages_read == 2 else [])):
        assert token in result.text


@needs_tesseract
@pytest.mark.parametrize("name", ["png", "tiff", "pdf"])
def test_the_release_of_a_scan_keeps_u_and_withholds_s_nf(
    read: dict[str, OcrText], name: str
) -> None:
    text = read[name].text
    released = run(text.encode(), load_policy("public"), AS_OF).output.decode()
    assert "TOKENALPHA" in released
    for token in CLASSIFIED_TOKENS:
        assert token in text  # it was read ...
        assert token not in released  # ... and withheld
    if read[name].pages == 2:
        assert set(UNCLASSIFIED_TOKENS) <= set(re.findall(r"TOKEN[A-Z]+", released))


@needs_tesseract
def test_the_same_scan_reads_the_same_every_time(
    read: dict[str, OcrText], scans: dict[str, tuple[bytes, ocr_input.Kind]]
) -> None:
    data, kind = scans["png"]
    assert ocr_document(data, kind) == read["png"]  # releases are deterministic, so is OCR


@needs_tesseract
def test_uncertain_ranges_lie_in_the_text_on_real_pages(read: dict[str, OcrText]) -> None:
    for result in read.values():
        for doubt in result.uncertain:
            assert 0 <= doubt.start <= doubt.end <= len(result.text)
            assert 1 <= doubt.page <= result.pages
            assert doubt.reason in KNOWN_REASONS


@needs_tesseract
def test_a_degraded_scan_sends_its_misread_marks_to_review(pages: list[Image.Image]) -> None:
    result = ocr_document(png_bytes(degrade(pages[0])), "png")
    assert result.uncertain, "a blurred, noisy scan must leave something to review"
    covered = [(u.start, u.end) for u in result.uncertain]
    offset = 0
    for line in result.text.splitlines(keepends=True):
        opening = re.match(r"\S+\s+(\(\S*)", line)
        if opening and opening.group(1) not in ("(U)", "(S//NF)"):
            # a mark read wrong is on an uncertain line, never taken at face value
            assert any(start <= offset < end for start, end in covered), line
        offset += len(line)


@needs_tesseract
def test_a_page_that_takes_too_long_is_refused(scans: dict[str, tuple[bytes, str]]) -> None:
    data, _ = scans["png"]
    with pytest.raises(OcrRefused) as caught:
        ocr_document(data, "png", page_timeout_s=0.001)
    assert caught.value.code == "ocr-timeout"
    assert "page 1" in caught.value.message


# --- detection --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "png", "tiff"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n....", True, False, id="png"),
        pytest.param(b"II*\x00....", False, True, id="tiff little-endian"),
        pytest.param(b"MM\x00*....", False, True, id="tiff big-endian"),
        pytest.param(b"II+\x00....", False, True, id="bigtiff"),
        pytest.param(b"%PDF-1.7", False, False, id="pdf"),
        pytest.param(b"SECRET//NOFORN", False, False, id="text"),
        pytest.param(b"", False, False, id="empty"),
    ],
)
def test_scan_formats_by_magic_bytes(data: bytes, png: bool, tiff: bool) -> None:
    assert is_png(data) is png
    assert is_tiff(data) is tiff


def test_image_only_pdf_is_told_from_one_with_text(pages: list[Image.Image]) -> None:
    assert pdf_is_image_only(image_only_pdf(pages[:1])) is True
    assert pdf_is_image_only(memo_pdf()) is False
    assert pdf_is_image_only(b"%PDF-1.7 not really") is False  # the text reader refuses it
    # past the page limit no page is looked at: the text reader refuses it for its size
    assert pdf_is_image_only(image_only_pdf(pages), max_pages=1) is False


# --- limits and refusals ------------------------------------------------------------


@pytest.mark.usefixtures("no_engine_needed")
def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = bomb_png()
    assert len(bomb) < 200
    with pytest.raises(OcrRefused) as caught:
        ocr_document(bomb, "png")
    assert caught.value.code == "image-too-large"
    assert isinstance(caught.value, InputError)


@pytest.mark.usefixtures("no_engine_needed")
def test_an_image_over_the_callers_pixel_limit_is_refused(pages: list[Image.Image]) -> None:
    with pytest.raises(OcrRefused) as caught:
        ocr_document(png_bytes(pages[0]), "png", max_pixels=1_000_000)
    assert caught.value.code == "image-too-large"
    width, height = pages[0].size
    assert f"page 1 is {width} x {height} pixels" in caught.value.message


@pytest.mark.usefixtures("no_engine_needed")
def test_a_pdf_page_too_large_to_render_is_refused() -> None:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(14_000, 14_000))  # about 16 feet square
    pdf.showPage()
    pdf.save()
    with pytest.raises(OcrRefused) as caught:
        ocr_document(buffer.getvalue(), "pdf")
    assert caught.value.code == "image-too-large"


@pytest.mark.usefixtures("no_engine_needed")
@pytest.mark.parametrize("kind", ["tiff", "pdf"])
def test_too_many_pages_are_refused_before_any_is_read(
    pages: list[Image.Image], kind: ocr_input.Kind
) -> None:
    three = [pages[0], pages[1], pages[0]]
    data = tiff_bytes(three) if kind == "tiff" else image_only_pdf(three)
    with pytest.raises(OcrRefused) as caught:
        ocr_document(data, kind, max_pages=2)
    assert caught.value.code == "too-many-pages"
    assert "3 pages" in caught.value.message


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\nSECRET//NOFORN", "png", id="truncated png"),
        pytest.param(b"II*\x00SECRET//NOFORN", "tiff", id="truncated tiff"),
        pytest.param(b"%PDF-1.7\nSECRET//NOFORN", "pdf", id="broken pdf"),
        pytest.param(png_bytes(Image.new("L", (8, 8), 255)), "tiff", id="png sent as tiff"),
    ],
)
@pytest.mark.usefixtures("no_engine_needed")
def test_an_unreadable_scan_is_refused_without_quoting_it(
    data: bytes, kind: ocr_input.Kind
) -> None:
    with pytest.raises(OcrRefused) as caught:
        ocr_document(data, kind)
    assert caught.value.code == "image-unreadable"
    assert "SECRET" not in str(caught.value)


# --- Tesseract missing --------------------------------------------------------------


def test_missing_tesseract_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(OcrUnavailable) as caught:
        ocr_document(b"\x89PNG\r\n\x1a\n", "png")
    assert "apt-get install tesseract-ocr" in caught.value.message
    assert "pip install 'declass[ocr]'" in caught.value.message
    assert caught.value.code == "ocr-unavailable"


def test_a_tesseract_command_that_is_not_there_is_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "no-such-tesseract-here")
    with pytest.raises(OcrUnavailable, match="apt-get install tesseract-ocr"):
        ocr_document(b"\x89PNG\r\n\x1a\n", "png")


@pytest.mark.usefixtures("no_engine_needed")
@pytest.mark.parametrize(("preset", "expected"), [(None, "1"), ("2", "2")])
def test_tesseract_runs_on_one_thread_unless_the_operator_says(
    monkeypatch: pytest.MonkeyPatch, preset: str | None, expected: str
) -> None:
    if preset is None:
        monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    else:
        monkeypatch.setenv("OMP_THREAD_LIMIT", preset)
    with pytest.raises(OcrRefused):
        ocr_document(bomb_png(), "png")
    assert os.environ["OMP_THREAD_LIMIT"] == expected
