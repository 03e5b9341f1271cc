"""Key 2: an independent, deliberately over-sensitive reader of classification evidence.

It knows nothing of segments, headers or paragraphs. It folds the text (NFKD
compatibility forms, look-alike letters mapped to Latin, zero-width, soft
hyphen and bidi format characters removed, line-end hyphenation joined) and
finds every token that looks like classification evidence wherever it
stands: portion marks in any position and damaged form, banner-like lines in
any spelling, and control words in marks or prose. The parser (key 1) may
read a layout wrongly; this reader is simple enough to be right about what
it looks for, and the engine releases text only where both agree.

One pass of a few compiled patterns over the folded text: cheap enough to run
on every input and again on every output.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from rules.evidence_meaning import (
    CONTROLLED,
    LEVEL_WORDS,
    RESTRICTING,
    banner_meaning,
    banner_meaning_loose,
    mark_meaning,
)
from rules.fold import fold
from rules.model import LEVEL_RANK, Level

EvidenceKind = Literal["portion", "banner", "control"]

_LEVEL_ALT = "TOP[ \t]*SECRET|SECRET|C[O0]NFIDENTIAL|RESTRICTED|UNCLASSIFIED|UNCLAS"
_SPACED = (
    r"T[ \t]O[ \t]P[ \t]+S[ \t]E[ \t]C[ \t]R[ \t]E[ \t]T|S[ \t]E[ \t]C[ \t]R[ \t]E[ \t]T"
    r"|C[ \t]O[ \t]N[ \t]F[ \t]I[ \t]D[ \t]E[ \t]N[ \t]T[ \t]I[ \t]A[ \t]L"
    r"|U[ \t]N[ \t]C[ \t]L[ \t]A[ \t]S(?:[ \t]S[ \t]I[ \t]F[ \t]I[ \t]E[ \t]D)?"
)

#: A parenthesised group short enough to be a mark (it may wrap over a line).
_GROUP = re.compile(r"\(([^()\n]{1,80}(?:\n[^()\n]{0,40})?)\)")
#: Damaged marks at a line or sentence start: ``S) text``, ``(S text``, ``(S//NF text``.
_LEAD = r"(?:^|(?<=[.;:!?]) +)[ \t>|*#+\-•·▪■◦‣o]*(?:[0-9ivxIVX]{1,4}[.)]?[ \t]+)?"
_OPEN_MISSING = re.compile(
    _LEAD + r"(?P<mark>(?:TS|S|C|U|SBU|FOUO|LOU)(?://?[A-Z][A-Z ,/\-]{0,40})?)\)",
    re.M,
)
_CLOSE_MISSING = re.compile(
    _LEAD + r"\((?P<mark>(?:TS|S|C|U|SBU|FOUO|LOU)(?://?[A-Za-z][A-Za-z,/\-]{0,40})?)(?=[ \t]|$)",
    re.M | re.I,
)
#: A line that holds only a marking: a banner, with an optional label or lead.
_BANNER_LINE = re.compile(
    r"^[ \t>|*#•\-]*(?:classification[ \t]*[:\-][ \t]*)?"
    r"(?P<level>" + _LEVEL_ALT + "|" + _SPACED + r"|CUI|CONTROLLED[ \t]+UNCLASSIFIED[ \t]+"
    r"INFORMATION|SENSITIVE[ \t]+BUT[ \t]+UNCLASSIFIED|FOR[ \t]+OFFICIAL[ \t]+USE[ \t]+ONLY"
    r"|LIMITED[ \t]+OFFICIAL[ \t]+USE)(?P<rest>(?![A-Za-z])[^\n]{0,120})$",
    re.M | re.I,
)
#: Level words anywhere, for counting tokens whatever the line breaks.
_LEVEL_WORD = re.compile(
    r"(?<![A-Za-z])(?:TOP\s+SECRET|SECRET|C[O0]NFIDENTIAL|RESTRICTED|UNCLASSIFIED|UNCLAS|"
    + _SPACED
    + r")(?![A-Za-z])",
    re.I,
)
_CLASSIFICATION_LABEL = re.compile(r"classification[ \t]*:[ \t]*(?P<value>[^\n]{1,120})", re.I)
_CONTROL_WORD = re.compile(
    r"(?<![A-Za-z0-9])(?:FOUO|LOU|SBU|LES|SSI|UCNI|NOFORN|NOCONTRACT|ORCON|PROPIN|IMCON|RELIDO"
    r"|EXDIS|NODIS|LIMDIS|STADIS)(?![A-Za-z0-9])"
    r"|(?i:sensitive\s+but\s+unclassified|for\s+official\s+use\s+only|limited\s+official\s+use"
    r"|law\s+enforcement\s+sensitive|controlled\s+unclassified\s+information"
    r"|sensitive\s+security\s+information|not\s+releasable\s+to\s+foreign\s+nationals)"
)
#: Executive-order reason citations, ``1.4(b), (c) and (d)``: lists of letters, not marks.
_REASONS = re.compile(
    r"(?i:1\s*\.\s*[45]\s*\(\s*[a-h]\s*\)(?:\s*(?:,|and|&|/|or)?\s*\(\s*[a-h]\s*\))*)"
)


@dataclass(frozen=True)
class Evidence:
    """One token of classification evidence: where it stands and what it would mean."""

    start: int
    end: int
    kind: EvidenceKind
    level: Level
    controls: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        return LEVEL_RANK[self.level]

    @property
    def key(self) -> tuple[bool, str, tuple[str, ...]]:
        """What the token says, whatever its spelling: for counting tokens in and out."""
        return (self.kind == "control", self.level, self.controls)


def find_evidence(text: str, *, context: bool = True) -> list[Evidence]:
    """Every token of classification evidence in ``text``, in order, with original offsets.

    With ``context`` (the default, for reading an input) banner-like lines, damaged
    marks at a line start and the context of a mark (a lettered list, a lower-case
    enumerator in prose, an office symbol) are read. Without it (for counting tokens
    in and out of a renderer, whose line breaks differ) only what a token says by
    itself counts: every parenthesised mark, every level word, every control word.
    """
    folded = fold(text)
    masked = _mask(folded.text, _REASONS)
    found: list[tuple[int, int, EvidenceKind, Level, tuple[str, ...]]] = []
    taken = _Taken()
    if context:
        for match in _BANNER_LINE.finditer(masked):
            meaning = banner_meaning(match.group("level"), match.group("rest"))
            if meaning is not None:
                found.append((match.start("level"), match.end(), "banner", *meaning))
                taken.add(match.start(), match.end())
        for match in _CLASSIFICATION_LABEL.finditer(masked):
            meaning = banner_meaning_loose(match.group("value"))
            if meaning is not None and not taken.holds(match.start()):
                found.append((match.start(), match.end(), "banner", *meaning))
                taken.add(match.start(), match.end())
    for match in _GROUP.finditer(masked):
        if taken.holds(match.start()):
            continue
        meaning = mark_meaning(match.group(1), masked, match.start(), context)
        if meaning is not None:
            found.append((match.start(), match.end(), "portion", *meaning))
            taken.add(match.start(), match.end())
    if context:
        found += _damaged_marks(masked, taken)
    else:
        for match in _LEVEL_WORD.finditer(masked):
            if not taken.holds(match.start()):
                level = LEVEL_WORDS.get("".join(match.group().upper().split()).replace("0", "O"))
                level = level or "U"
                found.append((match.start(), match.end(), "banner", level, ()))
                taken.add(match.start(), match.end())
    for match in _CONTROL_WORD.finditer(masked):
        if taken.holds(match.start()):
            continue
        word = " ".join(match.group().upper().split())
        control = CONTROLLED.get(word) or RESTRICTING.get(word, word)
        found.append((match.start(), match.end(), "control", "U", (control,)))
    found.sort()
    return [
        Evidence(folded.original(start), folded.original(end), kind, level, controls)
        for start, end, kind, level, controls in found
    ]


def _damaged_marks(
    masked: str, taken: _Taken
) -> list[tuple[int, int, EvidenceKind, Level, tuple[str, ...]]]:
    """``S) text``, ``(S text``, ``(S//NF text`` where a line or sentence begins."""
    found: list[tuple[int, int, EvidenceKind, Level, tuple[str, ...]]] = []
    for pattern in (_OPEN_MISSING, _CLOSE_MISSING):
        for match in pattern.finditer(masked):
            start = match.start("mark")
            if taken.holds(start) or taken.holds(match.end() - 1):
                continue
            if pattern is _CLOSE_MISSING and ")" in _rest_of_line(masked, match.end(), 60):
                continue  # ``(S and T) ...``: a closed group that is not a mark
            meaning = mark_meaning(match.group("mark").strip("()"), masked, start, True)
            if meaning is not None:
                found.append((start, match.end(), "portion", *meaning))
                taken.add(start, match.end())
    return found


def _rest_of_line(text: str, start: int, limit: int) -> str:
    return text[start : start + limit].split("\n", 1)[0]


class _Taken:
    """Ranges already read as one token, so that no character counts twice."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_right(self._starts, start)
        self._starts.insert(index, start)
        self._ends.insert(index, end)

    def holds(self, position: int) -> bool:
        index = bisect.bisect_right(self._starts, position) - 1
        return index >= 0 and position < self._ends[index]


def evidence_keys(tokens: list[Evidence]) -> Counter[tuple[bool, str, tuple[str, ...]]]:
    """How many tokens of each meaning: what the output check compares."""
    return Counter(token.key for token in tokens)


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    """Blank what ``pattern`` matches, keeping every offset."""
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: " " * len(m.group()), text)
