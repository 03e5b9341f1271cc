"""Scans written for the tests: a marked memo typeset with reportlab, then rasterised.

The memo is ours (no corpus text): a ``SECRET//NOFORN`` banner at the top and
bottom of every page and numbered portions, each carrying a token word that a
test can look for in the OCR text and in the release. Every scan is built from
the same pages: PNG, multi-page TIFF, and an image-only PDF (the page images
drawn into a new PDF, so it has no text layer).
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Sequence

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageFilter
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

BANNER = "SECRET//NOFORN"
DPI = 300
#: Portions per page: (opening line with its mark, token, the rest of the portion).
MEMO_PAGES: tuple[tuple[tuple[str, str, str], ...], ...] = (
    (
        ("1. (U) The working group met in the annex on Tuesday.", "TOKENALPHA", "was agreed."),
        ("2. (S//NF) A liaison officer described the plan as", "TOKENBRAVO", "in confidence."),
    ),
    (("3. (U) The next meeting is set for the spring.", "TOKENCHARLIE", "is the venue."),),
)
UNCLASSIFIED_TOKENS = ("TOKENALPHA", "TOKENCHARLIE")
CLASSIFIED_TOKENS = ("TOKENBRAVO",)


def memo_pdf(pages: Sequence[Sequence[tuple[str, str, str]]] = MEMO_PAGES) -> bytes:
    """The memo as a PDF with a text layer: Courier 12 pt, banner top and bottom."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    height = letter[1]
    for portions in pages:
        pdf.setFont("Courier", 12)
        pdf.drawString(72, height - 50, BANNER)
        pdf.drawString(72, height - 90, "MEMORANDUM FOR THE RECORD")
        y = height - 130
        for opening, token, rest in portions:
            for line in (opening, f"The word {token} {rest}"):
                pdf.drawString(72, y, line)
                y -= 15
            y -= 15  # a blank line between portions
        pdf.drawString(72, 40, BANNER)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def page_images(pdf_bytes: bytes, dpi: int = DPI) -> list[Image.Image]:
    """Every page of a PDF as a greyscale image, as a scanner would deliver it."""
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in document]
    finally:
        document.close()


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


def tiff_bytes(images: Sequence[Image.Image]) -> bytes:
    """A multi-page TIFF, one frame per image, compressed like a fax."""
    frames = [image.convert("1") for image in images]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, format="TIFF", save_all=True, append_images=frames[1:], compression="group4"
    )
    return buffer.getvalue()


def image_only_pdf(images: Sequence[Image.Image]) -> bytes:
    """A PDF whose pages are only the images: what a scanner writes."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    width, height = letter
    for image in images:
        pdf.drawInlineImage(image, 0, 0, width=width, height=height)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def degrade(image: Image.Image, seed: int = 7) -> Image.Image:
    """A bad scan: resolution lost, blurred, and speckled with seeded noise.

    Tuned so that Tesseract still finds the lines but misreads some marks
    (``(U)`` as ``(U0)``, ``(S//NF)`` as ``(S//NP)``) with low confidence.
    """
    small = image.resize((image.width // 4, image.height // 4), Image.Resampling.BILINEAR)
    noise = Image.frombytes(
        "L", small.size, random.Random(seed).randbytes(small.width * small.height)
    )
    speckled = ImageChops.blend(small, noise, 0.25)
    blurred = speckled.filter(ImageFilter.GaussianBlur(0.8))
    return blurred.resize(image.size, Image.Resampling.BILINEAR)


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header declares a huge canvas (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024, 9)  # a few rows; the decoder never gets this far
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
