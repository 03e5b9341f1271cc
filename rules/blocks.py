"""Blocks: segments under construction, the parser state, and line helpers.

A block runs from its first line to the start of the next block, so blocks
become segments that tile the text without any bookkeeping of their ends.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rules import lines as ln
from rules.banner import BannerLine, parse_banner_line
from rules.dates import parse_date
from rules.model import Marking, MarkingSource, SegmentKind
from rules.vocabulary import NOFORN_EFFECT, TETRAGRAPHS

_MEMO_DATE = re.compile(r"^\s*DATE\s*:\s*(.+?)\s*$", re.IGNORECASE)
_WEEKDAY_DATE = re.compile(r"^\s*[A-Z][a-z]+,\s+(\d{1,2}\s+[A-Z][a-z]+\s+\d{4})")


#: Header items after which prose-like routing lines (``TO ...``, ``ORIGIN ...``) are
#: body, as they are after a marked portion; unmarked text may be transmission debris.
_CLOSES_ROUTING = frozenset({"declassification", "tags", "subject", "reference", "classified_by"})


@dataclass
class Block:
    """A segment under construction; it ends where the next block starts."""

    kind: SegmentKind
    start: int
    body: int
    label: str | None = None
    marking: Marking | None = None
    source: MarkingSource | None = None
    continues: int | None = None


@dataclass
class ParserState:
    blocks: list[Block] = field(default_factory=list)
    in_header: bool = True
    zone: str | None = None
    seen_banner: bool = False
    routing_context: bool = False
    routing_closed: bool = False  # a header item or portion followed a routing block
    para: int | None = None
    portion: int | None = None
    body_started: bool = False
    para_number: int = 0
    sub_count: int = 0
    after_break: bool = False
    blank_before: bool = True
    entire_text: Marking | None = None
    banners: list[tuple[BannerLine, int]] = field(default_factory=list)
    decl_lines: list[tuple[str, int]] = field(default_factory=list)
    cb_blocks: list[int] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    routing_levels: list[str] = field(default_factory=list)
    origin: dt.date | None = None


def starts_something(line: str) -> bool:
    """Lines that end a multi-line header item: a marked portion is never swallowed."""
    lead = ln.read_lead(line)
    return bool(
        (lead is not None and lead.kind == "number")
        or (lead is not None and lead.marking is not None and not echoes_label(lead))
        or ln.is_declassification(line)
        or ln.tags_start(line) is not None
        or ln.subject_start(line) is not None
        or ln.is_classified_by(line)
        or parse_banner_line(line) is not None
    )


def echoes_label(lead: ln.Lead) -> bool:
    """``C. (C) PARIS 7527`` in a REF list: the letter repeated, not CONFIDENTIAL."""
    mark = lead.marking
    return mark is not None and lead.label is not None and mark.raw.strip("() ") == lead.label


def sub_label(parent: str | None, lead: ln.Lead, count: int) -> str | None:
    """``2.A`` for a lettered sub-paragraph, ``2.-3`` for the third marked bullet."""
    if lead.kind in ("mark", "label"):
        return None
    if lead.kind == "outline":
        return lead.label  # "6.1" names itself
    mark = lead.label if lead.kind != "bullet" else f"-{count}"
    return f"{parent}.{mark}" if parent is not None else lead.label


def is_heading(line: str, following: str | None) -> bool:
    text = line.strip()
    if len(text) > 70 or text[-1] in ".,;:\"'" or not text[0].isalpha() or text[0].islower():
        return False
    if following is None:
        return False
    return bool(ln.read_lead(following)) or ln.is_dash_rule(following)


def next_nonblank(lines: list[str], i: int) -> str | None:
    if i + 1 < len(lines) and not lines[i + 1].strip():
        for later in lines[i + 1 : i + 4]:
            if later.strip():
                return later
        return None
    return None


def line_date(line: str) -> dt.date | None:
    for pattern in (_MEMO_DATE, _WEEKDAY_DATE):
        match = pattern.match(line)
        if match:
            parsed = parse_date(match.group(1))
            if parsed and parsed.value:
                return parsed.value
    return None


def owner_of(blocks: list[Block], offset: int) -> int:
    for i in range(len(blocks) - 1, -1, -1):
        if blocks[i].start <= offset:
            return i
    return 0


def mark_signature(blocks: list[Block], lines: list[str], offsets: list[int]) -> None:
    """Mark the last line of the body as the signature when it looks like a name."""
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line.strip():
            continue
        owner = owner_of(blocks, offsets[i])
        if blocks[owner].kind in ("banner", "trailer"):
            continue
        if ln.is_signature(line) and not ln.read_lead(line):
            block = blocks[owner]
            whole = block.start == offsets[i] and block.label is None
            if whole and block.kind in ("paragraph", "heading"):
                blocks[owner].kind = "signature"
                blocks[owner].marking = None
                blocks[owner].source = None
            elif blocks[owner].start < offsets[i]:
                blocks.insert(owner + 1, Block("signature", offsets[i], offsets[i]))
        return


def stricter(parent: Marking | None, sibling: Marking | None) -> Marking | None:
    """The more restrictive of a parent's marking and a preceding sibling's.

    An unmarked parent stays unmarked (the engine treats that at the banner
    level); otherwise the higher level wins, and at the same level the one
    that forbids foreign release.
    """
    if parent is None or sibling is None:
        return parent
    if sibling.rank != parent.rank:
        return sibling if sibling.rank > parent.rank else parent
    if _forbids_foreign(sibling) and not _forbids_foreign(parent):
        return sibling
    return parent


def as_strict(new: Marking | None, governing: Marking | None) -> bool:
    """Whether ``new`` withholds at least as much as ``governing`` (an unmarked
    portion of a classified document is withheld, so only a classified or
    controlled marking is as strict as none)."""
    if new is None:
        return False
    if governing is None:
        return new.rank > 0 or bool(new.controls)
    if new.rank != governing.rank:
        return new.rank > governing.rank
    before, after = set(governing.controls), set(new.controls)
    if _forbids_foreign(new):
        before -= {"REL TO"}  # NOFORN withholds more than any REL TO list
    narrower = not governing.rel_to or _countries(new.rel_to) <= _countries(governing.rel_to)
    return before <= after and ("REL TO" not in after or narrower)


def _countries(rel_to: list[str]) -> set[str]:
    return {country for code in rel_to for country in TETRAGRAPHS.get(code, (code,))}


def _forbids_foreign(marking: Marking) -> bool:
    return bool(NOFORN_EFFECT & set(marking.controls))


class BlockBuilder:
    """Owns the text, the parser state and the list of blocks being built."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.state = ParserState()
        self.line_start = 0
        self.previous = ""
        self.lines: list[str] = []
        self.index = 0

    def _new(self, kind: SegmentKind, start: int, body: int | None = None, **kw: object) -> int:
        marked = kind == "paragraph" and kw.get("source") == "own"
        if (kind in _CLOSES_ROUTING or marked) and self.state.routing_context:
            self.state.routing_closed = True
        self.state.blocks.append(Block(kind, start, start if body is None else body, **kw))  # type: ignore[arg-type]
        return len(self.state.blocks) - 1

    def _current(self) -> Block | None:
        return self.state.blocks[-1] if self.state.blocks else None

    def _same_or_new(self, kind: SegmentKind, start: int) -> None:
        current = self._current()
        if current is None or current.kind != kind:
            self._new(kind, start)

    # -- header ---------------------------------------------------------------
