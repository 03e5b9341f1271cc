"""Classified portion marks that open a sentence of released text: a sign of over-release.

A withheld portion keeps its label and marking in the release, followed by a
placeholder (``¶2. (C) [9 lines withheld: ...]``). A classified mark such as
``(C)``, ``(S//NF)`` or ``(TS)`` that opens a line or follows a sentence end
and is *not* followed by a placeholder introduces text that went out: while a
document is still classified, that is classified text released (or, at best,
a marking the parser left unassigned inside a released segment).

The check reads only the rendered output, so it holds whatever the parser and
engine did; :func:`released_mark_sources` maps hits back to segment ids and
rule ids for the report, never to text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from declass.rules.release import Release

#: A paragraph lead: ``¶``, ``3.``, ``2.A.``, ``B.``, ``-`` or ``--`` (all optional).
_LEAD = r"[ \t]*¶?[ \t]*(?:(?:\d{1,3}|[A-Za-z])(?:\.[A-Za-z0-9]{1,3})*\.[ \t]*|-{1,2}[ \t]*)?"
#: A classified level (C, S, TS, R), then any controls: ``(C)``, ``(S//NF)``, ``(S/REL UK)``.
_MARK = r"\([ \t]?(?:TS|S|C|R)(?:[ \t]*/{1,2}[ \t]*[A-Za-z][A-Za-z0-9 ,/-]*)?[ \t]?\)"
#: What may follow a mark that introduces no released text: a withheld or review
#: placeholder (punctuation such as ``(C/NF).`` in between), an ENTIRE TEXT statement, or
#: nothing before a blank line or the end (a bare mark the parser split off a header line).
_NOT_TEXT = (
    r"[\s.:;,\-–—]*(?:\[\d+ lines? (?:withheld|pending review)|ENTIRE TEXT)"
    r"|[ \t]*(?:\n[ \t]*(?:\n|\Z)|\Z)"
)

OPENING_MARK = re.compile(
    rf"(?:^|(?<=\. )|(?<=\.  )){_LEAD}(?P<mark>{_MARK})(?!{_NOT_TEXT})",
    re.MULTILINE | re.IGNORECASE,
)


@dataclass(frozen=True)
class OpeningMark:
    """A classified mark opening released text: where, which mark, and (for the report)
    the segment and rule that released it."""

    line: int  # 1-based line of the text it was found in
    mark: str
    segment: str | None = None
    rule: str | None = None


def opening_classified_marks(text: str) -> list[OpeningMark]:
    """Every classified mark in ``text`` that opens a line or sentence and introduces text."""
    return [
        OpeningMark(text.count("\n", 0, m.start("mark")) + 1, m.group("mark"))
        for m in OPENING_MARK.finditer(text)
    ]


def released_mark_sources(release: Release, text: str) -> list[OpeningMark]:
    """The same marks found in the original ``text``, inside segments the release released,
    with the segment id and the rule that released it."""
    segments = release.document.segments
    starts = [segment.start for segment in segments]
    found = []
    for m in OPENING_MARK.finditer(text):
        index = bisect.bisect_right(starts, m.start("mark")) - 1
        segment, decision = segments[index], release.decisions[index]
        if decision.action != "release" or segment.kind == "banner":
            continue
        line = text.count("\n", 0, m.start("mark")) + 1
        found.append(OpeningMark(line, m.group("mark"), segment.id, decision.rule))
    return found
