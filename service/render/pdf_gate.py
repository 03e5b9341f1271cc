"""What the gates read out of a PDF release: its text, as a reader would extract it.

The gates do not trust the renderer, so they read the finished file back.
PDFium (pypdfium2, in the ``ocr`` extra) reads it about 5x faster than pypdf;
where it is not installed, :func:`~declass.service.render.pdf.pdf_text`
(pypdf) reads it. tests/render/test_pdf_gate_read_back.py checks that the two give
the gates the same words and the same verdicts.
"""

from __future__ import annotations

from declass.service.pdfium import PDFIUM_LOCK, pdfium
from declass.service.render.pdf import pdf_text


def gate_text(data: bytes) -> str:
    """The text of every page and the document information, line breaks as LF."""
    module = pdfium()
    if module is None:
        return pdf_text(data)
    with PDFIUM_LOCK:
        document = module.PdfDocument(data)
        try:
            parts = []
            for index in range(len(document)):
                page = document[index]
                textpage = page.get_textpage()
                parts.append(textpage.get_text_range())
                textpage.close()
                page.close()
            # The information entries in key order, as reportlab writes them and pypdf reads.
            parts.extend(str(v) for _, v in sorted(document.get_metadata_dict().items()))
        finally:
            document.close()
    return "\n".join(parts).replace("\r\n", "\n").replace("\r", "\n")
