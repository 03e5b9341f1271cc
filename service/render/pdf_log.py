"""The redaction log at the end of a PDF release: why each box is there.

One row per withheld or reviewed segment and per span redaction, with the
segment id, its paragraph label, its original marking, the rule that fired,
the classification reasons, the exemption and the lines the box stands for.
Every cell comes from the model — ids, labels and markings already printed in
the released text, rule ids, request numbers — never from withheld text.

A second table, the review log, names who decided what on review: one row
per override and per span (segment, action, reviewer, reason, exemption).
The reason is a reviewer's free text and may quote the document, so it is
not counted as generated: the leak gate and the second key read it like
released text, and a reason that quotes withheld words refuses the release.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Mapping
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from declass.rules.model import Segment
from declass.rules.release import Release, SpanRedaction
from declass.service.render.review_log import REVIEW_COLUMNS, REVIEW_NOTE, review_rows

HEADER = ["Id", "Label", "Action", "Marking", "Rule", "Reasons", "Exemption", "Lines"]
#: Column widths in characters of the log font; cells wrap inside them.
COLUMNS = [8, 6, 9, 12, 46, 12, 10, 6]
FONT, BOLD, SIZE, LEADING = "Courier", "Courier-Bold", 7.0, 8.5
NOTE = (
    "One row per withheld or reviewed portion and per span redaction. "
    "Lines: lines of the body at 80 columns, as the text release counts them. "
    "No document text appears here."
)


def log_rows(release: Release, blocks: dict[str, int]) -> list[list[str]]:
    """The log as strings: a header, then segments in document order, then spans."""
    rows = [HEADER]
    segments = {segment.id: segment for segment in release.document.segments}
    for decision in release.decisions:
        if decision.action == "release":
            continue
        segment = segments[decision.segment]
        rows.append(
            [
                segment.id,
                segment.label or "-",
                "review" if decision.action == "review" else "withheld",
                marking_of(segment),
                decision.rule,
                ", ".join(decision.reasons) or "-",
                " ".join(decision.exemptions) or "-",
                str(blocks.get(segment.id, max(decision.lines, 1))),
            ]
        )
    rows.extend(_span_rows(release, segments))
    return rows


def marking_of(segment: Segment) -> str:
    """The segment's own marking as printed, or the one it inherits, named as such."""
    marking = segment.marking
    if marking is None:
        return "-"
    if segment.marking_source in (None, "own"):
        return marking.raw
    return f"{marking.normalized or marking.level} ({segment.marking_source})"


def log_story(release: Release, blocks: dict[str, int], width: float) -> list[Flowable]:
    """Heading, note and table of the redaction log, to follow the released text."""
    heading = ParagraphStyle("log-heading", fontName="Helvetica-Bold", fontSize=11, leading=14)
    note = ParagraphStyle("log-note", fontName="Helvetica", fontSize=8, leading=10)
    rows = log_rows(release, blocks)
    if len(rows) == 1:
        rows.append(["-", "-", "-", "-", "nothing withheld", "-", "-", "-"])
    # Static strings only: Paragraph would parse markup in anything else.
    return [
        Paragraph("Redaction log", heading),
        Paragraph(NOTE, note),
        Spacer(0, 6),
        _table(rows, COLUMNS, width),
        Spacer(0, 12),
        Paragraph("Review log", heading),
        Paragraph(REVIEW_NOTE, note),
        Spacer(0, 6),
        _table(review_rows(release), REVIEW_COLUMNS, width),
    ]


def _table(rows: list[list[str]], columns: list[int], width: float) -> Table:
    """A table spread over the full width; each cell wrapped to what its column holds."""
    char, pad = SIZE * 0.6, 4
    scale = width / sum(chars * char + pad for chars in columns)
    widths = [(chars * char + pad) * scale for chars in columns]
    fits = [max(1, int((w - pad) / char)) for w in widths]
    cells = [[_wrap(cell, chars) for cell, chars in zip(row, fits, strict=True)] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(_table_style()))
    return table


def _span_rows(release: Release, segments: dict[str, Segment]) -> list[list[str]]:
    kinds = {applied.request: applied.type for applied in release.redactions}
    seen: Counter[str] = Counter()
    rows = []
    for span in sorted(release.spans, key=lambda s: (s.start, s.end)):
        seen[span.segment] += 1
        segment = segments[span.segment]
        rows.append(
            [
                f"{span.segment}.{seen[span.segment]}",
                segment.label or "-",
                "span",
                marking_of(segment),
                _span_rule(span, kinds),
                "-",
                span.exemption,
                "-",
            ]
        )
    return rows


def _span_rule(span: SpanRedaction, kinds: Mapping[int, str]) -> str:
    kind = kinds.get(span.request)
    return f"redaction #{span.request} ({kind})" if kind else f"redaction #{span.request}"


def _wrap(cell: str, chars: int) -> str:
    return "\n".join(textwrap.wrap(cell, chars, break_long_words=True)) or "-"


def _table_style() -> list[tuple[Any, ...]]:
    return [
        ("FONT", (0, 0), (-1, -1), FONT, SIZE, LEADING),
        ("FONT", (0, 0), (-1, 0), BOLD, SIZE, LEADING),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
    ]
