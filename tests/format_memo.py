"""One marked memo, built by the tests in every format declass reads.

The same memo (ours, no corpus text) is written as a Word file with python-docx
(banner in the page header and footer, a marked table), as a PDF with a text
layer typeset with reportlab, and as a scan of that PDF: ``pdftoppm -r 300``
renders its page and Pillow wraps the picture into an image-only PDF, the way
a scanner would. Every portion carries one token word, so a test can tell from
the memo itself (not from the engine) which words a release may hold as of a
date before the memo's declassification date: the ``(U)`` tokens, and none of
the classified ones.

``python -m tests.format_memo DIR`` writes the three files, for the README's
commands to use.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from tests import docx_documents as dd

BANNER = "SECRET//NOFORN"
#: Before the table: a heading, the subject and three numbered portions.
OPENING = (
    "MEMORANDUM FOR THE DEPUTY SECRETARY",
    "SUBJECT: (U) Harbour access talks",
    "1. (U) Press guidance MAPLEWOOD is attached for the spokesman, who will"
    " read it at the noon briefing.",
    "2. (S//NF) The delegation would accept inspections at KESTREL point if"
    " the other side agreed to the same terms.",
    "3. (C) The liaison officer GRANITE was informed by telephone and asked"
    " to keep the matter within the ministry.",
)
#: One table row: a SECRET cell and an unclassified one.
TABLE_ROW = (
    "(S) Secret cell words OBSIDIAN remain unconfirmed.",
    "(U) Road closures LANTERN were announced.",
)
#: After the table: one more portion and the declassification block.
CLOSING = (
    "4. (U) The talks resume in March at HARBOURVIEW, with the same delegations"
    " and the same agenda.",
    "Classified By: J. Morrow, Director, for reasons 1.4(b) and (d)",
    "Declassify On: 12/31/2035",
)
#: Released before 2035: the words of the (U) portions, one per portion.
RELEASED_TOKENS = ("MAPLEWOOD", "LANTERN", "HARBOURVIEW")
#: Never released before 2035, whatever reads the memo.
WITHHELD_TOKENS = ("KESTREL", "GRANITE", "OBSIDIAN")
#: A date on which the memo is still classified (it declassifies on 2035-12-31).
AS_OF = "2020-01-01"
DPI = 300
#: Courier 11 pt: characters to a line, and points from one baseline to the next.
WRAP = 40
LEADING = 13
FORMATS = ("docx", "pdf", "scan.pdf")


def memo_docx() -> bytes:
    """The memo as a Word file: banner in the header and footer, the table as a table."""
    document = dd.blank()
    section = document.sections[0]
    section.header.paragraphs[0].text = BANNER
    section.footer.paragraphs[0].text = BANNER
    for line in OPENING:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=len(TABLE_ROW))
    for column, cell_text in enumerate(TABLE_ROW):
        table.cell(0, column).text = cell_text
    for line in CLOSING:
        document.add_paragraph(line)
    return dd.to_bytes(document)


def memo_pdf() -> bytes:
    """The memo as a one-page PDF with a text layer, typed as a memo is: banner top and
    bottom, portions wrapped and single-spaced with a blank line between them, and the
    table's cells one to a ruled row (a table whose reading order a reader can trust)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    height = letter[1]
    pdf.setFont("Courier", 11)
    pdf.drawString(72, height - 50, BANNER)
    y = height - 90
    for paragraph in (*OPENING, None, *CLOSING):
        if paragraph is None:
            y = _draw_table(pdf, y)
            continue
        for line in textwrap.wrap(paragraph, WRAP):
            pdf.drawString(72, y, line)
            y -= LEADING
        y -= LEADING
    pdf.drawString(72, 40, BANNER)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw_table(pdf: canvas.Canvas, y: float) -> float:
    for cell_text in TABLE_ROW:
        pdf.rect(66, y - 4, 480, LEADING)
        pdf.drawString(72, y, cell_text)
        y -= LEADING
    return y - LEADING


def has_pdftoppm() -> bool:
    return shutil.which("pdftoppm") is not None


def memo_scan() -> bytes:
    """The PDF rendered at 300 dpi by ``pdftoppm`` and wrapped into an image-only PDF."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "memo.pdf"
        source.write_bytes(memo_pdf())
        prefix = Path(folder) / "page"
        command = ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", str(source)]
        subprocess.run([*command, str(prefix)], check=True, capture_output=True)
        with Image.open(prefix.with_suffix(".png")) as page:
            buffer = io.BytesIO()
            page.save(buffer, format="PDF", resolution=DPI)
    return buffer.getvalue()


def memo_files() -> dict[str, bytes]:
    """Every format of the memo, by file suffix; the scan only where pdftoppm is installed."""
    files = {"docx": memo_docx(), "pdf": memo_pdf()}
    if has_pdftoppm():
        files["scan.pdf"] = memo_scan()
    return files


def write_memos(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, data in memo_files().items():
        path = folder / f"memo.{suffix}"
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_memos(Path(sys.argv[1] if len(sys.argv) > 1 else ".")):
        print(path)
