"""A safety net under the parser: portion markings it did not assign to a segment.

Every line that visibly opens with a portion marking (``A. (S/NF) ...``,
``(S) ...``) should start a segment that carries that marking. If a parser
rule ever swallows such a line into another segment (a wrapped header, a
continuation, a list), the marking would silently stop governing its text.
This scan finds those lines independently of the parser's state machine, so
the document level is raised and the engine fails closed on the segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rules.markings import parse_portion
from rules.model import Marking, Segment
from rules.vocabulary import NOFORN_EFFECT

_LINE_MARK = re.compile(
    r"^[ \t]*(?:[>|][ \t]*)*¶?[ \t]*"
    r"(?:(\d{1,3}(?:[.-](?:\d{1,3}|[A-Za-z]))*\.?|[A-Z][.)]|\d{1,2}[)/]|\(\d{1,3}(?:\.\d{1,3})*\)"
    r"|[ivxIVX]{1,5}[.)]|§[ \t]*\d{1,3}(?:\.\d{1,3})*\.?"
    r"|\[\d{1,3}\]|(?i:para(?:graph)?)\.?[ \t]*\d{1,3}[ \t]*[.:–-]?|[QA][ \t]*:"
    r"|\([A-Za-z]{1,4}\)|\d{1,3}[a-z][.)]|[^\w\s(]{1,4}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+"
    r"|[A-Z][A-Za-z]{0,15}(?: [A-Za-z]{1,10})?[ \t]*\d{0,3}[ \t]*:)"
    r"[ \t]*)?(\([A-Z][A-Za-z/ ,-]{0,40}\))",
    re.M,
)
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
    for match in _LINE_MARK.finditer(text):
        marking = parse_portion(match.group(2))
        if marking is None or _is_label(match, marking):
            continue
        segment = segments[_index_at(starts, match.start(2))]
        if segment.start <= match.start(2) < segment.body_start:
            continue  # the segment's own marking
        if segment.kind == "reference" and (
            len(marking.raw.strip("() ")) == 1 or "unknown_token" in marking.problems
        ):
            continue  # "(C) 09 STATE 030541", "(S/P) MEMO": list letters and office symbols
        if _LIST.search(text, segment.start, match.start(2)):
            continue  # "(A) ... (B) ... (C) ...": a list in prose
        if _stricter(marking, segment.marking):
            strays.append(Stray(match.start(2), marking, segment))
    return strays


def _is_label(match: re.Match[str], marking: Marking) -> bool:
    """``C. (C) PARIS 7527``: the letter repeated after a lettered label."""
    label = (match.group(1) or "").rstrip(".)")
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
