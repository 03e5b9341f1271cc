"""The parts of a Word package around its body, found the way Word finds them.

Headers and footers are named by the section properties (``w:sectPr``) of
each section, three kinds each; a part that no section names is still read,
after the others, since its text is in the file. Document properties (title,
subject, keywords, custom properties such as sensitivity labels) can name a
classification, and embedded objects, charts, diagrams and imported files
(``w:altChunk``) hold text this reader does not extract; both are reported.
A part that declares a DTD is refused: entities are never expanded (no
billion laughs), so text behind one would be read only in part.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

HEADER_KINDS = ("default", "first", "even")
#: Relationships to content whose text is not read here: it is counted instead.
EMBEDDED_TYPES = frozenset({RT.CHART, RT.DIAGRAM_DATA, RT.OLE_OBJECT, RT.PACKAGE, RT.A_F_CHUNK})
DC = "{http://purl.org/dc/elements/1.1/}"
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
#: Core properties a person types (not author names or dates).
CORE_FIELDS = (f"{DC}title", f"{DC}subject", f"{CP}keywords", f"{DC}description", f"{CP}category")
CUSTOM_PROPERTY = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}property"
)


class DeclaredDtd(ValueError):
    """A part declares a DTD: Word never writes one, and its entities are left unexpanded."""


def xml_of(part: Any) -> Element:
    """The root element of a part: python-docx parsed some parts, the rest are bytes."""
    element = getattr(part, "element", None)
    root = element if element is not None else parse_xml(part.blob)
    if root.getroottree().docinfo.doctype:
        raise DeclaredDtd(str(part.partname))
    return root


def related(part: Any, reltype: str) -> list[Any]:
    """The parts inside the package that ``part`` relates to with ``reltype``."""
    return [
        rel.target_part
        for rel in part.rels.values()
        if rel.reltype == reltype and not rel.is_external
    ]


def page_parts(part: Any, body: Element) -> tuple[list[Any], list[Any]]:
    """Header and footer parts, section by section (default, first, even), each once."""
    found: dict[str, list[Any]] = {"header": [], "footer": []}
    used: set[str] = set()
    for section in body.iter(qn("w:sectPr")):
        for which, parts in found.items():
            refs = {
                ref.get(qn("w:type"), "default"): ref.get(qn("r:id"))
                for ref in section.iter(qn(f"w:{which}Reference"))
            }
            for kind in HEADER_KINDS:
                rid = refs.get(kind)
                if rid and rid in part.rels and rid not in used:
                    used.add(rid)
                    parts.append(part.rels[rid].target_part)
    for rid, rel in part.rels.items():
        which = {RT.HEADER: "header", RT.FOOTER: "footer"}.get(rel.reltype, "")
        if which and not rel.is_external and rid not in used:
            found[which].append(rel.target_part)
    return found["header"], found["footer"]


def word_parts(package: Any) -> Iterator[Any]:
    """Every WordprocessingML part of the package (glossary, settings... included)."""
    for part in package.iter_parts():
        content_type = str(part.content_type)
        if "wordprocessingml" in content_type and content_type.endswith("+xml"):
            yield part


def property_texts(package: Any) -> list[str]:
    """Typed core properties and custom property values (a sensitivity label's name)."""
    texts: list[str] = []
    for rel in package.rels.values():
        if rel.is_external or rel.reltype not in (RT.CORE_PROPERTIES, RT.CUSTOM_PROPERTIES):
            continue
        root = xml_of(rel.target_part)
        for field in CORE_FIELDS:
            texts.extend(node.text or "" for node in root.iter(field))
        for prop in root.iter(CUSTOM_PROPERTY):
            value = " ".join(node.text or "" for node in prop.iter() if node is not prop)
            texts.append(f"{prop.get('name', '')}: {value}" if value.strip() else "")
    return [text.strip() for text in texts if text.strip()]


def embedded_count(package: Any) -> int:
    """Embedded objects, charts, diagrams and imported files anywhere in the package."""
    return sum(1 for rel in package.iter_rels() if rel.reltype in EMBEDDED_TYPES)
