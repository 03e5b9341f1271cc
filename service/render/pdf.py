"""Release -> PDF, typeset from the released text (never the original with boxes over it).

The pieces the text release is made of (:func:`declass.service.render.text.released_pieces`)
are laid out into rows of Courier (:mod:`declass.service.render.pdf_layout`) and drawn by
one flowable that splits between rows, so a long cable breaks cleanly and a
redaction box that reaches the foot of a page continues at the head of the
next. Withheld text never reaches this module's output: a withheld body is
only counted, in rows, to size its box.

Every page carries the released marking top and bottom and ``Page N of M``;
the first page carries the release stamp. A draft (anything pending review,
or a preview) carries a diagonal DRAFT mark on every page and its DRAFT line
at the head of the stamp. Metadata is built from the model
(hash, marking, policy), never from the text, and ``invariant=1`` plus the
absence of clocks and random ids make the same request give the same bytes.
"""

from __future__ import annotations

import functools
import io
import math
from typing import Any

from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from declass.rules import deadline
from declass.rules.release import Release
from declass.service.render.pdf_drawn import Drawn, RecordingText, drawn_text
from declass.service.render.pdf_layout import layout
from declass.service.render.pdf_log import log_story
from declass.service.render.pdf_rows import RowsFlowable
from declass.service.render.pdf_style import (
    MARGIN,
    Geometry,
    Styles,
    build_styles,
    fit,
    page_geometry,
)
from declass.service.render.pieces import draft_line, released_pieces, stamp_fields

#: Light enough that the text over it stays legible, dark enough to print.
DRAFT_GREY = colors.Color(0.82, 0.82, 0.82)
DRAFT_LETTER_WIDTH, DRAFT_LETTER_HEIGHT, DRAFT_GAP, DRAFT_STROKE = 70.0, 110.0, 22.0, 16.0
#: D, R, A, F, T as polylines in a unit box (x right, y up): block capitals of strokes.
DRAFT_LETTERS: tuple[tuple[tuple[tuple[float, float], ...], ...], ...] = (
    (
        (
            (0.0, 0.0),
            (0.0, 1.0),
            (0.55, 1.0),
            (0.9, 0.8),
            (1.0, 0.5),
            (0.9, 0.2),
            (0.55, 0.0),
            (0.0, 0.0),
        ),
    ),
    (
        ((0.0, 0.0), (0.0, 1.0), (0.7, 1.0), (0.95, 0.88), (0.95, 0.62), (0.7, 0.5), (0.0, 0.5)),
        ((0.45, 0.5), (1.0, 0.0)),
    ),
    (((0.0, 0.0), (0.5, 1.0), (1.0, 0.0)), ((0.22, 0.42), (0.78, 0.42))),
    (((0.0, 0.0), (0.0, 1.0), (1.0, 1.0)), ((0.0, 0.52), (0.75, 0.52))),
    (((0.0, 1.0), (1.0, 1.0)), ((0.5, 1.0), (0.5, 0.0))),
)


def render_pdf(
    release: Release, text: str, *, log: bool = False, page_size: str = "letter"
) -> bytes:
    """The PDF release of ``text`` under ``release``, optionally with its redaction log."""
    return _render(release, text, log=log, page_size=page_size, record=False)[0]


def render_pdf_drawn(
    release: Release, text: str, *, log: bool = False, page_size: str = "letter"
) -> tuple[bytes, str | None]:
    """:func:`render_pdf`, and the text a reader extracts from it, from the strings drawn
    (:mod:`declass.service.render.pdf_drawn`): None where that is not plain, or where the
    release carries its log (tables and paragraphs lay text out in ways not modelled)."""
    return _render(release, text, log=log, page_size=page_size, record=not log)


def _render(
    release: Release, text: str, *, log: bool, page_size: str, record: bool
) -> tuple[bytes, str | None]:
    styles = build_styles()
    geometry = page_geometry(page_size, styles, len(stamp_lines(release)))
    rows = layout(released_pieces(release, text), text, geometry.columns)
    story: list[Flowable] = [RowsFlowable(rows, 0, len(rows), geometry, styles)]
    if log:
        blocks = {row.block.segment: row.block.rows for row in rows if row.block is not None}
        story += [PageBreak(), *log_story(release, blocks, geometry.columns * styles.char)]
    buffer = io.BytesIO()
    template = ReleaseDocTemplate(buffer, release, geometry, styles)
    template.build(story, canvasmaker=functools.partial(NumberedCanvas, record=record))
    canvas = template.canv
    drawn = canvas.drawn_text() if isinstance(canvas, NumberedCanvas) and record else None
    return buffer.getvalue(), drawn


def stamp_lines(release: Release) -> list[str]:
    """The lines of the first page's stamp: the DRAFT line of a draft, then the fields,
    the last three (policy, as-of date, hash) on one line."""
    fields = stamp_fields(release)
    draft = draft_line(release)
    return [*([draft] if draft else []), *fields[:-3], " | ".join(fields[-3:])]


def pdf_text(data: bytes) -> str:
    """The text of every page and the document information, as a reader would extract it.

    The leak gate reads this rather than trusting the renderer, so it covers
    the metadata too.
    """
    reader = PdfReader(io.BytesIO(data))
    parts = [page.extract_text() for page in deadline.each(reader.pages, every=1)]
    parts.extend(str(value) for value in (reader.metadata or {}).values())
    return "\n".join(parts)


def pdf_metadata(release: Release) -> dict[str, Any]:
    """Title, subject, keywords...: built from the model only, never from document text."""
    policy = release.policy
    return {
        "title": f"declass release {release.document.sha256[:12]}",
        "author": "declass",
        "subject": release.summary.marking,
        "keywords": [
            policy.label,
            f"as of {release.as_of.isoformat()}",
            release.summary.disposition,
        ],
        "creator": "declass",
        "producer": "declass (ReportLab)",
    }


class ReleaseDocTemplate(BaseDocTemplate):
    """Two page templates: "first" (below the release stamp) and "later"."""

    def __init__(
        self, buffer: io.BytesIO, release: Release, geometry: Geometry, styles: Styles
    ) -> None:
        self.release = release
        self.geometry = geometry
        self.styles = styles
        super().__init__(
            buffer,
            pagesize=geometry.pagesize,
            invariant=1,
            pageCompression=1,
            leftMargin=geometry.left,
            rightMargin=geometry.left,
            **pdf_metadata(release),
        )
        first = PageTemplate(
            id="first",
            frames=[self._frame("first", geometry.first_rows)],
            onPage=self._decorate_first,
            autoNextPageTemplate="later",
        )
        later = PageTemplate(
            id="later", frames=[self._frame("later", geometry.later_rows)], onPage=self._decorate
        )
        self.addPageTemplates([first, later])

    def _frame(self, name: str, rows: int) -> Frame:
        """A frame exactly ``rows`` lines high under the top margin (or the stamp)."""
        g, height = self.geometry, rows * self.styles.leading
        top = g.top if name == "later" else g.top - g.stamp_height - self.styles.leading
        return Frame(
            g.left,
            top - height,
            g.columns * self.styles.char,
            height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=name,
        )

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The released marking, centred in bold capitals at the head and foot of the page;
        on a draft, a diagonal DRAFT mark across the page."""
        deadline.check()  # once a page: typesetting a long release is the slow part
        width, height = self.geometry.pagesize
        marking = self.release.summary.marking.upper()
        if not self.release.is_final:
            draw_draft_mark(canvas, width, height)
        canvas.saveState()
        canvas.setFillColor(self.styles.ink)
        size = fit(marking, self.styles.marking_font, self.styles.marking_size, width - 2 * MARGIN)
        canvas.setFont(self.styles.marking_font, size)
        canvas.drawCentredString(width / 2, height - MARGIN / 2 - size / 3, marking)
        canvas.drawCentredString(width / 2, MARGIN / 2 + 4, marking)
        canvas.restoreState()

    def _decorate_first(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The page decorations plus the release stamp, boxed, above the text."""
        self._decorate(canvas, doc)
        g, st = self.geometry, self.styles
        lines = stamp_lines(self.release)
        bold = 1 if draft_line(self.release) else 0
        width = g.columns * st.char
        canvas.saveState()
        canvas.setLineWidth(0.75)
        canvas.rect(g.left, g.top - g.stamp_height, width, g.stamp_height, stroke=1, fill=0)
        y = g.top - 4 - st.stamp_size
        for number, line in enumerate(lines):
            font = st.label_font if number <= bold else st.body_font
            canvas.setFont(font, fit(line, font, st.stamp_size, width - 12))
            canvas.drawString(g.left + 6, y, line)
            y -= st.stamp_leading
        canvas.restoreState()


def draw_draft_mark(canvas: Canvas, width: float, height: float) -> None:
    """``DRAFT`` in large grey capitals, corner to corner, under the page's text.

    The letters are stroked paths, not text: a reader extracting the page
    (declass's own PDF reader included, which holds overlapping glyphs for
    review) sees the page's text alone, and the stamp carries the DRAFT line.
    """
    canvas.saveState()
    canvas.setStrokeColor(DRAFT_GREY)
    canvas.setLineWidth(DRAFT_STROKE)
    canvas.setLineCap(0)
    canvas.setLineJoin(0)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(math.degrees(math.atan2(height, width)))
    letters = len(DRAFT_LETTERS)
    advance = DRAFT_LETTER_WIDTH + DRAFT_GAP
    left = -(letters * advance - DRAFT_GAP) / 2
    for number, strokes in enumerate(DRAFT_LETTERS):
        x0 = left + number * advance
        for stroke in strokes:
            path = canvas.beginPath()
            (x, y), *rest = stroke
            path.moveTo(x0 + x * DRAFT_LETTER_WIDTH, (y - 0.5) * DRAFT_LETTER_HEIGHT)
            for x, y in rest:
                path.lineTo(x0 + x * DRAFT_LETTER_WIDTH, (y - 0.5) * DRAFT_LETTER_HEIGHT)
            canvas.drawPath(path, stroke=1, fill=0)
    canvas.restoreState()


class NumberedCanvas(Canvas):
    """Holds every page back until the end, so each can say ``Page N of M``.

    The reportlab "page x of y" recipe: one pass, no second build. Every string
    drawn is noted on the page's :class:`~declass.service.render.pdf_drawn.Drawn`.
    """

    def __init__(self, *args: Any, record: bool = True, **kwargs: Any) -> None:
        self.record = record  # note the strings drawn (a page not noted is never plain)
        self.drawn = Drawn(plain=record)
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        self._page_width = float(kwargs.get("pagesize", LETTER)[0])
        self._pages: list[Drawn] = []

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:
        return RecordingText(self, x, y, direction=direction)

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._pages.append(self.drawn)
        self.drawn = Drawn(plain=self.record)
        # Start a fresh page without emitting this one (reportlab's own hook).
        self._startPage()  # type: ignore[attr-defined]

    def drawn_text(self) -> str | None:
        """What a reader extracts from the saved file, from the strings drawn; or None."""
        codes = [state["_code"] for state in self._held]  # each page's content, as written
        return drawn_text(self._pages, codes, self._doc)  # type: ignore[attr-defined]

    def save(self) -> None:
        total = len(self._held)
        styles = build_styles()
        for state in self._held:
            self.__dict__.update(state)
            self.setFont(styles.footer_font, styles.footer_size)
            self.setFillColor(styles.ink)
            label = f"Page {self.getPageNumber()} of {total}"
            self.drawCentredString(self._page_width / 2, MARGIN / 2 - 12, label)
            super().showPage()
        super().save()
