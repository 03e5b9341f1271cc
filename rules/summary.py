"""The summary of a release: the marking it now carries, its counts, its disposition,
and the marking the document had before.

Kept apart from the decision table: it reads the decisions, it makes none.
"""

from __future__ import annotations

from declass.rules.disposition import disposition_of
from declass.rules.model import LEVEL_NAMES, LEVEL_RANK, Document, Level
from declass.rules.policy import Policy
from declass.rules.release import Decision, ReleaseSummary, SpanRedaction
from declass.rules.vocabulary import DISTRIBUTION_ONLY


def summarise(
    document: Document,
    policy: Policy,
    declassified: bool,
    decisions: list[Decision],
    spans: list[SpanRedaction],
) -> ReleaseSummary:
    """The release's marking (the highest level and the controls it still releases), its
    counts and its disposition."""
    segments = document.segments
    released = [s for s, d in zip(segments, decisions, strict=True) if d.action == "release"]
    counts = {
        a: sum(1 for d in decisions if d.action == a) for a in ("release", "withhold", "review")
    }
    level: Level = "U"
    controls: list[str] = []
    overridden = {d.segment for d in decisions if d.override is not None}
    for segment in released:
        mark = segment.marking
        # A reviewer who releases a portion declassifies it for this audience.
        if segment.kind == "banner" or mark is None or declassified:
            continue
        if segment.id in overridden and policy.audience == "public":
            continue
        if mark.rank > LEVEL_RANK[level]:
            level = "C" if mark.level == "R" else mark.level
        if mark.rank == 0:
            controls += [c for c in mark.controls if c not in controls]
    if LEVEL_RANK[level] > 0 and policy.audience == "partner":
        controls = [f"REL TO USA, {policy.partner}"]
    return ReleaseSummary(
        marking="//".join([LEVEL_NAMES[level], *controls]),
        level=level,
        controls=controls,
        disposition=disposition_of(segments, decisions, spans),
        released=counts["release"],
        withheld=counts["withhold"],
        review=counts["review"],
        spans=len(spans),
    )


def original_marking(document: Document) -> str | None:
    """What the document was marked, as the stamp names it."""
    banner = document.banner
    level = document.level
    if level is None:
        return None
    restricting = [c for c in document.captions if c not in DISTRIBUTION_ONLY]
    base = LEVEL_NAMES[level] if banner is None or banner.rank < LEVEL_RANK[level] else None
    return "//".join([base or (banner.normalized if banner else LEVEL_NAMES[level]), *restricting])
