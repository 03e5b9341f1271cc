"""Text folded the way key 2 reads it, with the way back to the original offsets.

NFKD compatibility forms (full-width, small and mathematical letters), look-alike
letters of other scripts mapped to Latin, zero-width, soft-hyphen, bidi and
combining characters removed, and line-end hyphenation joined: what a reader
sees as ``(S//NF)`` is matched as ``(S//NF)``, whatever code points spell it.
ASCII text without line-end hyphens is returned as it is, at no cost.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

_CONFUSABLES = str.maketrans(
    {
        **dict.fromkeys("АΑᎪꓮ", "A"),
        **dict.fromkeys("ВΒᏴꓐ", "B"),
        **dict.fromkeys("СϹᏟꓚⅭ", "C"),
        **dict.fromkeys("ЕΕᎬꓰ", "E"),
        **dict.fromkeys("НΗᎻꓧ", "H"),
        **dict.fromkeys("ІΙӀꓲⅠ", "I"),
        **dict.fromkeys("ЈᎫꓙ", "J"),
        **dict.fromkeys("КΚᏦꓗ", "K"),
        **dict.fromkeys("ᏞꓡⅬ", "L"),
        **dict.fromkeys("МΜᎷꓟⅯ", "M"),
        **dict.fromkeys("Νꓠ", "N"),
        **dict.fromkeys("ОΟՕꓳ", "O"),
        **dict.fromkeys("РΡᏢꓑ", "P"),
        **dict.fromkeys("ЅᏚꓢ", "S"),
        **dict.fromkeys("ТΤᎢꓔ", "T"),
        **dict.fromkeys("Սꓴⴑ", "U"),
        **dict.fromkeys("ХΧꓫⅩ", "X"),
        **dict.fromkeys("УΥꓬ", "Y"),
        **dict.fromkeys("ΖꓜᏃ", "Z"),
        **dict.fromkeys("аα", "a"),
        **dict.fromkeys("сϲⅽ", "c"),
        **dict.fromkeys("еε", "e"),
        **dict.fromkeys("іι", "i"),
        **dict.fromkeys("ј", "j"),
        **dict.fromkeys("оοσ", "o"),
        **dict.fromkeys("рρ", "p"),
        **dict.fromkeys("ѕ", "s"),
        **dict.fromkeys("хχ", "x"),
        **dict.fromkeys("уγ", "y"),
        **dict.fromkeys("ᴜ", "u"),
        **dict.fromkeys("❨⟮⦅⸨", "("),
        **dict.fromkeys("❩⟯⦆⸩", ")"),
        **dict.fromkeys("∕⁄⧸╱", "/"),
        **dict.fromkeys("‐‑‒–—―−", "-"),
    }
)

#: Characters that need folding: any beyond ASCII except punctuation that can never take
#: part in a marking (the pilcrow and typographic quotes fill real cables). Most frequent
#: first: :func:`_needs_folding` stops counting once they account for every one.
_HARMLESS = "\u00b6\u2019\u201d\u201c\u2018\u2026\u00a7\u2022\u00b0"
_NON_ASCII = re.compile(f"[^\\x00-\\x7f{_HARMLESS}]+")
#: A hyphen that ends a line before a letter (the letter before it is checked apart, so that
#: the scan jumps from hyphen to hyphen).
_HYPHEN_BREAK = re.compile(r"-[ \t]*\n[ \t>|]*(?=[A-Za-z])")


def _through(anchors: tuple[tuple[int, int], ...], position: int) -> int:
    """Map ``position`` back through one fold's anchors (folded offset, earlier offset)."""
    index = bisect.bisect_right(anchors, (position, 1 << 62)) - 1
    if index < 0:
        return position
    folded_at, earlier_at = anchors[index]
    return earlier_at + (position - folded_at)


@dataclass(frozen=True)
class Folded:
    """Folded text and the way back: one table of anchors per folding step."""

    text: str
    layers: tuple[tuple[tuple[int, int], ...], ...] = ()

    def original(self, position: int) -> int:
        """The offset in the original text of a folded offset."""
        for anchors in reversed(self.layers):
            position = _through(anchors, position)
        return position


def _fold_char(ch: str) -> str:
    """One character as key 2 reads it: format and combining characters vanish."""
    if unicodedata.category(ch) in ("Cf", "Mn", "Me", "Cc"):
        return ""  # zero-width, soft hyphen, bidi controls, combining marks
    folded = unicodedata.normalize("NFKD", ch.translate(_CONFUSABLES)).translate(_CONFUSABLES)
    return "".join(c for c in folded if unicodedata.category(c) not in ("Mn", "Me", "Cf"))


def fold(text: str) -> Folded:
    """``text`` folded for matching; ASCII text costs one scan for line-end hyphens."""
    layers: list[tuple[tuple[int, int], ...]] = []
    if not text.isascii() and _needs_folding(text):
        text, anchors = _rewrite(text, _NON_ASCII, lambda m: "".join(map(_fold_char, m.group())))
        layers.append(anchors)
    if "-\n" in text or "- " in text:
        joined, anchors = _rewrite(text, _HYPHEN_BREAK, lambda m: _join(m, text))
        if anchors:
            text = joined
            layers.append(anchors)
    return Folded(text, tuple(layers))


def _needs_folding(text: str) -> bool:
    """Whether any character beyond ASCII is other than the usual harmless punctuation:
    counted with C string methods, since a pattern search is slow on such text."""
    beyond = len(text) - len(text.encode("ascii", "ignore"))
    for ch in _HARMLESS:  # each count is a pass over the text: stop when none is left
        beyond -= text.count(ch)
        if beyond <= 0:
            return False
    return True


def _join(match: re.Match[str], text: str) -> str:
    """Nothing in place of a line-end hyphen after a letter; anything else stays."""
    start = match.start()
    return "" if start and text[start - 1].isalpha() else match.group()


def _rewrite(
    text: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Replace every match, recording where each unchanged stretch came from."""
    pieces: list[str] = []
    anchors: list[tuple[int, int]] = []
    cursor = 0
    length = 0
    for match in pattern.finditer(text):
        pieces.append(text[cursor : match.start()])
        length += match.start() - cursor
        replacement = replace(match)
        anchors.append((length, match.start()))
        pieces.append(replacement)
        length += len(replacement)
        cursor = match.end()
        anchors.append((length, cursor))
    pieces.append(text[cursor:])
    return "".join(pieces), tuple(anchors)
