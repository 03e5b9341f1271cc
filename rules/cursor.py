"""The cursor: where the parser is in the text, and what the lines so far opened.

Only the two readers (rules/header.py, rules/body.py) use it; assembly never
sees it. It holds reading state, not findings: which line is being read, the
header item still open (its zone), the open paragraph and portion, whether a
blank line or a page break came before. What the document says about itself
(banners, instructions, captions) goes to :class:`declass.rules.header_facts.HeaderFacts`
instead, so that assembly can read the findings without the reading position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from declass.rules.model import MarkingSource, SegmentKind

#: A multi-line header item still open: its next lines may continue it.
Zone = Literal["subject", "ref", "classified_by", "repeat_header"]

#: Header items after which prose-like routing lines (``TO ...``, ``ORIGIN ...``) are
#: body, as they are after a marked portion; unmarked text may be transmission debris.
_CLOSES_ROUTING = frozenset({"declassification", "tags", "subject", "reference", "classified_by"})


@dataclass
class Cursor:
    """The line being read and the state the lines before it left open.

    ``para`` and ``portion`` are indices into the block list: the numbered
    paragraph open, and the portion inside it (itself, or a marked sub-item).
    """

    text: str
    lines: list[str]
    index: int = 0
    line_start: int = 0
    previous: str = ""
    in_header: bool = True
    zone: Zone | None = None
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

    def opened(self, kind: SegmentKind, source: MarkingSource | None) -> None:
        """Note a new block: a header item or a marked portion closes the routing block,
        after which a routing-like line is read as body, never as transmission debris."""
        marked = kind == "paragraph" and source == "own"
        if (kind in _CLOSES_ROUTING or marked) and self.routing_context:
            self.routing_closed = True

    def text_since(self, offset: int) -> str:
        """The text from ``offset`` up to the start of the line being read."""
        return self.text[offset : self.line_start]

    def next_nonblank(self) -> str | None:
        """The first line after the blank line that follows this one (within three),
        or None when no blank line follows: what a heading stands above."""
        lines, i = self.lines, self.index
        if i + 1 < len(lines) and not lines[i + 1].strip():
            for later in lines[i + 1 : i + 4]:
                if later.strip():
                    return later
            return None
        return None
