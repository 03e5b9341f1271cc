"""Text whose reading order cannot be trusted goes to review, never to release.

A PDF's text is read back from where its words are drawn, and on some pages
that place does not say which portion mark governs which paragraph: two text
columns, marks in the margin, rotated or overlapping text. A paragraph read
under the wrong mark could be released as ``(U)`` while it is ``(S)``. The
reader cannot fix that, but it can say which characters it is unsure of; this
module holds every segment that touches them for a person, whatever the policy
would have released. Withheld segments stay withheld; a reviewer's override
still applies afterwards, as for any other review.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Literal

from pydantic import Field, model_validator

from declass.rules.errors import InputError
from declass.rules.model import Document, Frozen, Problem
from declass.rules.policy import Policy
from declass.rules.release import Decision

#: Why a page's order (or a scan's reading, or a Word file's body) cannot be trusted;
#: a closed set, so no caller text reaches a report.
UntrustedReason = Literal[
    "two text columns",
    "text in the margin",
    "overlapping text",
    "rotated text",
    "text outside the page",
    "mixed font sizes on one line",
    "OCR unsure of the text",
    "hidden Word content",
]
#: Codes of the notes a reader leaves on a document (a Word file's footnotes, comments...):
#: their details are fixed sentences with counts, never text, so a report may name them.
READER_NOTE_CODES = frozenset(
    {
        "docx_footnotes",
        "docx_endnotes",
        "docx_comments",
        "docx_text_boxes",
        "docx_watermarks",
        "docx_tracked_changes",
        "docx_hidden_text",
        "docx_unread_text",
        "docx_properties",
        "docx_embedded_content",
        "docx_text_outside_body",
    }
)
RULE = "layout-untrusted"
PROBLEM = "layout_order_untrusted"


class Untrusted(Frozen):
    """Characters ``start``..``end`` of the text (code points) come from page ``page``,
    whose reading order could not be trusted for ``reason``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page: int = Field(ge=1)
    reason: UntrustedReason

    @model_validator(mode="after")
    def _ordered(self) -> Untrusted:
        if self.end < self.start:
            raise ValueError("end must not be before start")
        return self

    @property
    def detail(self) -> str:
        """What a reviewer reads: the page and the reason, never text."""
        return f"page {self.page}: {self.reason}"


def hold_untrusted(
    document: Document,
    decisions: list[Decision],
    untrusted: Sequence[Untrusted],
    policy: Policy,
) -> tuple[Document, list[Decision]]:
    """Send each segment that would be released and overlaps an untrusted range to review.

    Returns the document with one ``layout_order_untrusted`` problem per held
    segment, and the decisions. Without ranges both come back unchanged.
    """
    if not untrusted:
        return document, decisions
    length = document.segments[-1].end if document.segments else 0
    if any(r.end > length for r in untrusted):
        raise InputError(
            f"an untrusted range ends past the text ({length} characters)", field="untrusted"
        )
    ranges = sorted(untrusted, key=lambda r: (r.start, r.end))
    starts, ends = [r.start for r in ranges], _running_max_ends(ranges)
    held: list[Decision] = []
    problems: list[Problem] = []
    for segment, decision in zip(document.segments, decisions, strict=True):
        found = _first_overlap(ranges, starts, ends, segment.start, segment.end)
        # A banner line is never released as read: it is rewritten to the release's marking.
        if decision.action != "release" or found is None or segment.kind == "banner":
            held.append(decision)
            continue
        held.append(
            decision.model_copy(
                update={
                    "action": "review",
                    "rule": policy.rule(RULE),
                    "reasons": [],
                    "exemptions": [],
                    "detail": found.detail,
                }
            )
        )
        problems.append(Problem(code=PROBLEM, segment=segment.id, detail=found.detail))
    if problems:
        document = document.model_copy(update={"problems": [*document.problems, *problems]})
    return document, held


def _running_max_ends(ranges: list[Untrusted]) -> list[int]:
    ends, best = [], -1
    for r in ranges:
        best = max(best, r.end)
        ends.append(best)
    return ends


def _first_overlap(
    ranges: list[Untrusted], starts: list[int], ends: list[int], start: int, end: int
) -> Untrusted | None:
    """The first range (by start) that shares a character with ``start``..``end``.

    An empty range shares nothing; an empty segment counts as the point it sits at.
    """
    last = end if end > start else start + 1
    # Ranges starting before ``last``; the earliest whose end passes ``start`` overlaps.
    stop = bisect.bisect_left(starts, last)
    first = bisect.bisect_right(ends, start, 0, stop)
    for r in ranges[first:stop]:
        if r.end > start and r.end > r.start:
            return r
    return None
