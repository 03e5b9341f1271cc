"""Text out of an uploaded PDF: the text layer only, and refusals that say why.

A scanned PDF has no text layer, and a redaction service must not pretend to
have read it, so it is refused (422) rather than released as an empty
document. Encrypted files are refused outright (the service holds no
passwords), and so are files with more pages than configured. pypdf parses
untrusted bytes here; whatever it raises on a damaged file becomes one 422,
and its message is not repeated, since it may quote the file.

A small upload can hold a "bomb": content streams that decompress to
gigabytes, or one form drawn thousands of times, and pypdf reads content at
well under a megabyte a second. So before any text is extracted, the content
each page would make pypdf read (its streams, plus every form XObject it
draws, as often as it draws it) is added up and refused past
:data:`MAX_CONTENT_BYTES`; the text itself is refused past
:data:`MAX_TEXT_BYTES`, the same size as the default body limit.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

from pypdf import PdfReader

from service.errors import ApiProblem

PDF_MAGIC = b"%PDF-"
#: Decompressed content all pages would make pypdf read: a 2,000-page release is ~6.4 MB.
MAX_CONTENT_BYTES = 8 * 1024 * 1024
#: Extracted text, in UTF-8 bytes: the default body limit, so a PDF carries no more than text.
MAX_TEXT_BYTES = 10 * 1024 * 1024
MAX_FORM_DEPTH = 8
_DRAW = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")


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
    text = _extract(reader)
    if not text.strip():
        raise ApiProblem(
            422,
            "no-text-layer",
            "the PDF has no text layer (a scan?); send a PDF with text, or the text itself",
            field="file",
        )
    return text, pages


def _extract(reader: PdfReader) -> str:
    try:
        budget = MAX_CONTENT_BYTES
        for page in reader.pages:
            budget -= content_cost(page, page.get("/Resources"), budget, 0)
        parts, size = [], 0
        for page in reader.pages:
            parts.append(page.extract_text())
            size += len(parts[-1].encode("utf-8", "surrogatepass"))
            if size > MAX_TEXT_BYTES:
                raise _too_large(f"its text is over {MAX_TEXT_BYTES:,} bytes")
    except ApiProblem:
        raise
    except Exception:
        raise _unreadable() from None
    return "\n".join(parts)


def content_cost(page_or_form: Any, resources: Any, budget: int, depth: int) -> int:
    """Bytes of content pypdf would read for a page or form, forms counted per drawing."""
    if depth > MAX_FORM_DEPTH:
        raise _too_large("its forms nest too deeply")
    if depth == 0:
        contents = page_or_form.get_contents()
        data = b"" if contents is None else contents.get_data()
    else:
        data = page_or_form.get_data()
    cost = len(data)
    if cost > budget:
        raise _too_large(f"its content decompresses to over {MAX_CONTENT_BYTES:,} bytes")
    forms = _forms(resources)
    for name, count in Counter(_DRAW.findall(data)).items():
        form = forms.get("/" + name.decode("latin-1"))
        if form is not None:
            inner = form.get("/Resources", resources)
            cost += count * content_cost(form, inner, (budget - cost) // count, depth + 1)
            if cost > budget:
                raise _too_large(f"its content decompresses to over {MAX_CONTENT_BYTES:,} bytes")
    return cost


def _forms(resources: Any) -> dict[str, Any]:
    """The form XObjects a content stream can draw, by resource name."""
    if resources is None:
        return {}
    xobjects = resources.get_object().get("/XObject")
    if xobjects is None:
        return {}
    found = {}
    for name, ref in xobjects.get_object().items():
        obj = ref.get_object()
        if obj.get("/Subtype") == "/Form":
            found[str(name)] = obj
    return found


def _too_large(why: str) -> ApiProblem:
    return ApiProblem(
        422, "pdf-too-large", f"the PDF is refused: {why}; send its text instead", field="file"
    )


def _unreadable() -> ApiProblem:
    return ApiProblem(422, "unreadable-pdf", "the PDF could not be read", field="file")
