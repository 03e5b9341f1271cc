"""Reading the header of a cable or memo: transmission lines, banner, captions,
E.O. line, TAGS, SUBJECT, REF and the classification authority block.

Header items are recognised while the header lasts, in the header block
that a continuation section repeats, and (the authority block alone) where
memos put it after the body. Multi-line items (a wrapped SUBJECT, lettered
REF items, wrapped reasons) continue only with lines that fit them, so prose
can never run on into a header line that a policy releases as structure.

The reader is handed the cursor, the header facts and the block list, and
the body reader as a callback for text a lost line break glued onto a header
line; it keeps no state of its own.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable

from declass.rules import inline
from declass.rules import lines as ln
from declass.rules.authority import parse_classified_by
from declass.rules.banner import BannerLine, is_page_number_line, parse_banner_line
from declass.rules.blocks import Blocks
from declass.rules.cursor import Cursor
from declass.rules.dates import parse_date, parse_dtg
from declass.rules.declassify import parse_declassification
from declass.rules.header_facts import HeaderFacts
from declass.rules.markings import parse_portion
from declass.rules.model import SegmentKind

_HEADER_ANCHOR = re.compile(
    r"\b(?:SIPDIS|NOFORN)\b|(?:\bE\.?\s?O\.?\s?|\bEO\s+)\d{5}\b|\bTAGS?\b:?|\bSUBJECT\s*:", re.I
)
_TRAILING_MARK = re.compile(r"\s(\([A-Za-z/ ]{1,12}\))\s*$")
_MAX_INSTRUCTION_WORDS = 16
#: How the header lines that text can be glued onto begin (a cheap test before the scan).
_HEADER_START = re.compile(
    r"\s*(?:\(\s*[A-Za-z]{1,2}\s*\)\s*)?(?:¶?\s*\d{1,2}\s*\.\s*(?:\(\s*U\s*\)\s*)?)?"
    r"(?:C\s?L\s?A\s?S\s?S|E\.?\s?O\b|EO\b|DECL|TAGS?\b|TAS\b|AGS\b|SUBJ|REF|PAGE\b"
    r"|SIPDIS|NOFORN|EXDIS|NODIS|LIMDIS|STADIS|SENSITIVE|TOP\b|SECRET|CONFIDENTIAL|UNCLAS"
    r"|LIMITED|CUI|CONTROLLED|[A-Z] [A-Z] [A-Z])",
    re.IGNORECASE,
)
_MEMO_DATE = re.compile(r"^\s*DATE\s*:\s*(.+?)\s*$", re.IGNORECASE)
_WEEKDAY_DATE = re.compile(r"^\s*[A-Z][a-z]+,\s+(\d{1,2}\s+[A-Z][a-z]+\s+\d{4})")
_WORD_START = re.compile(r"(?<!\S)\S")
_MARK_AT = re.compile(r"\s*(\([A-Za-z][A-Za-z/ ,-]{0,40}\))\s*")


def instruction_kind(text: str) -> SegmentKind:
    """A declassification line longer than any real instruction holds prose (lost line
    breaks): it is still read as the instruction, but kept as an unmarked paragraph so
    that no policy releases it as a header line."""
    return "declassification" if len(text.split()) <= _MAX_INSTRUCTION_WORDS else "paragraph"


def _instruction_end(line: str) -> int | None:
    """Where a readable declassification instruction ends in a line that, whole, is
    unreadable (``DECL: 08/25/2036 The minister said ...``: a lost line break).

    Only the first words are tried, so a hostile 100,000-character line costs
    a few parses, not one per word.
    """
    if len(line.split(maxsplit=4)) < 5 or parse_declassification(line).kind != "invalid":
        return None  # "E.O. 12958: DECL: 08/25/2016" has no room for glued prose
    words = itertools.islice(_WORD_START.finditer(line), 1, _MAX_INSTRUCTION_WORDS)
    for cut in reversed([match.start() for match in words]):
        if parse_declassification(line[:cut]).kind != "invalid":
            return cut
    return None


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


def line_date(line: str) -> dt.date | None:
    for pattern in (_MEMO_DATE, _WEEKDAY_DATE):
        match = pattern.match(line)
        if match:
            parsed = parse_date(match.group(1))
            if parsed and parsed.value:
                return parsed.value
    return None


class HeaderReader:
    """Reads the header lines into blocks and header facts; hands glued body text on.

    The body reader is a callback, not a base class: the header reader only
    needs to pass it the text a lost line break glued after a header item.
    """

    def __init__(
        self,
        cursor: Cursor,
        facts: HeaderFacts,
        blocks: Blocks,
        read_body: Callable[[int, str], None],
    ) -> None:
        self.cursor = cursor
        self.facts = facts
        self.blocks = blocks
        self._read_body = read_body

    def read_line(self, start: int, line: str) -> bool:
        """A header line, read whole: text glued after it by a lost line break
        (``Classified By: ... (d) 1. (C) Summary: ...``) is split off as body."""
        cur = self.cursor
        in_body = cur.body_started and not (cur.in_header or cur.blank_before or cur.after_break)
        if in_body and cur.zone is None and self.blocks[-1].kind != "classified_by":
            return self._header_head(start, line)  # in the body only a banner is a header line
        cut = self._glued_cut(line)
        if cut is not None and self._header_head(start, line[:cut]):
            cur.blank_before = True  # the line break that was lost
            self._read_body(start + cut, line[cut:])
            return True
        return self._header_head(start, line)

    def _glued_cut(self, line: str) -> int | None:
        cur = self.cursor
        if cur.zone is None and not _HEADER_START.match(line):
            return None  # no header item starts this line: nothing is glued onto one
        if "(" in line:
            in_ref = cur.zone == "ref" or ln.ref_start(line) is not None
            cut = inline.glued_portion(line, numbered_only=in_ref)
            if cut is not None:
                return cut
        if cur.zone == "classified_by" or ln.is_classified_by(line):
            return inline.prose_after_reasons(line)
        if ln.is_declassification(line):
            return _instruction_end(line)
        return None

    def _same_or_new(self, kind: SegmentKind, start: int) -> None:
        current = self.blocks.current()
        if current is None or current.kind != kind:
            self.blocks.new(kind, start)

    def _header_head(self, start: int, line: str) -> bool:
        cur = self.cursor
        if self._continue_zone(line):
            return True
        banner = parse_banner_line(line)
        if banner is not None:
            self._banner(start, line, banner)
            return True
        if is_page_number_line(line):  # a bare classification line was a banner above
            self._page_break(start)
            return True
        if cur.in_header or cur.zone == "repeat_header" or not cur.body_started:
            return self._header_item(start, line)
        return self._closing_block(start, line)

    def _closing_block(self, start: int, line: str) -> bool:
        """After the body began only the authority block may follow (memos put it last)."""
        cur = self.cursor
        current = self.blocks.current()
        after_cb = current is not None and current.kind == "classified_by"
        if not (cur.blank_before or after_cb):
            return False
        if cur.blank_before and ln.is_classified_by(line) and not ln.read_lead(line):
            self.facts.cb_blocks.append(self.blocks.new("classified_by", start))
            cur.zone = "classified_by"
            return True
        if ln.is_declassification(line) and (cur.blank_before or after_cb):
            self.facts.decl_lines.append((line, self.blocks.new(instruction_kind(line), start)))
            cur.zone = None
            return True
        return False

    def _header_item(self, start: int, line: str) -> bool:
        cur = self.cursor
        open_block = not cur.routing_closed
        if (
            ln.is_machine_routing(line)
            or (open_block and ln.is_routing(line))
            or (open_block and cur.routing_context and ln.is_address(line))
            or (
                open_block
                and cur.routing_context
                and not cur.seen_banner
                and cur.in_header
                and ln.is_addressee(line)
            )
        ):
            self._routing(start, line)
            return True
        if ln.is_classified_by(line) and not ln.read_lead(line):
            self.facts.cb_blocks.append(self.blocks.new("classified_by", start))
            cur.zone = "classified_by"
            return True
        captions = ln.caption_words(line)
        attention = cur.seen_banner and (not self.facts.decl_lines or cur.zone == "repeat_header")
        repeated = cur.zone == "repeat_header" and bool(self.facts.decl_lines)  # SECTION 02 OF 02
        if captions is not None or (attention and ln.is_attention(line, bare_for=not repeated)):
            for c in captions or []:  # one by one: extend(generator) differs once compiled
                if c not in self.facts.captions:
                    self.facts.captions.append(c)
            self._same_or_new("control", start)
            self._end_item()
            return True
        if ln.is_declassify_on(line):
            self.facts.decl_lines.append((line, self.blocks.new(instruction_kind(line), start)))
            self._end_item()
            return True
        if ln.is_declassification(line) or ln.tags_start(line) is not None:
            self._split_header_rest(start, line)
            return True
        subject = ln.subject_start(line)
        if subject is not None:
            self._subject(start, line, subject)
            return True
        ref = ln.ref_start(line)
        if ref is not None:
            self.blocks.new("reference", start, start + ref)
            cur.zone = "ref"
            return True
        return False

    def _continue_zone(self, line: str) -> bool:
        cur = self.cursor
        zone = cur.zone
        if zone == "ref" and ln.is_ref_item(line):
            # "(C) 09 STATE 030541" continues a list; after a blank line "(U) ..." is a portion
            return not (cur.blank_before and line.lstrip().startswith("("))
        if zone == "ref" and not cur.blank_before and ln.opens_with_office_symbol(line):
            return True  # "(S/P) MEMO OF 14 MAY": the Policy Planning office, not SECRET
        if zone is None or (starts_something(line) and not ln.is_reason_line(line)):
            return False
        if zone == "subject" and not cur.blank_before:
            return True
        if zone == "ref" and (ln.is_ref_item(line) or not cur.blank_before):
            return True
        if zone == "classified_by":
            return self._continues_authority(line)
        return False

    def _continues_authority(self, line: str) -> bool:
        """Wrapped lines of a Classified By block: reason fragments, never prose."""
        cur = self.cursor
        if ln.is_reason_line(line):
            return not cur.blank_before or not self._cb_has_reasons()
        if cur.blank_before or self._cb_has_reasons():
            return False
        return ln.is_reason_fragment(line) or ln.ends_with_reasons(line)

    def _cb_has_reasons(self) -> bool:
        block = self.blocks[self.facts.cb_blocks[-1]]
        return bool(parse_classified_by(self.cursor.text_since(block.start)).reasons)

    def _routing(self, start: int, line: str) -> None:
        cur = self.cursor
        self._same_or_new("routing", start)
        cur.routing_context = True
        self._end_item()
        level = ln.routing_level(line)
        if level:
            self.facts.routing_levels.append(level)
        if self.facts.origin is None:
            self.facts.origin = parse_dtg(line) or line_date(line)

    def _banner(self, start: int, line: str, banner: BannerLine) -> None:
        cur = self.cursor
        index = self.blocks.new("banner", start, marking=banner.marking, source="own")
        self.facts.banners.append((banner, index))
        if not cur.in_header and cur.para is not None:
            cur.after_break = True
        full = banner.origin is not None or banner.section is not None
        cur.zone = "repeat_header" if not cur.in_header and full else None
        cur.seen_banner = cur.seen_banner or banner.origin is not None or "//" in banner.marking.raw
        rest = line[banner.end :]
        if rest.strip():
            self._split_header_rest(start + banner.end, rest)

    def _page_break(self, start: int) -> None:
        cur = self.cursor
        self._same_or_new("banner", start)
        if not cur.in_header and cur.para is not None:
            cur.after_break = True

    def _split_header_rest(self, offset: int, rest: str) -> None:
        """Split a line holding several header items (a collapsed header)."""
        cur = self.cursor
        anchors = [m.start() for m in _HEADER_ANCHOR.finditer(rest)]
        if not anchors or rest[: anchors[0]].strip():
            self.blocks.new("paragraph", offset)
            cur.zone = None
            return
        for i, pos in enumerate(anchors):
            piece = rest[pos : anchors[i + 1] if i + 1 < len(anchors) else len(rest)]
            self._header_piece(offset + pos, piece)

    def _end_item(self) -> None:
        """A new header item ends a multi-line one (but not a repeated header block)."""
        if self.cursor.zone != "repeat_header":
            self.cursor.zone = None

    def _header_piece(self, start: int, piece: str) -> None:
        self._end_item()
        upper = piece.upper().lstrip()
        if upper.startswith(("SIPDIS", "NOFORN")):
            for c in ln.caption_words(piece) or []:  # one by one, as above
                if c not in self.facts.captions:
                    self.facts.captions.append(c)
            self._same_or_new("control", start)
        elif ln.is_declassification(piece):
            self.facts.decl_lines.append((piece, self.blocks.new(instruction_kind(piece), start)))
        elif upper.startswith("SUBJECT"):
            self._subject(start, piece, ln.subject_start(piece) or 0)
        else:
            values = ln.tags_start(piece) or 0
            kind: SegmentKind = "tags" if ln.are_tags(piece[values:]) else "paragraph"
            self.blocks.new(kind, start, start + values)

    def _subject(self, start: int, line: str, body: int) -> None:
        cur = self.cursor
        lead = _MARK_AT.match(line, body)
        marking = parse_portion(lead.group(1)) if lead else None
        if marking is not None and lead is not None:
            body = lead.end()
        else:
            trailing = _TRAILING_MARK.search(line)
            marking = parse_portion(trailing.group(1)) if trailing else None
        self.blocks.new(
            "subject", start, start + body, marking=marking, source="own" if marking else None
        )
        cur.zone = "subject"
