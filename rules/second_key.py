"""Two keys before any release: key 2's evidence against key 1's decisions.

Key 1 (parser and engine) proposes a decision per segment. Key 2
(:mod:`declass.rules.evidence`) reports every token of classification evidence in
the text, knowing nothing of segments. A token key 1 read as a segment's own
marking, banner or caption was decided on by key 1. Any other token in text
that key 1 releases must be accounted for: a portion carrying that very mark
would be released by the same rules (a document declassified by its own
date, an uncontrolled ``(U)``, a partner's REL TO). What is not accounted
for goes to review; evidence that the document is more classified than key 1
read (a classified mark or banner in a document believed unclassified, a
mark above the banner of a declassified one, a control word nobody read)
sends the whole document to review. Problems name line numbers, never text.

On the way out, :func:`check_output` counts the tokens in what a renderer
emitted against those of the released text, so a renderer can never add
evidence that no decision accounted for.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from declass.rules import deadline
from declass.rules.errors import LeakError
from declass.rules.evidence import Evidence, count_evidence, find_evidence
from declass.rules.model import LEVEL_NAMES, LEVEL_RANK, Document, Problem, Segment
from declass.rules.release import Decision, SpanRedaction

#: Rule ids (under the policy's prefix) key 2 writes into the decisions it changes.
RULE_NOT_ACCOUNTED = "evidence-not-accounted"
RULE_NOT_READ = "evidence-not-read"
#: At most this many key-2 problems are listed per document (then one that counts the rest).
MAX_PROBLEMS = 20

Key = tuple[bool, str, tuple[str, ...]]
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Keyholder:
    """What key 2 needs from key 1: the document's facts and the decision table."""

    document: Document
    text: str
    classified: bool
    declassified: bool
    banner_rank: int
    banner_level: str | None
    known_controls: frozenset[str]
    document_controls: frozenset[str]
    would_release: Callable[[Evidence], bool]
    rule: Callable[[str], str]


def second_key(
    holder: Keyholder, decisions: list[Decision]
) -> tuple[list[Decision], list[Problem]]:
    """``decisions`` with every release that key 2 does not agree with sent to review."""
    document, text = holder.document, holder.text
    segments = document.segments
    tokens = find_evidence(text)
    if not tokens:
        return decisions, []
    starts = [s.start for s in segments]
    unaccounted: dict[int, list[Evidence]] = {}
    escalations: list[Evidence] = []
    blank_lines = [m.start() for m in _BLANK_LINE.finditer(text)]
    reached_until = 0  # segments before this index already hold an unaccounted mark's reach
    for token in deadline.each(tokens):
        index = max(bisect.bisect_right(starts, token.start) - 1, 0)
        segment = segments[index]
        if _read_by_key1(token, segment, document):
            continue
        if _escalates(token, holder):
            escalations.append(token)
            continue
        if holder.would_release(token):
            continue
        if decisions[index].action == "release":
            unaccounted.setdefault(index, []).append(token)
        # A mark governs its text to the end of its paragraph, however key 1 cut it. Tokens
        # come in order, so each segment is reached once: linear in tokens and segments.
        reach = _paragraph_end(blank_lines, len(text), token.end) if token.kind == "portion" else 0
        last = bisect.bisect_left(starts, reach)
        for reached in range(max(index + 1, reached_until), last):
            if decisions[reached].action == "release":
                unaccounted.setdefault(reached, []).append(token)
        reached_until = max(reached_until, last)
    if not unaccounted and not escalations:
        return decisions, []
    problems: list[Problem] = []
    changed = list(decisions)
    if escalations:
        first = escalations[0]
        detail = (
            f"line {_line(text, first.start)}: {_describe(first)} that the parser did not read; "
            f"{len(escalations)} such token(s) in all"
        )
        problems.append(Problem(code="classification_evidence_not_read", detail=detail))
        for index, (segment, decision) in enumerate(zip(segments, decisions, strict=True)):
            # Banners are rewritten and captions are markings themselves: both stay.
            if decision.action == "release" and segment.kind not in ("banner", "control"):
                changed[index] = _to_review(decision, holder.rule(RULE_NOT_READ), detail)
    for index, found in unaccounted.items():
        segment = segments[index]
        detail = (
            f"line {_line(text, found[0].start)}: {_describe(found[0])} in released text "
            "that no decision accounts for"
        )
        if len(problems) < MAX_PROBLEMS:
            problems.append(
                Problem(
                    code="classification_evidence_not_accounted", segment=segment.id, detail=detail
                )
            )
        if changed[index].action == "release":
            changed[index] = _to_review(decisions[index], holder.rule(RULE_NOT_ACCOUNTED), detail)
    if len(unaccounted) + 1 > MAX_PROBLEMS:
        problems.append(
            Problem(
                code="classification_evidence_not_accounted",
                detail=f"{len(unaccounted)} segments in all hold unaccounted evidence",
            )
        )
    return changed, problems


def _paragraph_end(blank_lines: list[int], length: int, position: int) -> int:
    """Where the paragraph holding ``position`` ends: the next blank line, or the end."""
    index = bisect.bisect_left(blank_lines, position)
    return blank_lines[index] if index < len(blank_lines) else length


def _read_by_key1(token: Evidence, segment: Segment, document: Document) -> bool:
    """Did key 1 read this token as the segment's own marking, a banner or a caption?"""
    mark = segment.marking
    if segment.kind == "banner":
        # The banner line itself; a portion mark riding on it is checked like any other.
        level = document.level or "U"
        return token.kind == "banner" and token.rank <= LEVEL_RANK[level]
    if segment.kind == "control":
        return token.kind == "control" and bool(document.captions)
    if mark is None or segment.marking_source != "own":
        return False
    if not segment.start <= token.start < segment.body_start:
        return False
    return token.rank <= mark.rank and (token.kind != "control" or bool(mark.controls))


def _escalates(token: Evidence, holder: Keyholder) -> bool:
    """Evidence that the document is more classified or controlled than key 1 read, or
    a banner key 1 did not read that disagrees with the one it did."""
    if token.kind == "banner" and (
        holder.banner_level is None or (token.rank > 0 and token.level != holder.banner_level)
    ):
        return True  # key 1 read no banner at all, or read another one
    if token.rank > 0:
        if not holder.classified:
            return True  # a classified mark or banner in a document believed unclassified
        return holder.declassified and token.rank > holder.banner_rank
    if holder.classified or not token.controls:
        return False
    # An unread banner's controls govern every unmarked portion, whatever some portions
    # say; a control word in prose is news only when no marking at all carries it.
    known = holder.document_controls if token.kind == "banner" else holder.known_controls
    return any(control not in known for control in token.controls)


def _to_review(decision: Decision, rule: str, detail: str) -> Decision:
    return decision.model_copy(
        update={"action": "review", "rule": rule, "detail": detail, "exemptions": []}
    )


def _describe(token: Evidence) -> str:
    """What a token is, in words, without quoting it."""
    level = LEVEL_NAMES[token.level]
    controls = f" with {', '.join(token.controls)}" if token.controls else ""
    if token.kind == "control":
        return f"a control word ({', '.join(token.controls)})"
    noun = "banner-like line" if token.kind == "banner" else "portion mark"
    return f"a {noun} ({level}{controls})"


def _line(text: str, position: int) -> int:
    """The 1-based line of ``position``: asked a few times per document at most."""
    return text.count("\n", 0, position) + 1


# --- the output check -------------------------------------------------------


def released_ranges(
    segments: list[Segment], decisions: list[Decision], spans: Iterable[SpanRedaction]
) -> list[tuple[int, int]]:
    """The character ranges of the input that a release emits verbatim (banners excepted:
    their marking is rewritten, so what they emit is generated)."""
    by_segment: dict[str, list[SpanRedaction]] = {}
    for span in spans:
        by_segment.setdefault(span.segment, []).append(span)
    ranges: list[tuple[int, int]] = []
    for segment, decision in zip(segments, decisions, strict=True):
        if segment.kind == "banner" and decision.action == "release":
            continue
        if decision.action != "release":
            ranges.append((segment.start, segment.body_start))  # label and marking stay
            continue
        cursor = segment.start
        for span in sorted(by_segment.get(segment.id, []), key=lambda s: s.start):
            ranges.append((cursor, span.start))
            cursor = span.end
        ranges.append((cursor, segment.end))
    return ranges


def allowed_evidence(text: str, ranges: list[tuple[int, int]]) -> Counter[Key]:
    """The tokens of the input that lie wholly inside released ranges, by meaning."""
    counts: Counter[Key] = Counter()
    starts = [start for start, _ in ranges]
    for token in find_evidence(text, context=False):
        index = bisect.bisect_right(starts, token.start) - 1
        if index >= 0 and _visible_end(text, token.start, token.end) <= ranges[index][1]:
            counts[token.key] += 1
    return counts


def _visible_end(text: str, start: int, end: int) -> int:
    """Where a token's last visible character ends: folding reads invisible characters
    after a mark (a right-to-left mark, a zero-width space) into the token, while the
    label a withheld portion keeps ends before them."""
    while end > start + 1 and unicodedata.category(text[end - 1]) in _INVISIBLE:
        end -= 1
    return end


_INVISIBLE = frozenset({"Cf", "Mn", "Me", "Cc", "Zs"})


def check_output(emitted: str, allowed: Counter[Key], generated: Iterable[str]) -> None:
    """Refuse a release whose output holds evidence the released text does not account for.

    ``generated`` is what the renderer writes from the model (the release marking, the
    stamp, placeholders, page furniture): tokens of those meanings may repeat freely.
    """
    free: set[Key] = {token.key for token in count_evidence("\n".join(dict.fromkeys(generated)))}
    seen: Counter[Key] = Counter(
        token.key for token in count_evidence(emitted) if token.key not in free
    )
    for key, count in seen.items():
        if count > allowed.get(key, 0):
            is_control, level, controls = key
            what = "control word" if is_control else f"{LEVEL_NAMES[level]} mark"
            raise LeakError(
                f"key 2: the output holds {count - allowed.get(key, 0)} {what}(s)"
                f"{' ' + '/'.join(controls) if controls else ''} that no release decision "
                "accounts for"
            )
