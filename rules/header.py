"""Reading the header of a cable or memo: transmission lines, banner, captions,
E.O. line, TAGS, SUBJECT, REF and the classification authority block.

Header items are recognised while the header lasts, in the header block
that a continuation section repeats, and (the authority block alone) where
memos put it after the body. Multi-line items (a wrapped SUBJECT, lettered
REF items, wrapped reasons) continue only with lines that fit them, so prose
can never run on into a header line that a policy releases as structure.
"""

from __future__ import annotations

import itertools
import re

from rules import inline
from rules import lines as ln
from rules.authority import parse_classified_by
from rules.banner import BannerLine, is_page_number_line, parse_banner_line
from rules.blocks import BlockBuilder, line_date, starts_something
from rules.dates import parse_dtg
from rules.declassify import parse_declassification
from rules.markings import parse_portion
from rules.model import SegmentKind

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


class HeaderReader(BlockBuilder):
    """The header half of the parser; :class:`rules.parse._Parser` adds the body."""

    def _header_line(self, start: int, line: str) -> bool:
        """A header line, read whole: text glued after it by a lost line break
        (``Classified By: ... (d) 1. (C) Summary: ...``) is split off as body."""
        st = self.state
        in_body = st.body_started and not (st.in_header or st.blank_before or st.after_break)
        if in_body and st.zone is None and st.blocks[-1].kind != "classified_by":
            return self._header_head(start, line)  # in the body only a banner is a header line
        cut = self._glued_cut(line)
        if cut is not None and self._header_head(start, line[:cut]):
            self.state.blank_before = True  # the line break that was lost
            self._body_line(start + cut, line[cut:])
            return True
        return self._header_head(start, line)

    def _glued_cut(self, line: str) -> int | None:
        st = self.state
        if st.zone is None and not _HEADER_START.match(line):
            return None  # no header item starts this line: nothing is glued onto one
        if "(" in line:
            in_ref = st.zone == "ref" or ln.ref_start(line) is not None
            cut = inline.glued_portion(line, numbered_only=in_ref)
            if cut is not None:
                return cut
        if st.zone == "classified_by" or ln.is_classified_by(line):
            return inline.prose_after_reasons(line)
        if ln.is_declassification(line):
            return _instruction_end(line)
        return None

    def _body_line(self, start: int, line: str) -> None:
        raise NotImplementedError  # the body half of the parser (rules.parse)

    def _header_head(self, start: int, line: str) -> bool:
        st = self.state
        if self._continue_zone(line):
            return True
        banner = parse_banner_line(line)
        if banner is not None:
            self._banner(start, line, banner)
            return True
        if is_page_number_line(line):  # a bare classification line was a banner above
            self._page_break(start)
            return True
        if st.in_header or st.zone == "repeat_header" or not st.body_started:
            return self._header_item(start, line)
        return self._closing_block(start, line)

    def _closing_block(self, start: int, line: str) -> bool:
        """After the body began only the authority block may follow (memos put it last)."""
        st = self.state
        current = self._current()
        after_cb = current is not None and current.kind == "classified_by"
        if not (st.blank_before or after_cb):
            return False
        if st.blank_before and ln.is_classified_by(line) and not ln.read_lead(line):
            st.cb_blocks.append(self._new("classified_by", start))
            st.zone = "classified_by"
            return True
        if ln.is_declassification(line) and (st.blank_before or after_cb):
            st.decl_lines.append((line, self._new(instruction_kind(line), start)))
            st.zone = None
            return True
        return False

    def _header_item(self, start: int, line: str) -> bool:
        st = self.state
        open_block = not st.routing_closed
        if (
            ln.is_machine_routing(line)
            or (open_block and ln.is_routing(line))
            or (open_block and st.routing_context and ln.is_address(line))
            or (
                open_block
                and st.routing_context
                and not st.seen_banner
                and st.in_header
                and ln.is_addressee(line)
            )
        ):
            self._routing(start, line)
            return True
        if ln.is_classified_by(line) and not ln.read_lead(line):
            st.cb_blocks.append(self._new("classified_by", start))
            st.zone = "classified_by"
            return True
        captions = ln.caption_words(line)
        attention = st.seen_banner and (not st.decl_lines or st.zone == "repeat_header")
        repeated = st.zone == "repeat_header" and bool(st.decl_lines)  # SECTION 02 OF 02
        if captions is not None or (attention and ln.is_attention(line, bare_for=not repeated)):
            st.captions.extend(c for c in captions or [] if c not in st.captions)
            self._same_or_new("control", start)
            self._end_item()
            return True
        if ln.is_declassify_on(line):
            st.decl_lines.append((line, self._new(instruction_kind(line), start)))
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
            self._new("reference", start, start + ref)
            st.zone = "ref"
            return True
        return False

    def _continue_zone(self, line: str) -> bool:
        st = self.state
        zone = st.zone
        if zone == "ref" and ln.is_ref_item(line):
            # "(C) 09 STATE 030541" continues a list; after a blank line "(U) ..." is a portion
            return not (st.blank_before and line.lstrip().startswith("("))
        if zone == "ref" and not st.blank_before and ln.opens_with_office_symbol(line):
            return True  # "(S/P) MEMO OF 14 MAY": the Policy Planning office, not SECRET
        if zone is None or (starts_something(line) and not ln.is_reason_line(line)):
            return False
        if zone == "subject" and not st.blank_before:
            return True
        if zone == "ref" and (ln.is_ref_item(line) or not st.blank_before):
            return True
        if zone == "classified_by":
            return self._continues_authority(line)
        return False

    def _continues_authority(self, line: str) -> bool:
        """Wrapped lines of a Classified By block: reason fragments, never prose."""
        st = self.state
        if ln.is_reason_line(line):
            return not st.blank_before or not self._cb_has_reasons()
        if st.blank_before or self._cb_has_reasons():
            return False
        return ln.is_reason_fragment(line) or ln.ends_with_reasons(line)

    def _cb_has_reasons(self) -> bool:
        block = self.state.blocks[self.state.cb_blocks[-1]]
        return bool(parse_classified_by(self.text[block.start : self.line_start]).reasons)

    def _routing(self, start: int, line: str) -> None:
        st = self.state
        self._same_or_new("routing", start)
        st.routing_context = True
        self._end_item()
        level = ln.routing_level(line)
        if level:
            st.routing_levels.append(level)
        if st.origin is None:
            st.origin = parse_dtg(line) or line_date(line)

    def _banner(self, start: int, line: str, banner: BannerLine) -> None:
        st = self.state
        index = self._new("banner", start, marking=banner.marking, source="own")
        st.banners.append((banner, index))
        if not st.in_header and st.para is not None:
            st.after_break = True
        full = banner.origin is not None or banner.section is not None
        st.zone = "repeat_header" if not st.in_header and full else None
        st.seen_banner = st.seen_banner or banner.origin is not None or "//" in banner.marking.raw
        rest = line[banner.end :]
        if rest.strip():
            self._split_header_rest(start + banner.end, rest)

    def _page_break(self, start: int) -> None:
        st = self.state
        self._same_or_new("banner", start)
        if not st.in_header and st.para is not None:
            st.after_break = True

    def _split_header_rest(self, offset: int, rest: str) -> None:
        """Split a line holding several header items (a collapsed header)."""
        st = self.state
        anchors = [m.start() for m in _HEADER_ANCHOR.finditer(rest)]
        if not anchors or rest[: anchors[0]].strip():
            self._new("paragraph", offset)
            st.zone = None
            return
        for i, pos in enumerate(anchors):
            piece = rest[pos : anchors[i + 1] if i + 1 < len(anchors) else len(rest)]
            self._header_piece(offset + pos, piece)

    def _end_item(self) -> None:
        """A new header item ends a multi-line one (but not a repeated header block)."""
        if self.state.zone != "repeat_header":
            self.state.zone = None

    def _header_piece(self, start: int, piece: str) -> None:
        st = self.state
        self._end_item()
        upper = piece.upper().lstrip()
        if upper.startswith(("SIPDIS", "NOFORN")):
            st.captions.extend(c for c in ln.caption_words(piece) or [] if c not in st.captions)
            self._same_or_new("control", start)
        elif ln.is_declassification(piece):
            st.decl_lines.append((piece, self._new(instruction_kind(piece), start)))
        elif upper.startswith("SUBJECT"):
            self._subject(start, piece, ln.subject_start(piece) or 0)
        else:
            values = ln.tags_start(piece) or 0
            kind: SegmentKind = "tags" if ln.are_tags(piece[values:]) else "paragraph"
            self._new(kind, start, start + values)

    def _subject(self, start: int, line: str, body: int) -> None:
        st = self.state
        lead = _MARK_AT.match(line, body)
        marking = parse_portion(lead.group(1)) if lead else None
        if marking is not None and lead is not None:
            body = lead.end()
        else:
            trailing = _TRAILING_MARK.search(line)
            marking = parse_portion(trailing.group(1)) if trailing else None
        self._new(
            "subject", start, start + body, marking=marking, source="own" if marking else None
        )
        st.zone = "subject"

    # -- body -----------------------------------------------------------------
