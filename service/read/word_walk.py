"""WordprocessingML to lines of text, and the words Word would not show as body text.

python-docx's ``Paragraph.text`` reads only the runs directly inside a
paragraph or a hyperlink: the text of a tracked insertion, a content control,
a smart tag or a simple field vanishes, while hidden runs pass as if visible.
A redaction service must do neither, so this module walks the XML itself.
Visible text becomes body text; hidden runs, deleted text and the contents of
text boxes become *evidence*, kept apart by kind so that the caller can put
them after the body, where a marking reader still sees them, and tell a
reviewer they were there. Inserted text is visible (it is the current text)
and is also kept as evidence, since it is not yet accepted.

Whatever the walk does not reach, it still does not drop: every ``w:t`` and
``w:delText`` of a part that the walk did not read is kept as evidence of
kind ``unread_text``.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docx.oxml.ns import qn

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
W_R, W_T, W_DEL_TEXT = qn("w:r"), qn("w:t"), qn("w:delText")
W_RPR, W_PPR, W_VANISH = qn("w:rPr"), qn("w:pPr"), qn("w:vanish")
W_RSTYLE, W_PSTYLE = qn("w:rStyle"), qn("w:pStyle")
W_INS, W_DEL = qn("w:ins"), qn("w:del")
W_MOVE_TO, W_MOVE_FROM = qn("w:moveTo"), qn("w:moveFrom")
W_TXBX_CONTENT = qn("w:txbxContent")
W_VAL = qn("w:val")
M_T = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
TEXTPATH = "{urn:schemas-microsoft-com:vml}textpath"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: Run children that stand for a character of their own.
CHARACTERS = {
    qn("w:tab"): "\t",
    qn("w:ptab"): "\t",
    qn("w:br"): "\n",
    qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "-",
}
#: Paragraph and run children that carry properties or bookkeeping, never text.
NO_TEXT = {W_PPR, W_RPR, qn("w:tblPr"), qn("w:tblGrid"), qn("w:trPr"), qn("w:tcPr")}
FALSE_VALUES = {"0", "false", "off"}

#: What the walk can find besides body text (the evidence kinds).
HIDDEN, DELETED, INSERTED = "hidden_text", "tracked_deletions", "tracked_insertions"
TEXT_BOXES, WATERMARKS, UNREAD = "text_boxes", "watermarks", "unread_text"


def is_on(toggle: Element | None) -> bool | None:
    """A WordprocessingML toggle property: absent is None, ``w:val="0"`` is off."""
    if toggle is None:
        return None
    return toggle.get(W_VAL, "true").lower() not in FALSE_VALUES


@dataclass(frozen=True)
class Styles:
    """Which styles hide their text (``w:vanish``), following ``w:basedOn`` chains."""

    hidden: frozenset[str] = frozenset()
    default_hidden: bool = False

    @classmethod
    def from_xml(cls, root: Element | None) -> Styles:
        if root is None:
            return cls()
        own: dict[str, bool | None] = {}
        parent: dict[str, str] = {}
        for style in root.iter(qn("w:style")):
            style_id = style.get(qn("w:styleId"), "")
            own[style_id] = is_on(style.find(f"{W_RPR}/{W_VANISH}"))
            based_on = style.find(qn("w:basedOn"))
            if based_on is not None:
                parent[style_id] = based_on.get(W_VAL, "")
        default = is_on(root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{W_RPR}/{W_VANISH}"))
        hidden = {name for name in own if _inherits_hidden(name, own, parent)}
        return cls(frozenset(hidden), bool(default))


def _inherits_hidden(name: str, own: dict[str, bool | None], parent: dict[str, str]) -> bool:
    seen: set[str] = set()
    while name in own and name not in seen:
        seen.add(name)
        if own[name] is not None:
            return bool(own[name])
        name = parent.get(name, "")
    return False


@dataclass
class Evidence:
    """Text a reader of the rendered page would not take for body text, by kind."""

    texts: dict[str, list[str]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str, text: str, count: int = 1) -> None:
        self.counts[kind] += count
        if text.strip():
            self.texts.setdefault(kind, []).append(text.strip())


@dataclass
class Walker:
    """Walks block containers (body, cell, header, note, comment) into blocks of text."""

    styles: Styles
    evidence: Evidence = field(default_factory=Evidence)
    read: set[Element] = field(default_factory=set)

    def blocks(self, container: Element) -> list[str]:
        """Paragraphs and tables of a container in order, empty ones left out."""
        found: list[str] = []
        for child in container:
            if child.tag == W_P:
                found.append(self.paragraph(child))
            elif child.tag == W_TBL:
                found.append(self.table(child))
            elif child.tag not in NO_TEXT:  # content controls, custom XML, tracked blocks
                found.extend(self.blocks(child))
        return [block for block in found if block.strip()]

    def table(self, table: Element) -> str:
        """Row by row, one cell per line, a blank line after each row; a merged cell once,
        as Word stores it once.

        Each row is a paragraph of its own, because a row is a portion: were rows run
        together, the marking cell of one row (``(U)`` in a last "Marking" column) would
        govern the unmarked first cell of the next, and release it.
        """
        rows: list[str] = []
        for row in table.iter(W_TR):
            if _nearest(row, W_TBL) is not table:
                continue  # a row of a table nested in a cell: read with its cell
            cells = [
                "\n".join(self.blocks(cell))
                for cell in row.iter(W_TC)
                if _nearest(cell, W_TR) is row
            ]
            rows.append("\n".join(cell for cell in cells if cell.strip()))
        return "\n\n".join(row for row in rows if row.strip())

    def paragraph(self, paragraph: Element) -> str:
        props = paragraph.find(W_PPR)
        style = None if props is None else props.find(W_PSTYLE)
        hidden = style is not None and style.get(W_VAL, "") in self.styles.hidden
        pieces: list[tuple[str, str]] = []
        self._inline(paragraph, None, hidden or self.styles.default_hidden, pieces)
        body = "".join(text for kind, text in pieces if kind in ("", INSERTED))
        for kind, group in itertools.groupby(pieces, key=lambda piece: piece[0]):
            if kind:  # a passage; tracked changes were counted by their elements
                self.evidence.add(kind, "".join(text for _, text in group), int(kind == HIDDEN))
        return body

    def _inline(
        self, parent: Element, change: str | None, hidden: bool, out: list[tuple[str, str]]
    ) -> None:
        for child in parent:
            tag = child.tag
            if tag == W_R:
                self._run(child, change, hidden, out)
            elif tag in (W_INS, W_MOVE_TO):
                self.evidence.counts[INSERTED] += 1
                self._inline(child, INSERTED, hidden, out)
            elif tag in (W_DEL, W_MOVE_FROM):
                self.evidence.counts[DELETED] += 1
                self._inline(child, DELETED, hidden, out)
            elif tag == M_T:  # an equation's text: Office Math has runs of its own
                self.read.add(child)
                out.append(
                    (HIDDEN if hidden and change != DELETED else change or "", text_of(child))
                )
            elif tag == W_TXBX_CONTENT:  # a box outside any run: still not body text
                self._box(child)
            elif tag not in NO_TEXT:  # hyperlinks, fields, smart tags, content controls
                self._inline(child, change, hidden, out)

    def _run(
        self, run: Element, change: str | None, hidden: bool, out: list[tuple[str, str]]
    ) -> None:
        props = run.find(W_RPR)
        if props is not None:  # direct formatting wins over the run's character style
            direct = is_on(props.find(W_VANISH))
            style = props.find(W_RSTYLE)
            if direct is not None:
                hidden = direct
            elif style is not None and style.get(W_VAL, "") in self.styles.hidden:
                hidden = True
        kind = HIDDEN if hidden and change != DELETED else (change or "")
        for child in run:
            if child.tag in (W_T, W_DEL_TEXT):
                self.read.add(child)
                out.append((DELETED if child.tag == W_DEL_TEXT else kind, text_of(child)))
            elif child.tag in CHARACTERS:
                out.append((kind, CHARACTERS[child.tag]))
            elif child.tag != W_RPR:  # drawings, pictures, objects: text boxes, watermarks
                self._drawn(child)

    def _drawn(self, drawing: Element) -> None:
        """Text boxes and WordArt watermarks inside a drawn object, all as evidence."""
        for box in drawing.iter(W_TXBX_CONTENT):
            outer = _nearest(box, W_TXBX_CONTENT)
            if outer is not None and drawing in outer.iterancestors():
                continue  # a box inside a box: read with the outer one
            self._box(box)
        for path in drawing.iter(TEXTPATH):
            self.evidence.add(WATERMARKS, path.get("string", ""))

    def _box(self, box: Element) -> None:
        fallback = _nearest(box, MC_FALLBACK) is not None  # a copy of the mc:Choice box
        self.evidence.add(TEXT_BOXES, "\n\n".join(self.blocks(box)), count=int(not fallback))

    def unread(self, root: Element) -> None:
        """Keep, as evidence, the text of a part that the walk did not reach."""
        texts = root.iter(W_T, W_DEL_TEXT, M_T)
        missed = [text_of(node) for node in texts if node not in self.read]
        if missed:
            self.evidence.add(UNREAD, " ".join(missed), count=len(missed))


def text_of(node: Element) -> str:
    """A text element's text, also past an XML comment or entity inside it."""
    return "".join(node.itertext()) if len(node) else node.text or ""


def _nearest(element: Element, tag: str) -> Element | None:
    """The closest ancestor of ``element`` with ``tag``."""
    for ancestor in element.iterancestors(tag):
        return ancestor
    return None
