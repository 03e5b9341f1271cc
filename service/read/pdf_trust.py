"""Can a page's reading order be trusted? If not, its text goes to review.

:mod:`declass.service.read.pdf_lines` reads a page line by line, top to bottom, left to
right. That is the order a person reads a plain single-column page, and the
only one the parser can attach portion marks in. Where the page is laid out
otherwise, a line of text may join words from two paragraphs with different
marks, or a mark may land on the wrong paragraph. Rather than guess a better
order, the reader names the page's text untrusted and every portion on it
goes to a person (fail closed). The checks are deliberately simple:

- text in the margin: a line set out left of the edge most lines start at; a
  short block, a gutter, then text starting where other lines start (a mark
  beside its paragraph, or a hanging indent); or a block past the right edge
  of the prose, beside a line of prose;
- two text columns: a vertical gutter no line crosses, with prose on both
  sides of it in several lines, the left side at least a quarter of the
  text's width. Prose is three or more words at ordinary word spaces, so a
  table of codes two spaces apart (a cable's routing INFO block) or of short
  keys and values (``Passport No.:  A2112982``) does not count;
- overlapping text: glyphs drawn over other glyphs, or lines closer than a
  line can be;
- rotated text: glyphs turned or mirrored (a rotated page included);
- text outside the page: glyphs a viewer would not show;
- mixed font sizes on one line: a small mark beside large text, or the reverse.

A plain page of one font and one column, as reportlab draws it and as
declass's own PDF release is drawn, passes every check: the constants below
were set so that declass's PDF release of every corpus cable reads back with
no page held, and each check has a page in tests/read/test_pdf_layout.py that it
must catch.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from declass.rules.untrusted import UntrustedReason
from declass.service.read.pdf_lines import Glyph, Line, Word

#: A gutter is at least this share of the page's usual font size wide.
GUTTER = 0.8
#: ... and at least this many of the page's usual word spaces.
GUTTER_SPACES = 2.5
#: Words of one sentence are at most this many usual word spaces apart.
PROSE_SPACES = 1.8
#: A left column is at least this share of the text's width (a table's keys are narrower).
COLUMN_SHARE = 0.25
#: Words in a run of prose.
PROSE_WORDS = 3
#: Lines of prose needed on each side of a gutter before the page has two columns.
COLUMN_LINES = 2
#: Plain prose lines that must set the body's right edge before anything is right of it.
MARGIN_PROSE_LINES = 4
#: A margin mark is at most this many gutters wide ...
MARGIN_WIDTH = 4
#: ... and the text beside it starts where at least this many other lines start.
MARGIN_EDGE_LINES = 2
#: Baselines closer than this share of the font size overlap.
LINE_OVERLAP = 0.7
#: Largest font size over smallest, on one line.
SIZE_RATIO = 1.6
#: A glyph may lean like an italic; more than this, or any turn, is rotated.
MAX_SKEW = 0.4
#: Points a glyph may stick out of the page (rounding of the page box).
PAGE_SLACK = 1.0

Box = tuple[float, float, float, float]


def untrusted_reasons(lines: list[Line], box: Box | None) -> list[UntrustedReason]:
    """Why the page's order cannot be trusted, in a fixed order; empty when it can."""
    if not lines:
        return []
    spacing = _spacing(lines)
    checks: list[tuple[UntrustedReason, Callable[[], bool]]] = [
        ("text in the margin", lambda: _margin_text(lines, spacing)),
        ("two text columns", lambda: _two_columns(lines, spacing)),
        ("overlapping text", lambda: _overlapping(lines)),
        ("rotated text", lambda: any(_turned(g) for line in lines for g in line.glyphs)),
        ("text outside the page", lambda: box is not None and _outside(lines, box)),
        ("mixed font sizes on one line", lambda: any(_mixed_sizes(line) for line in lines)),
    ]
    return [reason for reason, check in checks if check()]


@dataclass(frozen=True)
class _Spacing:
    """The page's measures: ``gutter`` is the narrowest gap that separates blocks of
    text, ``prose`` the widest that still separates two words of one sentence."""

    gutter: float
    prose: float


def _spacing(lines: list[Line]) -> _Spacing:
    """Gutters are wider than the page's usual word space (two spaces in Courier are
    not a gutter) and than a share of its usual font size; prose gaps are about one
    word space (a table's cells, two or more spaces apart, are not prose)."""
    size = statistics.median(g.size for line in lines for g in line.glyphs)
    gaps = [b.x0 - a.x1 for line in lines for a, b in pairwise(line.words)]
    space = statistics.median(gaps) if gaps else 0.0
    return _Spacing(gutter=max(GUTTER * size, GUTTER_SPACES * space), prose=PROSE_SPACES * space)


# -- columns -------------------------------------------------------------------


def _two_columns(lines: list[Line], spacing: _Spacing) -> bool:
    gutter = spacing.gutter
    for edge in _candidate_edges(lines, gutter):
        left = right = 0
        for line in lines:
            if _crosses(line, edge, gutter):
                left = right = 0
                continue
            left += _prose([w for w in line.words if w.x1 <= edge - gutter], spacing)
            right += _prose([w for w in line.words if w.x0 >= edge], spacing)
            if left >= COLUMN_LINES and right >= COLUMN_LINES:
                return True
    return False


def _candidate_edges(lines: list[Line], gutter: float) -> set[float]:
    """Where a right-hand column could start: a word after a gutter, or an indented line,
    far enough right that the text left of it is a column, not a table's key or a label."""
    page_left = min(line.x0 for line in lines)
    least = page_left + COLUMN_SHARE * (max(line.x1 for line in lines) - page_left)
    edges: set[float] = set()
    for line in lines:
        if line.x0 >= page_left + gutter:
            edges.add(line.x0)
        for before, word in pairwise(line.words):
            if word.x0 - before.x1 >= gutter:
                edges.add(word.x0)
    return {edge for edge in edges if edge >= least}


def _crosses(line: Line, edge: float, gutter: float) -> bool:
    """True when a word of the line lies in the gutter just left of ``edge``."""
    return any(w.x0 < edge and w.x1 > edge - gutter for w in line.words)


def _prose(words: list[Word], spacing: _Spacing) -> int:
    """1 when the words hold a run of PROSE_WORDS at ordinary word spaces: text, not a
    table's cells (two spaces or more apart) nor its short keys and values."""
    run = 1
    for a, b in pairwise(words):
        run = run + 1 if b.x0 - a.x1 <= spacing.prose else 1
        if run >= PROSE_WORDS:
            return 1
    return 0


# -- margins -------------------------------------------------------------------


def _margin_text(lines: list[Line], spacing: _Spacing) -> bool:
    """Words left of the edge most lines start at, or right of the prose block beside a
    line of it, with a gutter between them and the body."""
    gutter = spacing.gutter
    starts = Counter(round(line.x0) for line in lines)
    left, count = max(starts.items(), key=lambda item: (item[1], -item[0]))
    body = count >= max(MARGIN_PROSE_LINES, len(lines) / 3)  # an edge most lines share
    # Set out: the line's first block (up to a gutter) ends before the edge; a line of
    # prose that merely starts further left (an outdent) runs across it.
    if body and any(_blocks(line, gutter)[0][-1].x1 <= left - gutter for line in lines):
        return True
    if any(_beside_an_edge(line, starts, gutter) for line in lines):
        return True
    plain = [
        line for line in lines if len(_blocks(line, gutter)) == 1 and _prose(line.words, spacing)
    ]
    if len(plain) < max(MARGIN_PROSE_LINES, len(lines) / 2):
        return False  # no prose block to be beside (a page of boxes and labels)
    body_left, body_right = min(ln.x0 for ln in plain), max(ln.x1 for ln in plain)
    half = (body_right - body_left) / 2
    for line in lines:
        if line.x0 >= body_right + gutter:
            return True
        blocks = _blocks(line, gutter)
        # The last block of a line, past the prose, beside a run of prose (not a table row).
        if len(blocks) > 1 and blocks[-1][0].x0 >= body_right + gutter:
            beside = blocks[-2][-1].x1 - blocks[0][0].x0
            if beside >= half and _prose(blocks[-2], spacing):
                return True
    return False


def _beside_an_edge(line: Line, starts: Counter[int], gutter: float) -> bool:
    """A short block, a gutter, then text starting where other lines start: a mark
    set out in the margin of its paragraph (or a hanging indent, which reads the same)."""
    blocks = _blocks(line, gutter)
    if len(blocks) < 2:
        return False
    first, second = blocks[0], blocks[1]
    edge = round(second[0].x0)
    others = sum(starts[x] for x in (edge - 1, edge, edge + 1))
    return first[-1].x1 - first[0].x0 <= MARGIN_WIDTH * gutter and others >= MARGIN_EDGE_LINES


def _blocks(line: Line, gutter: float) -> list[list[Word]]:
    """The line's words in runs split at gutters."""
    blocks = [[line.words[0]]]
    for before, word in pairwise(line.words):
        if word.x0 - before.x1 >= gutter:
            blocks.append([word])
        else:
            blocks[-1].append(word)
    return blocks


# -- glyphs --------------------------------------------------------------------


def _overlapping(lines: list[Line]) -> bool:
    for line in lines:
        for a, b in pairwise(line.glyphs):
            narrow = min(a.x1 - a.x0, b.x1 - b.x0)
            if narrow > 0 and a.x1 - b.x0 > 0.5 * narrow:
                return True
    return any(
        upper.baseline - lower.baseline < LINE_OVERLAP * max(upper.size, lower.size)
        for upper, lower in pairwise(lines)
    )


def _turned(glyph: Glyph) -> bool:
    a, b, c, d, _, _ = glyph.matrix
    return a <= 0 or d <= 0 or abs(b) > 0.05 * a or abs(c) > MAX_SKEW * d


def _outside(lines: list[Line], box: Box) -> bool:
    left, bottom, right, top = box
    return any(
        g.x0 < left - PAGE_SLACK
        or g.y0 < bottom - PAGE_SLACK
        or g.x1 > right + PAGE_SLACK
        or g.y1 > top + PAGE_SLACK
        for line in lines
        for g in line.glyphs
    )


def _mixed_sizes(line: Line) -> bool:
    sizes = [g.size for g in line.glyphs]
    return max(sizes) > SIZE_RATIO * min(sizes)
