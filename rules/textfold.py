"""A folded copy of a document's text, with a map back to the original offsets.

A reviewer asks to redact "Aurelia Bouchez"; the document may write it with
``é`` as one code point or as ``e`` plus a combining accent, with a zero-width
space or a soft hyphen inside, or broken at a line end (``Bou-\\nchez``). A
search of the raw text misses every one of those, and a missed name is
published. Span redactions therefore search a folded copy — compatibility
decomposition (NFKD) of each character with its combining marks, invisible
format characters dropped, line-end hyphenation undone — and map every match
back to the range of the original text it came from, so that the whole of the
original spelling is withheld.

Folding is linear: one regular-expression scan finds the places where the
folded text differs from the original, and everything between them is copied
as one run. The map is a list of runs, looked up by bisection.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass

#: Format characters that show nothing: soft hyphen, zero-width space, non-joiner,
#: joiner, word joiner, and the byte-order mark used as a zero-width no-break space.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
#: Hyphens that end a line inside a word: hyphen-minus, soft hyphen, Unicode hyphen.
_HYPHENS = "-\u00ad\u2010"


@functools.lru_cache(maxsize=256)
def _special(hyphens: str, invisible: str, changing: str) -> re.Pattern[str] | None:
    """The places folding changes a text holding ``hyphens``, ``invisible`` characters
    and the non-ASCII characters ``changing`` that folding changes (None: nowhere).

    Only characters the text holds are searched for: a character class of every
    non-ASCII character made the scan several times slower, and cables hold ``¶``
    on every paragraph. Every branch opens with a character class.
    """
    around = rf"\w\u0300-\u036f{INVISIBLE}"
    drops = []
    if hyphens:
        # Line-end hyphenation: a hyphen after a letter, its accent or an invisible
        # character, then a line break, then a letter.
        drops.append(
            rf"[{hyphens}](?<=[{around}][{hyphens}])[ \t{INVISIBLE}]*\n[\s{INVISIBLE}]*(?=\w)"
        )
    if invisible.replace("\u00ad", ""):
        drops.append(f"[{invisible.replace(chr(0xAD), '')}]+")
    if "\u00ad" in invisible:
        drops.append("\u00ad")  # alone, so that one before a line break is a hyphen there
    branches = ["(?P<drop>" + "|".join(drops) + ")"] if drops else []
    if changing:
        branches.append("[" + "".join(re.escape(c) for c in changing) + "]+")
    return re.compile("|".join(branches)) if branches else None


def _changes(char: str) -> bool:
    return (
        char not in INVISIBLE
        and char != "\u2010"
        and (unicodedata.combining(char) != 0 or unicodedata.normalize("NFKD", char) != char)
    )


@dataclass(frozen=True)
class FoldedText:
    """``text`` folded; run ``i`` maps folded offsets from ``starts[i]`` to the
    original range ``origins[i]``, one to one where ``identity[i]``, as a block otherwise."""

    text: str
    starts: tuple[int, ...]
    origins: tuple[tuple[int, int], ...]
    identity: tuple[bool, ...]

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original range that folded ``[start, end)`` came from (``end > start``)."""
        return self._at(start)[0], self._at(end - 1)[1]

    def _at(self, position: int) -> tuple[int, int]:
        run = bisect.bisect_right(self.starts, position) - 1
        lo, hi = self.origins[run]
        if self.identity[run]:
            at = lo + position - self.starts[run]
            return at, at + 1
        return lo, hi


class _Builder:
    """Collects the folded text and its runs; adjacent identity runs are merged."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.starts: list[int] = []
        self.origins: list[tuple[int, int]] = []
        self.identity: list[bool] = []

    def copy(self, text: str, lo: int, hi: int) -> None:
        if hi <= lo:
            return
        if self.identity and self.identity[-1] and self.origins[-1][1] == lo:
            self.origins[-1] = (self.origins[-1][0], hi)
        else:
            self._run(lo, hi, identity=True)
        self._emit(text[lo:hi])

    def block(self, text: str, lo: int, hi: int, folded: str) -> None:
        """``text[lo:hi]`` folds to ``folded``: a run of its own unless it did not change."""
        if folded == text[lo:hi]:
            self.copy(text, lo, hi)
        elif folded:
            self._run(lo, hi, identity=False)
            self._emit(folded)

    def _run(self, lo: int, hi: int, *, identity: bool) -> None:
        self.starts.append(self.length)
        self.origins.append((lo, hi))
        self.identity.append(identity)

    def _emit(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)

    def result(self) -> FoldedText:
        return FoldedText(
            "".join(self.parts), tuple(self.starts), tuple(self.origins), tuple(self.identity)
        )


def fold_text(text: str) -> FoldedText:
    """Fold ``text`` for span matching (see the module docstring)."""
    out = _Builder()
    cursor = 0
    held = set(text)
    pattern = _special(
        "".join(c for c in _HYPHENS if c in held),
        "".join(c for c in INVISIBLE if c in held),
        "".join(sorted(c for c in held if not c.isascii() and _changes(c))),
    )
    for match in pattern.finditer(text) if pattern is not None else ():
        start, end = match.start(), match.end()
        if match.lastgroup == "drop":
            out.copy(text, cursor, start)
        else:
            # A combining mark at the start of the run belongs to the ASCII letter before it.
            if start > cursor and unicodedata.combining(text[start]):
                start -= 1
            out.copy(text, cursor, start)
            _clusters(out, text, start, end)
        cursor = end
    out.copy(text, cursor, len(text))
    return out.result()


def _clusters(out: _Builder, text: str, start: int, end: int) -> None:
    """Normalise ``text[start:end]`` one base character and its combining marks at a time."""
    lo = start
    for at in range(start + 1, end + 1):
        if at == end or not unicodedata.combining(text[at]):
            out.block(text, lo, at, unicodedata.normalize("NFKD", text[lo:at]))
            lo = at


def fold_phrase(phrase: str) -> str:
    """A reviewer's phrase folded the same way as the text it is searched in."""
    return fold_text(phrase).text
