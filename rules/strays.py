"""A safety net under the parser: portion markings it did not assign to a segment.

Every line that visibly opens with a portion marking (``A. (S/NF) ...``,
``(S) ...``), and every numbered portion glued into a line whose break was
lost (``... reasons 1.4(b) and (d). 1. (C) The minister``), should start a
segment that carries that marking. If a parser
rule ever swallows such a line into another segment (a wrapped header, a
continuation, a list), the marking would silently stop governing its text.
This scan finds those lines independently of the parser's state machine, so
the document level is raised and the engine fails closed on the segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from declass.rules.markings import parse_portion
from declass.rules.model import Marking, Segment
from declass.rules.vocabulary import NOFORN_EFFECT

#: The first parenthesised word of a line and the text before it (a cheap scan); a
#: parenthesised list label (``(1)``, ``(A)``, ``(6.2)``) may stand before the marking.
_LINE_PAREN = re.compile(r"^([^(\n]{0,40}+)(\([^()\n]{0,45}\))", re.M)
_PAREN_LABEL = re.compile(r"\((?:\d{1,3}(?:\.\d{1,3})*|[A-Za-z]{1,4})\)")
_NEXT_PAREN = re.compile(r"[ \t]*(\([^()\n]{0,45}\))")
_MARK = re.compile(r"\([A-Z][A-Za-z/ ,-]{0,40}\)")
#: What may stand before a line's opening marking: quotes and bars, then a list lead.
_LEAD = re.compile(
    r"[ \t]*(?:[>|][ \t]*)*¶?[ \t]*"
    r"(?:(\d{1,3}(?:[.-](?:\d{1,3}|[A-Za-z]))*\.?|[A-Z][.)]|\d{1,2}[)/]|\(\d{1,3}(?:\.\d{1,3})*\)"
    r"|[ivxIVX]{1,5}[.)]|§[ \t]*\d{1,3}(?:\.\d{1,3})*\.?"
    r"|\[\d{1,3}\]|(?i:para(?:graph)?)\.?[ \t]*\d{1,3}[ \t]*[.:–-]?|[QA][ \t]*:"
    r"|\([A-Za-z]{1,4}\)|\d{1,3}[a-z][.)]|[^\w\s(]{1,4}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+"
    r"|[A-Z][A-Za-z]{0,15}(?: [A-Za-z]{1,10})?[ \t]*\d{0,3}[ \t]*:)"
    r"[ \t]*)?"
)
#: A numbered portion glued into the middle of a line (lost line break): ``... and (d).
#: 1. (C) The minister said``. The number stands alone (not ``1.4. (C)``, a reason).
_GLUED_MARK = re.compile(r"(?<!\S)¶?[ \t]*(\d{1,3}\.)[ \t]*(\([A-Z][A-Za-z/ ,-]{0,40}\))(?=\s)")
_LIST = re.compile(r"\([Aa]\)\s.*\([Bb]\)\s", re.S)


@dataclass(frozen=True)
class Stray:
    """A marking at a line start that governs nothing: where, and in which segment."""

    position: int
    marking: Marking
    segment: Segment


def find_strays(text: str, segments: list[Segment]) -> list[Stray]:
    """Line-start markings stricter than the segment that holds them."""
    starts = [s.start for s in segments]
    strays: list[Stray] = []
    for found in _LINE_PAREN.finditer(text):
        match = _line_marking(text, found)
        lead = _LEAD.fullmatch(text, found.start(), match.start()) if match else None
        if match is None or lead is None:
            continue  # prose before the parenthesis: not a line-start marking
        marking = parse_portion(match.group(0))
        if marking is None or _is_label(lead.group(1), marking):
            continue
        position = match.start()
        segment = segments[_index_at(starts, position)]
        if segment.start <= position < segment.body_start:
            continue  # the segment's own marking
        if segment.kind == "reference" and (
            len(marking.raw.strip("() ")) == 1 or "unknown_token" in marking.problems
        ):
            continue  # "(C) 09 STATE 030541", "(S/P) MEMO": list letters and office symbols
        if _LIST.search(text, segment.start, position):
            continue  # "(A) ... (B) ... (C) ...": a list in prose
        if _stricter(marking, segment.marking):
            strays.append(Stray(position, marking, segment))
    return strays


def _line_marking(text: str, found: re.Match[str]) -> re.Match[str] | None:
    """The marking-like word that opens the line: the first parenthesised word, or
    the one right after it when that one is a list label such as ``(1)``."""
    first = _MARK.fullmatch(text, found.start(2), found.end(2))
    if first is not None and parse_portion(first.group(0)) is not None:
        return first
    if not _PAREN_LABEL.fullmatch(found.group(2)):
        return None
    after = _NEXT_PAREN.match(text, found.end(2))
    return _MARK.fullmatch(text, after.start(1), after.end(1)) if after else None


def _is_label(lead: str | None, marking: Marking) -> bool:
    """``C. (C) PARIS 7527``: the letter repeated after a lettered label."""
    label = (lead or "").rstrip(".)")
    return bool(label) and marking.raw.strip("() ") == label


def _index_at(starts: list[int], position: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= position:
            low = middle
        else:
            high = middle - 1
    return low


def _stricter(found: Marking, governing: Marking | None) -> bool:
    if governing is None:
        return found.rank > 0 or bool(found.controls)
    if found.rank > governing.rank:
        return True
    return bool(NOFORN_EFFECT & set(found.controls) - set(governing.controls))
