"""What a PDF release says, from the strings handed to reportlab rather than read back.

Every string the renderer draws goes through one text object method
(``_formatText``), which :class:`RecordingText` notes down with the font and
the cursor before reportlab encodes it. :func:`drawn_text` lays the notes out
as a reader extracts them (PDFium: each text line in drawing order, a page's
lines joined by a line break, the document information after the pages),
so the gates can read the release without parsing the finished file.

It answers only where that is plain; otherwise it returns None and the
gates read the file back (:mod:`declass.service.render.pdf_gate`). Plain
means: every string is printable ASCII or a character the standard fonts
encode and readers give back as itself (:data:`PLAIN`; reportlab draws a
substitute glyph for anything else, and a reader extracts something else),
in one of the standard fonts the release uses, and two strings share a line
only across a gap a reader turns into exactly one space.
tests/render/test_pdf_drawn.py checks the answer against the read-back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.textobject import PDFTextObject

#: Characters outside printable ASCII that the release fonts encode (WinAnsiEncoding)
#: and that PDFium and pypdf both extract as themselves (tests/render/test_pdf_drawn.py).
PLAIN_EXTRA = (
    "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”–—˜™š›œžŸ"
    "¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ"
)
#: Every character a drawn string may hold for the drawn text to be taken as read.
PLAIN = frozenset(map(chr, range(0x20, 0x7F))) | frozenset(PLAIN_EXTRA)
#: The fonts the release draws with: standard Type 1 fonts, one byte per character.
FONTS = frozenset({"Courier", "Courier-Bold", "Helvetica", "Helvetica-Bold"})
#: Two strings on one line read as one space between them when the gap is at least
#: this many times the larger font size (a reader inserts one space for a wide gap;
#: a narrow one it may or may not, so the drawn text does not answer then).
WIDE_GAP = 2.0
_SPACES = re.compile(" {2,}")


@dataclass
class Run:
    """One string as drawn: the text object it belongs to and where it starts."""

    owner: int
    y: float
    x: float
    text: str
    font: str
    size: float


@dataclass
class Drawn:
    """The runs of one page, in drawing order; ``plain`` turns False for good at the
    first string the drawn text cannot vouch for."""

    runs: list[Run] = field(default_factory=list)
    plain: bool = True


class RecordingText(PDFTextObject):
    """A text object that notes every string it draws on its canvas's :class:`Drawn`."""

    _at: tuple[float, float] | None = None

    def textLine(self, text: str = "") -> None:
        # reportlab moves the cursor to the next line before it writes this one's text.
        state: Any = self
        self._at = (state._x, state._y)
        try:
            super().textLine(text)
        finally:
            self._at = None

    def _formatText(self, text: str) -> str:
        state: Any = self  # reportlab's private cursor and font, untyped
        drawn: Drawn | None = getattr(state._canvas, "drawn", None)
        if drawn is not None and drawn.plain:
            x, y = self._at or (state._x, state._y)
            font, size = state._fontname, state._fontsize
            if font in FONTS and PLAIN.issuperset(text):
                drawn.runs.append(Run(id(self), y, x, text, font, size))
            else:
                drawn.plain = False
        base: Any = PDFTextObject
        written: str = base._formatText(self, text)
        return written


def page_text(drawn: Drawn) -> str | None:
    """A page's text as PDFium extracts it, or None where that is not plain."""
    if not drawn.plain:
        return None
    lines: list[str] = []
    last: Run | None = None
    for run in drawn.runs:
        if not run.text:
            continue  # nothing drawn: a reader sees no object there
        if last is not None and (run.owner, run.y) == (last.owner, last.y):
            end = last.x + stringWidth(last.text, last.font, last.size)
            wide = run.x - end >= WIDE_GAP * max(run.size, last.size)
            if not wide or last.text.endswith(" ") or run.text.startswith(" "):
                return None
            lines[-1] += " " + run.text
        elif lines and (joined := _hyphen_join(lines[-1], run.text)) is not None:
            if not joined:
                return None
            lines[-1] = joined
        else:
            lines.append(run.text)
        last = run
    # A reader gives a run of spaces as one space (drawn glyphs, read back by position).
    return _SPACES.sub(" ", "\n".join(lines))


def _hyphen_join(line: str, following: str) -> str | None:
    """PDFium's line-end hyphen: a line ending in a letter and ``-`` (trailing spaces
    aside) runs on into a next line that starts with a letter or digit, the hyphen read
    as U+FFFE. The joined line; None where the lines stay apart; "" where the characters
    are outside ASCII, whose classes PDFium and Python may not agree on."""
    trimmed = line.rstrip(" ")
    if len(trimmed) < 2 or not trimmed.endswith("-"):
        return None
    before, first = trimmed[-2], following[0]
    if not before.isascii():
        return ""
    if not before.isalpha():
        return None
    if not first.isascii():
        return ""
    return trimmed[:-1] + "\ufffe" + following if first.isalnum() else None


def info_text(document: Any) -> str | None:
    """The document information as PDFium reads it: the entries in key order, the dates
    as reportlab writes them (fixed under ``invariant``)."""
    info, stamp = document.info, document._timeStamp
    date = "D:{:04d}{:02d}{:02d}{:02d}{:02d}{:02d}{:+03d}'{:02d}'".format(
        *stamp.YMDhms, stamp.dhh, stamp.dmm
    )
    entries = {
        "Author": info.author,
        "CreationDate": date,
        "Creator": info.creator,
        "Keywords": info.keywords,
        "ModDate": date,
        "Producer": info.producer,
        "Subject": info.subject,
        "Title": info.title,
    }
    values = [str(value) for _, value in sorted(entries.items())]
    if not all(PLAIN.issuperset(value) for value in values):
        return None
    return "\n".join(values)


def drawn_text(pages: list[Drawn], document: Any) -> str | None:
    """Every page's text, then the document information; None where any is not plain.
    ``document`` is the canvas's reportlab document (its information and time stamp)."""
    parts = [page_text(page) for page in pages]
    parts.append(info_text(document))
    if any(part is None for part in parts):
        return None
    return "\n".join(part for part in parts if part is not None)
