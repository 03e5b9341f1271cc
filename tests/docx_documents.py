"""Word files for the DOCX reader's tests, built with python-docx in the test itself.

python-docx has no API for footnotes, endnotes, text boxes, tracked changes or
watermarks, so those are added as WordprocessingML, the way Word writes them.
No binary file is committed: every document is made here, from text.
"""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.parser import parse_xml
from docx.text.paragraph import Paragraph

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)
REVISION = 'w:id="{id}" w:author="Reviewer" w:date="2026-01-05T10:00:00Z"'


def blank() -> Document:
    """An empty document, without the description python-docx's template carries."""
    document = docx.Document()
    document.core_properties.comments = ""
    return document


def memo(banner: str = "SECRET//NOFORN", declassify_on: str = "12/31/2035") -> Document:
    """A SECRET//NOFORN memo: banner in header and footer, marked paragraphs, a marked table."""
    document = blank()
    section = document.sections[0]
    section.header.paragraphs[0].text = banner
    section.footer.paragraphs[0].text = banner
    document.add_paragraph("MEMORANDUM FOR THE DEPUTY SECRETARY")
    document.add_paragraph(f"E.O. 12958: DECL: {declassify_on}")
    document.add_paragraph("SUBJECT: (U) Harbour access talks TKN-U-0001")
    document.add_paragraph("1. (U) Press guidance is attached TKN-U-0002 for the spokesman.")
    document.add_paragraph("2. (S//NF) The delegation would accept inspections TKN-S-0003.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "(S) Casualty figures TKN-S-0004 remain unconfirmed"
    table.cell(0, 1).text = "(U) Road closures TKN-U-0005 announced by police"
    table.cell(1, 0).text = "(U) Weather clear TKN-U-0006 on the route"
    table.cell(1, 1).text = "(C) Liaison officer TKN-C-0007 informed"
    document.add_paragraph("3. (U) The talks resume TKN-U-0008 in March.")
    document.add_paragraph("Classified By: J. Morrow, Director, for reasons 1.4(b) and (d)")
    return document


def to_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def append_xml(paragraph: Paragraph, xml: str) -> None:
    """Append WordprocessingML (inline content: runs, revisions, drawings) to a paragraph."""
    wrapper: Any = parse_xml(f"<w:wrap {NAMESPACES}>{xml}</w:wrap>")
    paragraph._p.extend(list(wrapper))


def run_xml(text: str, properties: str = "") -> str:
    return f'<w:r><w:rPr>{properties}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def insertion(text: str, revision: int = 1) -> str:
    return f"<w:ins {REVISION.format(id=revision)}>{run_xml(text)}</w:ins>"


def deletion(text: str, revision: int = 2) -> str:
    run = f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r>'
    return f"<w:del {REVISION.format(id=revision)}>{run}</w:del>"


def text_box(text: str) -> str:
    """A text box as Word 2010 writes it: a DrawingML shape, and a VML copy as fallback."""
    content = f"<w:txbxContent><w:p>{run_xml(text)}</w:p></w:txbxContent>"
    return (
        "<w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{content}</wps:txbx></w:drawing>'
        "</mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


def watermark(text: str) -> str:
    """A WordArt watermark as Word puts it in a header: VML text on a path."""
    return f'<w:r><w:pict><v:shape><v:textpath string="{text}"/></v:shape></w:pict></w:r>'


def add_notes(document: Document, kind: str, texts: list[str]) -> None:
    """A footnotes or endnotes part with Word's two separator notes, then ``texts``."""
    tag = kind[:-1]  # footnotes -> footnote
    separators = "".join(
        f'<w:{tag} w:type="{sep}" w:id="{i - 1}"><w:p><w:r><w:{sep}/></w:r></w:p></w:{tag}>'
        for i, sep in enumerate(("separator", "continuationSeparator"))
    )
    notes = "".join(
        f'<w:{tag} w:id="{i}"><w:p>{run_xml(text)}</w:p></w:{tag}>'
        for i, text in enumerate(texts, start=1)
    )
    blob = f'<w:{kind} xmlns:w="{W_NS}">{separators}{notes}</w:{kind}>'.encode()
    content_type: Any = CT.WML_FOOTNOTES if kind == "footnotes" else CT.WML_ENDNOTES
    reltype = RT.FOOTNOTES if kind == "footnotes" else RT.ENDNOTES
    package = document.part.package
    part = Part(PackURI(f"/word/{kind}.xml"), content_type, blob, package)
    document.part.relate_to(part, reltype)
    for i in range(1, len(texts) + 1):
        reference = f'<w:r><w:{tag}Reference w:id="{i}"/></w:r>'
        append_xml(document.paragraphs[-2], reference)


def add_part(document: Document, name: str, content_type: str, reltype: str, xml: str) -> None:
    """A part related from the main document (or from the package, for ``docProps``)."""
    package = document.part.package
    part = Part(PackURI(name), content_type, xml.encode(), package)
    owner: Any = package if name.startswith("/docProps/") else document.part
    owner.relate_to(part, reltype)


def add_custom_property(document: Document, name: str, value: str) -> None:
    """A custom document property, as sensitivity labelling tools write them."""
    ns = "http://schemas.openxmlformats.org/officeDocument/2006"
    xml = (
        f'<Properties xmlns="{ns}/custom-properties" xmlns:vt="{ns}/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        f'name="{name}"><vt:lpwstr>{value}</vt:lpwstr></property></Properties>'
    )
    add_part(
        document,
        "/docProps/custom.xml",
        "application/vnd.openxmlformats-officedocument.custom-properties+xml",
        RT.CUSTOM_PROPERTIES,
        xml,
    )
