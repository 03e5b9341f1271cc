"""Turn the parser's blocks into a :class:`Document` and list its problems.

The problems are the inconsistencies a reviewer must know about (docs/markings.md 2.8
2.7, 2.8, 7): a portion above the banner, banners that disagree, an unmarked
portion in a classified document, a malformed marking, a classified document
without a readable declassification instruction.

Assembly takes the header facts and the finished block list, nothing else:
it never sees the cursor, so how the lines were read cannot leak into what
the document says.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from declass.rules import deadline
from declass.rules.authority import parse_classified_by
from declass.rules.dates import PLAUSIBLE_YEARS, is_plausible
from declass.rules.declassify import parse_declassification
from declass.rules.model import LEVEL_RANK, Document, Level, Marking, Problem, Segment
from declass.rules.strays import find_strays

if TYPE_CHECKING:
    from declass.rules.banner import BannerLine
    from declass.rules.blocks import Block
    from declass.rules.header_facts import HeaderFacts

PORTION_KINDS = frozenset({"paragraph", "subject", "heading"})
_UNREADABLE = frozenset({"invalid", "unknown", "redacted", "event", "na_commingled"})


def assemble(text: str, sha256: str, facts: HeaderFacts, blocks: list[Block]) -> Document:
    """The document the facts and blocks describe; the facts' indices point into ``blocks``."""
    ordered = _ordered(blocks)
    segments = _segments(text, ordered)
    banner, banner_line = _primary_banner(facts)
    if banner is None and facts.routing_levels:
        level: Level = facts.routing_levels[0]  # type: ignore[assignment]
        banner = Marking(
            raw=f"ZN? {level * 5}",
            level=level,
            valid=False,
            problems=["banner_from_routing_header"],
            normalized=level,
        )
    implausible = [] if is_plausible(facts.origin) else [_implausible("origin date")]
    origin = facts.origin if not implausible else None
    decl = None
    if facts.decl_lines:
        decl = parse_declassification(facts.decl_lines[0][0], origin).model_copy(
            update={"segment": _segment_of(segments, blocks[facts.decl_lines[0][1]].start)}
        )
        dates = (decl.date, decl.review_date, decl.source_date)
        if not all(is_plausible(day) for day in dates):
            implausible.append(_implausible("declassification instruction"))
            decl = decl.model_copy(
                update={"kind": "invalid", "problems": [*decl.problems, "implausible_date"]}
            )
    classified_by = None
    cb_text = _block_text(text, ordered, blocks[facts.cb_blocks[0]]) if facts.cb_blocks else ""
    if cb_text:
        classified_by = parse_classified_by(cb_text).model_copy(
            update={"segment": _segment_of(segments, blocks[facts.cb_blocks[0]].start)}
        )
    strays = find_strays(text, segments)
    doc_level = _document_level(banner, facts, segments, [stray.marking for stray in strays])
    doc = Document(
        sha256=sha256,
        origin_date=origin,
        banner=banner,
        level=doc_level,
        captions=facts.captions,
        declassification=decl,
        classified_by=classified_by,
        segments=segments,
        cable_id=_cable_id(banner_line, facts),
    )
    unassigned = [
        Problem(
            code="marking_not_assigned",
            segment=stray.segment.id,
            detail=f"a line of the segment opens with {stray.marking.normalized}, which governs "
            "no segment of its own",
        )
        for stray in strays
    ]
    problems = implausible + find_problems(doc, facts) + unassigned
    return doc.model_copy(update={"problems": problems})


def _implausible(field: str) -> Problem:
    low, high = PLAUSIBLE_YEARS
    return Problem(
        code="implausible_date",
        detail=f"the {field} names a year outside {low}-{high}; read as no date",
    )


def _ordered(blocks: list[Block]) -> list[Block]:
    """Drop blocks that start where a later one starts (the later is more specific)."""
    kept: list[Block] = []
    for block in blocks:
        while kept and kept[-1].start >= block.start:
            kept.pop()
        kept.append(block)
    return kept


def _segments(text: str, blocks: list[Block]) -> list[Segment]:
    width = max(3, len(str(len(blocks))))
    ids = {id(b): f"s{i + 1:0{width}d}" for i, b in enumerate(blocks)}
    segments: list[Segment] = []
    # The latest paragraph (or classified-by block) seen under each label, so that a
    # continuation finds the one it continues in one look-up: a search back through
    # the blocks for each continuation was quadratic in a paged cable's page breaks.
    continued: dict[str | None, str] = {}
    for i, block in enumerate(blocks):
        deadline.check()
        end = blocks[i + 1].start if i + 1 < len(blocks) else len(text)
        continues = None
        if block.continues is not None:
            continues = continued.get(block.label)
        elif block.kind in ("paragraph", "classified_by"):
            continued[block.label] = ids[id(block)]
        segments.append(
            Segment(
                id=ids[id(block)],
                kind=block.kind,
                label=block.label,
                start=block.start,
                end=end,
                body_start=min(max(block.body, block.start), end),
                marking=block.marking,
                marking_source=block.source if block.marking is not None else None,
                continues=continues,
            )
        )
    return segments


def _segment_of(segments: list[Segment], offset: int) -> str:
    """The id of the segment that holds ``offset`` (the segments tile the text)."""
    starts = [segment.start for segment in segments]
    return segments[max(bisect.bisect_right(starts, offset) - 1, 0)].id


def _block_text(text: str, ordered: list[Block], block: Block) -> str:
    """The text of ``block`` up to the next block that survived ordering."""
    later = [b.start for b in ordered if b.start > block.start]
    return text[block.start : later[0] if later else len(text)]


def _primary_banner(facts: HeaderFacts) -> tuple[Marking | None, BannerLine | None]:
    """The document's banner: a full cable banner first, then a CAPCO one, then a bare one."""
    ranked = sorted(
        facts.banners,
        key=lambda item: (item[0].origin is None, "//" not in item[0].marking.raw, item[1]),
    )
    if not ranked:
        return None, None
    return ranked[0][0].marking, ranked[0][0]


def _document_level(
    banner: Marking | None, facts: HeaderFacts, segments: list[Segment], strays: list[Marking]
) -> Level | None:
    levels: list[Level] = [b.marking.level for b, _ in facts.banners]
    levels += [marking.level for marking in strays]
    levels += [lvl for lvl in facts.routing_levels if lvl in LEVEL_RANK]  # type: ignore[misc]
    levels += [s.marking.level for s in segments if s.marking is not None]
    if banner is not None:
        levels.append(banner.level)
    if not levels:
        return None
    return max(levels, key=lambda lvl: LEVEL_RANK[lvl])


def _cable_id(banner: BannerLine | None, facts: HeaderFacts) -> str | None:
    if banner is None or banner.origin is None or banner.serial is None or facts.origin is None:
        return None
    return f"{facts.origin.year % 100:02d}{banner.origin.replace(' ', '')}{int(banner.serial)}"


def find_problems(doc: Document, facts: HeaderFacts) -> list[Problem]:
    problems: list[Problem] = []
    banner = doc.banner
    classified = doc.level is not None and LEVEL_RANK[doc.level] > 0
    if banner is None and classified:
        problems.append(
            Problem(code="no_banner", detail="no banner line; level taken from markings")
        )
    if banner is not None and banner.problems:
        problems.append(Problem(code="banner_damaged", detail=", ".join(banner.problems)))
    if banner is not None:
        problems += _banner_disagreements(banner, facts)
    problems += _segment_problems(doc, classified)
    problems += _instruction_problems(doc, facts, classified)
    return problems


def _banner_disagreements(banner: Marking, facts: HeaderFacts) -> list[Problem]:
    problems = []
    others = {b.marking.level for b, _ in facts.banners} - {banner.level}
    if others:
        problems.append(
            Problem(
                code="banners_disagree",
                detail=f"banner {banner.level}; other banner lines {sorted(others)}",
            )
        )
    routing = set(facts.routing_levels) - {banner.level}
    if routing and "banner_from_routing_header" not in banner.problems:
        problems.append(
            Problem(
                code="routing_disagrees_with_banner",
                detail=f"banner {banner.level}; routing header {sorted(routing)}",
            )
        )
    return problems


def _segment_problems(doc: Document, classified: bool) -> list[Problem]:
    problems = []
    banner_rank = LEVEL_RANK[doc.banner.level] if doc.banner else 0
    for seg in doc.segments:
        mark = seg.marking
        if seg.marking_source == "own" and mark is not None and seg.kind != "banner":
            if mark.rank > banner_rank:
                problems.append(
                    Problem(
                        code="portion_above_banner",
                        segment=seg.id,
                        detail=f"portion {mark.level} above banner",
                    )
                )
            if mark.damaged:
                problems.append(
                    Problem(
                        code="malformed_marking", segment=seg.id, detail=", ".join(mark.problems)
                    )
                )
        if classified and mark is None and seg.kind in PORTION_KINDS:
            problems.append(
                Problem(
                    code="unmarked_portion",
                    segment=seg.id,
                    detail=f"unmarked {seg.kind} in a classified document",
                )
            )
    return problems


def _instruction_problems(doc: Document, facts: HeaderFacts, classified: bool) -> list[Problem]:
    problems = []
    decl = doc.declassification
    if classified and decl is None:
        problems.append(
            Problem(
                code="classified_without_declassification",
                detail="classified document with no declassification line",
            )
        )
    if decl is not None and decl.kind in _UNREADABLE:
        problems.append(
            Problem(code="declassification_unreadable", detail=f"instruction of kind {decl.kind}")
        )
    distinct = {" ".join(line.upper().split()) for line, _ in facts.decl_lines}
    if len(distinct) > 1 and len({_instruction_key(line) for line in distinct}) > 1:
        problems.append(
            Problem(
                code="declassification_lines_disagree",
                detail=f"{len(distinct)} different instructions",
            )
        )
    cb = doc.classified_by
    if classified and cb is not None and not cb.reasons and not cb.derivative:
        problems.append(Problem(code="classified_by_without_reason", detail="no reason parsed"))
    return problems


def _instruction_key(line: str) -> str:
    parsed = parse_declassification(line)
    return f"{parsed.kind}:{parsed.date}:{','.join(parsed.exemptions)}"
