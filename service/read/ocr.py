"""Text out of a scan (an image-only PDF, a PNG or a TIFF) through Tesseract OCR.

A scan has no text to read, only pixels, and OCR guesses. A redaction service
must not let a guess release a portion, so the text comes back with the
ranges OCR was unsure of where a marking stands (see ``declass.service.read.ocr_lines``):
those go to review, never to release.

Scans are untrusted input, and an image is a good bomb: a few hundred bytes
of PNG can declare a 100,000 x 100,000 canvas that decodes to 10 GB. So every
image's size is read from its header and refused past ``max_pixels`` before
a single pixel is decoded (Pillow's own guard, ``Image.MAX_IMAGE_PIXELS``, is
set to the same default as a second fence); PDF pages are measured before
they are rendered; the page count is refused past ``max_pages`` before any
page is read; and Tesseract runs with a timeout per page. Refusals are
:class:`OcrRefused` with a code, and name page numbers and sizes, never
document text.

Tesseract is a system program and OCR an optional extra, so where either is
missing :class:`OcrUnavailable` says how to install it. Nothing is downloaded
at run time: the English model comes with Debian's ``tesseract-ocr-eng``.
"""

from __future__ import annotations

import functools
import io
import math
import os
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from PIL import Image

from declass.rules import deadline
from declass.rules.errors import UnreadableDocument
from declass.service.pdfium import PDFIUM_LOCK
from declass.service.read.ocr_lines import Uncertain, page_text

__all__ = [
    "OcrError",
    "OcrRefused",
    "OcrText",
    "OcrUnavailable",
    "Uncertain",
    "is_png",
    "is_tiff",
    "ocr_document",
    "pdf_is_image_only",
]

Kind = Literal["pdf", "png", "tiff"]
RefusalCode = Literal["image-too-large", "too-many-pages", "ocr-timeout", "image-unreadable"]

#: Pages read from one scan; the same default as a PDF with a text layer.
MAX_PAGES = 500
#: Pixels in one page image: a Letter or A4 page at 600 dpi is about 35 million.
MAX_PIXELS = 40_000_000
#: Seconds Tesseract may spend on one page (a clean 300 dpi page takes a few).
PAGE_TIMEOUT_S = 60.0
#: Resolution PDF pages are rendered at: Tesseract reads 10-12 pt type best near 300 dpi.
PDF_DPI = 300
LANGUAGE = "eng"
INSTALL_HINT = (
    "install Tesseract (apt-get install tesseract-ocr) and the OCR extra "
    "(pip install 'declass[ocr]')"
)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TIFF_MAGICS = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # classic and BigTIFF
_PILLOW_FORMATS: dict[str, str] = {"png": "PNG", "tiff": "TIFF"}

# Pillow's fence: warns past this many pixels and refuses past twice as many.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# PDFium is not thread-safe; the HTTP service may serve requests on threads, and the
# PDF release's gate reads through PDFium too: one lock for both (service/pdfium.py).
_PDFIUM_LOCK = PDFIUM_LOCK


class OcrError(UnreadableDocument):
    """A scan could not be read through OCR."""


class OcrUnavailable(OcrError):
    """Tesseract or the OCR extra is not installed here."""

    def __init__(self, message: str) -> None:
        super().__init__("ocr-unavailable", message, field=None)


class OcrRefused(OcrError):
    """A scan refused by a limit or unreadable; ``code`` says which."""

    def __init__(self, code: RefusalCode, message: str) -> None:
        super().__init__(code, message)


@dataclass(frozen=True, slots=True)
class OcrText:
    """The text OCR read, page by page, and the ranges of it that must go to review."""

    text: str
    pages: int
    uncertain: list[Uncertain]
    engine: str


def is_png(data: bytes) -> bool:
    return data.startswith(PNG_MAGIC)


def is_tiff(data: bytes) -> bool:
    return data[:4] in TIFF_MAGICS


def pdf_is_image_only(data: bytes, *, max_pages: int = MAX_PAGES) -> bool:
    """True when no page of the PDF has a text layer: a scan, to be read through OCR.

    A PDF that PDFium cannot open (damaged, encrypted) or with more than
    ``max_pages`` pages is not called a scan, and no page of it is read: the
    text reader refuses it with its own reason.
    """
    pdfium = _pdfium()
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return False
        try:
            if len(document) > max_pages:
                return False
            for page in document:
                textpage = page.get_textpage()
                has_text = bool(textpage.get_text_bounded().strip())
                textpage.close()
                page.close()
                if has_text:
                    return False
            return len(document) > 0
        finally:
            document.close()


def ocr_document(
    data: bytes,
    kind: Kind,
    *,
    max_pages: int = MAX_PAGES,
    max_pixels: int = MAX_PIXELS,
    page_timeout_s: float = PAGE_TIMEOUT_S,
) -> OcrText:
    """Read every page of a scan through Tesseract, pages in order, blank line between.

    Raises :class:`OcrUnavailable` where Tesseract is missing and :class:`OcrRefused`
    for a scan past a limit or unreadable.
    """
    engine = tesseract_engine()
    # Tesseract's OpenMP threads spin against each other and against other workers: on a
    # busy 2-core machine one thread a page is 2.5x faster (bench/bench_ocr.py). Scale out
    # with processes, as batch does. An operator's own setting is kept.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    if kind == "pdf":
        images = _pdf_pages(data, max_pages, max_pixels)
    else:
        images = _image_frames(data, kind, max_pages, max_pixels)
    parts: list[str] = []
    uncertain: list[Uncertain] = []
    offset = pages = 0
    for number, image in enumerate(images, start=1):
        deadline.check()  # a page takes seconds: the request may be out of time
        read = page_text(_read_words(image, number, page_timeout_s), number)
        if parts:
            parts.append("\n")
            offset += 1
        uncertain.extend(
            Uncertain(u.start + offset, u.end + offset, u.page, u.reason) for u in read.uncertain
        )
        parts.append(read.text)
        offset += len(read.text)
        pages = number
    return OcrText(text="".join(parts), pages=pages, uncertain=uncertain, engine=engine)


def tesseract_engine() -> str:
    """``tesseract <version>``, or :class:`OcrUnavailable` saying how to install it."""
    pytesseract = _pytesseract()
    command = shutil.which(pytesseract.pytesseract.tesseract_cmd)
    if command is None:
        raise OcrUnavailable(f"the tesseract program is not installed: {INSTALL_HINT}")
    return _probe(command)


@functools.cache
def _probe(command: str) -> str:
    """Version and English model of one Tesseract binary, checked once per process."""
    pytesseract = _pytesseract()
    try:
        version = pytesseract.get_tesseract_version()
        languages = pytesseract.get_languages()
    except (OSError, SystemExit, pytesseract.TesseractError):  # SystemExit: unparsable version
        raise OcrUnavailable(f"tesseract could not be run: {INSTALL_HINT}") from None
    if LANGUAGE not in languages:
        raise OcrUnavailable("tesseract has no English model: apt-get install tesseract-ocr-eng")
    return f"tesseract {version}"


def _read_words(image: Image.Image, page: int, timeout_s: float) -> dict[str, list[Any]]:
    pytesseract = _pytesseract()
    try:
        table: dict[str, list[Any]] = pytesseract.image_to_data(
            image, lang=LANGUAGE, output_type=pytesseract.Output.DICT, timeout=timeout_s
        )
    except pytesseract.TesseractNotFoundError:
        raise OcrUnavailable(f"tesseract is no longer installed: {INSTALL_HINT}") from None
    except pytesseract.TesseractError:
        raise OcrRefused("image-unreadable", f"tesseract could not read page {page}") from None
    except RuntimeError as exc:  # pytesseract's timeout is a bare RuntimeError
        if "timeout" not in str(exc).lower():
            raise
        raise OcrRefused(
            "ocr-timeout", f"OCR of page {page} took longer than {timeout_s:g} seconds"
        ) from None
    finally:
        image.close()
    return table


def _image_frames(data: bytes, kind: str, max_pages: int, max_pixels: int) -> Iterator[Image.Image]:
    """Every frame of a PNG or TIFF as a greyscale image, each measured before decoding."""
    image = _open_image(data, kind)
    with image:
        frames = _frame_count(image)
        _check_pages(frames, max_pages)
        for index in range(frames):
            try:
                image.seek(index)
                _check_pixels(image.size, index + 1, max_pixels)
                frame = image.convert("L")  # decodes this frame only
            except OcrRefused:
                raise
            except Exception:  # Pillow raises many types on damaged data
                raise _unreadable(index + 1) from None
            yield frame


def _open_image(data: bytes, kind: str) -> Image.Image:
    """The image, header read only; Pillow may decode only the format the caller named."""
    fmt = _PILLOW_FORMATS.get(kind)
    if fmt is None:
        raise OcrRefused("image-unreadable", f"{kind!r} is not a scan format declass reads")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(data), formats=[fmt])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise OcrRefused(
                "image-too-large", f"the image has more than {Image.MAX_IMAGE_PIXELS} pixels"
            ) from None
        except Exception:
            raise OcrRefused("image-unreadable", f"the file is not a readable {fmt}") from None


def _frame_count(image: Image.Image) -> int:
    try:
        return int(getattr(image, "n_frames", 1))
    except Exception:  # a broken chain of TIFF directories
        raise _unreadable(1) from None


def _pdf_pages(data: bytes, max_pages: int, max_pixels: int) -> Iterator[Image.Image]:
    """Every page of a PDF rendered greyscale at :data:`PDF_DPI`, each measured first."""
    pdfium = _pdfium()
    scale = PDF_DPI / 72
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            raise OcrRefused("image-unreadable", "the PDF could not be opened") from None
        count = len(document)
    try:
        _check_pages(count, max_pages)
        for index in range(count):
            with _PDFIUM_LOCK:
                page = document[index]
                width, height = page.get_size()
                size = (math.ceil(width * scale), math.ceil(height * scale))
                try:
                    _check_pixels(size, index + 1, max_pixels)
                    image = page.render(scale=scale, grayscale=True).to_pil()
                except pdfium.PdfiumError:
                    raise _unreadable(index + 1) from None
                finally:
                    page.close()
            yield image
    finally:
        with _PDFIUM_LOCK:
            document.close()


def _check_pages(pages: int, max_pages: int) -> None:
    if pages > max_pages:
        raise OcrRefused(
            "too-many-pages", f"the scan has {pages} pages; at most {max_pages} are accepted"
        )


def _check_pixels(size: tuple[int, int], page: int, max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise OcrRefused(
            "image-too-large",
            f"page {page} is {width} x {height} pixels; at most {max_pixels} pixels are accepted",
        )


def _unreadable(page: int) -> OcrRefused:
    return OcrRefused("image-unreadable", f"page {page} of the scan could not be decoded")


def _pytesseract() -> Any:
    try:
        import pytesseract
    except ImportError:
        raise OcrUnavailable(f"OCR is not installed: {INSTALL_HINT}") from None
    return pytesseract


def _pdfium() -> Any:
    try:
        import pypdfium2
    except ImportError:
        raise OcrUnavailable(f"OCR is not installed: {INSTALL_HINT}") from None
    return pypdfium2
