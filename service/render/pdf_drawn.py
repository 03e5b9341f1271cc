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
#: Their encoding (WinAnsiEncoding), as Python names it.
WINANSI = "cp1252"
#: Two strings on one line read as one space between them when the gap is at least
#: this many times the larger font size (a reader inserts one space for a wide gap;
#: a narrow one it may or may not, so the drawn text does not answer then).
WIDE_GAP = 2.0
_SPACES = re.compile(" {2,}")


#: One string as drawn: the text object it belongs to, where it starts (y, x), the
#: string, its font and size.
Run = tuple[int, float, float, str, str, float]


@dataclass
class Drawn:
    """The runs of one page, in drawing order; ``plain`` turns False for good at the
    first string the drawn text cannot vouch for."""

    runs: list[Run] = field(default_factory=list)
    plain: bool = True


class RecordingText(PDFTextObject):
    """A text object that notes every string it draws on its canvas's :class:`Drawn`.

    A plain string in a release font is also written here, as reportlab writes it (one
    WinAnsi-encoded string shown with ``Tj``) without its general path (font look-up,
    substitute fonts); tests/render/test_pdf_drawn.py checks the bytes are the same.
    """

    def textLine(self, text: str = "") -> None:
        # reportlab's textLine: the cursor moves to the next line, then the text is shown
        # from where the cursor was.
        state: Any = self  # reportlab's private cursor and font, untyped
        x, y = state._x, state._y
        state._x = state._x0
        state._y = y - state._leading if state._canvas.bottomup else y + state._leading
        state._y0 = state._y
        state._code.append(f"{self._shown(text, x, y)} T*")

    def _formatText(self, text: str) -> str:
        state: Any = self
        return self._shown(text, state._x, state._y)

    def _shown(self, text: str, x: float, y: float) -> str:
        """The operators that show ``text`` from (x, y); the string noted on the page."""
        state: Any = self
        canvas, font = state._canvas, state._fontname
        plain = font in FONTS and PLAIN.issuperset(text)
        drawn: Drawn | None = getattr(canvas, "drawn", None)
        if drawn is not None and drawn.plain:
            if plain:
                drawn.runs.append((id(self), y, x, text, font, state._fontsize))
            else:
                drawn.plain = False
        if plain and text:
            # ASCII is the same bytes in WinAnsi; latin-1 is Python's fastest encoder.
            data = text.encode("latin-1" if text.isascii() else WINANSI)
            return f"({canvas._escape(data)}) Tj"
        base: Any = PDFTextObject
        written: str = base._formatText(self, text)
        return written


def page_text(drawn: Drawn, code: list[str]) -> str | None:
    """A page's text as PDFium extracts it, or None where that is not plain.

    ``code`` is the page's content as written: every operator that shows text on it
    (``Tj``, ``TJ``) must be one a noted string wrote, so text drawn by a path that
    bypassed the recorder can never go unread (a page that shows the sequence in its
    own text counts more, and is read back).
    """
    if not drawn.plain:
        return None
    written = " ".join(code)
    shown = written.count(" Tj") + written.count(" TJ")
    if shown != sum(1 for run in drawn.runs if run[3]):
        return None
    lines: list[str] = []
    last: Run | None = None
    for run in drawn.runs:
        owner, y, x, text, _, size = run
        if not text:
            continue  # nothing drawn: a reader sees no object there
        if last is not None and (owner, y) == last[:2]:
            end = last[2] + stringWidth(last[3], last[4], last[5])
            wide = x - end >= WIDE_GAP * max(size, last[5])
            if not wide or last[3].endswith(" ") or text.startswith(" "):
                return None
            lines[-1] += " " + text
        elif (
            lines  # (none empty: empty runs are skipped above)
            and lines[-1][-1] in "- "
            and (joined := _hyphen_join(lines[-1], text)) is not None
        ):
            if not joined:
                return None
            lines[-1] = joined
        else:
            lines.append(text)
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


def drawn_text(pages: list[Drawn], codes: list[list[str]], document: Any) -> str | None:
    """Every page's text, then the document information; None where any is not plain.
    ``codes`` are the pages' content as written, ``document`` the canvas's reportlab
    document (its information and time stamp)."""
    if len(codes) != len(pages):
        return None
    parts = [page_text(page, code) for page, code in zip(pages, codes, strict=True)]
    parts.append(info_text(document))
    if any(part is None for part in parts):
        return None
    return "\n".join(part for part in parts if part is not None)
