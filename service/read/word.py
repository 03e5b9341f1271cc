"""Text out of a Word file (DOCX), in the order a marking reader needs it.

Word memos carry their banner in the page header, so headers come first, then
the body (paragraphs and tables in document order), then footers. Paragraphs
are separated by a blank line, so that the parser sees each portion as a
paragraph of its own; a table is read row by row, one cell per line, with a
blank line after each row (a row is a portion: see ``Walker.table``).

Footnotes, endnotes, comments, text boxes, WordArt watermarks, tracked
changes and hidden text can all hold classified words while a reader of the
page does not take them for body text. None of them is dropped and none is
passed off as body text: their text follows the body, after
:data:`EVIDENCE_RULE`, where the marking readers still see it, and each kind
present is named in ``problems`` (with a count, never the text) so that the
document can go to review.

A DOCX is a zip of XML parts, and python-docx loads every part it can reach
into memory, so the zip is checked before it is opened: too many parts, too
much decompressed data or too high a compression ratio (a zip bomb) are
refused, and so is text over :data:`MAX_TEXT_BYTES`. Password-protected Word
files and old binary ``.doc`` files are OLE compound files, not zips; they are
refused with a message that says which. Refusals name sizes and counts only,
never document text.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from pydantic import BaseModel, ConfigDict

from declass.rules.errors import UnreadableDocument
from declass.service.read.word_parts import (
    DeclaredDtd,
    embedded_count,
    page_parts,
    property_texts,
    related,
    word_parts,
    xml_of,
)
from declass.service.read.word_walk import (
    DELETED,
    HIDDEN,
    INSERTED,
    TEXT_BOXES,
    UNREAD,
    WATERMARKS,
    Styles,
    Walker,
)

PROPERTIES, EMBEDDED = "properties", "embedded"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAIN_PART = "word/document.xml"
#: Parts in the zip: a long memo has about 20; an image-heavy report a few hundred.
MAX_PARTS = 1000
#: All parts decompressed: python-docx holds them in memory at once.
MAX_UNCOMPRESSED_BYTES = 128 * 1024 * 1024
#: Decompressed over compressed size, for the whole zip and each part larger than a megabyte.
#: WordprocessingML compresses 5 to 30 times; zip bombs a thousand times and more.
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024
#: Text, in UTF-8 bytes: the default body limit, so a DOCX carries no more than text.
MAX_TEXT_BYTES = 10 * 1024 * 1024
#: The line between the body and the evidence that follows it.
EVIDENCE_RULE = "-" * 40

#: Problem code and the plain name of each kind of evidence (one, many), in the order listed.
KINDS: dict[str, tuple[str, str, str]] = {
    "footnotes": ("docx_footnotes", "footnote", "footnotes"),
    "endnotes": ("docx_endnotes", "endnote", "endnotes"),
    "comments": ("docx_comments", "comment", "comments"),
    TEXT_BOXES: ("docx_text_boxes", "text box", "text boxes"),
    WATERMARKS: ("docx_watermarks", "watermark", "watermarks"),
    INSERTED: ("docx_tracked_changes", "tracked insertion", "tracked insertions"),
    DELETED: ("docx_tracked_changes", "tracked deletion", "tracked deletions"),
    HIDDEN: ("docx_hidden_text", "passage of hidden text", "passages of hidden text"),
    UNREAD: (
        "docx_unread_text",
        "text run outside the paragraphs read",
        "text runs outside the paragraphs read",
    ),
    PROPERTIES: ("docx_properties", "document property with text", "document properties with text"),
    EMBEDDED: (
        "docx_embedded_content",
        "embedded object, chart or file not read",
        "embedded objects, charts or files not read",
    ),
}
#: The note for text after the body that none of the kinds above counted.
OUTSIDE_BODY = (
    "docx_text_outside_body",
    "the Word file has text outside the body (headers, notes or hidden text)",
)
NOTES = {
    "footnotes": (RT.FOOTNOTES, qn("w:footnote")),
    "endnotes": (RT.ENDNOTES, qn("w:endnote")),
    "comments": (RT.COMMENTS, qn("w:comment")),
}


class DocxError(UnreadableDocument):
    """A DOCX that is refused; ``code`` says why (``docx-unreadable``, ``docx-too-large``...)."""


class DocxProblem(BaseModel):
    """Something in the file a reviewer must know about: a kind of text and its count."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    detail: str


class DocxText(BaseModel):
    """The text of a DOCX with LF line ends, and what in it needs a reviewer's eye."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    problems: list[DocxProblem]
    #: Offset of :data:`EVIDENCE_RULE` in ``text``; None when nothing followed the body.
    evidence_start: int | None = None


def is_docx(data: bytes) -> bool:
    """A zip with a main document part where Word puts it."""
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return MAIN_PART in archive.NameToInfo
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False


def read_docx(data: bytes) -> DocxText:
    """Headers, body, footers, then the evidence, from the bytes of a DOCX."""
    check_container(data)
    try:
        document = docx.Document(io.BytesIO(data))
        part = document.part
        if part.element.tag != qn("w:document"):
            raise DocxError("docx-unreadable", "the Word file's main part is not a document")
        styles = related(part, RT.STYLES)
        walker = Walker(Styles.from_xml(xml_of(styles[0]) if styles else None))
        text, evidence_start = _assemble(walker, part)
    except DocxError:
        raise
    except DeclaredDtd:
        raise DocxError("docx-unreadable", "a part of the Word file declares a DTD") from None
    except Exception:  # python-docx and lxml raise many types on damaged input
        raise DocxError("docx-unreadable", "the Word file could not be read") from None
    if len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise _too_large(f"its text is over {MAX_TEXT_BYTES:,} bytes")
    if not text.strip():
        raise DocxError("docx-no-text", "the Word file has no text (only pictures?)")
    return DocxText(text=text, problems=_problems(walker), evidence_start=evidence_start)


def check_container(data: bytes) -> None:
    """Refuse what is not a DOCX, or would cost too much to open, before python-docx reads it."""
    if data.startswith(OLE_MAGIC):
        raise _ole_refusal(data)
    if not data.startswith(ZIP_MAGIC):
        raise DocxError("docx-unreadable", "the file is not a Word (DOCX) file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise DocxError("docx-unreadable", "the Word file is not a readable zip") from None
    if len(infos) > MAX_PARTS:
        raise _too_large(f"it has {len(infos):,} parts; at most {MAX_PARTS:,} are accepted")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise DocxError("docx-unreadable", "the Word file holds two parts with one name")
    if MAIN_PART not in names:
        raise DocxError("docx-unreadable", "the zip has no word/document.xml: not a Word file")
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _too_large(f"it decompresses to over {MAX_UNCOMPRESSED_BYTES:,} bytes")
    for size, compressed in [(total, packed), *((i.file_size, i.compress_size) for i in infos)]:
        if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(compressed, 1):
            raise _too_large(f"it decompresses over {MAX_RATIO} times its size (a zip bomb?)")


def _ole_refusal(data: bytes) -> DocxError:
    """Word encrypts a DOCX into an OLE file with an ``EncryptedPackage`` stream."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return DocxError(
            "docx-encrypted",
            "the Word file is password-protected; send it without a password, or its text",
        )
    if "WordDocument".encode("utf-16-le") in data:
        return DocxError(
            "docx-legacy-doc", "old Word (.doc) files are not accepted; save it as DOCX"
        )
    return DocxError("docx-unreadable", "the file is an OLE compound file, not a Word (DOCX) file")


def _assemble(walker: Walker, part: Any) -> tuple[str, int | None]:
    """Headers, body and footers as paragraphs, then the evidence under the rule, and where
    the rule stands (None without evidence)."""
    body = part.element.body
    headers, footers = page_parts(part, body)
    roots = {page: xml_of(page) for page in [part, *headers, *footers]}  # each parsed once
    blocks = _unique(block for header in headers for block in walker.blocks(roots[header]))
    blocks.extend(walker.blocks(body))
    blocks.extend(_unique(block for footer in footers for block in walker.blocks(roots[footer])))
    visited = {*roots, *_read_notes(walker, part)}
    for root in roots.values():
        walker.unread(root)
    for other in word_parts(part.package):
        if other not in visited:
            walker.unread(xml_of(other))
    for value in property_texts(part.package):
        walker.evidence.add(PROPERTIES, value)
    walker.evidence.counts[EMBEDDED] += embedded_count(part.package)
    text = "\n\n".join(blocks)
    texts = walker.evidence.texts
    evidence = ["\n\n".join(texts[kind]) for kind in KINDS if kind in texts]
    if not evidence:
        return _lf(text) + "\n", None
    text = _lf(text) + "\n\n"
    return text + _lf("\n\n".join([EVIDENCE_RULE, *evidence])) + "\n", len(text)


def _read_notes(walker: Walker, part: Any) -> list[Any]:
    """Footnotes, endnotes and comments as evidence; the parts read, for the sweep."""
    read = []
    for kind, (reltype, tag) in NOTES.items():
        for notes in related(part, reltype):
            read.append(notes)
            root = xml_of(notes)
            for note in root.iter(tag):
                if note.get(qn("w:type"), "normal") == "normal":  # not a separator line
                    walker.evidence.add(kind, "\n\n".join(walker.blocks(note)))
            walker.unread(root)
    return read


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unique(blocks: Iterable[str]) -> list[str]:
    """Each header (or footer) text once: sections and first pages repeat the banner."""
    return list(dict.fromkeys(blocks))


def _problems(walker: Walker) -> list[DocxProblem]:
    counts: dict[str, list[str]] = {}
    for kind, (code, one, many) in KINDS.items():
        count = walker.evidence.counts[kind]
        if count:
            counts.setdefault(code, []).append(f"{count} {one if count == 1 else many}")
    return [
        DocxProblem(code=code, detail=f"the Word file has {' and '.join(parts)}")
        for code, parts in counts.items()
    ]


def _too_large(why: str) -> DocxError:
    return DocxError("docx-too-large", f"the Word file is refused: {why}; send its text instead")
