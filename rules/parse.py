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
from typing import get_args

from rules import inline
from rules import lines as ln
from rules.blocks import (
    as_strict,
    is_heading,
    mark_signature,
    next_nonblank,
    stricter,
    sub_label,
)
from rules.document import assemble
from rules.errors import InputError
from rules.header import HeaderReader
from rules.model import Document, MarkingSource, SegmentKind


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


class _Parser(HeaderReader):
    """The body half of the parser: portions, headings, page breaks, signature."""

    def run(self) -> None:
        lines = self.text.split("\n")
        offsets, at = [], 0
        for line in lines:
            offsets.append(at)
            at += len(line) + 1
        self.lines = lines
        for i, (start, line) in enumerate(zip(offsets, lines, strict=True)):
            self.line_start, self.index = start, i
            if not line.strip():
                self.state.blank_before = True
                continue
            if self._is_running_prose(line):
                self._split_mid_line(start, line)
            elif not self._header_line(start, line):
                self._body_line(start, line)
            self.state.blank_before = False
            self.previous = line
        if not self.state.blocks:
            self._new("paragraph", 0)
        self.state.blocks[0].start = 0
        mark_signature(self.state.blocks, lines, offsets)

    # -- blocks ---------------------------------------------------------------

    def _body_line(self, start: int, line: str) -> None:
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
        self._text_line(start, line)

    def _lead(self, start: int, line: str, lead: ln.Lead) -> bool:
        st = self.state
        if lead.kind == "mark" and not st.blank_before and self._in_list():
            return False  # "(A) ... (B) ...;" wrapped before "(C) ...": a list, not a marking
        if lead.kind == "label" and not st.blank_before and not self._as_strict(lead):
            return False  # "attacks: (S//REL ...)" may be a wrapped sentence: read it in-line
        if lead.kind == "number":
            number = int(lead.label or 0)
            if not (
                lead.marking or st.blank_before or number == st.para_number + 1 or st.para is None
            ):
                return False
            self._paragraph(start, line, lead, number)
            self._split_mid_line(start, line, lead.body)
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
        self._marked_portion(start, lead)
        self._split_mid_line(start, line, lead.body)
        return True

    def _as_strict(self, lead: ln.Lead) -> bool:
        current = self._current()
        return as_strict(lead.marking, current.marking if current is not None else None)

    def _is_running_prose(self, line: str) -> bool:
        """A line that can only continue the open paragraph (most lines of a cable).

        It follows a paragraph line directly, no header zone or page break is
        open, and it starts with a word in lower or mixed case, so it can be
        no label, marking, banner, page line or header item.
        """
        st = self.state
        current = self._current()
        return (
            not st.blank_before
            and st.zone is None
            and st.body_started
            and not st.in_header
            and not st.after_break
            and current is not None
            and current.kind == "paragraph"
            and _PROSE.match(line) is not None
            and "//" not in line
            and not ln.is_trailer(line)
        )

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

    def _text_line(self, start: int, line: str) -> None:
        st = self.state
        current = self._current()
        if (
            st.after_break
            and st.para is not None
            and (st.blank_before or (current is not None and current.kind in _HEADER_KINDS))
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
        if st.blank_before or current is None or current.kind in _HEADER_KINDS:
            following = next_nonblank(self.lines, self.index)
            kind: SegmentKind = "heading" if is_heading(line, following) else "paragraph"
            self._new(kind, start, marking=st.entire_text, source=self._inherited())
            if kind == "paragraph":
                st.para = st.portion = None
                self._split_mid_line(start, line)
            return
        self._split_mid_line(start, line)

    def _split_mid_line(self, start: int, line: str, after: int = 0) -> None:
        """Start the portions that lost line breaks glued on (``... 6. (C)``, ``: (S) ...``).

        The next paragraph number and a table cell always start a portion.
        After the end of a sentence or a headline, a marking (numbered or not:
        collapsed paragraphs skip and repeat numbers) starts one only when it
        withholds at least as much as the text it interrupts: read the other
        way, a stray ``(U)`` in a classified sentence would release the rest.
        """
        if "(" not in line:
            return  # most lines of a cable
        for mid in inline.mid_line_portions(line, after):
            lead, at = mid.lead, start + mid.position
            number = int(lead.label or 0) if lead.kind == "number" else None
            opens = mid.after_sentence and self._as_strict(lead)
            if not (number == self.state.para_number + 1 or mid.after_cell or opens):
                continue
            if number is not None:
                self._paragraph(at, line[mid.position :], lead, number)
            else:
                self._marked_portion(at, lead)

    def _marked_portion(self, start: int, lead: ln.Lead) -> None:
        """A portion that carries its own marking inside the open paragraph."""
        st = self.state
        parent = st.blocks[st.para].label if st.para is not None else None
        st.sub_count += 1
        label = sub_label(parent, lead, st.sub_count)
        st.portion = self._new(
            "paragraph", start, start + lead.body, label=label, marking=lead.marking, source="own"
        )
        st.after_break, st.body_started = False, True

    def _inherited(self) -> MarkingSource | None:
        return "entire_text" if self.state.entire_text is not None else None

    # -- end of document ---------------------------------------------------------


#: A lower- or mixed-case word, but not a lead that reads like one (``ii. (S)``, ``Para 3.``).
_PROSE = re.compile(r"\s*(?!(?i:[ivx]{2,5}[.)]|para(?:graph)?\b))[A-Za-z][a-z]")
#: Everything but portions: text right after one of these starts a new block.
_HEADER_KINDS = frozenset(get_args(SegmentKind)) - {"paragraph", "heading"}
_LIST_LABELS = re.compile(r"\([Aa]\)\s.*\([Bb]\)\s", re.S)
