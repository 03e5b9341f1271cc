"""The flowable that draws the rows of a release, page by page.

One flowable holds every row and splits between rows, so platypus breaks a
long cable wherever a page ends and a box that reaches the foot of a page
continues at the head of the next, labelled "(continued)". Boxes are drawn
first and all text after them in one text object, in reading order, so that
extracted text follows the page.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from declass.service.render.pdf_layout import Block, Row
from declass.service.render.pdf_style import Geometry, Styles, fit

_FUZZ = 1e-6


class RowsFlowable(Flowable):
    """``rows[start:end]`` of the release; splits between rows, never inside one."""

    def __init__(
        self, rows: Sequence[Row], start: int, end: int, geometry: Geometry, styles: Styles
    ) -> None:
        super().__init__()
        self.rows, self.start, self.end = rows, start, end
        self.geometry, self.styles = geometry, styles
        self.width = geometry.columns * styles.char
        self.height = (end - start) * styles.leading

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        """As many rows as fit; a paragraph label is not left alone above its box."""
        room = int((aH + _FUZZ) // self.styles.leading)
        if room >= self.end - self.start:
            return [self]
        if room < 1:
            return []
        if self.rows[self.start + room - 1].keep_with_next:
            if room == 1:
                # What is left of the page is one row, for a label that must go over
                # with its box: the page ends here (platypus asks again with the room
                # left after an earlier split, and would otherwise strand the label).
                return []
            room -= 1
        cut = self.start + room
        return [self._part(self.start, cut), self._part(cut, self.end)]

    def _part(self, start: int, end: int) -> RowsFlowable:
        return RowsFlowable(self.rows, start, end, self.geometry, self.styles)

    def draw(self) -> None:
        rows = self.rows[self.start : self.end]
        painter = _RowPainter(self.canv, self.geometry, self.styles, len(rows))
        painter.boxes(rows)
        painter.text(rows)


class _RowPainter:
    """Draws rows with the flowable's origin at the bottom left: boxes first, then text."""

    def __init__(self, canvas: Canvas, geometry: Geometry, styles: Styles, count: int) -> None:
        self.canvas, self.g, self.st = canvas, geometry, styles
        self.top = count * styles.leading
        # Baseline so capitals sit centred in the row, descenders inside it.
        self.baseline = (styles.leading + 0.56 * styles.body_size) / 2

    def boxes(self, rows: Sequence[Row]) -> None:
        """One solid box per block piece and per span mark, drawn under their labels."""
        canvas, st, lead = self.canvas, self.st, self.st.leading
        canvas.saveState()
        canvas.setFillColor(st.box)
        i = 0
        while i < len(rows):
            block = rows[i].block
            if block is not None:
                j = i
                while j < len(rows) and rows[j].block is block:
                    j += 1
                width = self.g.columns * st.char
                canvas.rect(0, self.top - j * lead + 1, width, (j - i) * lead - 2, stroke=0, fill=1)
                i = j
                continue
            for mark in rows[i].marks:
                x, y = mark.column * st.char, self.top - (i + 1) * lead + 0.75
                canvas.rect(x, y, mark.width * st.char, lead - 1.5, stroke=0, fill=1)
            i += 1
        canvas.restoreState()

    def text(self, rows: Sequence[Row]) -> None:
        """All text of the rows in one text object, in reading order."""
        st = self.st
        tx = self.canvas.beginText()
        tx.setFont(st.body_font, st.body_size, st.leading)
        placed = False
        for i, row in enumerate(rows):
            y = self.top - i * st.leading - self.baseline
            if row.block is None and not row.marks:
                if not placed:
                    tx.setTextOrigin(0, y)
                    placed = True
                tx.textLine(row.text)
                continue
            placed = False
            if row.block is None:
                self._marked(tx, row, y)
            elif i == 0 or row.index == 0:
                self._label(tx, row.block, row.index > 0, y)
        self.canvas.drawText(tx)

    def _marked(self, tx: PDFTextObject, row: Row, y: float) -> None:
        """A row with span marks: released text in ink, each mark's label on its box."""
        st, column = self.st, 0
        for mark in row.marks:
            if row.text[column : mark.column].strip():
                tx.setTextOrigin(column * st.char, y)
                tx.textOut(row.text[column : mark.column])
            # The label without its brackets: the box is the bracket.
            tx.setTextOrigin((mark.column + 1) * st.char, y)
            tx.setFillColor(st.on_box)
            tx.setFont(st.label_font, st.body_size)
            tx.textOut(mark.label[1:-1])
            tx.setFillColor(st.ink)
            tx.setFont(st.body_font, st.body_size, st.leading)
            column = mark.column + mark.width
        if row.text[column:].strip():
            tx.setTextOrigin(column * st.char, y)
            tx.textOut(row.text[column:])

    def _label(self, tx: PDFTextObject, block: Block, continued: bool, y: float) -> None:
        """The box label on its first row here: basis at the left, segment id at the right."""
        st = self.st
        label = f"{block.label} (continued)" if continued else block.label
        room = self.g.columns * st.char - 2 * st.char
        size = fit(label, st.label_font, st.label_size, room)
        tx.setFillColor(st.on_box)
        tx.setFont(st.label_font, size)
        tx.setTextOrigin(st.char, y)
        tx.textOut(label)
        ident = stringWidth(block.segment, st.label_font, size)
        if stringWidth(label, st.label_font, size) + ident + 4 * st.char <= room:
            tx.setTextOrigin(self.g.columns * st.char - st.char - ident, y)
            tx.textOut(block.segment)
        tx.setFillColor(st.ink)
        tx.setFont(st.body_font, st.body_size, st.leading)
