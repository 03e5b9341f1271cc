"""Portions that start inside a line whose line breaks were lost.

A header line glued to the paragraph after it (``Classified By: ... (d) 1. (C)
Summary: ...``), paragraphs run together on one line (``2. (C) ... 3. (S)
...``), a headline and its body (``(U) Headline: (S//NF) body``) and the cells
of a table row (``| (S) ... | (U) ... |``) each hold more than one portion.
These functions find where the next portion starts; the parser decides,
knowing the paragraph it is in, which of them it accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from declass.rules.lines import REASON_SECTION, Lead, read_lead
from declass.rules.markings import parse_portion

#: What may stand just before a portion glued onto a header line.
_BEFORE_GLUED = frozenset(" \t.,;:)]`'\"¶")
#: What follows a glued bare marking when it opens prose (not ``(C) and (D)`` of a reasons list).
_PROSE_AFTER = re.compile(
    r"\s*[:.-]?\s*(?!(?:and|or|nd|an)\b)[A-Za-z][A-Za-z'’-]{2,}", re.IGNORECASE
)
#: What may stand before a line's own marking: a list label, other markings, a ``LABEL:``.
_LABEL_ONLY = re.compile(
    r"^\s*(?:¶?\s*(?:\d{1,3}|[A-Za-z]{1,2})\s*[.)]\s*|[^\w\s(]{1,3}\s*)?"
    r"(?:\([^()\n]*\)\s*)*(?:[A-Za-z][A-Za-z .]{0,24}:\s*)?(?:\([^()\n]*\)\s*)*$"
)
#: The end of a reasons phrase: ``reasons 1.4 (b) and (d).``, ``REASON: 1.4(D)``.
_REASONS_END = re.compile(
    rf"r\s?e\s?a\s?s\s?o\s?n(?:\s?s|\(s\))?\s*:?\s*{REASON_SECTION}\s*"
    r"(?:[.,]?\s*\(?\s*[a-h]\s*\)?(?:\s*(?:,|/|&|\+|;|\.|and|or|a\s?nd)\s*)*)*",
    re.IGNORECASE,
)
#: A parenthesised word inside a line, and what may stand just before a portion there.
_MID_MARK = re.compile(r"\([A-Za-z][^()\n]{0,45}\)")
_NUMBER_BEFORE = re.compile(r"(?:^|(?<=[\s¶]))(¶?\s*\d{1,3}\s*\.\s*)$")
_SENTENCE_END = re.compile(r"[.:!?|\"'”)]\s*$")
_LIST_LETTERS = re.compile(r"\([Aa]\)\s.*\([Bb]\)")


def glued_portion(line: str, *, numbered_only: bool = False) -> int | None:
    """Offset of a portion glued onto a header line by a lost line break, if any.

    ``Classified By: ... 1.4(b) and (d) 1. (C) Summary: ...`` holds a marked
    paragraph that must not be released as structure. A numbered lead always
    counts; a bare marking counts when prose follows it, so that a reason
    letter such as ``(C) and (D)`` stays in the reasons phrase; in a REF list,
    where ``(C)`` is a list letter, only a numbered lead counts.
    """
    if "(" not in line:
        return None
    for match in _MID_MARK.finditer(line):
        mark = match.start()
        number = _NUMBER_BEFORE.search(line, max(0, mark - 8), mark)
        start = number.start(1) if number else mark
        if start > 0 and line[start - 1] not in _BEFORE_GLUED:
            continue  # "1.4(b)", "word(s)": inside a token
        marking = parse_portion(match.group(0), paragraph_position=number is not None)
        if marking is None or marking.damaged or _LABEL_ONLY.match(line, 0, start):
            continue  # a header's own marking: ``SUBJECT: (C) ...``, ``(U) Classified By``
        if number is not None or (not numbered_only and _PROSE_AFTER.match(line, match.end())):
            return start
    return None


def prose_after_reasons(line: str) -> int | None:
    """Offset of prose glued after a complete reasons phrase (``... (d) Summary``)."""
    match = _REASONS_END.search(line)
    if match is None:
        return None
    rest = line[match.end() :]
    prose = _PROSE_AFTER.match(rest)
    if prose is None:
        return None
    return match.end() + len(rest) - len(rest.lstrip(" \t:.-"))


@dataclass(frozen=True)
class MidLine:
    """A portion that starts inside a line whose breaks were lost."""

    position: int  # offset in the line
    lead: Lead
    after_sentence: bool  # a sentence, a headline or a table cell ends just before it
    after_cell: bool  # a table cell ends just before it


def mid_line_portions(line: str, after: int) -> list[MidLine]:
    """Portion starts after offset ``after`` of a line: ``... 3. (S) ...``,
    ``(U) Headline: (S//NF) body``, ``| (S) cell | (U) cell |`` (09BRASILIA35).

    A bare marking counts only after the end of a sentence, a colon or a cell
    bar, where no list letter (``(A) ...; (B) ...; (C) ...``) stands; which
    numbered ones count is the caller's decision (it knows the next number).
    """
    found: list[MidLine] = []
    if "(" not in line:
        return found
    after = max(after, len(line) - len(line.lstrip()))
    for match in _MID_MARK.finditer(line, after):
        mark = match.start()
        number = _NUMBER_BEFORE.search(line, max(0, mark - 8), mark)
        pos = number.start(1) if number else mark
        if pos <= after:
            continue
        ended = _SENTENCE_END.search(line, max(0, pos - 3), pos) is not None
        if number is None and not (ended and _PROSE_AFTER.match(line, match.end())):
            continue
        lead = read_lead(line[pos:])
        if lead is None or lead.marking is None or lead.marking.damaged:
            continue
        if number is None and _LIST_LETTERS.search(line, 0, mark):
            continue
        cell = ended and line[:pos].rstrip().endswith("|")
        found.append(MidLine(pos, lead, ended, cell))
    return found
