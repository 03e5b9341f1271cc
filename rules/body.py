"""Reading the body of a cable or memo: numbered paragraphs, marked sub-items and
bullets, headings, dash rules, the trailer, and the text after a page break.

The body reader takes the cursor, the header facts and the block list it
shares with the header reader (rules/header.py); rules/parse.py walks the
lines and asks each reader in turn. A portion gets its own block only when it
carries its own marking or must not run on inside a sibling's: blocks are
what the engine decides on, so a wrong cut can release classified text.
"""

from __future__ import annotations

import re
from typing import get_args

from declass.rules import inline
from declass.rules import lines as ln
from declass.rules.blocks import Blocks
from declass.rules.cursor import Cursor
from declass.rules.header_facts import HeaderFacts
from declass.rules.model import Marking, MarkingSource, SegmentKind
from declass.rules.vocabulary import NOFORN_EFFECT, TETRAGRAPHS


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


class BodyReader:
    """Reads the body lines into blocks: portions, headings, page-break continuations.

    It writes the authority block a numbered paragraph holds and the ENTIRE
    TEXT marking to the header facts, and reads that marking back for the
    unmarked paragraphs after it.
    """

    def __init__(self, cursor: Cursor, facts: HeaderFacts, blocks: Blocks) -> None:
        self.cursor = cursor
        self.facts = facts
        self.blocks = blocks

    def read_line(self, start: int, line: str) -> None:
        cur = self.cursor
        cur.in_header = False
        if cur.zone == "repeat_header":
            cur.zone = None
        if cur.zone in ("subject", "ref", "classified_by"):
            cur.zone = None
        if ln.is_trailer(line):
            self.blocks.new("trailer", start)
            return
        lead = ln.read_lead(line)
        if lead is not None and self._lead(start, line, lead):
            return
        if ln.is_dash_rule(line):
            current = self.blocks.current()
            if not (current and current.kind == "heading" and not cur.blank_before):
                self.blocks.new(
                    "heading", start, marking=self.facts.entire_text, source=self._inherited()
                )
            cur.para, cur.portion, cur.after_break = None, None, False
            return
        self._text_line(start, line)

    def _lead(self, start: int, line: str, lead: ln.Lead) -> bool:
        cur = self.cursor
        if lead.kind == "mark" and not cur.blank_before and self._in_list():
            return False  # "(A) ... (B) ...;" wrapped before "(C) ...": a list, not a marking
        if lead.kind == "label" and not cur.blank_before and not self._as_strict(lead):
            return False  # "attacks: (S//REL ...)" may be a wrapped sentence: read it in-line
        if lead.kind == "number":
            number = int(lead.label or 0)
            if not (
                lead.marking
                or cur.blank_before
                or number == cur.para_number + 1
                or cur.para is None
            ):
                return False
            self._paragraph(start, line, lead, number)
            self.split_mid_line(start, line, lead.body)
            return True
        if lead.marking is None:
            if cur.para is not None and not cur.after_break:
                return self._unmarked_sub_item(start, lead)
            current = self.blocks.current()
            if lead.kind in ("bullet", "subnumber") and current and current.kind == "paragraph":
                return not cur.after_break  # ... or to the unmarked block it follows
            if cur.para is None and cur.blank_before and lead.kind == "letter":
                self.blocks.new(
                    "paragraph",
                    start,
                    start + lead.body,
                    label=lead.label,
                    marking=self.facts.entire_text,
                    source=self._inherited(),
                )
                return True
            return False
        self._marked_portion(start, lead)
        self.split_mid_line(start, line, lead.body)
        return True

    def _as_strict(self, lead: ln.Lead) -> bool:
        current = self.blocks.current()
        return as_strict(lead.marking, current.marking if current is not None else None)

    def is_running_prose(self, line: str) -> bool:
        """A line that can only continue the open paragraph (most lines of a cable).

        It follows a paragraph line directly, no header zone or page break is
        open, and it starts with a word in lower or mixed case, so it can be
        no label, marking, banner, page line or header item.
        """
        cur = self.cursor
        current = self.blocks.current()
        return (
            not cur.blank_before
            and cur.zone is None
            and cur.body_started
            and not cur.in_header
            and not cur.after_break
            and current is not None
            and current.kind == "paragraph"
            and _PROSE.match(line) is not None
            and "//" not in line
            and not ln.is_trailer(line)
        )

    def _unmarked_sub_item(self, start: int, lead: ln.Lead) -> bool:
        """An unmarked sub-item takes its parent's marking (docs/markings.md 2.7).

        Right after a marked sibling it must not run on inside that sibling's
        segment (a ``B. (U)`` sibling would release a ``(C)`` parent's text), so
        it gets a segment of its own, governed by the stricter of the two.
        """
        cur = self.cursor
        assert cur.para is not None  # the caller checked that a paragraph is open
        sibling = self.blocks[cur.portion] if cur.portion is not None else None
        if sibling is None or cur.portion == cur.para or sibling.source == "parent":
            return True
        parent = self.blocks[cur.para]
        marking = stricter(parent.marking, sibling.marking)
        cur.sub_count += 1
        cur.portion = self.blocks.new(
            "paragraph",
            start,
            start + lead.body,
            label=sub_label(parent.label, lead, cur.sub_count),
            marking=marking,
            source="parent" if marking is not None else None,
        )
        return True

    def _in_list(self) -> bool:
        """The running text enumerates ``(A) ... (B) ...`` and has not ended its sentence."""
        current = self.blocks.current()
        if current is None or self.cursor.previous.rstrip().endswith("."):
            return False
        return bool(_LIST_LABELS.search(self.cursor.text_since(current.start)))

    def _paragraph(self, start: int, line: str, lead: ln.Lead, number: int) -> None:
        cur = self.cursor
        marking = lead.marking
        source: MarkingSource | None = "own" if marking else None
        if marking is not None and marking.entire_text:
            self.facts.entire_text = marking
        elif marking is None and self.facts.entire_text is not None:
            marking, source = self.facts.entire_text, "entire_text"
        body_text = line[lead.body :]
        kind: SegmentKind = "paragraph"
        index = self.blocks.new(
            kind, start, start + lead.body, label=str(number), marking=marking, source=source
        )
        if ln.is_classified_by(body_text) or "CLASSIFIED BY" in line.upper()[:80]:
            self.facts.cb_blocks.append(index)
            cur.zone = "classified_by"
            if ln.is_classified_by(body_text):
                self.blocks[index].kind = "classified_by"
        cur.para, cur.para_number, cur.sub_count, cur.after_break = index, number, 0, False
        cur.body_started = True
        cur.portion = index

    def _text_line(self, start: int, line: str) -> None:
        cur = self.cursor
        current = self.blocks.current()
        if (
            cur.after_break
            and cur.para is not None
            and (cur.blank_before or (current is not None and current.kind in _HEADER_KINDS))
        ):
            # The text after a page break continues the portion it interrupted,
            # which may be a marked sub-paragraph rather than its parent.
            interrupted = cur.portion if cur.portion is not None else cur.para
            parent = self.blocks[interrupted]
            self.blocks.new(
                "paragraph",
                start,
                label=parent.label,
                marking=parent.marking,
                source="continued" if parent.marking else None,
                continues=interrupted,
            )
            cur.after_break = False
            self.split_mid_line(start, line)
            return
        if cur.blank_before or current is None or current.kind in _HEADER_KINDS:
            following = self.cursor.next_nonblank()
            kind: SegmentKind = "heading" if is_heading(line, following) else "paragraph"
            self.blocks.new(kind, start, marking=self.facts.entire_text, source=self._inherited())
            if kind == "paragraph":
                cur.para = cur.portion = None
                self.split_mid_line(start, line)
            return
        self.split_mid_line(start, line)

    def split_mid_line(self, start: int, line: str, after: int = 0) -> None:
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
            if not (number == self.cursor.para_number + 1 or mid.after_cell or opens):
                continue
            if number is not None:
                self._paragraph(at, line[mid.position :], lead, number)
            else:
                self._marked_portion(at, lead)

    def _marked_portion(self, start: int, lead: ln.Lead) -> None:
        """A portion that carries its own marking inside the open paragraph."""
        cur = self.cursor
        parent = self.blocks[cur.para].label if cur.para is not None else None
        cur.sub_count += 1
        label = sub_label(parent, lead, cur.sub_count)
        cur.portion = self.blocks.new(
            "paragraph", start, start + lead.body, label=label, marking=lead.marking, source="own"
        )
        cur.after_break, cur.body_started = False, True

    def _inherited(self) -> MarkingSource | None:
        return "entire_text" if self.facts.entire_text is not None else None


#: A lower- or mixed-case word, but not a lead that reads like one (``ii. (S)``, ``Para 3.``).
_PROSE = re.compile(r"\s*(?!(?i:[ivx]{2,5}[.)]|para(?:graph)?\b))[A-Za-z][a-z]")
#: Everything but portions: text right after one of these starts a new block.
_HEADER_KINDS = frozenset(get_args(SegmentKind)) - {"paragraph", "heading"}
_LIST_LABELS = re.compile(r"\([Aa]\)\s.*\([Bb]\)\s", re.S)
