"""The PDF release over the whole corpus, beside its floor; and the text release beside a peer.

- ``render_pdf`` of every decided cable, as pages/s, documents/s and MB/s.
- The canvas floor: reportlab drawing the same released text as plain Courier
  lines on a canvas — same page size, font, size and leading, the same wrap
  column, the same compression and ``invariant`` setting, no boxes, no stamp,
  no page furniture. No PDF release can do less work.
- The peer: Microsoft Presidio's anonymizer replacing the same spans declass
  withholds (every withheld or reviewed segment body and every span
  redaction), timed beside declass's own ``render_text`` on the decided
  release. Presidio is installed for the bench only; without it the row
  says SKIPPED.
"""

from __future__ import annotations

import gc
import importlib
import io
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from bench.bench_pdf import Case, median_pass
from declass.rules.release import Release
from declass.service.render.pdf import render_pdf
from declass.service.render.pdf_style import build_styles, page_geometry
from declass.service.render.text import render_text

MB = 1_000_000


@dataclass(frozen=True)
class Throughput:
    seconds: float
    docs: int
    size: int  # bytes of input text
    pages: int = 0

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds

    @property
    def mb_per_s(self) -> float:
        return self.size / MB / self.seconds

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds


def canvas_pdf(text: str, page_size: str = "letter") -> bytes:
    """The floor: ``text`` as Courier lines, wrapped at the release's column, page after page."""
    styles = build_styles()
    geometry = page_geometry(page_size, styles)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=geometry.pagesize, invariant=1, pageCompression=1)
    width = geometry.columns
    rows = [
        line[i : i + width] for line in text.split("\n") for i in range(0, max(len(line), 1), width)
    ]
    per_page = geometry.later_rows
    for first in range(0, len(rows), per_page):
        lines = canvas.beginText(geometry.left, geometry.top - styles.leading)
        lines.setFont(styles.body_font, styles.body_size, styles.leading)
        for row in rows[first : first + per_page]:
            lines.textLine(row)
        canvas.drawText(lines)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pdf_stages(cases: Sequence[Case], repeat: int) -> dict[str, Throughput]:
    """render_pdf and the canvas floor over every case: median passes."""
    size = sum(len(case.text.encode("utf-8")) for case in cases)
    pages = sum(case.pages for case in cases)
    released = [render_text(case.release, case.text) for case in cases]
    floor_pages = sum(_pages(canvas_pdf(text)) for text in released)

    def render_all() -> None:
        for case in cases:
            render_pdf(case.release, case.text)

    def floor_all() -> None:
        for text in released:
            canvas_pdf(text)

    return {
        "render_pdf": Throughput(median_pass(render_all, repeat), len(cases), size, pages),
        "canvas floor": Throughput(median_pass(floor_all, repeat), len(cases), size, floor_pages),
    }


def pdf_peak(cases: Sequence[Case]) -> int:
    """tracemalloc peak (bytes) over one render_pdf pass, one document at a time."""
    gc.collect()
    tracemalloc.start()
    try:
        for case in cases:
            render_pdf(case.release, case.text)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


# -- the peer ------------------------------------------------------------------------


def withheld_spans(release: Release) -> list[tuple[int, int]]:
    """What declass removes: withheld and reviewed segment bodies, and span redactions."""
    spans = [
        (segment.body_start, segment.end)
        for segment, decision in zip(release.document.segments, release.decisions, strict=True)
        if decision.action != "release" and segment.end > segment.body_start
    ]
    spans += [(span.start, span.end) for span in release.spans]
    return sorted(spans)


def presidio() -> tuple[Any, Callable[..., Any], Callable[..., Any]] | None:
    """(AnonymizerEngine(), RecognizerResult, OperatorConfig), or None where not installed."""
    try:  # imported by name: the peer is optional and untyped, and mypy must pass without it
        anonymizer: Any = importlib.import_module("presidio_anonymizer")
        entities: Any = importlib.import_module("presidio_anonymizer.entities")
    except ImportError:
        return None
    return anonymizer.AnonymizerEngine(), entities.RecognizerResult, entities.OperatorConfig


def peer_stages(cases: Sequence[Case], repeat: int) -> dict[str, Throughput] | None:
    """declass's render_text beside Presidio's anonymize over the same spans, or None."""
    loaded = presidio()
    if loaded is None:
        return None
    engine, result, operator = loaded
    operators = {"DEFAULT": operator("replace", {"new_value": "[WITHHELD]"})}
    inputs = [
        (case.text, [result("CLASSIFIED", s, e, 1.0) for s, e in withheld_spans(case.release)])
        for case in cases
    ]
    size = sum(len(case.text.encode("utf-8")) for case in cases)

    def declass_all() -> None:
        for case in cases:
            render_text(case.release, case.text)

    def presidio_all() -> None:
        for text, results in inputs:
            engine.anonymize(text=text, analyzer_results=results, operators=operators)

    return {
        "declass render_text": Throughput(median_pass(declass_all, repeat), len(cases), size),
        "presidio anonymize": Throughput(median_pass(presidio_all, repeat), len(cases), size),
    }
