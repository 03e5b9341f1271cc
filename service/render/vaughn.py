"""Release -> withholding log (a Vaughn index): one CSV row per withheld or pending item.

A FOIA litigant's Vaughn index lists each withholding with where it is and
why. Here a row is a segment withheld or pending review, or a span redaction
inside a released segment, in document order. The columns are fixed
(:data:`HEADER`); every cell is written from the model (ids, labels,
markings, rule ids, reasons, exemption labels), apart from the reviewer and
the reason of an override, which a reviewer typed. No cell holds document
text, and the leak gate reads the whole file like any other output.

``page`` and ``lines`` are those of the PDF release at the requested page
size: the page the redaction box (or span mark) is drawn on, and the rows
the box fills. They come from the PDF's own row layout, so they agree with
the PDF without rendering it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from declass.rules.model import Segment
from declass.rules.release import Decision, Release, SpanRedaction

HEADER: tuple[str, ...] = (
    "document",
    "segment",
    "label",
    "page",
    "lines",
    "marking",
    "action",
    "exemption",
    "reasons",
    "rule",
    "reviewer",
    "reason",
)
#: The columns a person typed rather than the model wrote (kept out of the gates'
#: "generated" allowance, so that a reason quoting withheld text is refused).
TYPED = ("reviewer", "reason")
#: A cell that starts with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Placement:
    """Where an item lands in the PDF release: its page and the rows its box fills."""

    page: int
    last_page: int
    lines: int

    @property
    def pages(self) -> str:
        """``3``, or ``3-4`` for a box that continues on the next page."""
        return str(self.page) if self.last_page == self.page else f"{self.page}-{self.last_page}"


def vaughn_rows(release: Release, text: str, page_size: str = "letter") -> list[dict[str, str]]:
    """The index of ``release`` as rows keyed by :data:`HEADER` (cells not yet escaped)."""
    boxes, starts, marks = placements(release, text, page_size)
    segments = {segment.id: segment for segment in release.document.segments}
    rows: list[dict[str, str]] = []
    for decision in release.decisions:
        if decision.action == "release":
            continue
        segment = segments[decision.segment]
        start = starts.get(segment.id, 1)
        where = boxes.get(segment.id, Placement(start, start, 0))
        rows.append(_segment_row(release, segment, decision, where))
    kinds = {applied.request: applied.type for applied in release.redactions}
    ordered = sorted(release.spans, key=lambda s: (s.start, s.end))
    for span, page in zip(ordered, marks, strict=True):
        rows.append(_span_row(release, segments[span.segment], span, page, kinds))
    return rows


def write_csv(rows: Iterable[dict[str, str]]) -> str:
    """The index as CSV text (RFC 4180): the header row, then one row per item."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([escape_cell(row[column]) for column in HEADER])
    return buffer.getvalue()


def generated_cells(rows: Iterable[dict[str, str]]) -> tuple[str, ...]:
    """The cells written from the model, for the gates; typed columns are not among them."""
    return tuple(row[column] for row in rows for column in HEADER if column not in TYPED)


def escape_cell(cell: str) -> str:
    """A cell a spreadsheet shows as text: one that starts like a formula gets a ``'``."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def placements(
    release: Release, text: str, page_size: str
) -> tuple[dict[str, Placement], dict[str, int], list[int]]:
    """Boxes by segment id, the page each segment starts on, and the page of each span
    mark in document order: from the PDF's row layout and page breaks."""
    from declass.service.render.pdf import stamp_lines
    from declass.service.render.pdf_layout import layout_by_segment, page_numbers
    from declass.service.render.pdf_style import build_styles, page_geometry
    from declass.service.render.pieces import pieces_by_segment

    # The same geometry the PDF uses: a draft's or a reviewed release's stamp is taller.
    geometry = page_geometry(page_size, build_styles(), len(stamp_lines(release)))
    rows, starts = layout_by_segment(pieces_by_segment(release, text), text, geometry.columns)
    pages = page_numbers(rows, geometry.first_rows, geometry.later_rows)
    boxes: dict[str, Placement] = {}
    marks: list[int] = []
    for row, page in zip(rows, pages, strict=True):
        if row.block is not None:
            first = boxes.get(row.block.segment, Placement(page, page, row.block.rows))
            boxes[row.block.segment] = Placement(first.page, page, row.block.rows)
        marks.extend(page for _ in row.marks)
    last = pages[-1] if pages else 1
    start_pages = {sid: pages[row] if row < len(pages) else last for sid, row in starts.items()}
    return boxes, start_pages, marks


def _segment_row(
    release: Release, segment: Segment, decision: Decision, where: Placement
) -> dict[str, str]:
    override = decision.override
    return {
        "document": release.document.sha256,
        "segment": segment.id,
        "label": segment.label or "",
        "page": where.pages,
        "lines": str(where.lines),
        "marking": _marking(segment),
        "action": decision.action,
        "exemption": " ".join(decision.exemptions),
        "reasons": ", ".join(decision.reasons),
        "rule": decision.rule,
        "reviewer": override.reviewer if override is not None else "",
        "reason": override.reason if override is not None else "",
    }


def _span_row(
    release: Release,
    segment: Segment,
    span: SpanRedaction,
    page: int,
    kinds: Mapping[int, str],
) -> dict[str, str]:
    kind = kinds.get(span.request)
    return {
        "document": release.document.sha256,
        "segment": segment.id,
        "label": segment.label or "",
        "page": str(page),
        "lines": "",
        "marking": _marking(segment),
        "action": "redact",
        "exemption": span.exemption,
        "reasons": "",
        "rule": f"redaction #{span.request} ({kind})" if kind else f"redaction #{span.request}",
        "reviewer": "",
        "reason": "",
    }


def _marking(segment: Segment) -> str:
    """As the PDF's redaction log prints it; empty where the segment has none."""
    from declass.service.render.pdf_log import marking_of

    return marking_of(segment) if segment.marking is not None else ""


def relabel(rows: Sequence[Sequence[str]], document: str) -> list[list[str]]:
    """Rows of one document's index with its ``document`` column set to ``document``
    (batch's combined index names each document by its path)."""
    column = HEADER.index("document")
    return [[*row[:column], escape_cell(document), *row[column + 1 :]] for row in rows]
