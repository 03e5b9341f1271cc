"""Blocks: the segments under construction, and nothing else.

A block runs from its first line to the start of the next block, so blocks
become segments that tile the text without any bookkeeping of their ends.
The readers append blocks; assembly (rules/assemble.py) turns the finished
list into segments. The reading state lives in rules/cursor.py and the
document's own facts in rules/header_facts.py, so this module holds only
what its name says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from declass.rules import limits
from declass.rules import lines as ln
from declass.rules.model import Marking, MarkingSource, SegmentKind


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


class Blocks:
    """The blocks in reading order; the readers refer to one by its index.

    ``on_new`` hears of every block appended (the cursor, which closes the
    routing block on the first header item or marked portion after it).
    """

    def __init__(self, on_new: Callable[[SegmentKind, MarkingSource | None], None]) -> None:
        self.items: list[Block] = []
        self._on_new = on_new

    def __getitem__(self, index: int) -> Block:
        return self.items[index]

    def new(
        self,
        kind: SegmentKind,
        start: int,
        body: int | None = None,
        *,
        label: str | None = None,
        marking: Marking | None = None,
        source: MarkingSource | None = None,
        continues: int | None = None,
    ) -> int:
        """Append a block (its body starts at ``start`` unless given) and return its index."""
        limits.check_segments(len(self.items) + 1)
        self._on_new(kind, source)
        body_start = start if body is None else body
        self.items.append(Block(kind, start, body_start, label, marking, source, continues))
        return len(self.items) - 1

    def current(self) -> Block | None:
        return self.items[-1] if self.items else None

    def finish(self, lines: list[str], offsets: list[int]) -> list[Block]:
        """The finished list: at least one block, the first from offset 0, and the
        signature marked, so that the blocks tile the whole text."""
        if not self.items:
            self.new("paragraph", 0)
        self.items[0].start = 0
        _mark_signature(self.items, lines, offsets)
        return self.items


def _owner_of(blocks: list[Block], offset: int) -> int:
    for i in range(len(blocks) - 1, -1, -1):
        if blocks[i].start <= offset:
            return i
    return 0


def _mark_signature(blocks: list[Block], lines: list[str], offsets: list[int]) -> None:
    """Mark the last line of the body as the signature when it looks like a name."""
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line.strip():
            continue
        owner = _owner_of(blocks, offsets[i])
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
