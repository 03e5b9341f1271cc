"""One reader for every edge: bytes in, text and the ranges a person must see out.

The command line and the HTTP service both take a document as bytes that may
be UTF-8 text, a PDF with a text layer, a Word (DOCX) file or a scan (an
image-only PDF, a PNG or a TIFF). What the bytes are is decided by their
first bytes, which a sender cannot get wrong by accident; a media type or a
file name only decides between text and a refusal when no known format
starts the bytes. A file that claims to be a PDF, a Word file or an image
but is not one is refused rather than read as text.

Every reader that cannot vouch for all of its text says so with
:class:`~declass.rules.untrusted.Untrusted` ranges, whose portions go to review:
OCR marks the lines it was unsure of, and a Word file with hidden, deleted,
noted or otherwise unusual text is untrusted as a whole, since its text
cannot be told apart from the body with certainty (fail closed).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import PurePath
from types import ModuleType
from typing import Literal

from declass.rules.errors import InputError, UnreadableDocument
from declass.rules.model import Problem
from declass.rules.parse import normalise
from declass.rules.untrusted import Untrusted
from declass.service.formats import BINARY_INPUTS, DOCX_MEDIA_TYPE, TEXT, Reader
from declass.service.read.pdf import PdfError, is_pdf, read_pdf
from declass.service.read.word import OLE_MAGIC, OUTSIDE_BODY, ZIP_MAGIC, is_docx, read_docx

__all__ = ["DOCX_MEDIA_TYPE", "ReadDocument", "ReaderProblem", "UnreadableDocument"]

#: Media types and suffixes that claim a format read from its first bytes (declass.service.formats).
CLAIMS: dict[str, str] = {
    claim: f.description for f in BINARY_INPUTS for claim in (*f.media_types, *f.suffixes)
}
#: Names read as text; no suffix at all (standard input, "README") is text too.
TEXT_SUFFIXES = frozenset({"", *TEXT.suffixes, *TEXT.named_only})
#: First bytes of formats declass does not read, so a refusal can name what was sent.
FOREIGN_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"{\\rtf", "an RTF document"),
)
#: Repeated from declass.service.read.ocr, which needs Pillow (an optional extra) to import.
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TIFF_MAGICS = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")
INSTALL_HINT = (
    "install Tesseract (apt-get install tesseract-ocr) and the OCR extra "
    "(pip install 'declass[ocr]')"
)
SEND = "send UTF-8 text, a PDF, a Word (DOCX) file, or a PNG or TIFF scan"


@dataclass(frozen=True)
class ReaderProblem:
    """A reader's note for a reviewer: a stable code and a fixed sentence, never text
    from the document ("the Word file has 2 footnotes")."""

    code: str
    detail: str

    def as_problem(self) -> Problem:
        """The note as a problem of the whole document, as the report lists it."""
        return Problem(code=self.code, segment=None, detail=self.detail)


@dataclass(frozen=True)
class ReadDocument:
    """The text the pipeline reads, the ranges of it that must go to review, and which
    reader produced it; ``problems`` are the reader's notes for a reviewer (no text),
    ``pages`` the page count where the format has pages."""

    text: str
    untrusted: list[Untrusted]
    reader: Reader
    problems: list[ReaderProblem] = field(default_factory=list)
    pages: int | None = None


def read_document(
    data: bytes,
    media_type: str | None = None,
    filename: str | None = None,
    *,
    max_pages: int,
) -> ReadDocument:
    """Read ``data`` by its first bytes; ``media_type`` and ``filename`` only claim a format."""
    if is_pdf(data):
        return _read_pdf(data, max_pages)
    if is_docx(data) or data.startswith(OLE_MAGIC):
        return _read_docx(data)  # an old .doc is refused there, saying how to convert it
    if data.startswith(ZIP_MAGIC):
        raise _unsupported("a ZIP archive that is not a Word file")
    if _is_png(data):
        return _read_scan(data, "png", max_pages)
    if _is_tiff(data):
        return _read_scan(data, "tiff", max_pages)
    for magic, name in FOREIGN_MAGICS:
        if data.startswith(magic):
            raise _unsupported(name)
    claim = _claim(media_type, filename)
    if claim is not None:
        raise UnreadableDocument("format-mismatch", f"the file is not {claim} as declared; {SEND}")
    if _claims_text(media_type, filename):
        return ReadDocument(text=normalise(data), untrusted=[], reader="text")
    try:  # not claimed as text: readable text is still text, the rest is named
        text = normalise(data)
    except InputError as exc:
        if "empty" in exc.message:
            raise
        raise _unsupported("neither UTF-8 text nor a format declass reads") from None
    return ReadDocument(text=text, untrusted=[], reader="text")


def _unsupported(what: str) -> UnreadableDocument:
    return UnreadableDocument("unsupported-format", f"the file is {what}; {SEND}")


def _claim(media_type: str | None, filename: str | None) -> str | None:
    if media_type and media_type.lower() in CLAIMS:
        return CLAIMS[media_type.lower()]
    if filename:
        return CLAIMS.get(PurePath(filename).suffix.lower())
    return None


def _claims_text(media_type: str | None, filename: str | None) -> bool:
    """Text is claimed by a text media type, a text suffix, or by nothing at all (stdin)."""
    if media_type:
        return media_type.lower().startswith("text/")
    if filename and filename != "-":
        return PurePath(filename).suffix.lower() in TEXT_SUFFIXES
    return True


def _read_pdf(data: bytes, max_pages: int) -> ReadDocument:
    """The text layer; a PDF without one is a scan for OCR.

    The text reader goes first: it measures what the file would inflate to
    before reading any of it, so PDFium only looks at a file that passed.
    """
    try:
        pdf = read_pdf(data, max_pages)
    except PdfError as exc:
        if exc.code == "no-text-layer" and _ocr().pdf_is_image_only(data, max_pages=max_pages):
            return _read_scan(data, "pdf", max_pages)
        raise
    return _normalised(pdf.text, list(pdf.untrusted), "pdf", pdf.pages)


def _read_docx(data: bytes) -> ReadDocument:
    docx = read_docx(data)
    problems = [ReaderProblem(p.code, p.detail) for p in docx.problems]
    if docx.evidence_start is not None and not problems:
        problems = [ReaderProblem(*OUTSIDE_BODY)]
    text = normalise(docx.text.encode("utf-8", "surrogatepass"))
    untrusted = []
    kinds = {problem.code for problem in docx.problems}
    if docx.evidence_start is not None and kinds == {"docx_properties"}:
        # Only typed document properties (a title, "generated by ..."): the body stands as
        # read; the properties, appended after it, go to review rather than out as body text.
        start = len(normalise(docx.text[: docx.evidence_start].encode("utf-8", "surrogatepass")))
        untrusted = [Untrusted(start=start, end=len(text), page=1, reason="hidden Word content")]
    elif problems:
        # Hidden, deleted or noted text cannot be told from the body for certain: hold it all.
        untrusted = [Untrusted(start=0, end=len(text), page=1, reason="hidden Word content")]
    return ReadDocument(text=text, untrusted=untrusted, reader="docx", problems=problems)


def _read_scan(data: bytes, kind: Literal["pdf", "png", "tiff"], max_pages: int) -> ReadDocument:
    read = _ocr().ocr_document(data, kind, max_pages=max_pages)
    ranges = [
        Untrusted(start=u.start, end=u.end, page=u.page, reason="OCR unsure of the text")
        for u in read.uncertain
    ]
    return _normalised(read.text, ranges, "ocr", read.pages)


def _normalised(text: str, ranges: list[Untrusted], reader: Reader, pages: int) -> ReadDocument:
    """The text as the pipeline will read it, with the ranges moved to match.

    The pipeline drops a leading BOM and turns CRLF into LF; a range that kept
    the reader's offsets would then cover the wrong characters.
    """
    normal = normalise(text.encode("utf-8", "surrogatepass"))
    if len(normal) == len(text):
        return ReadDocument(text=normal, untrusted=ranges, reader=reader, pages=pages)
    dropped = [0] if text.startswith("\ufeff") else []
    dropped += [i for i in range(len(text) - 1) if text[i] == "\r" and text[i + 1] == "\n"]

    def moved(offset: int) -> int:
        return offset - bisect.bisect_left(dropped, offset)

    shifted = [r.model_copy(update={"start": moved(r.start), "end": moved(r.end)}) for r in ranges]
    return ReadDocument(text=normal, untrusted=shifted, reader=reader, pages=pages)


def _is_png(data: bytes) -> bool:
    return data.startswith(PNG_MAGIC)


def _is_tiff(data: bytes) -> bool:
    return data[:4] in TIFF_MAGICS


def _ocr() -> ModuleType:
    """The OCR reader, imported only for a scan: Pillow and Tesseract are an optional extra."""
    try:
        from declass.service.read import ocr as ocr_input
    except ImportError:
        raise UnreadableDocument(
            "ocr-unavailable", f"OCR is not installed: {INSTALL_HINT}"
        ) from None
    return ocr_input
