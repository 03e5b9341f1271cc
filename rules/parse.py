"""Text -> :class:`Document`: segments that tile the text, with their markings.

The parser walks the lines once. While in the header it recognises the
transmission lines, the banner, captions, the E.O. line, TAGS, SUBJECT, REF
and the Classified By block; then it reads portions: numbered paragraphs,
lettered sub-paragraphs and bullets (their own segments only when they carry
their own marking), headings, page breaks, signature and trailer. Every
character of the text belongs to exactly one segment: a segment runs from its
first line to the start of the next one, blank lines included.
"""

from __future__ import annotations

import hashlib
import re

from rules import lines as ln
from rules.authority import parse_classified_by
from rules.banner import BannerLine, is_page_line, parse_banner_line
from rules.blocks import (
    Block,
    ParserState,
    is_heading,
    line_date,
    mark_signature,
    next_nonblank,
    starts_something,
    stricter,
    sub_label,
)
from rules.dates import parse_dtg
from rules.document import assemble
from rules.errors import InputError
from rules.markings import parse_portion
from rules.model import Document, MarkingSource, SegmentKind

_HEADER_ANCHOR = re.compile(
    r"\b(?:SIPDIS|NOFORN)\b|(?:\bE\.?\s?O\.?\s?|\bEO\s+)\d{5}\b|\bTAGS?\b:?|\bSUBJECT\s*:", re.I
)
_TRAILING_MARK = re.compile(r"\s(\([A-Za-z/ ]{1,12}\))\s*$")


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
    parser = _Parser(text)
    parser.run()
    return assemble(text, hashlib.sha256(text.encode("utf-8")).hexdigest(), parser.state)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.state = ParserState()
        self.line_start = 0
        self.previous = ""

    def run(self) -> None:
        offsets = [m.start() for m in re.finditer(r"^", self.text, re.M)]
        lines = self.text.split("\n")
        for i, (start, line) in enumerate(zip(offsets, lines, strict=True)):
            self.line_start = start
            if not line.strip():
                self.state.blank_before = True
                continue
            following = next_nonblank(lines, i)
            if not self._header_line(start, line):
                self._body_line(start, line, following)
            self.state.blank_before = False
            self.previous = line
        if not self.state.blocks:
            self._new("paragraph", 0)
        self.state.blocks[0].start = 0
        mark_signature(self.state.blocks, lines, offsets)

    # -- blocks ---------------------------------------------------------------

    def _new(self, kind: SegmentKind, start: int, body: int | None = None, **kw: object) -> int:
        self.state.blocks.append(Block(kind, start, start if body is None else body, **kw))  # type: ignore[arg-type]
        return len(self.state.blocks) - 1

    def _current(self) -> Block | None:
        return self.state.blocks[-1] if self.state.blocks else None

    def _same_or_new(self, kind: SegmentKind, start: int) -> None:
        current = self._current()
        if current is None or current.kind != kind:
            self._new(kind, start)

    # -- header ---------------------------------------------------------------

    def _header_line(self, start: int, line: str) -> bool:
        st = self.state
        if self._continue_zone(line):
            return True
        banner = parse_banner_line(line)
        if banner is not None:
            self._banner(start, line, banner)
            return True
        if is_page_line(line):
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
        if ln.is_classified_by(line) and st.blank_before and not ln.read_lead(line):
            st.cb_blocks.append(self._new("classified_by", start))
            st.zone = "classified_by"
            return True
        if ln.is_declassification(line) and (st.blank_before or after_cb):
            st.decl_lines.append((line, self._new("declassification", start)))
            st.zone = None
            return True
        return False

    def _header_item(self, start: int, line: str) -> bool:
        st = self.state
        if ln.is_routing(line) or (
            st.routing_context and not st.seen_banner and st.in_header and ln.is_addressee(line)
        ):
            self._routing(start, line)
            return True
        if ln.is_classified_by(line) and not ln.read_lead(line):
            st.cb_blocks.append(self._new("classified_by", start))
            st.zone = "classified_by"
            return True
        captions = ln.caption_words(line)
        attention = st.seen_banner and (not st.decl_lines or st.zone == "repeat_header")
        if captions is not None or (attention and ln.is_attention(line)):
            st.captions.extend(c for c in captions or [] if c not in st.captions)
            self._same_or_new("control", start)
            self._end_item()
            return True
        if ln.is_declassify_on(line):
            st.decl_lines.append((line, self._new("declassification", start)))
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
        return ln.is_reason_fragment(line) or bool(_MENTIONS_REASON.search(line))

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
            st.decl_lines.append((piece, self._new("declassification", start)))
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

    def _body_line(self, start: int, line: str, following: str | None) -> None:
        st = self.state
        st.in_header = False
        if st.zone == "repeat_header":
            st.zone = None
        if st.zone in ("subject", "ref", "classified_by"):
            st.zone = None
        if ln.is_trailer(line):
            self._new("trailer", start)
            return
        lead = ln.read_lead(line)
        if lead is not None and self._lead(start, line, lead):
            return
        if ln.is_dash_rule(line):
            current = self._current()
            if not (current and current.kind == "heading" and not st.blank_before):
                self._new("heading", start, marking=st.entire_text, source=self._inherited())
            st.para, st.portion, st.after_break = None, None, False
            return
        self._text_line(start, line, following)

    def _lead(self, start: int, line: str, lead: ln.Lead) -> bool:
        st = self.state
        if lead.kind == "mark" and not st.blank_before and self._in_list():
            return False  # "(A) ... (B) ...;" wrapped before "(C) ...": a list, not a marking
        if lead.kind == "number":
            number = int(lead.label or 0)
            if not (
                lead.marking or st.blank_before or number == st.para_number + 1 or st.para is None
            ):
                return False
            self._paragraph(start, line, lead, number)
            self._split_mid_line(start, line)
            return True
        if lead.marking is None:
            if st.para is not None and not st.after_break:
                return self._unmarked_sub_item(start, lead)
            current = self._current()
            if lead.kind in ("bullet", "subnumber") and current and current.kind == "paragraph":
                return not st.after_break  # ... or to the unmarked block it follows
            if st.para is None and st.blank_before and lead.kind == "letter":
                self._new(
                    "paragraph",
                    start,
                    start + lead.body,
                    label=lead.label,
                    marking=st.entire_text,
                    source=self._inherited(),
                )
                return True
            return False
        parent = st.blocks[st.para].label if st.para is not None else None
        st.sub_count += 1
        label = sub_label(parent, lead, st.sub_count)
        st.portion = self._new(
            "paragraph", start, start + lead.body, label=label, marking=lead.marking, source="own"
        )
        st.after_break, st.body_started = False, True
        return True

    def _unmarked_sub_item(self, start: int, lead: ln.Lead) -> bool:
        """An unmarked sub-item takes its parent's marking (DESIGN.md).

        Right after a marked sibling it must not run on inside that sibling's
        segment (a ``B. (U)`` sibling would release a ``(C)`` parent's text), so
        it gets a segment of its own, governed by the stricter of the two.
        """
        st = self.state
        assert st.para is not None  # the caller checked that a paragraph is open
        sibling = st.blocks[st.portion] if st.portion is not None else None
        if sibling is None or st.portion == st.para or sibling.source == "parent":
            return True
        parent = st.blocks[st.para]
        marking = stricter(parent.marking, sibling.marking)
        st.sub_count += 1
        st.portion = self._new(
            "paragraph",
            start,
            start + lead.body,
            label=sub_label(parent.label, lead, st.sub_count),
            marking=marking,
            source="parent" if marking is not None else None,
        )
        return True

    def _in_list(self) -> bool:
        """The running text enumerates ``(A) ... (B) ...`` and has not ended its sentence."""
        current = self._current()
        if current is None or self.previous.rstrip().endswith("."):
            return False
        return bool(_LIST_LABELS.search(self.text[current.start : self.line_start]))

    def _paragraph(self, start: int, line: str, lead: ln.Lead, number: int) -> None:
        st = self.state
        marking, source = lead.marking, "own" if lead.marking else None
        if marking is not None and marking.entire_text:
            st.entire_text = marking
        elif marking is None and st.entire_text is not None:
            marking, source = st.entire_text, "entire_text"
        body_text = line[lead.body :]
        kind: SegmentKind = "paragraph"
        index = self._new(
            kind, start, start + lead.body, label=str(number), marking=marking, source=source
        )
        if ln.is_classified_by(body_text) or "CLASSIFIED BY" in line.upper()[:80]:
            st.cb_blocks.append(index)
            st.zone = "classified_by"
            if ln.is_classified_by(body_text):
                st.blocks[index].kind = "classified_by"
        st.para, st.para_number, st.sub_count, st.after_break = index, number, 0, False
        st.body_started = True
        st.portion = index

    def _text_line(self, start: int, line: str, following: str | None) -> None:
        st = self.state
        current = self._current()
        header_kinds = (
            "banner",
            "routing",
            "control",
            "declassification",
            "tags",
            "subject",
            "reference",
            "classified_by",
            "trailer",
            "signature",
        )
        if (
            st.after_break
            and st.para is not None
            and (st.blank_before or (current is not None and current.kind in header_kinds))
        ):
            # The text after a page break continues the portion it interrupted,
            # which may be a marked sub-paragraph rather than its parent.
            interrupted = st.portion if st.portion is not None else st.para
            parent = st.blocks[interrupted]
            self._new(
                "paragraph",
                start,
                label=parent.label,
                marking=parent.marking,
                source="continued" if parent.marking else None,
                continues=interrupted,
            )
            st.after_break = False
            self._split_mid_line(start, line)
            return
        if st.blank_before or current is None or current.kind in header_kinds:
            kind: SegmentKind = "heading" if is_heading(line, following) else "paragraph"
            self._new(kind, start, marking=st.entire_text, source=self._inherited())
            if kind == "paragraph":
                st.para = st.portion = None
            return
        self._split_mid_line(start, line)

    def _split_mid_line(self, start: int, line: str) -> None:
        """Start the next paragraph where a lost line break glued it on (``... 6. (C)``)."""
        number = self.state.para_number + 1
        split = ln.mid_line_paragraph(line, number)
        if split is not None:
            lead = ln.read_lead(line[split:])
            if lead is not None:
                self._paragraph(start + split, line[split:], lead, number)

    def _inherited(self) -> MarkingSource | None:
        return "entire_text" if self.state.entire_text is not None else None

    # -- end of document ---------------------------------------------------------


_MENTIONS_REASON = re.compile(r"r\s?e\s?a\s?s\s?o\s?n|\b1\s*[./:]\s*[45]\b", re.IGNORECASE)
_LIST_LABELS = re.compile(r"\([Aa]\)\s.*\([Bb]\)\s", re.S)
_MARK_AT = re.compile(r"\s*(\([A-Za-z][A-Za-z/ ,-]{0,40}\))\s*")
