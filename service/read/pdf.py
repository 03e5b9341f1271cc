"""Text out of an uploaded PDF: the text layer in reading order, and refusals that say why.

The text is read from where its words are drawn, not from the order the file
draws them (:mod:`declass.service.read.pdf_lines`), and pages whose order cannot be trusted
are named with their character ranges (:mod:`declass.service.read.pdf_trust`) so that the
engine sends their portions to review (:mod:`declass.rules.untrusted`).

A scanned PDF has no text layer, and a redaction service must not pretend to
have read it, so it is refused (``no-text-layer``) rather than released as an empty
document. Encrypted files are refused outright (the service holds no
passwords), and so are files with more pages than configured. pypdf parses
untrusted bytes here; whatever it raises on a damaged file becomes one refusal,
and its message is not repeated, since it may quote the file.

A small upload can hold a "bomb": content streams that decompress to
gigabytes, or one form drawn thousands of times, and pypdf reads content at
well under a megabyte a second. So before any text is extracted, the content
each page would make pypdf read (its streams, plus every form XObject it
draws, as often as it draws it) is added up and refused past
:data:`MAX_CONTENT_BYTES`; the text itself is refused past
:data:`MAX_TEXT_BYTES`, the same size as the default body limit. The layout
reader (pdfminer.six) inflates streams without a cap of its own, so the font
programs and character maps it would read are measured the same way first
(:data:`MAX_FONT_BYTES`): pypdf, which caps every stream, measures them all.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTPage
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pypdf import PdfReader

from declass.rules import deadline
from declass.rules.deadline import DeadlineExceeded
from declass.rules.errors import UnreadableDocument
from declass.rules.untrusted import Untrusted
from declass.service.read.pdf_lines import build_lines, page_glyphs, page_text
from declass.service.read.pdf_trust import Box, untrusted_reasons

PDF_MAGIC = b"%PDF-"
#: Decompressed content all pages would make pypdf read: a 2,000-page release is ~6.4 MB.
MAX_CONTENT_BYTES = 8 * 1024 * 1024
#: Extracted text, in UTF-8 bytes: the default body limit, so a PDF carries no more than text.
MAX_TEXT_BYTES = 10 * 1024 * 1024
#: Decompressed font programs and character maps the layout reader may parse.
MAX_FONT_BYTES = 32 * 1024 * 1024
#: Glyphs on one page: a dense page of text has about 5,000; each costs the reader ~1 KB.
MAX_PAGE_GLYPHS = 100_000
MAX_FORM_DEPTH = 8
_FONT_STREAMS = ("/ToUnicode", "/Encoding")
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
_DRAW = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")


def is_pdf(data: bytes) -> bool:
    """PDF readers accept the header anywhere in the first kilobyte; so do we."""
    return PDF_MAGIC in data[:1024]


class PdfError(UnreadableDocument):
    """A PDF that is refused; ``code`` says why (``unreadable-pdf``, ``pdf-too-large``...)."""


@dataclass(frozen=True)
class PdfText:
    """A PDF's text as declass reads it, and the ranges whose reading order is unsure."""

    text: str
    pages: int
    untrusted: tuple[Untrusted, ...] = ()


def read_pdf(data: bytes, max_pages: int) -> PdfText:
    """Every page's text in reading order, pages joined by newlines, with untrusted ranges."""
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception:  # pypdf raises many types on damaged input
        raise _unreadable() from None
    if encrypted:
        raise PdfError("encrypted-pdf", "encrypted PDFs are not accepted")
    if pages > max_pages:
        raise PdfError(
            "too-many-pages", f"the PDF has {pages} pages; at most {max_pages} are accepted"
        )
    _check_budget(reader)
    found = _read_layout(data, pages)
    if not found.text.strip():
        raise PdfError(
            "no-text-layer",
            "the PDF has no text layer (a scan?); send a PDF with text, or the text itself",
        )
    return found


def _check_budget(reader: PdfReader) -> None:
    """Refuse, before any text is read, a file whose content or fonts inflate too far."""
    try:
        budget, fonts, seen = MAX_CONTENT_BYTES, MAX_FONT_BYTES, set[int]()
        for page in reader.pages:
            resources = page.get("/Resources")
            budget -= content_cost(page, resources, budget, 0)
            fonts -= font_cost(resources, seen, fonts, 0)
    except PdfError:
        raise
    except Exception:
        raise _unreadable() from None


def _read_layout(data: bytes, pages: int) -> PdfText:
    parts: list[str] = []
    untrusted: list[Untrusted] = []
    at = size = 0
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        manager = PDFResourceManager(caching=True)
        device = _Aggregator(manager, laparams=None)
        interpreter = PDFPageInterpreter(manager, device)
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            if number > pages:
                break
            deadline.check()  # about 22 pages a second: a long file may outlast the request
            interpreter.process_page(page)
            layout = device.get_result()
            lines = build_lines(page_glyphs(layout))
            # A lone surrogate from a broken character map becomes "?": one code point for one.
            text = page_text(lines).encode("utf-8", "replace").decode("utf-8")
            at += 1 if parts else 0
            untrusted += [
                Untrusted(start=at, end=at + len(text), page=number, reason=reason)
                for reason in untrusted_reasons(lines, _page_box(page, layout))
            ]
            parts.append(text)
            at += len(text)
            size += len(text.encode("utf-8", "surrogatepass")) + 1
            if size > MAX_TEXT_BYTES:
                raise _too_large(f"its text is over {MAX_TEXT_BYTES:,} bytes")
    except (PdfError, DeadlineExceeded):
        raise
    except Exception:  # pdfminer raises many types on damaged input
        raise _unreadable() from None
    return PdfText(text="\n".join(parts), pages=pages, untrusted=tuple(untrusted))


class _Aggregator(PDFPageAggregator):
    """pdfminer's page collector, refusing a page that draws more glyphs than text can hold
    before they fill memory (content within budget can still draw millions)."""

    glyphs = 0

    def begin_page(self, page: PDFPage, ctm: Any) -> None:
        self.glyphs = 0
        super().begin_page(page, ctm)

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        self.glyphs += 1
        if self.glyphs > MAX_PAGE_GLYPHS:
            raise _too_large(f"a page draws over {MAX_PAGE_GLYPHS:,} characters")
        return float(super().render_char(*args, **kwargs))


def _page_box(page: PDFPage, layout: LTPage) -> Box:
    """What a viewer shows of the page, in the reader's coordinates (origin moved to 0, 0)."""
    if page.rotate:
        return (layout.x0, layout.y0, layout.x1, layout.y1)
    mx0, my0, _, _ = (float(v) for v in page.mediabox)
    cx0, cy0, cx1, cy1 = (float(v) for v in page.cropbox)
    return (
        max(cx0 - mx0, layout.x0),
        max(cy0 - my0, layout.y0),
        min(cx1 - mx0, layout.x1),
        min(cy1 - my0, layout.y1),
    )


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


def font_cost(resources: Any, seen: set[int], budget: int, depth: int) -> int:
    """Bytes of font programs and character maps a page's fonts (and its forms') hold.

    Each font and form is counted once however often it is used: the layout
    reader parses a font once per file.
    """
    if resources is None or depth > MAX_FORM_DEPTH:
        return 0
    resources = resources.get_object()
    cost = 0
    fonts = resources.get("/Font")
    for ref in fonts.get_object().values() if fonts is not None else ():
        cost += _font_bytes(ref.get_object(), seen, depth)
        if cost > budget:
            raise _too_large(f"its fonts decompress to over {MAX_FONT_BYTES:,} bytes")
    for form in _forms(resources).values():
        if id(form) not in seen:
            seen.add(id(form))
            cost += font_cost(form.get("/Resources"), seen, budget - cost, depth + 1)
    return cost


def _font_bytes(font: Any, seen: set[int], depth: int) -> int:
    if id(font) in seen or depth > MAX_FORM_DEPTH or not hasattr(font, "get"):
        return 0
    seen.add(id(font))
    streams = [font.get(name) for name in _FONT_STREAMS]
    descriptor = font.get("/FontDescriptor")
    if descriptor is not None:
        streams += [descriptor.get_object().get(name) for name in _FONT_FILES]
    cost = sum(len(s.get_object().get_data()) for s in streams if _is_stream(s))
    descendants = font.get("/DescendantFonts")
    for child in descendants.get_object() if descendants is not None else ():
        cost += _font_bytes(child.get_object(), seen, depth + 1)
    return cost


def _is_stream(value: Any) -> bool:
    return value is not None and hasattr(value.get_object(), "get_data")


def _too_large(why: str) -> PdfError:
    return PdfError("pdf-too-large", f"the PDF is refused: {why}; send its text instead")


def _unreadable() -> PdfError:
    return PdfError("unreadable-pdf", "the PDF could not be read")
