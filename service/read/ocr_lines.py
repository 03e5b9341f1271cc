"""OCR word boxes -> text lines, and the ranges of that text a reviewer must confirm.

Tesseract reports words with a box and a confidence; it does not know what a
classification marking is. A misread marking is the dangerous error here:
``(S)`` read as ``(U)``, or a banner read as noise, turns a classified portion
into a releasable one. So OCR text fails closed. A line is *uncertain* (its
whole range goes to review, since a line that opens a portion carries the
portion's marking) when a word Tesseract was unsure of stands where a marking
stands: among the first words of the line, in or next to parentheses, or
holding a ``/``; or when the line looks like a banner (a short line of
capitals at the top or bottom of a page, or typed letter by letter anywhere)
and any word in it is unsure. A page
whose mean confidence is low is uncertain as a whole, and a page where no word
was read at all gets an empty range so that the gap is visible.

This module is pure (no Tesseract, no images): it reads the table that
``pytesseract.image_to_data`` returns, so it is tested with tables we write.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: A word below this confidence (0-100) near a marking position sends its line to review.
WORD_CONFIDENCE = 80.0
#: A page whose words average below this is uncertain as a whole.
PAGE_CONFIDENCE = 60.0
#: Words at the start of a line where a paragraph number and portion mark stand.
MARKING_WORDS = 3
#: Lines at the top and at the bottom of a page where a banner stands.
BANNER_LINES = 2
#: A banner is short: at most this many characters.
BANNER_CHARS = 60
#: A vertical gap larger than this many line heights between two lines is a blank line.
BLANK_LINE_GAP = 1.0
#: Tesseract's word level in the image_to_data table.
_WORD_LEVEL = 5


@dataclass(frozen=True, slots=True)
class Uncertain:
    """A character range of the OCR text [start, end) that must go to review, and why."""

    start: int
    end: int
    page: int
    reason: str


@dataclass(frozen=True, slots=True)
class Word:
    """One word Tesseract read: its text, confidence and box in page pixels."""

    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Line:
    """The words of one text line, in reading order, and the paragraph it belongs to."""

    words: tuple[Word, ...]
    paragraph: tuple[int, int]

    @property
    def top(self) -> int:
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> int:
        return max(word.top + word.height for word in self.words)

    @property
    def height(self) -> int:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class PageText:
    """The text of one page and its uncertain ranges, offsets relative to the page text."""

    text: str
    uncertain: tuple[Uncertain, ...]


def read_lines(table: Mapping[str, Sequence[Any]]) -> list[Line]:
    """The word lines of one page in Tesseract's reading order (block, paragraph, line).

    Words with empty text are dropped; Tesseract reports layout boxes the same way.
    """
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for i, level in enumerate(table["level"]):
        text = str(table["text"][i]).strip()
        if int(level) != _WORD_LEVEL or not text:
            continue
        key = (int(table["block_num"][i]), int(table["par_num"][i]), int(table["line_num"][i]))
        word = Word(
            text=text,
            conf=float(table["conf"][i]),
            left=int(table["left"][i]),
            top=int(table["top"][i]),
            width=int(table["width"][i]),
            height=int(table["height"][i]),
        )
        lines.setdefault(key, []).append(word)
    return [Line(tuple(words), (key[0], key[1])) for key, words in lines.items()]


def join_words(words: Sequence[Word]) -> str:
    """The words of a line joined by spaces, except across a slash with no gap.

    Tesseract splits ``SECRET//NOFORN`` in a typewriter face into ``SECRET``,
    ``/`` and ``/NOFORN``; without this the banner reads ``SECRET / /NOFORN``.
    Only a boundary that touches a slash and is narrower than one character is
    joined (a typed space is a whole character cell, and a slash glyph sits in
    the middle of its cell), so ordinary words never run together.
    """
    if not words:
        return ""
    char_width = statistics.median(w.width / len(w.text) for w in words)
    parts = [words[0].text]
    for previous, word in itertools.pairwise(words):
        gap = word.left - (previous.left + previous.width)
        touches_slash = previous.text.endswith("/") or word.text.startswith("/")
        if not (touches_slash and gap < char_width):
            parts.append(" ")
        parts.append(word.text)
    return "".join(parts)


def page_text(table: Mapping[str, Sequence[Any]], page: int) -> PageText:
    """The text of one page (lines ending in newlines) and its uncertain ranges."""
    lines = read_lines(table)
    if not lines:
        return PageText("", (Uncertain(0, 0, page, "no-text-read"),))
    out: list[str] = []
    offset = 0
    uncertain: list[Uncertain] = []
    for index, line in enumerate(lines):
        if index and _is_new_block(lines[index - 1], line):
            out.append("\n")
            offset += 1
        text = join_words(line.words)
        reason = line_doubt(line, text, at_edge=_is_edge(index, len(lines)))
        if reason is not None:
            uncertain.append(Uncertain(offset, offset + len(text), page, reason))
        out.append(text + "\n")
        offset += len(text) + 1
    confidences = [word.conf for line in lines for word in line.words]
    if statistics.fmean(confidences) < PAGE_CONFIDENCE:
        uncertain = [Uncertain(0, offset, page, "low-confidence-page")]
    return PageText("".join(out), tuple(uncertain))


def line_doubt(line: Line, text: str, *, at_edge: bool) -> str | None:
    """Why a line must go to review, or None when no unsure word stands near a marking."""
    unsure = [i for i, word in enumerate(line.words) if word.conf < WORD_CONFIDENCE]
    if not unsure:
        return None
    if is_banner_like(text) and (at_edge or is_letter_spaced(line.words)):
        return "low-confidence-banner"
    if any(_is_marking_position(line.words, i) for i in unsure):
        return "low-confidence-marking"
    return None


def is_banner_like(text: str) -> bool:
    """A short line whose letters are (nearly) all capitals, as banners are."""
    letters = [char for char in text if char.isalpha()]
    if not letters or len(text) > BANNER_CHARS:
        return False
    capitals = sum(char.isupper() for char in letters)
    return capitals >= 0.8 * len(letters)


def is_letter_spaced(words: Sequence[Word]) -> bool:
    """A cable banner typed letter by letter (``C O N F I D E N T I A L``), wherever it stands."""
    return len(words) >= 4 and all(len(word.text) == 1 for word in words)


def _is_marking_position(words: Sequence[Word], index: int) -> bool:
    if index < MARKING_WORDS or "/" in words[index].text:
        return True
    neighbours = words[max(index - 1, 0) : index + 2]
    return any("(" in word.text or ")" in word.text for word in neighbours)


def _is_edge(index: int, count: int) -> bool:
    return index < BANNER_LINES or index >= count - BANNER_LINES


def _is_new_block(previous: Line, line: Line) -> bool:
    """A blank line between paragraphs: a new Tesseract paragraph or a tall vertical gap."""
    if line.paragraph != previous.paragraph:
        return True
    gap = line.top - previous.bottom
    return gap > BLANK_LINE_GAP * max(previous.height, 1)
