"""read_document: one reader for the CLI and HTTP, deciding the format by the first bytes."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest

from rules.errors import InputError
from service.reader import UnreadableDocument, read_document
from tests import docx_documents as dd
from tests.scans import (
    CLASSIFIED_TOKENS,
    UNCLASSIFIED_TOKENS,
    image_only_pdf,
    memo_pdf,
    page_images,
    png_bytes,
    tiff_bytes,
)

PAGES = 50
CABLE = "SECRET//NOFORN\n1. (U) The embassy hosted a reception.\n2. (S) A plan.\n"
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="tesseract-ocr is absent (apt-get install tesseract-ocr)",
)


def test_utf8_text_is_read_as_text_with_nothing_untrusted() -> None:
    read = read_document(CABLE.replace("\n", "\r\n").encode(), "text/plain", max_pages=PAGES)
    assert (read.text, read.reader, read.untrusted) == (CABLE, "text", [])


def test_stdin_text_without_hints_is_text() -> None:
    assert read_document(CABLE.encode(), None, "-", max_pages=PAGES).reader == "text"


def test_text_that_is_not_utf8_keeps_the_not_utf8_message() -> None:
    with pytest.raises(InputError, match="not UTF-8"):
        read_document(b"(U) caf\xe9\n", None, "cable.txt", max_pages=PAGES)


def test_unknown_bytes_not_claimed_as_text_are_named_not_called_text() -> None:
    with pytest.raises(UnreadableDocument, match="neither UTF-8 text") as caught:
        read_document(b"\x00\xff\xfe binary", "application/octet-stream", max_pages=PAGES)
    assert caught.value.code == "unsupported-format"


def test_a_pdf_with_a_text_layer_is_read_by_its_bytes_whatever_its_name() -> None:
    read = read_document(memo_pdf(), "text/plain", "memo.txt", max_pages=PAGES)
    assert read.reader == "pdf"
    assert all(token in read.text for token in UNCLASSIFIED_TOKENS + CLASSIFIED_TOKENS)


def test_a_damaged_pdf_is_refused_with_the_pdf_reader_code() -> None:
    with pytest.raises(UnreadableDocument) as caught:
        read_document(b"%PDF-1.7\ngarbage", max_pages=PAGES)
    assert caught.value.code == "unreadable-pdf"


def test_a_clean_docx_is_read_with_nothing_untrusted() -> None:
    document = dd.blank()
    document.add_paragraph("SECRET//NOFORN")
    document.add_paragraph("1. (U) The talks resume in March.")
    read = read_document(dd.to_bytes(document), max_pages=PAGES)
    assert read.reader == "docx"
    assert "talks resume" in read.text
    assert (read.untrusted, read.problems) == ([], [])


def test_a_docx_with_hidden_text_is_untrusted_as_a_whole() -> None:
    document = dd.memo()
    dd.add_notes(document, "footnotes", ["(S) A footnote TKN-S-0100."])
    read = read_document(dd.to_bytes(document), max_pages=PAGES)
    assert read.problems
    assert [(r.start, r.end, r.reason) for r in read.untrusted] == [
        (0, len(read.text), "hidden Word content")
    ]


def test_a_zip_that_is_not_a_word_file_is_named() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(UnreadableDocument, match="a ZIP archive that is not a Word file"):
        read_document(buffer.getvalue(), max_pages=PAGES)


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"GIF89a\x01\x00", "a GIF image"), (b"\xff\xd8\xff\xe0", "a JPEG image")],
)
def test_foreign_formats_are_named_with_how_to_send(data: bytes, name: str) -> None:
    with pytest.raises(UnreadableDocument, match=f"{name}; send UTF-8 text, a PDF"):
        read_document(data, "image/gif", "scan.gif", max_pages=PAGES)


@pytest.mark.parametrize(
    ("media_type", "filename"),
    [("application/pdf", None), (None, "memo.docx"), ("image/png", None)],
)
def test_a_declared_format_that_the_bytes_do_not_match_is_refused(
    media_type: str | None, filename: str | None
) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        read_document(CABLE.encode(), media_type, filename, max_pages=PAGES)
    assert caught.value.code == "format-mismatch"


def test_pdf_ranges_follow_the_text_when_crlf_is_folded(monkeypatch: pytest.MonkeyPatch) -> None:
    from rules.untrusted import Untrusted
    from service import reader
    from service.pdf_input import PdfText

    raw = "\ufeffA\r\nBANNER\r\n(S) x\r\n"
    start = raw.index("(S)")
    held = Untrusted(start=start, end=start + 5, page=1, reason="two text columns")
    monkeypatch.setattr(reader, "read_pdf", lambda data, pages: PdfText(raw, 1, (held,)))
    read = read_document(b"%PDF-1.7", max_pages=PAGES)
    (moved,) = read.untrusted
    assert read.text[moved.start : moved.end] == "(S) x"


@pytest.fixture(scope="module")
def scans() -> dict[str, bytes]:
    pages = page_images(memo_pdf())
    return {"png": png_bytes(pages[0]), "tiff": tiff_bytes(pages), "pdf": image_only_pdf(pages)}


@needs_tesseract
@pytest.mark.parametrize("kind", ["png", "tiff", "pdf"])
def test_scans_are_read_through_ocr_with_every_uncertain_range_untrusted(
    scans: dict[str, bytes], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service import ocr_input
    from service.ocr_lines import Uncertain

    real = ocr_input.ocr_document

    def doubtful(data: bytes, kind: ocr_input.Kind, **options: int) -> ocr_input.OcrText:
        read = real(data, kind, **options)
        doubt = [Uncertain(0, 5, 1, "low-confidence-banner"), *read.uncertain]
        return ocr_input.OcrText(read.text, read.pages, doubt, read.engine)

    monkeypatch.setattr(ocr_input, "ocr_document", doubtful)
    read = read_document(scans[kind], max_pages=PAGES)
    assert read.reader == "ocr"
    assert "TOKENALPHA" in read.text
    assert read.untrusted[0].start == 0 and read.untrusted[0].end == 5
    assert {r.reason for r in read.untrusted} == {"OCR unsure of the text"}


def test_ocr_unavailable_says_how_to_install(
    scans: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    from service import ocr_input

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ocr_input.OcrUnavailable, match="apt-get install tesseract-ocr"):
        read_document(scans["png"], max_pages=PAGES)


def test_an_image_only_pdf_is_a_scan_not_a_pdf_without_text(
    scans: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    from service import ocr_input

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ocr_input.OcrUnavailable):
        read_document(scans["pdf"], "application/pdf", max_pages=PAGES)
