"""Text out of an uploaded PDF: the text layer only, and refusals that say why.

A scanned PDF has no text layer, and a redaction service must not pretend to
have read it, so it is refused (422) rather than released as an empty
document. Encrypted files are refused outright (the service holds no
passwords), and so are files with more pages than configured. pypdf parses
untrusted bytes here; whatever it raises on a damaged file becomes one 422,
and its message is not repeated, since it may quote the file.
"""

from __future__ import annotations

import io

from pypdf import PdfReader

from service.errors import ApiProblem

PDF_MAGIC = b"%PDF-"


def is_pdf(data: bytes) -> bool:
    """PDF readers accept the header anywhere in the first kilobyte; so do we."""
    return PDF_MAGIC in data[:1024]


def pdf_text(data: bytes, max_pages: int) -> tuple[str, int]:
    """The text layer of every page, pages joined by newlines, and the page count."""
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception:  # pypdf raises many types on damaged input
        raise _unreadable() from None
    if encrypted:
        raise ApiProblem(422, "encrypted-pdf", "encrypted PDFs are not accepted", field="file")
    if pages > max_pages:
        raise ApiProblem(
            422,
            "too-many-pages",
            f"the PDF has {pages} pages; at most {max_pages} are accepted",
            field="file",
        )
    try:
        text = "\n".join(page.extract_text() for page in reader.pages)
    except Exception:
        raise _unreadable() from None
    if not text.strip():
        raise ApiProblem(
            422,
            "no-text-layer",
            "the PDF has no text layer (a scan?); send a PDF with text, or the text itself",
            field="file",
        )
    return text, pages


def _unreadable() -> ApiProblem:
    return ApiProblem(422, "unreadable-pdf", "the PDF could not be read", field="file")
