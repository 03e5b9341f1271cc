"""OCR time per page of a scan: figures printed, never asserted.

Run from the repository root::

    .venv/bin/python bench/bench_ocr.py
    .venv/bin/python bench/bench_ocr.py --pages 7
    OMP_THREAD_LIMIT=2 .venv/bin/python bench/bench_ocr.py   # Tesseract on two threads

The pages are generated (the marked memo of tests/scans.py, one to four
portions a page, Courier 12 pt), so no corpus is needed. After one untimed
warm-up page, each page is timed once through :func:`ocr_document` as a PNG
and as a one-page image-only PDF, and the median over ``--pages`` pages is
printed per path, with the time PDFium takes to render a page at 300 dpi
alone. Tesseract runs in its own process, so the figures are wall-clock time;
the load average is printed beside them. ``ocr_document`` runs Tesseract on one
thread unless ``OMP_THREAD_LIMIT`` is set.
Without Tesseract it prints SKIPPED.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from declass.service.read.ocr import ocr_document, tesseract_engine
from tests.scans import MEMO_PAGES, image_only_pdf, memo_pdf, page_images, png_bytes


def memo_page(index: int) -> bytes:
    """A one-page memo whose portions vary with ``index`` (1 to 4 portions)."""
    portions = [portion for page in MEMO_PAGES for portion in page]
    count = 1 + index % 4
    chosen = tuple(portions[(index + i) % len(portions)] for i in range(count))
    return memo_pdf((chosen,))


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=5, help="pages timed (default 5)")
    args = parser.parse_args(argv)
    if shutil.which("tesseract") is None:
        print("SKIPPED: tesseract-ocr is absent (apt-get install tesseract-ocr)")
        return 0
    threads = os.environ.get("OMP_THREAD_LIMIT", "1 (the default of ocr_document)")
    print(f"{tesseract_engine()}, OMP_THREAD_LIMIT={threads}")
    print(f"cores {os.cpu_count()}, load average at start {os.getloadavg()[0]:.2f}")
    sources = [memo_page(i) for i in range(args.pages + 1)]
    images = [page_images(pdf)[0] for pdf in sources]
    pngs = [png_bytes(image) for image in images]
    pdfs = [image_only_pdf([image]) for image in images]
    ocr_document(pngs[0], "png")  # warm-up: Tesseract's model into the page cache
    rows = {
        "render a PDF page at 300 dpi (PDFium)": [timed(partial(page_images, d)) for d in pdfs[1:]],
        "ocr_document, PNG page": [timed(partial(ocr_document, d, "png")) for d in pngs[1:]],
        "ocr_document, image-only PDF page": [
            timed(partial(ocr_document, d, "pdf")) for d in pdfs[1:]
        ],
    }
    for name, times in rows.items():
        print(
            f"{name:<38} median {statistics.median(times) * 1000:7.0f} ms"
            f"  (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {len(times)} pages)"
        )
    print(f"load average at end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
