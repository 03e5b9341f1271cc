"""The DOCX reader: order of the text, evidence kept apart and named, refusals.

Every Word file is built here with python-docx (see tests/docx_documents.py).
Tokens name their marking: ``TKN-U-...`` may be released, ``TKN-S-...`` and
``TKN-C-...`` must never be, so each release check is a substring check.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.parser import parse_xml

from declass.rules.errors import InputError
from declass.rules.policy import load_policy
from declass.service.pipeline import run
from declass.service.read.word import (
    EVIDENCE_RULE,
    MAX_PARTS,
    OLE_MAGIC,
    DocxError,
    DocxText,
    check_container,
    is_docx,
    read_docx,
)
from tests.docx_documents import (
    W_NS,
    add_custom_property,
    add_notes,
    add_part,
    append_xml,
    blank,
    deletion,
    insertion,
    memo,
    run_xml,
    text_box,
    to_bytes,
    watermark,
)

AS_OF = dt.date(2026, 11, 28)
TOKEN = re.compile(r"TKN-([USC])-\d{4}")


def released(text: str) -> str:
    """The text output of the one pipeline under the public policy."""
    return run(text.encode(), load_policy("public"), AS_OF).output.decode("utf-8")


def split(result: DocxText) -> tuple[str, str]:
    """Body (headers, body, footers) and the evidence after the rule."""
    body, _, evidence = result.text.partition(f"\n\n{EVIDENCE_RULE}\n\n")
    return body, evidence


def codes(result: DocxText) -> set[str]:
    return {problem.code for problem in result.problems}


def test_memo_reads_header_body_table_footer_in_order() -> None:
    result = read_docx(to_bytes(memo()))
    assert result.problems == []
    assert EVIDENCE_RULE not in result.text
    assert result.text == (
        "SECRET//NOFORN\n\n"
        "MEMORANDUM FOR THE DEPUTY SECRETARY\n\n"
        "E.O. 12958: DECL: 12/31/2035\n\n"
        "SUBJECT: (U) Harbour access talks TKN-U-0001\n\n"
        "1. (U) Press guidance is attached TKN-U-0002 for the spokesman.\n\n"
        "2. (S//NF) The delegation would accept inspections TKN-S-0003.\n\n"
        "(S) Casualty figures TKN-S-0004 remain unconfirmed\n"
        "(U) Road closures TKN-U-0005 announced by police\n\n"
        "(U) Weather clear TKN-U-0006 on the route\n"
        "(C) Liaison officer TKN-C-0007 informed\n\n"
        "3. (U) The talks resume TKN-U-0008 in March.\n\n"
        "Classified By: J. Morrow, Director, for reasons 1.4(b) and (d)\n\n"
        "SECRET//NOFORN\n"
    )


def test_memo_release_keeps_unclassified_portions_and_withholds_the_rest() -> None:
    text = read_docx(to_bytes(memo())).text
    output = released(text)
    tokens = TOKEN.findall(text)
    assert sorted(tokens) == ["C", "S", "S", "U", "U", "U", "U", "U"]
    for match in TOKEN.finditer(text):
        token, level = match.group(0), match.group(1)
        assert (token in output) == (level == "U"), token


def test_memo_past_its_declassification_date_is_released_whole() -> None:
    text = read_docx(to_bytes(memo(declassify_on="12/31/2015"))).text
    output = released(text)
    for token in TOKEN.finditer(text):
        assert token.group(0) in output


def test_headers_of_every_kind_come_first_each_text_once() -> None:
    document = memo()
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "SECRET//NOFORN"
    document.settings.odd_and_even_pages_header_footer = True
    section.even_page_header.paragraphs[0].text = "TOP SECRET//NOFORN"
    new = document.add_section()
    new.header.is_linked_to_previous = False
    new.header.paragraphs[0].text = "SECRET//NOFORN"
    text = read_docx(to_bytes(document)).text
    assert text.startswith("SECRET//NOFORN\n\nTOP SECRET//NOFORN\n\nMEMORANDUM")
    assert text.count("SECRET//NOFORN") == 3  # header (once), even header, footer


def test_table_stands_at_its_place_in_the_body_with_merged_cells_once() -> None:
    document = blank()
    document.add_paragraph("(U) Before TKN-U-0101")
    table = document.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "(S) Merged TKN-S-0102"
    table.cell(1, 0).text = "(U) Left TKN-U-0103\n(U) Second line TKN-U-0104"
    table.cell(1, 1).add_table(rows=1, cols=1).cell(0, 0).text = "(C) Nested TKN-C-0105"
    document.add_paragraph("(U) After TKN-U-0106")
    text = read_docx(to_bytes(document)).text
    assert text == (
        "(U) Before TKN-U-0101\n\n"
        "(S) Merged TKN-S-0102\n\n"
        "(U) Left TKN-U-0103\n(U) Second line TKN-U-0104\n"
        "(C) Nested TKN-C-0105\n\n"
        "(U) After TKN-U-0106\n"
    )


@pytest.mark.parametrize(
    "column",
    [0, 1, 2],
    ids=["marking-first", "marking-middle", "marking-last"],
)
def test_a_marking_column_governs_its_own_row_only(column: int) -> None:
    """Rows are paragraphs: a row's (U) never reaches the next row's unmarked cells."""
    rows = [
        ("(S)", "Convoy left TKN-S-1201"),
        ("(U)", "Weather TKN-U-1202"),
        ("(S//NF)", "TKN-S-1203"),
    ]
    document = memo()
    table = document.add_table(rows=len(rows), cols=3)
    for r, (mark, detail) in enumerate(rows):
        cells = [f"{r + 1}", detail]
        cells.insert(column if column < 2 else 2, mark)
        for c, value in enumerate(cells):
            table.cell(r, c).text = value
    output = released(read_docx(to_bytes(document)).text)
    assert "TKN-S-1201" not in output
    assert "TKN-S-1203" not in output


def test_content_controls_and_hyperlinks_are_body_text() -> None:
    document = memo()
    paragraph = document.paragraphs[3]
    append_xml(
        paragraph,
        f"<w:sdt><w:sdtContent>{run_xml(' in control TKN-U-0201')}</w:sdtContent></w:sdt>",
    )
    append_xml(paragraph, f"<w:hyperlink>{run_xml(' link TKN-U-0202')}</w:hyperlink>")
    result = read_docx(to_bytes(document))
    assert "for the spokesman. in control TKN-U-0201 link TKN-U-0202\n" in result.text
    assert result.problems == []


def test_tracked_changes_insertions_in_body_deletions_only_as_evidence() -> None:
    document = memo()
    append_xml(
        document.paragraphs[3], insertion(" added TKN-U-0301") + deletion(" gone TKN-S-0302")
    )
    result = read_docx(to_bytes(document))
    body, evidence = split(result)
    assert "for the spokesman. added TKN-U-0301\n" in body
    assert "TKN-S-0302" not in body
    assert "gone TKN-S-0302" in evidence
    assert "added TKN-U-0301" in evidence
    [problem] = result.problems
    assert problem.code == "docx_tracked_changes"
    assert problem.detail == "the Word file has 1 tracked insertion and 1 tracked deletion"
    assert "TKN" not in problem.detail


@pytest.mark.parametrize("how", ["run", "character-style", "paragraph-style"])
def test_hidden_text_is_only_evidence(how: str) -> None:
    document = memo()
    paragraph = document.paragraphs[3]
    if how == "paragraph-style":
        style = document.styles.add_style("Quiet", WD_STYLE_TYPE.PARAGRAPH)
        style.font.hidden = True
        paragraph = document.add_paragraph("(S) Hidden paragraph TKN-S-0401", style="Quiet")
    else:
        run = paragraph.add_run(" (S) hidden TKN-S-0401")
        if how == "run":
            run.font.hidden = True
        else:
            style = document.styles.add_style("Quiet", WD_STYLE_TYPE.CHARACTER)
            style.font.hidden = True
            run.style = style
    paragraph.add_run(" shown TKN-U-0402").font.hidden = False
    result = read_docx(to_bytes(document))
    body, evidence = split(result)
    assert "TKN-S-0401" not in body
    assert "TKN-S-0401" in evidence
    assert "shown TKN-U-0402" in body
    assert codes(result) == {"docx_hidden_text"}
    assert "TKN-S-0401" not in released(result.text)


def test_text_boxes_and_watermarks_are_evidence_counted_once() -> None:
    document = memo()
    append_xml(document.paragraphs[3], text_box("(S) Boxed TKN-S-0501"))
    append_xml(document.sections[0].header.paragraphs[0], watermark("TOP SECRET"))
    result = read_docx(to_bytes(document))
    body, evidence = split(result)
    assert "TKN-S-0501" not in body
    assert "(S) Boxed TKN-S-0501" in evidence
    assert "TOP SECRET" in evidence
    details = {problem.code: problem.detail for problem in result.problems}
    assert details == {
        "docx_text_boxes": "the Word file has 1 text box",
        "docx_watermarks": "the Word file has 1 watermark",
    }
    assert "TKN-S-0501" not in released(result.text)


@pytest.mark.parametrize("kind", ["footnotes", "endnotes"])
def test_notes_are_evidence_separators_are_not_counted(kind: str) -> None:
    document = memo()
    add_notes(document, kind, ["(S) Source TKN-S-0601", "(U) See TKN-U-0602"])
    result = read_docx(to_bytes(document))
    body, evidence = split(result)
    assert "TKN-S-0601" not in body
    assert evidence == "(S) Source TKN-S-0601\n\n(U) See TKN-U-0602\n"
    [problem] = result.problems
    assert (problem.code, problem.detail) == (f"docx_{kind}", f"the Word file has 2 {kind}")
    output = released(result.text)
    assert "TKN-S-0601" not in output


def test_comments_are_evidence() -> None:
    document = memo()
    runs = document.paragraphs[3].runs
    document.add_comment(runs, text="(S//NF) Source is TKN-S-0701", author="Reviewer")
    result = read_docx(to_bytes(document))
    body, evidence = split(result)
    assert "TKN-S-0701" not in body
    assert "(S//NF) Source is TKN-S-0701" in evidence
    assert codes(result) == {"docx_comments"}
    assert "TKN-S-0701" not in released(result.text)


def test_every_kind_is_named_once_and_evidence_follows_the_footer() -> None:
    document = memo()
    add_notes(document, "footnotes", ["(S) Note TKN-S-0801"])
    add_notes(document, "endnotes", ["(S) End TKN-S-0802"])
    document.add_comment(document.paragraphs[2].runs, text="(S) Said TKN-S-0803")
    append_xml(document.paragraphs[3], insertion(" TKN-U-0804") + deletion(" TKN-S-0805"))
    append_xml(document.paragraphs[4], text_box("(S) Box TKN-S-0806"))
    document.paragraphs[5].add_run(" TKN-S-0807").font.hidden = True
    result = read_docx(to_bytes(document))
    assert [problem.code for problem in result.problems] == [
        "docx_footnotes",
        "docx_endnotes",
        "docx_comments",
        "docx_text_boxes",
        "docx_tracked_changes",
        "docx_hidden_text",
    ]
    body, evidence = split(result)
    assert body.endswith("for reasons 1.4(b) and (d)\n\nSECRET//NOFORN")
    positions = [evidence.index(f"TKN-S-080{i}") for i in (1, 2, 3, 6, 5, 7)]
    assert positions == sorted(positions)
    output = released(result.text)
    assert not re.search(r"TKN-[SC]-", output)


def test_text_outside_any_paragraph_is_kept_as_evidence() -> None:
    document = memo()
    stray = parse_xml(f'<w:r xmlns:w="{W_NS}"><w:t>TKN-S-0901</w:t></w:r>')
    document.element.body.insert(0, stray)  # a run straight in the body, outside a paragraph
    result = read_docx(to_bytes(document))
    body_text, evidence = split(result)
    assert "TKN-S-0901" not in body_text
    assert "TKN-S-0901" in evidence
    assert codes(result) == {"docx_unread_text"}


def test_evidence_start_names_where_the_rule_stands() -> None:
    assert read_docx(to_bytes(memo())).evidence_start is None
    document = memo()
    document.paragraphs[3].add_run(" TKN-S-0951").font.hidden = True
    result = read_docx(to_bytes(document))
    assert result.evidence_start is not None
    assert result.text[result.evidence_start :].startswith(EVIDENCE_RULE + "\n\n")
    assert result.text.index(EVIDENCE_RULE) == result.evidence_start


def test_equation_text_is_body_text() -> None:
    document = memo()
    math = "http://schemas.openxmlformats.org/officeDocument/2006/math"
    equation = f'<m:oMath xmlns:m="{math}"><m:r><m:t>x = TKN-U-0961</m:t></m:r></m:oMath>'
    append_xml(document.paragraphs[3], equation)
    result = read_docx(to_bytes(document))
    assert "for the spokesman.x = TKN-U-0961\n" in result.text
    assert result.problems == []


def test_document_properties_are_evidence() -> None:
    document = memo()
    document.core_properties.title = "Harbour plan TKN-S-0971"
    document.core_properties.author = "J. Morrow"  # a name, not a property a reviewer needs
    add_custom_property(document, "MSIP_Label_0000_Name", "Secret")
    result = read_docx(to_bytes(document))
    body, evidence = split(result)
    assert "TKN-S-0971" not in body
    assert evidence == "Harbour plan TKN-S-0971\n\nMSIP_Label_0000_Name: Secret\n"
    details = {problem.code: problem.detail for problem in result.problems}
    assert details == {"docx_properties": "the Word file has 2 document properties with text"}


def test_embedded_content_is_counted() -> None:
    document = memo()
    add_part(
        document,
        "/word/charts/chart1.xml",
        "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
        RT.CHART,
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>',
    )
    result = read_docx(to_bytes(document))
    assert [(problem.code, problem.detail) for problem in result.problems] == [
        ("docx_embedded_content", "the Word file has 1 embedded object, chart or file not read")
    ]


def test_word_parts_no_walk_reaches_are_swept_for_text() -> None:
    document = memo()
    glossary = (
        f'<w:glossaryDocument xmlns:w="{W_NS}"><w:docParts><w:docPart><w:docPartBody>'
        f"<w:p>{run_xml('(S) Building block TKN-S-0981')}</w:p>"
        "</w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>"
    )
    name = "/word/glossary/document.xml"
    add_part(document, name, CT.WML_DOCUMENT_GLOSSARY, RT.GLOSSARY_DOCUMENT, glossary)
    result = read_docx(to_bytes(document))
    body, evidence = split(result)
    assert "TKN-S-0981" not in body
    assert "(S) Building block TKN-S-0981" in evidence
    assert codes(result) == {"docx_unread_text"}


# --- detection and refusals -------------------------------------------------


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_is_docx() -> None:
    assert is_docx(to_bytes(memo()))
    assert not is_docx(b"SECRET//NOFORN\n\n1. (S) text\n")
    assert not is_docx(zip_of({"xl/workbook.xml": b"<x/>"}))
    assert not is_docx(b"PK\x03\x04 truncated")
    assert not is_docx(b"%PDF-1.7\n")


def refusal(data: bytes) -> DocxError:
    with pytest.raises(DocxError) as caught:
        read_docx(data)
    assert isinstance(caught.value, InputError)  # the edges map it to a bad-input refusal
    return caught.value


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(b"SECRET plain text TKN-S-1001", "docx-unreadable", id="text"),
        pytest.param(b"PK\x03\x04 TKN-S-1001 truncated", "docx-unreadable", id="truncated-zip"),
        pytest.param(zip_of({"a.txt": b"TKN-S-1001"}), "docx-unreadable", id="zip-not-word"),
        pytest.param(
            zip_of({"word/document.xml": b"<w:document>TKN-S-1001"}),
            "docx-unreadable",
            id="no-package",
        ),
        pytest.param(
            OLE_MAGIC + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le"),
            "docx-encrypted",
            id="password",
        ),
        pytest.param(
            OLE_MAGIC + b"\0" * 504 + "WordDocument".encode("utf-16-le"),
            "docx-legacy-doc",
            id="old-doc",
        ),
        pytest.param(OLE_MAGIC + b"\0" * 504, "docx-unreadable", id="other-ole"),
    ],
)
def test_refusals_say_why_and_never_quote_the_file(data: bytes, code: str) -> None:
    error = refusal(data)
    assert error.code == code
    assert "TKN" not in error.message


def test_zip_bomb_is_refused_before_it_is_opened() -> None:
    bomb = zip_of(
        {"word/document.xml": b"<w:document/>", "word/media/big.bin": b"\0" * (4 * 1024 * 1024)}
    )
    assert len(bomb) < 64 * 1024
    error = refusal(bomb)
    assert error.code == "docx-too-large"
    assert "zip bomb" in error.message


def state_size(data: bytes, name: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size the zip states for ``name``, in its local header and
    its central directory entry (offsets from the zip format: APPNOTE 4.3.7 and 4.3.12)."""
    patched = bytearray(data)
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = patched.find(signature)
        while at >= 0:
            if patched[at + name_at : at + name_at + len(name)] == name:
                patched[at + size_at : at + size_at + 4] = size.to_bytes(4, "little")
            at = patched.find(signature, at + 4)
    return bytes(patched)


def test_a_part_larger_than_its_zip_entry_says_is_unreadable() -> None:
    """A part that states a small size passes the zip check, is cut at that size by zipfile,
    fails its CRC and is refused: it is never decompressed whole."""
    with zipfile.ZipFile(io.BytesIO(to_bytes(memo()))) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    stated = len(entries["word/document.xml"])
    entries["word/document.xml"] += b" " * (8 * 1024 * 1024)  # whitespace after the root
    data = state_size(zip_of(entries), b"word/document.xml", stated)
    check_container(data)  # the stated sizes are modest
    assert refusal(data).code == "docx-unreadable"


def rewrite_part(data: bytes, name: str, old: bytes, new: bytes) -> bytes:
    """The same zip with ``old`` replaced by ``new`` in one part."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    assert old in entries[name]
    entries[name] = entries[name].replace(old, new, 1)
    return zip_of(entries)


def test_a_part_declaring_a_dtd_is_refused() -> None:
    """Word never writes a DTD; its entities stay unexpanded, so the text would be cut."""
    data = rewrite_part(
        to_bytes(memo()),
        "word/document.xml",
        b"<w:document ",
        b'<!DOCTYPE w:document [<!ENTITY m "(S)">]><w:document ',
    )
    error = refusal(data)
    assert (error.code, error.message) == (
        "docx-unreadable",
        "a part of the Word file declares a DTD",
    )


def test_text_after_an_xml_comment_inside_a_text_element_is_read() -> None:
    data = rewrite_part(
        to_bytes(memo()),
        "word/document.xml",
        b"TKN-S-0003",
        b"TKN-S-0003<!-- a note --> and TKN-S-1101",
    )
    result = read_docx(data)
    assert "inspections TKN-S-0003 and TKN-S-1101." in result.text
    assert "a note" not in result.text
    assert "TKN-S-1101" not in released(result.text)


def test_too_many_parts_are_refused() -> None:
    entries = {f"word/media/p{i}.bin": b"x" for i in range(MAX_PARTS + 1)}
    error = refusal(zip_of({"word/document.xml": b"<w:document/>", **entries}))
    assert error.code == "docx-too-large"


def test_a_part_named_twice_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, pytest.warns(UserWarning):
        archive.writestr("word/document.xml", b"<a/>")
        archive.writestr("word/document.xml", b"<b/>")
    assert refusal(buffer.getvalue()).code == "docx-unreadable"


def test_text_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("declass.service.read.word.MAX_TEXT_BYTES", 100)
    assert refusal(to_bytes(memo())).code == "docx-too-large"


def test_a_file_with_no_text_is_refused() -> None:
    assert refusal(to_bytes(blank())).code == "docx-no-text"
