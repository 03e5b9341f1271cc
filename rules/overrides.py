"""Reviewer input: overrides by segment id, and span redactions inside released text.

An override naming a segment that does not exist, two overrides that
contradict each other, an offset range outside the text or a pattern that
RE2 cannot run (:mod:`declass.rules.pattern`) is a clear error. Errors name ids,
offsets and request positions, never document text.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Literal

from declass.rules import deadline, limits
from declass.rules.errors import RequestError
from declass.rules.model import Document, Segment
from declass.rules.pattern import Finder, compile_pattern
from declass.rules.policy import Policy
from declass.rules.release import (
    AppliedRedaction,
    Decision,
    Override,
    PatternRedaction,
    PhraseRedaction,
    RangeRedaction,
    Redaction,
    SpanRedaction,
)
from declass.rules.textfold import FoldedText, fold_phrase, fold_text

MAX_MATCHES = 100_000


def apply_overrides(
    decisions: list[Decision],
    overrides: Sequence[Override],
    policy: Policy,
    segments: Sequence[Segment] = (),
) -> list[Decision]:
    """Replace decisions by the reviewers' overrides, keeping the original grounds."""
    index = {decision.segment: i for i, decision in enumerate(decisions)}
    chosen: dict[str, Override] = {}
    kinds = {segment.id: segment.kind for segment in segments}
    for position, override in enumerate(overrides):
        if kinds.get(override.segment) == "banner":
            raise RequestError(
                f"override {position}: segment '{override.segment}' is a banner line, which "
                "is always rewritten to the released marking",
                field=f"overrides.{position}.segment",
            )
        if override.segment not in index:
            raise RequestError(
                f"override {position} names unknown segment '{override.segment}'",
                field=f"overrides.{position}.segment",
            )
        earlier = chosen.get(override.segment)
        if earlier is not None and earlier.action != override.action:
            raise RequestError(
                f"overrides disagree on segment '{override.segment}'",
                field=f"overrides.{position}",
            )
        chosen[override.segment] = override
    result = list(decisions)
    for segment_id, override in chosen.items():
        original = result[index[segment_id]]
        exemptions = original.exemptions
        if override.action == "withhold" and override.exemption:
            exemptions = [override.exemption]
        elif override.action == "withhold" and not exemptions and original.reasons:
            exemptions = [policy.exemption]
        result[index[segment_id]] = original.model_copy(
            update={
                "action": override.action,
                "rule": policy.rule(f"override-{override.action}"),
                "exemptions": exemptions if override.action == "withhold" else [],
                "detail": f"reviewer override of {original.rule} ({original.action})",
                "override": override,
            }
        )
    return result


def find_spans(
    text: str,
    document: Document,
    decisions: list[Decision],
    redactions: Sequence[Redaction],
) -> tuple[list[SpanRedaction], list[AppliedRedaction]]:
    """Locate each requested span and clip it to the released segments."""
    released = [
        (segment.start, segment.end, segment.id)
        for segment, decision in zip(document.segments, decisions, strict=True)
        if decision.action == "release" and segment.kind != "banner"
    ]
    spans: list[SpanRedaction] = []
    applied: list[AppliedRedaction] = []
    limits.check_span_work(len(redactions), len(text))
    folded = functools.cache(lambda: fold_text(text))  # folded once, and only if searched
    for request, redaction in enumerate(redactions):
        deadline.check()
        hits = _locate(text, redaction, request, folded)
        for lo, hi, seg_id in _overlaps(text, hits, released):
            spans.append(
                SpanRedaction(
                    segment=seg_id, start=lo, end=hi, exemption=redaction.exemption, request=request
                )
            )
        applied.append(
            AppliedRedaction(
                request=request,
                type=_kind(redaction),
                exemption=redaction.exemption,
                matches=len(hits),
            )
        )
    return _merge(spans), applied


def _overlaps(
    text: str, hits: list[tuple[int, int]], released: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """Each hit clipped to the released segments it overlaps, where the clip has text.

    The segments tile the text, so they are sorted and disjoint: bisection finds the
    first one a hit reaches (pairing every hit with every segment made a long document
    with many hits quadratic).
    """
    ends = [hi for _, hi, _ in released]
    clipped = []
    for start, end in hits:
        i = bisect.bisect_right(ends, start)
        while i < len(released) and released[i][0] < end:
            lo, hi, seg_id = released[i]
            i += 1
            if text[max(start, lo) : min(end, hi)].strip():
                clipped.append((max(start, lo), min(end, hi), seg_id))
    return clipped


def _kind(redaction: Redaction) -> Literal["phrase", "pattern", "range"]:
    if isinstance(redaction, PhraseRedaction):
        return "phrase"
    return "pattern" if isinstance(redaction, PatternRedaction) else "range"


def _locate(
    text: str, redaction: Redaction, request: int, folded: Callable[[], FoldedText]
) -> list[tuple[int, int]]:
    """Every range of ``text`` the redaction covers.

    Phrases and patterns are searched in the text as written and in its folded
    copy (:mod:`declass.rules.textfold`), whose matches cover the whole original
    spelling: folding only ever adds ranges, so a name written with a combining
    accent, a zero-width character or a line-end hyphen is withheld too.
    """
    if isinstance(redaction, RangeRedaction):
        if redaction.end > len(text):
            raise RequestError(
                f"redaction {request}: range {redaction.start}-{redaction.end} is outside the "
                f"text ({len(text)} characters)",
                field=f"redactions.{request}",
            )
        return [(redaction.start, redaction.end)]
    raw: Finder
    loose: Finder
    if isinstance(redaction, PhraseRedaction):
        raw, loose = _phrase_patterns(redaction, request)
    else:
        raw = loose = compile_pattern(redaction.pattern, redaction.ignore_case, request)
    hits = set(_matches(raw, text, request))
    view = folded()
    if view.text != text or loose is not raw:
        hits.update(view.original(lo, hi) for lo, hi in _matches(loose, view.text, request))
    if len(hits) > MAX_MATCHES:
        raise RequestError(f"redaction {request}: more than {MAX_MATCHES} matches")
    return sorted(hits)


def _phrase_patterns(
    redaction: PhraseRedaction, request: int
) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The phrase as written (words apart by any white space), and folded, with each
    hyphen optional: ``Ferrand-Quillet`` broken at its hyphen folds to ``FerrandQuillet``."""
    words = redaction.phrase.split()
    folded_words = fold_phrase(redaction.phrase).split()
    if not words or not folded_words:
        raise RequestError(f"redaction {request}: empty phrase", field=f"redactions.{request}")
    flags = _flags(redaction.ignore_case)
    raw = re.compile(r"\s+".join(re.escape(w) for w in words), flags)
    loose = r"\s+".join("-?".join(re.escape(p) for p in w.split("-")) for w in folded_words)
    return raw, re.compile(loose, flags)


def _matches(pattern: Finder, text: str, request: int) -> Iterator[tuple[int, int]]:
    count = 0
    for match in pattern.finditer(text):
        if match.end() > match.start():
            count += 1
            if count > MAX_MATCHES:
                raise RequestError(f"redaction {request}: more than {MAX_MATCHES} matches")
            yield match.start(), match.end()


def _flags(ignore_case: bool) -> re.RegexFlag:
    return re.IGNORECASE if ignore_case else re.NOFLAG


def _merge(spans: list[SpanRedaction]) -> list[SpanRedaction]:
    """Merge overlapping spans of one segment; the labels of both are kept."""
    merged: list[SpanRedaction] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        last = merged[-1] if merged else None
        if last is not None and last.segment == span.segment and span.start <= last.end:
            labels = list(dict.fromkeys([*last.exemption.split(", "), *span.exemption.split(", ")]))
            merged[-1] = last.model_copy(
                update={"end": max(last.end, span.end), "exemption": ", ".join(labels)}
            )
        else:
            merged.append(span)
    return merged
