"""What a release emits, piece by piece: the model both renderers typeset.

What is released is decided once, in :func:`released_pieces`: released text,
span redactions and withheld bodies, in document order. The text renderer and
the PDF renderer read the same pieces, and the same stamp, placeholders and
span marks, so the two outputs cannot disagree about which characters leave
the service; the pipeline's gates read the same generated strings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from declass.rules import deadline
from declass.rules.model import Segment
from declass.rules.release import Decision, Release, SpanRedaction


@dataclass(frozen=True)
class Withheld:
    """A withheld or reviewed segment body: where it lies in the text, never what it says.

    ``start``/``end`` bound the body without its leading and trailing
    whitespace (which is released layout); a renderer may measure that range
    to size a redaction, and must never emit it.
    """

    segment: Segment
    decision: Decision
    start: int
    end: int


Piece = str | SpanRedaction | Withheld


def released_pieces(release: Release, text: str) -> Iterator[Piece]:
    """The document in order as released text, span redactions and withheld bodies."""
    for _, pieces in pieces_by_segment(release, text):
        yield from pieces


def pieces_by_segment(release: Release, text: str) -> Iterator[tuple[str, Iterator[Piece]]]:
    """The same pieces grouped by the segment (id) they come from, for whoever must say
    where a segment lands (the withholding log's page column)."""
    spans: dict[str, list[SpanRedaction]] = defaultdict(list)
    for span in release.spans:
        spans[span.segment].append(span)
    pairs = zip(release.document.segments, release.decisions, strict=True)
    for segment, decision in deadline.each(pairs):
        yield segment.id, _segment_pieces(segment, decision, text, release, spans[segment.id])


def release_stamp(release: Release) -> str:
    """One line: what the document was, how it was released, by which policy, when."""
    return "[" + " | ".join(stamp_fields(release)) + "]"


def stamp_fields(release: Release) -> list[str]:
    """The fields of the release stamp, in order; generated from the model, never the text."""
    fields = [f"declass {release.summary.disposition}"]
    if release.original_marking:
        fields.append(f"original classification {release.original_marking}")
    evaluation = release.evaluation
    decl = release.document.declassification
    if evaluation.status == "declassified" and decl is not None and decl.date is not None:
        authority = f" ({decl.authority})" if decl.authority else ""
        fields.append(f"declassified {decl.date.isoformat()} by its own instruction{authority}")
    elif evaluation.status != "not_classified":
        fields.append(f"not declassified ({evaluation.status.replace('_', ' ')})")
    fields.append(release.policy.label)
    fields.append(f"as of {release.as_of.isoformat()}")
    fields.append(f"sha256 {release.document.sha256[:12]}")
    return fields


def placeholder(decision: Decision) -> str:
    """``[9 lines withheld: (b)(1) 1.5(b), 1.5(d)]`` or ``[2 lines pending review]``."""
    count = max(decision.lines, 1)
    noun = "line" if count == 1 else "lines"
    if decision.action == "review":
        return f"[{count} {noun} pending review]"
    basis = withholding_basis(decision)
    if not basis and decision.override is not None:
        return f"[{count} {noun} withheld by reviewer]"
    return f"[{count} {noun} withheld: {basis}]" if basis else f"[{count} {noun} withheld]"


def withholding_basis(decision: Decision) -> str:
    """Exemption labels then classification reasons: ``(b)(1) 1.5(b), 1.5(d)``."""
    return " ".join(x for x in (" ".join(decision.exemptions), ", ".join(decision.reasons)) if x)


def span_mark(span: SpanRedaction) -> str:
    """The fixed-width mark of a span redaction: its label, whatever it hides."""
    return f"[{span.exemption}]"


def _segment_pieces(
    segment: Segment, decision: Decision, text: str, release: Release, spans: list[SpanRedaction]
) -> Iterator[Piece]:
    if decision.action == "release":
        if segment.kind == "banner":
            chunk = text[segment.start : segment.end]
            yield _remark(segment, chunk, release.summary.marking)
            return
        cursor = segment.start
        for span in sorted(spans, key=lambda s: s.start):
            yield text[cursor : span.start]
            yield span
            cursor = span.end
        yield text[cursor : segment.end]
        return
    body = text[segment.body_start : segment.end]
    if not body.strip():  # nothing to withhold: an ENTIRE TEXT statement, a bare label
        yield text[segment.start : segment.end]
        return
    lead = body[: len(body) - len(body.lstrip())]
    trail = body[len(body.rstrip()) :] if body.strip() else ""
    yield text[segment.start : segment.body_start] + lead
    start = segment.body_start + len(lead)
    yield Withheld(segment, decision, start, max(start, segment.end - len(trail)))
    yield trail


def _remark(segment: Segment, chunk: str, marking: str) -> str:
    """Replace the original classification on a banner line by the released marking."""
    raw = segment.marking.raw if segment.marking is not None else ""
    if raw and raw in chunk:
        return chunk.replace(raw, marking, 1)
    return chunk
