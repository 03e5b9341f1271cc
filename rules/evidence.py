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
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, compress
from typing import Literal

from declass.rules.evidence_meaning import (
    banner_meaning,
    banner_meaning_loose,
    mark_meaning,
)
from declass.rules.evidence_words import control_acronyms, control_phrases
from declass.rules.fold import fold
from declass.rules.model import LEVEL_RANK, Level

EvidenceKind = Literal["portion", "banner", "control"]

_LEVEL_ALT = "TOP[ \t]*SECRET|SECRET|C[O0]NFIDENTIAL|RESTRICTED|UNCLASSIFIED|UNCLAS"
_SPACED = (
    r"T[ \t]O[ \t]P[ \t]+S[ \t]E[ \t]C[ \t]R[ \t]E[ \t]T|S[ \t]E[ \t]C[ \t]R[ \t]E[ \t]T"
    r"|C[ \t]O[ \t]N[ \t]F[ \t]I[ \t]D[ \t]E[ \t]N[ \t]T[ \t]I[ \t]A[ \t]L"
    r"|U[ \t]N[ \t]C[ \t]L[ \t]A[ \t]S(?:[ \t]S[ \t]I[ \t]F[ \t]I[ \t]E[ \t]D)?"
)

#: A parenthesised group short enough to be a mark (it may wrap over a line).
_GROUP = re.compile(r"\(([^()\n]{1,80}(?:\n[^()\n]{0,40})?)\)")
#: Damaged marks where a line or sentence begins: ``S) text``, ``(S text``, ``(S//NF text``.
#: The scan starts at a line break or a sentence end, so that the engine skips ahead to
#: those characters instead of trying every position.
_DAMAGED = re.compile(
    r"(?:\n|[.;:!?][ \t])[ \t]*[>|*#+\-•·▪■◦‣o \t]*(?:[0-9ivxIVX]{1,4}[.)]?[ \t]+)?"
    r"(?:(?P<open>(?:TS|S|C|U|SBU|FOUO|LOU)(?://?[A-Z][A-Z ,/\-]{0,40})?)\)"
    r"|\((?P<close>(?i:ts|s|c|u|sbu|fouo|lou)(?://?[A-Za-z][A-Za-z,/\-]{0,40})?)(?=[ \t\n]))"
)
#: A line that holds only a marking: a banner, with an optional label or lead. Tried only on
#: lines where a level word or control phrase was found.
_BANNER_LINE = re.compile(
    r"[ \t>|*#•\-]*(?:classification[ \t]*[:\-][ \t]*)?"
    r"(?P<level>" + _LEVEL_ALT + "|" + _SPACED + r"|CUI|CONTROLLED[ \t]+UNCLASSIFIED[ \t]+"
    r"INFORMATION|SENSITIVE[ \t]+BUT[ \t]+UNCLASSIFIED|FOR[ \t]+OFFICIAL[ \t]+USE[ \t]+ONLY"
    r"|LIMITED[ \t]+OFFICIAL[ \t]+USE)(?P<rest>(?![A-Za-z])[^\n]{0,120})$",
    re.I,
)
#: Level words in lower-cased text, found with ``str.find`` (far faster than a pattern).
_LEVEL_FINDS: tuple[tuple[str, Level], ...] = (
    ("secret", "S"),
    ("confidential", "C"),
    ("c0nfidential", "C"),
    ("restricted", "R"),
    ("unclas", "U"),
)
_TOP = re.compile(r"top\s+$")
#: Letter-spaced level words of cable banners (``C O N F I D E N T I A L``).
_SPACED_FINDS: tuple[tuple[str, Level], ...] = (
    ("s e c r e t", "S"),
    ("c o n f i d e n t i a l", "C"),
    ("u n c l a s", "U"),
)
#: Lines whose words may make a banner without a level word.
_BANNER_HINTS = re.compile(r"cui(?![a-z])")
_CLASSIFICATION_LABEL = re.compile(r"classification[ \t]*:[ \t]*(?P<value>[^\n]{1,120})")
#: Executive-order reason citations, ``1.4(b), (c) and (d)``: lists of letters, not marks.
_REASONS = re.compile(
    r"1\s*\.\s*[45]\s*\(\s*[a-hA-H]\s*\)"
    r"(?:\s*(?:,|[Aa][Nn][Dd]|&|/|[Oo][Rr])?\s*\(\s*[a-hA-H]\s*\))*"
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
    in_context, counted = _scan(text)
    return in_context if context else counted


def count_evidence(text: str) -> list[Evidence]:
    """The context-free reading alone, for an output that is read once."""
    return _read(text, (False,))[0]


@functools.lru_cache(maxsize=2)
def _scan(text: str) -> tuple[list[Evidence], list[Evidence]]:
    """One pass that reads both ways; kept for the text just read, since the engine reads
    an input and the output check counts the same input right after."""
    in_context, counted = _read(text, (True, False))
    return in_context, counted


def _read(text: str, modes: tuple[bool, ...]) -> list[list[Evidence]]:
    """The readings of ``text`` with context and without, as ``modes`` asks."""
    folded = fold(text)
    masked = _mask(folded.text, _REASONS)
    lower = masked.lower()
    if len(lower) != len(masked):  # a letter whose lower case is longer: keep offsets
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in masked)
    levels = _level_words(masked, lower)
    phrases = control_phrases(lower)
    controls = [*control_acronyms(masked), *phrases]
    # Each group's context-free meaning, read once for both modes: context only ever
    # turns a meaning into none, so a group that means nothing without it is dropped.
    groups = [
        (m.start(), m.end(), m.group(1), meaning)
        for m in _GROUP.finditer(masked)
        if (meaning := mark_meaning(m.group(1), masked, m.start(), False)) is not None
    ]
    readings: list[list[Found]] = []
    for context in modes:
        found: list[Found] = []
        taken = _Taken()
        if context:
            found += _banner_lines(masked, lower, levels, phrases, taken)
        for start, end, inner, bare in groups:
            if taken.holds(start):
                continue
            meaning = mark_meaning(inner, masked, start, True) if context else bare
            if meaning is not None:
                found.append((start, end, "portion", *meaning))
                taken.add(start, end)
        if context:
            found += _damaged_marks(masked, taken)
        else:
            for start, end, level in levels:
                if not taken.holds(start):
                    found.append((start, end, "banner", level, ()))
                    taken.add(start, end)
        for start, end, control in controls:
            if not taken.holds(start):
                found.append((start, end, "control", "U", (control,)))
                taken.add(start, end)
        found.sort()
        readings.append(found)
    if not folded.layers:  # nothing folded: offsets are the original's already
        return [[Evidence(*token) for token in found] for found in readings]
    original = folded.original
    return [
        [Evidence(original(a), original(b), kind, lvl, ctl) for a, b, kind, lvl, ctl in found]
        for found in readings
    ]


Found = tuple[int, int, EvidenceKind, Level, tuple[str, ...]]


def _level_words(masked: str, lower: str) -> list[tuple[int, int, Level]]:
    """Every level word (``SECRET``, ``Top Secret``, ``C O N F I D E N T I A L``)."""
    hits: list[tuple[int, int, Level]] = []
    for word, level in _LEVEL_FINDS:
        start = lower.find(word)
        while start >= 0:
            end = start + len(word)
            if word == "unclas" and lower.startswith("sified", end):
                end += 6
            if not (start and lower[start - 1].isalpha()) and not lower[end : end + 1].isalpha():
                top = _TOP.search(lower, max(0, start - 12), start) if level == "S" else None
                hits.append((top.start(), end, "TS") if top else (start, end, level))
            start = lower.find(word, end)
    for word, level in _SPACED_FINDS:
        start = lower.find(word)
        while start >= 0:
            end = start + len(word)
            if word == "u n c l a s" and lower.startswith(" s i f i e d", end):
                end += 12
            if not (start and lower[start - 1].isalpha()) and not lower[end : end + 1].isalpha():
                if level == "S" and lower.endswith("t o p ", 0, start):
                    hits.append((start - 6, end, "TS"))
                else:
                    hits.append((start, end, level))
            start = lower.find(word, end)
    hits.sort()
    kept: list[tuple[int, int, Level]] = []
    for hit in hits:  # ``top secret`` holds a ``secret``: keep the longer reading
        if kept and hit[0] < kept[-1][1]:
            continue
        kept.append(hit)
    return kept


def _banner_lines(
    masked: str,
    lower: str,
    levels: list[tuple[int, int, Level]],
    phrases: list[tuple[int, int, str]],
    taken: _Taken,
) -> list[Found]:
    """Lines that hold only a marking, tried where a level word or control phrase stands,
    and ``Classification:`` labels of e-mail tools."""
    found: list[Found] = []
    starts = {masked.rfind("\n", 0, start) + 1 for start, _, _ in levels}
    starts.update(masked.rfind("\n", 0, start) + 1 for start, _, _ in phrases)
    if "cui" in lower:
        starts.update(masked.rfind("\n", 0, m.start()) + 1 for m in _BANNER_HINTS.finditer(lower))
    for line_start in sorted(starts):
        line_end = masked.find("\n", line_start)
        line_end = len(masked) if line_end < 0 else line_end
        match = _BANNER_LINE.match(masked, line_start, line_end)
        if match is None:
            continue
        meaning = banner_meaning(match.group("level"), match.group("rest"))
        if meaning is not None:
            found.append((match.start("level"), match.end(), "banner", *meaning))
            taken.add(line_start, match.end())
    if "classification" in lower:
        for match in _CLASSIFICATION_LABEL.finditer(lower):
            value = masked[match.start("value") : match.end("value")]
            meaning = banner_meaning_loose(value)
            if meaning is not None and not taken.holds(match.start()):
                found.append((match.start(), match.end(), "banner", *meaning))
                taken.add(match.start(), match.end())
    return found


def _damaged_marks(masked: str, taken: _Taken) -> list[Found]:
    """``S) text``, ``(S text``, ``(S//NF text`` where a line or sentence begins."""
    found: list[Found] = []
    text = "\n" + masked
    for start, end in _paren_lines(text):
        for match in _DAMAGED.finditer(text, start, end):
            _read_damaged(match, masked, taken, found)
    return found


def _paren_lines(text: str) -> Iterator[tuple[int, int]]:
    """The lines of ``text`` that hold a parenthesis: from the break before each to the one after.

    Why: ``_DAMAGED`` has no literal to skip ahead to, so one pass tries it at every line
    break and sentence end. But every damaged mark holds a ``(`` or a ``)`` and lies
    within one line (the break before it included, the break after it only looked at),
    and nine cable lines in ten hold no parenthesis: scanning only the others, each with
    ``finditer(text, start, end)``, finds exactly what one pass over ``text`` finds.
    """
    lines = text.split("\n")
    ends = list(accumulate(map(len, lines)))
    for index in compress(range(len(lines)), ["(" in line or ")" in line for line in lines]):
        end = ends[index] + index + 1  # just past this line's break (or past the text)
        yield end - len(lines[index]) - 2, end


def _read_damaged(match: re.Match[str], masked: str, taken: _Taken, found: list[Found]) -> None:
    """One candidate of ``_DAMAGED``: kept unless taken, closed later, or meaningless."""
    group = "open" if match.group("open") is not None else "close"
    start, end = match.start(group) - 1, match.end() - 1
    if taken.holds(start) or taken.holds(end - 1):
        return
    if group == "close" and ")" in _rest_of_line(masked, end, 60):
        return  # ``(S and T) ...``: a closed group that is not a mark
    meaning = mark_meaning(match.group(group), masked, start, True)
    if meaning is not None:
        found.append((start, end, "portion", *meaning))
        taken.add(start, end)


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


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    """Blank what ``pattern`` matches, keeping every offset."""
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: " " * len(m.group()), text)
