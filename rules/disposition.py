"""The disposition of a release, as FOIA practice states it.

A release is ``RELEASED IN FULL``, ``RELEASED IN PART`` or ``DENIED IN
FULL`` by what happened to its substantive portions only: the subject, the
references and the paragraphs (and a memo's marked headings). Routing lines,
captions, TAGS and the other header lines that a policy releases as
structure say nothing about whether the content was released, so a cable
whose header lines alone are released is denied in full. While any segment
is pending review the release is not decided yet: ``PENDING REVIEW``.
"""

from __future__ import annotations

from collections.abc import Sequence

from declass.rules.model import Segment
from declass.rules.release import Decision, Disposition, SpanRedaction

#: Segment kinds that carry the document's content.
SUBSTANTIVE_KINDS = frozenset({"subject", "reference", "paragraph", "heading"})


def disposition_of(
    segments: Sequence[Segment], decisions: Sequence[Decision], spans: Sequence[SpanRedaction]
) -> Disposition:
    """The disposition by the rule above; with no substantive portion at all, every
    segment but the banner counts (a bare header is still something released)."""
    if any(decision.action == "review" for decision in decisions):
        return "PENDING REVIEW"
    pairs = list(zip(segments, decisions, strict=True))
    counted = [(s, d) for s, d in pairs if s.kind in SUBSTANTIVE_KINDS]
    if not counted:
        counted = [(s, d) for s, d in pairs if s.kind != "banner"]
    spanned = {span.segment for span in spans}
    released = [s for s, d in counted if d.action == "release"]
    if not released:
        return "DENIED IN FULL"
    if len(released) == len(counted) and not any(s.id in spanned for s in released):
        return "RELEASED IN FULL"
    return "RELEASED IN PART"
