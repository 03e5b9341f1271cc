"""Reading an uploaded PDF: the layout reader against pypdf's text extraction.

Run from the repository root::

    .venv/bin/python bench/bench_pdf_read.py
    .venv/bin/python bench/bench_pdf_read.py --pages 50 --repeat 7

The PDF is generated here: tests/data/paris_2006.txt typeset by declass's own
PDF release (``run(..., fmt="pdf")``, everything released as of 2026-11-28),
repeated until it fills ``--pages`` pages. Figures, printed and never
asserted, are the median of ``--repeat`` passes after one warm-up, on one
pinned CPU where the platform allows it:

1. pypdf's ``extract_text`` over every page: what uploads were read with
   before (content-stream order, no layout);
2. ``read_pdf``: pypdf's checks (encryption, pages, content and font budget)
   then pdfminer.six glyph boxes, lines by baseline, and the trust checks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader

from bench.bench_pdf import pin_one_core
from declass.rules.policy import load_policy
from declass.service.pipeline import run
from declass.service.read.pdf import read_pdf

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "data" / "paris_2006.txt"


def generated_pdf(pages: int) -> tuple[bytes, int]:
    """declass's release of the Paris cable, repeated to at least ``pages`` pages."""
    text = SOURCE.read_text(encoding="utf-8")
    copies = 1
    while True:
        data = _release("\n\n".join([text] * copies))
        count = len(PdfReader(io.BytesIO(data)).pages)
        if count >= pages:
            return data, count
        copies = max(copies + 1, copies * pages // count)


def _release(text: str) -> bytes:
    return run(text.encode("utf-8"), load_policy("public"), dt.date(2026, 11, 28), fmt="pdf").output


def pypdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    work()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"cpu: {pin_one_core()}")
    data, pages = generated_pdf(args.pages)
    print(f"PDF: {pages} pages, {len(data):,} bytes (declass release of {SOURCE.name}, repeated)")
    old = median_seconds(lambda: pypdf_text(data), args.repeat)
    new = median_seconds(lambda: read_pdf(data, max_pages=pages), args.repeat)
    held = len({r.page for r in read_pdf(data, max_pages=pages).untrusted})
    print(f"  pypdf extract_text (before)  {old * 1000:8.1f} ms  {pages / old:7.1f} pages/s")
    print(f"  read_pdf (layout, trust)     {new * 1000:8.1f} ms  {pages / new:7.1f} pages/s")
    print(f"  ratio new/old time           {new / old:8.2f}x; untrusted pages: {held}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
