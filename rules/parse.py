"""Text -> :class:`Document`: segments that tile the text, with their markings.

The parser walks the lines once. While in the header it recognises the
transmission lines, the banner, captions, the E.O. line, TAGS, SUBJECT, REF
and the Classified By block; then it reads portions: numbered paragraphs,
lettered sub-paragraphs and bullets (their own segments only when they carry
their own marking), headings, page breaks, signature and trailer. Every
character of the text belongs to exactly one segment: a segment runs from its
first line to the start of the next one, blank lines included.

This module is the walk and nothing else. The state is split by who reads
it: the :class:`Cursor` (where the reading is) belongs to the two readers,
:class:`HeaderReader` and :class:`BodyReader`; the :class:`HeaderFacts` and
the :class:`Blocks` they fill are all that assembly (rules/assemble.py) sees.
"""

from __future__ import annotations

import hashlib
import itertools

from declass.rules import deadline
from declass.rules.assemble import assemble
from declass.rules.blocks import Block, Blocks
from declass.rules.body import BodyReader
from declass.rules.cursor import Cursor
from declass.rules.errors import InputError
from declass.rules.header import HeaderReader
from declass.rules.header_facts import HeaderFacts
from declass.rules.model import Document


def normalise(data: bytes) -> str:
    """Decode UTF-8 (dropping a BOM) and turn CRLF and CR into LF."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"input is not UTF-8 text (invalid byte at offset {exc.start})") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("input is empty")
    return text


def parse_document(text: str) -> Document:
    """Parse normalised text into the document model (never raises on content)."""
    facts, blocks = read_blocks(text)
    return assemble(text, hashlib.sha256(text.encode("utf-8")).hexdigest(), facts, blocks)


def read_blocks(text: str) -> tuple[HeaderFacts, list[Block]]:
    """Walk the lines once: the header facts, and blocks that tile the whole text.

    A line that can only continue the open paragraph goes straight to the body
    reader; any other line is offered to the header reader first, and what it
    does not take is body.
    """
    lines = text.split("\n")
    cursor = Cursor(text, lines)
    facts = HeaderFacts()
    blocks = Blocks(on_new=cursor.opened)
    body = BodyReader(cursor, facts, blocks)
    header = HeaderReader(cursor, facts, blocks, read_body=body.read_line)
    offsets = _line_offsets(lines)
    for i, (start, line) in enumerate(zip(offsets, lines, strict=True)):
        cursor.line_start, cursor.index = start, i
        if not i % _CHECK_EVERY or len(line) > _LONG_LINE:
            deadline.check()  # a line's reading costs about its length: check per span of text
        if not line or line.isspace():
            cursor.blank_before = True
            continue
        if body.is_running_prose(line):
            body.split_mid_line(start, line)
        elif not header.read_line(start, line):
            body.read_line(start, line)
        cursor.blank_before = False
        cursor.previous = line
    return facts, blocks.finish(lines, offsets)


def _line_offsets(lines: list[str]) -> list[int]:
    """Where each line starts in the text (the lines were split on LF), summed in C."""
    offsets = list(itertools.accumulate(map(_PLUS_ONE, map(len, lines)), initial=0))
    offsets.pop()  # the end of the text, past the last line
    return offsets


#: ``len(line) + 1`` as a C callable: each line and its line break.
_PLUS_ONE = (1).__add__
#: The walk checks the deadline on every 32nd line and before every line longer than
#: 1,000 characters: between two checks it reads at most 32 lines, one of them long.
_CHECK_EVERY = 32
_LONG_LINE = 1_000
