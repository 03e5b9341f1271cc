"""Glyphs of a PDF page -> lines of text, in the order a person reads them.

A PDF's content stream may draw its text in any order: a paragraph before
its portion mark, the last line first, a margin mark after the paragraph
beside it. Reading the stream in order can put a classified paragraph under
a ``(U)`` mark. So the reader ignores drawing order: it collects every glyph
with its box (pdfminer.six, no layout analysis), groups glyphs into lines by
baseline, sorts each line left to right and the lines top to bottom, and
turns the gaps between words back into spaces. Whether that order can be
trusted is :mod:`declass.service.read.pdf_trust`'s question.

Offsets matter downstream (review tools quote by code point), so the text is
already what :func:`declass.rules.parse.normalise` would make of it: LF line ends
only, no byte-order mark, no carriage returns inside a line.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from pdfminer.layout import LTChar, LTContainer, LTPage

#: Glyphs whose baselines differ by less than this share of their size are on one line.
SAME_LINE = 0.5
#: A gap wider than this share of the font size ends a word.
WORD_GAP = 0.15
#: The most spaces (or blank lines) one gap turns into: a far-away glyph cannot blow up the text.
MAX_RUN = 120
MAX_BLANK_LINES = 4
#: Characters inside a glyph's text that would break a line or shift offsets.
_BLANKS = str.maketrans(dict.fromkeys("\r\n\t\ufeff", " "))


@dataclass(frozen=True, slots=True)
class Glyph:
    """One drawn character: its text, box, font size, baseline and advance."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    baseline: float
    advance: float
    matrix: tuple[float, float, float, float, float, float]


@dataclass(frozen=True, slots=True)
class Word:
    """Glyphs with no word space between them, left to right; ``x1`` is their right edge."""

    glyphs: tuple[Glyph, ...]
    x0: float
    x1: float

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)


@dataclass(slots=True)
class Line:
    """Glyphs on one baseline, left to right, split into words."""

    baseline: float
    glyphs: list[Glyph] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    x0: float = 0.0
    x1: float = 0.0
    size: float = 0.0


def page_glyphs(page: LTPage) -> list[Glyph]:
    """Every visible character the page draws (forms included), whitespace left out:
    spaces are read back from the gaps between glyphs, not from the stream."""
    return [_glyph(char) for char in _chars(page) if _readable(char.get_text())]


def _chars(item: Any) -> Iterator[LTChar]:
    for child in item:
        if isinstance(child, LTChar):
            yield child
        elif isinstance(child, LTContainer):
            yield from _chars(child)


def _readable(text: str) -> bool:
    return bool(text) and not text.isspace() and text != "\ufeff"


def _glyph(char: LTChar) -> Glyph:
    a, b, c, d, e, f = (float(v) for v in char.matrix)
    # The baseline of an upright glyph is its origin; otherwise the bottom of its box.
    upright = a > 0 and d > 0 and abs(b) < 1e-6 and abs(c) < 1e-6
    text = char.get_text().translate(_BLANKS)
    return Glyph(
        text=text,
        x0=float(char.x0),
        y0=float(char.y0),
        x1=float(char.x1),
        y1=float(char.y1),
        size=max(float(char.size), 0.1),
        baseline=f if upright else float(char.y0),
        advance=abs(float(char.adv)),
        matrix=(a, b, c, d, e, f),
    )


def build_lines(glyphs: list[Glyph]) -> list[Line]:
    """Lines top to bottom, each left to right, whatever order the glyphs were drawn in."""
    lines: list[Line] = []
    for glyph in sorted(glyphs, key=lambda g: (-g.baseline, g.x0)):
        line = lines[-1] if lines else None
        if line is None or line.baseline - glyph.baseline > SAME_LINE * glyph.size:
            line = Line(baseline=glyph.baseline)
            lines.append(line)
        line.glyphs.append(glyph)
    for line in lines:
        line.glyphs = _drop_restrikes(sorted(line.glyphs, key=lambda g: (g.x0, g.x1)))
        line.words = _words(line.glyphs)
        line.x0, line.x1 = line.words[0].x0, max(w.x1 for w in line.words)
        line.size = max(g.size for g in line.glyphs)
    return lines


def _words(glyphs: list[Glyph]) -> list[Word]:
    words: list[Word] = []
    run: list[Glyph] = []
    end = float("-inf")
    for glyph in glyphs:
        if run and glyph.x0 - end > WORD_GAP * glyph.size:
            words.append(Word(tuple(run), run[0].x0, end))
            run = []
        end = max(end, glyph.x1) if run else glyph.x1
        run.append(glyph)
    if run:
        words.append(Word(tuple(run), run[0].x0, end))
    return words


def _drop_restrikes(glyphs: list[Glyph]) -> list[Glyph]:
    """A glyph drawn again almost on top of itself (a bold effect) is read once."""
    kept: list[Glyph] = []
    for glyph in glyphs:
        last = kept[-1] if kept else None
        if (
            last is not None
            and last.text == glyph.text
            and abs(last.x0 - glyph.x0) < 0.2 * glyph.size
            and abs(last.baseline - glyph.baseline) < 0.2 * glyph.size
        ):
            continue
        kept.append(glyph)
    return kept


def page_text(lines: list[Line]) -> str:
    """The page as text: indentation and gaps as spaces, wide line gaps as blank lines."""
    if not lines:
        return ""
    unit = _char_width(lines)
    leading = _leading(lines)
    left = min(line.x0 for line in lines)
    out: list[str] = []
    previous: Line | None = None
    for line in lines:
        if previous is not None and leading > 0:
            skipped = round((previous.baseline - line.baseline) / leading) - 1
            out.extend([""] * max(0, min(skipped, MAX_BLANK_LINES)))
        parts = [" " * _spaces(line.x0 - left, unit, minimum=0)]
        end = None
        for word in line.words:
            if end is not None:
                parts.append(" " * _spaces(word.x0 - end, unit, minimum=1))
            parts.append(word.text)
            end = word.x1
        out.append("".join(parts))
        previous = line
    return "\n".join(out)


def _char_width(lines: list[Line]) -> float:
    """A typical character's advance: exact for Courier, a fair guess for other fonts."""
    advances = [g.advance for line in lines for g in line.glyphs if g.advance > 0]
    return max(statistics.median(advances), 0.5) if advances else 6.0


def _leading(lines: list[Line]) -> float:
    """The usual distance between consecutive baselines: the most common one (the
    smallest of equals), since paragraphs skip lines and short pages have few steps."""
    steps = Counter(round(a.baseline - b.baseline, 1) for a, b in pairwise(lines))
    if not steps:
        return 0.0
    return max(steps.items(), key=lambda item: (item[1], -item[0]))[0]


def _spaces(gap: float, unit: float, minimum: int) -> int:
    return max(minimum, min(MAX_RUN, round(gap / unit)))
