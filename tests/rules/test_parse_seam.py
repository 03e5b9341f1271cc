"""The seam between reading lines and assembling the document.

The readers fill header facts and blocks through a cursor; assembly takes the
facts and blocks alone. These tests pin both sides of the seam: what the
readers record, that assembly answers to the facts it is handed (not to a
second reading of the text), and that the cursor never crosses over.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import pytest

from declass.rules.assemble import assemble
from declass.rules.banner import parse_banner_line
from declass.rules.blocks import Block, Blocks
from declass.rules.body import BodyReader
from declass.rules.cursor import Cursor
from declass.rules.header import HeaderReader
from declass.rules.header_facts import HeaderFacts
from declass.rules.markings import parse_portion
from declass.rules.model import MarkingSource, SegmentKind
from declass.rules.parse import read_blocks

ROOT = Path(__file__).resolve().parents[2]

CABLE = (
    "CONFIDENTIAL  PARIS 001234\n\nSIPDIS\n\n"
    "E.O. 12958: DECL: 08/25/2016\nTAGS: PREL, FR\nSUBJECT: (U) TALKS WITH THE MINISTER\n\n"
    "Classified By: Ambassador J. Doe, reasons 1.4 (b) and (d).\n\n"
    "1. (C) The minister said the talks would go on.\n\n"
    "2. (U) The embassy hosted a reception.\n"
)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_readers_record_what_assembly_reads() -> None:
    facts, blocks = read_blocks(CABLE)
    (banner, banner_index), *_ = facts.banners
    assert banner.marking.level == "C" and blocks[banner_index].kind == "banner"
    (decl, decl_index), *_ = facts.decl_lines
    assert decl.startswith("E.O. 12958") and blocks[decl_index].kind == "declassification"
    assert [blocks[i].kind for i in facts.cb_blocks] == ["classified_by"]
    assert facts.captions == ["SIPDIS"]
    assert blocks[0].start == 0
    assert [(b.label, b.marking.raw) for b in blocks if b.label and b.marking] == [
        ("1", "(C)"),
        ("2", "(U)"),
    ]


def test_assembly_answers_to_the_facts_it_is_handed() -> None:
    """Dropping the instruction from the facts, not from the text, changes the document:
    assembly does not read the header a second time."""
    facts, blocks = read_blocks(CABLE)
    whole = assemble(CABLE, _sha(CABLE), facts, blocks)
    assert whole.declassification is not None
    facts.decl_lines.clear()
    without = assemble(CABLE, _sha(CABLE), facts, blocks)
    assert without.declassification is None
    assert "classified_without_declassification" in {p.code for p in without.problems}


def test_assembly_from_hand_built_facts_and_blocks() -> None:
    text = "SECRET\n\n1. (S) The defector named three officers.\n"
    banner = parse_banner_line("SECRET")
    assert banner is not None
    blocks = [
        Block("banner", 0, 0, marking=banner.marking, source="own"),
        Block("paragraph", 8, 15, label="1", marking=parse_portion("(S)"), source="own"),
    ]
    document = assemble(text, _sha(text), HeaderFacts(banners=[(banner, 0)]), blocks)
    assert [(s.id, s.kind, s.start, s.end) for s in document.segments] == [
        ("s001", "banner", 0, 8),
        ("s002", "paragraph", 8, len(text)),
    ]
    assert document.level == "S"
    assert "classified_without_declassification" in {p.code for p in document.problems}


@pytest.mark.parametrize(
    ("kind", "source", "closes"),
    [
        ("declassification", None, True),
        ("tags", None, True),
        ("subject", "own", True),
        ("reference", None, True),
        ("classified_by", None, True),
        ("paragraph", "own", True),
        ("paragraph", None, False),
        ("paragraph", "entire_text", False),
        ("routing", None, False),
        ("banner", "own", False),
        ("control", None, False),
    ],
    ids=lambda value: str(value),
)
def test_a_header_item_or_marked_portion_closes_the_routing_block(
    kind: SegmentKind, source: MarkingSource | None, closes: bool
) -> None:
    cursor = Cursor("", [""], routing_context=True)
    Blocks(on_new=cursor.opened).new(kind, 0, source=source)
    assert cursor.routing_closed is closes


def test_without_a_routing_block_nothing_is_closed() -> None:
    cursor = Cursor("", [""])
    Blocks(on_new=cursor.opened).new("subject", 0, source="own")
    assert not cursor.routing_closed


def test_an_empty_reading_still_tiles_the_text() -> None:
    assert [(b.kind, b.start) for b in Blocks(on_new=lambda kind, source: None).finish([], [])] == [
        ("paragraph", 0)
    ]


@pytest.mark.parametrize("reader", [HeaderReader, BodyReader], ids=lambda r: r.__name__)
def test_the_readers_are_composed_not_inherited(reader: type) -> None:
    assert reader.__mro__ == (reader, object)


def test_assembly_never_imports_the_cursor_or_the_readers() -> None:
    tree = ast.parse((ROOT / "rules" / "assemble.py").read_text(encoding="utf-8"))
    imported = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module is not None
    }
    assert not imported & {
        "declass.rules.cursor",
        "declass.rules.header",
        "declass.rules.body",
        "declass.rules.parse",
    }
