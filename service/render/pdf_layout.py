"""Released pieces -> rows of a fixed-width page: the geometry of the PDF release.

This module knows characters and columns, not points or reportlab, so the
layout can be reasoned about (and tested) on its own. Courier is monospaced,
so a column count is exact: a row is at most ``width`` characters.

Three guarantees are decided here rather than in the drawing code:

- Nothing lost: every released character lands in exactly one row, lines
  keep their breaks and indentation, and over-long lines wrap at spaces with
  continuation rows indented like the line they continue.
- No length leaks: a span redaction is its label in brackets (the same mark
  as the text release), so it is as wide as its label whatever it hides; a
  withheld body becomes a :class:`Block` whose only measure is the number of
  lines the text release states for it (the body wrapped at
  :data:`declass.rules.wrap.WITHHELD_COLUMNS`).
- True removal: withheld text is measured once, by the rules
  (:func:`declass.rules.wrap.count_rows` into the decision's ``lines``), and
  only that count reaches a :class:`Row`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from declass.rules.release import SpanRedaction
from declass.rules.wrap import count_rows, display, indent_of, wrap
from declass.service.render.pieces import Piece, ReviewMark, Withheld, box_label, span_mark

__all__ = ["Block", "Mark", "Row", "block_label", "count_rows", "layout", "wrap"]


@dataclass(frozen=True)
class Mark:
    """A span redaction on a row: ``width`` columns from ``column``, showing ``label``."""

    column: int
    width: int
    label: str


@dataclass(frozen=True)
class Block:
    """A withheld or reviewed segment body, drawn as a full-width box of ``rows`` rows."""

    segment: str
    label: str
    rows: int


@dataclass(frozen=True)
class Row:
    """One row of the page: released text with span marks, or a slice of a block.

    ``text`` holds the released characters with each span shown as its mark;
    ``keep_with_next`` ties a paragraph label to the block that follows it, so
    a page never ends on ``¶3. (C)`` with the box on the next page.
    """

    text: str = ""
    marks: tuple[Mark, ...] = ()
    block: Block | None = None
    index: int = 0
    keep_with_next: bool = False


def layout(pieces: Iterable[Piece], text: str, width: int) -> list[Row]:
    """Rows of the released document at ``width`` columns."""
    builder = _Builder(width)
    for piece in pieces:
        _add(builder, piece)
    return builder.finish()


def _add(builder: _Builder, piece: Piece) -> None:
    if isinstance(piece, str):
        builder.add_text(piece)
    elif isinstance(piece, SpanRedaction):
        builder.add_mark(span_mark(piece))
    elif isinstance(piece, ReviewMark):
        builder.add_text(piece.text)
    else:
        # The box is as high as the text release counts the body (rules.wrap), so
        # both formats say the same number of lines whatever the page's column.
        builder.add_block(piece, max(piece.decision.lines, 1))


def block_label(withheld: Withheld) -> str:
    """What a box says: ``PENDING REVIEW`` or the basis, e.g. ``(b)(1) 1.4(b), 1.4(d)``."""
    return box_label(withheld.decision)


class _Builder:
    """Accumulates pieces into logical lines and wraps each into rows."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.rows: list[Row] = []
        self.line = ""
        self.marks: list[tuple[int, int, str]] = []
        self.after_block = False

    def add_text(self, piece: str) -> None:
        first, *rest = piece.split("\n")
        self._extend(first)
        for part in rest:
            self._end_line()
            self._extend(part)

    def add_mark(self, label: str) -> None:
        self.after_block = False
        self.marks.append((len(self.line), len(self.line) + len(label), label))
        self.line += label

    def add_block(self, withheld: Withheld, rows: int) -> None:
        """A box on rows of its own: the label line before it stays as text."""
        if self.line.strip() or self.marks:
            self._flush(keep_with_next=True)
        self.line, self.marks = "", []
        block = Block(withheld.segment.id, block_label(withheld), rows)
        self.rows.extend(Row(block=block, index=i) for i in range(rows))
        self.after_block = True

    def finish(self) -> list[Row]:
        if self.line or self.marks:
            self._flush()
        return self.rows

    def _extend(self, part: str) -> None:
        if part:
            self.after_block = False
            # Printable ASCII holds no tab or control character: display() leaves it as is.
            plain = part.isascii() and part.isprintable()
            self.line += part if plain else self._display(part)

    def _display(self, part: str) -> str:
        return display(part, len(self.line))

    def _end_line(self) -> None:
        """A newline: the block that just ended already occupies its own rows."""
        if self.after_block and not self.line and not self.marks:
            self.after_block = False
            return
        self._flush()

    def _flush(self, keep_with_next: bool = False) -> None:
        line, marks = self.line, self.marks
        self.line, self.marks = "", []
        if not marks and len(line) <= self.width:
            # One row, as wrap() gives it: the usual line, without the wrapping machinery.
            self.rows.append(Row(line.rstrip(" "), (), keep_with_next=keep_with_next))
            return
        self._wrap(line, marks, keep_with_next)

    def _wrap(self, line: str, marks: list[tuple[int, int, str]], keep_with_next: bool) -> None:
        """The line's rows, wrapped at spaces, span marks never split."""
        protected = tuple((start, end) for start, end, _ in marks)
        slices = wrap(line, self.width, protected)
        pad = " " * indent_of(line, self.width)
        for number, (start, end) in enumerate(slices):
            lead = pad if number else ""
            row_marks = tuple(
                Mark(len(lead) + m_start - start, m_end - m_start, label)
                for m_start, m_end, label in marks
                if start <= m_start < end
            )
            last = number == len(slices) - 1
            text = lead + line[start:end]
            self.rows.append(
                Row(text.rstrip(" "), row_marks, keep_with_next=keep_with_next and last)
            )


def layout_by_segment(
    groups: Iterable[tuple[str, Iterable[Piece]]], text: str, width: int
) -> tuple[list[Row], dict[str, int]]:
    """:func:`layout`, and for each segment the row its first character lands on.

    A segment that starts a line (nearly all do) gets its exact row; one that starts
    inside a line gets the first row of that line.
    """
    builder = _Builder(width)
    starts: dict[str, int] = {}
    for segment_id, pieces in groups:
        starts[segment_id] = len(builder.rows)
        for piece in pieces:
            _add(builder, piece)
    return builder.finish(), starts


def page_numbers(rows: list[Row], first_rows: int, later_rows: int) -> list[int]:
    """The page (from 1) each row is drawn on: the first page holds ``first_rows`` rows,
    the others ``later_rows``, and a page that would end on a row kept with the next (a
    paragraph label above its box) ends one row early, as the PDF's row flowable splits."""
    pages: list[int] = []
    page, room = 1, first_rows
    while len(rows) - len(pages) > room:
        take = room
        if take > 1 and rows[len(pages) + take - 1].keep_with_next:
            take -= 1
        pages.extend([page] * take)
        page, room = page + 1, later_rows
    pages.extend([page] * (len(rows) - len(pages)))
    return pages
