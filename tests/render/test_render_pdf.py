"""The PDF release: read back through pypdf (text, metadata, every stream) and poppler.

The text release is the oracle for what is released: every token it carries
must be in the PDF's extracted text, and every token of the source it drops
must be in no byte of the PDF — raw or decompressed. That the text release
itself is right is tested from first principles in test_release_properties.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import ContentStream, NumberObject, StreamObject

from declass.rules.engine import decide
from declass.rules.parse import normalise, parse_document
from declass.rules.policy import LoadedPolicy, load_policy
from declass.rules.release import PhraseRedaction, Redaction, Release
from declass.rules.wrap import WITHHELD_COLUMNS
from declass.service.cli.main import main
from declass.service.pipeline import run
from declass.service.render.pdf import pdf_text, render_pdf
from declass.service.render.pdf_layout import Block, Row, count_rows, layout, wrap
from declass.service.render.pdf_rows import RowsFlowable
from declass.service.render.pdf_style import build_styles, page_geometry
from declass.service.render.pieces import released_pieces
from tests.release_documents import Cable, cables

POLICIES = {name: load_policy(name) for name in ("public", "partner-gbr-secret")}
DATES = [dt.date(2005, 6, 1), dt.date(2012, 1, 1), dt.date(2026, 11, 28), dt.date(2040, 1, 1)]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOKEN = re.compile(r"TOK\d{4}X")
LEADING = build_styles().leading

HEAD = [
    "VZCZCXYZ0001",
    "OO RUEHWEB",
    "DE RUEHFR #1234 2371716",
    "O 251716Z AUG 06",
    "FM AMEMBASSY PARIS",
    "TO RUEHC/SECSTATE WASHDC IMMEDIATE 0001",
    "",
]


def cable_text(banner: str, decl: str, paragraphs: list[str]) -> str:
    """A small hand-written cable around ``paragraphs``."""
    zn = "ZNR UUUUU ZZH" if banner == "UNCLAS" else f"ZNY {banner[0] * 5} ZZH"
    lines = [*HEAD[:3], zn, *HEAD[3:], f"{banner} PARIS 001234", "", decl, "TAGS: PREL PGOV FR", ""]
    lines += ["SUBJECT: (U) TEST CABLE", ""]
    if banner != "UNCLAS":
        lines += ["Classified By: Ambassador Jane Roe for reasons 1.4 (b) and (d)", ""]
    for paragraph in paragraphs:
        lines += [paragraph, ""]
    return "\n".join([*lines, "ROE", ""])


def decided(
    text: str, policy: str, as_of: dt.date, redactions: Sequence[Redaction] = ()
) -> Release:
    normal = normalise(text.encode())
    return decide(parse_document(normal), normal, POLICIES[policy], as_of, (), redactions)


def streams(data: bytes) -> list[bytes]:
    """Every stream object of the file, decoded (content streams, fonts, anything)."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    size = reader.trailer["/Size"]
    assert isinstance(size, NumberObject)
    for number in range(1, int(size)):
        try:
            obj = reader.get_object(number)
        except Exception:  # free entries in the cross-reference table
            continue
        if isinstance(obj, StreamObject):
            found.append(obj.get_data())
    return found


def assert_absent(data: bytes, words: set[str]) -> None:
    """None of ``words`` in the raw file, in any decoded stream, or in the extracted text."""
    haystacks = [data, *streams(data)]
    extracted = pdf_text(data).casefold()
    for word in sorted(words):
        needle = word.encode("latin-1", "replace")
        assert not any(needle in hay for hay in haystacks), f"{word!r} in the PDF bytes"
        assert word.casefold() not in extracted, f"{word!r} in the extracted text"


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


# --- generated cables: every released token in, every withheld token out -------------------


def _check_tokens(cable: Cable, policy: LoadedPolicy, as_of: dt.date) -> None:
    released = run(cable.text.encode(), policy, as_of, fmt="text").output.decode()
    pdf = run(cable.text.encode(), policy, as_of, fmt="pdf", log=True).output
    extracted = pdf_text(pdf)
    kept = {t for t in cable.tokens if t in released}
    lost = kept - set(TOKEN.findall(extracted))
    assert not lost, f"lost {sorted(lost)} from\n{cable.text}"
    assert_absent(pdf, set(cable.tokens) - kept)
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None
    assert not any(TOKEN.search(str(value)) for value in info.values())


@SETTINGS
@given(cable=cables(), as_of=st.sampled_from(DATES))
def test_public_pdf_carries_exactly_the_released_tokens(cable: Cable, as_of: dt.date) -> None:
    _check_tokens(cable, POLICIES["public"], as_of)


@SETTINGS
@given(cable=cables(), as_of=st.sampled_from(DATES))
def test_partner_pdf_carries_exactly_the_released_tokens(cable: Cable, as_of: dt.date) -> None:
    _check_tokens(cable, POLICIES["partner-gbr-secret"], as_of)


@SETTINGS
@given(cable=cables(), data=st.data())
def test_span_redactions_leave_no_trace(cable: Cable, data: st.DataObject) -> None:
    token = data.draw(st.sampled_from(cable.tokens))
    redaction = PhraseRedaction(phrase=token, exemption="(b)(6)")
    pdf = run(
        cable.text.encode(),
        POLICIES["public"],
        dt.date(2040, 1, 1),
        fmt="pdf",
        redactions=[redaction],
        log=True,
    ).output
    assert_absent(pdf, {token})


# --- metadata, determinism, page furniture ---------------------------------------------------

SECRET_PARAGRAPH = "¶2. (S) The defector named three officers who passed the codes onward."
MIXED = cable_text(
    "S E C R E T",
    "E.O. 12958: DECL: 08/25/2036",
    ["¶1. (U) The embassy will host a reception for the delegation.", SECRET_PARAGRAPH],
)


def test_metadata_is_built_from_the_model_only() -> None:
    outcome = run(MIXED.encode(), POLICIES["public"], dt.date(2020, 1, 1), fmt="pdf")
    metadata = PdfReader(io.BytesIO(outcome.output)).metadata
    assert metadata is not None
    sha = outcome.release.document.sha256[:12]
    assert metadata.title == f"declass release {sha}"
    assert metadata.subject == outcome.release.summary.marking
    assert metadata.author == "declass" and metadata.creator == "declass"
    assert metadata.producer == "declass (ReportLab)"
    words = {w.casefold() for w in re.findall(r"[A-Za-z]{4,}", MIXED)}
    for value in metadata.values():
        assert not {w.casefold() for w in re.findall(r"[A-Za-z]{4,}", str(value))} & (
            words - {"declass", "release", "policy", "public", "unclassified", "secret"}
        ), value


def test_same_request_gives_identical_bytes() -> None:
    redactions = [PhraseRedaction(phrase="reception", exemption="(b)(6)")]
    first, second = (
        run(
            MIXED.encode(),
            POLICIES["public"],
            dt.date(2020, 1, 1),
            fmt="pdf",
            redactions=redactions,
            log=True,
        ).output
        for _ in range(2)
    )
    assert first == second
    assert b"CreationDate (D:2000" in first or b"/CreationDate" not in first


def test_every_page_says_page_n_of_m_and_carries_the_marking() -> None:
    paragraphs = [f"¶{n}. (U) " + " ".join(f"w{n}x{k}" for k in range(400)) for n in range(1, 9)]
    text = cable_text("UNCLAS", "E.O. 12958: N/A", paragraphs)
    pdf = run(text.encode(), POLICIES["public"], dt.date(2020, 1, 1), fmt="pdf").output
    pages = page_texts(pdf)
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert page.count("UNCLASSIFIED") >= 2


def test_first_page_carries_the_release_stamp() -> None:
    release = decided(MIXED, "public", dt.date(2020, 1, 1))
    first = page_texts(render_pdf(release, normalise(MIXED.encode())))[0]
    for field in (
        "declass RELEASED IN PART",
        "original classification SECRET",
        "not declassified",
        "policy public",
        "as of 2020-01-01",
        f"sha256 {release.document.sha256[:12]}",
    ):
        assert field in first


@pytest.mark.parametrize(
    ("page_size", "width", "height"),
    [("letter", 612, 792), ("a4", 595.28, 841.89), ("A4", 595.28, 841.89)],
    ids=["letter", "a4", "a4-upper"],
)
def test_page_size(page_size: str, width: float, height: float) -> None:
    release = decided(MIXED, "public", dt.date(2020, 1, 1))
    pdf = render_pdf(release, normalise(MIXED.encode()), page_size=page_size)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((width, height), abs=0.01)


def test_unknown_page_size_is_a_request_error() -> None:
    from declass.rules.errors import RequestError

    with pytest.raises(RequestError, match="page size"):
        page_geometry("tabloid", build_styles())


# --- layout: wrapping, boxes, page breaks ----------------------------------------------------


@pytest.mark.parametrize(
    ("line", "width", "protected", "rows"),
    [
        ("short line", 20, (), ["short line"]),
        ("aaa bbb ccc ddd", 7, (), ["aaa bbb", "ccc ddd"]),
        ("  aaa bbb ccc", 8, (), ["  aaa", "bbb", "ccc"]),
        ("abcdefghij", 4, (), ["abcd", "efgh", "ij"]),
        ("ab [(b) (6)] cd", 8, ((3, 12),), ["ab", "[(b) (6)]", "cd"]),
    ],
    ids=["fits", "word-wrap", "indent-kept", "hard-cut", "mark-unbroken"],
)
def test_wrap(
    line: str, width: int, protected: tuple[tuple[int, int], ...], rows: list[str]
) -> None:
    assert [line[a:b].rstrip() for a, b in wrap(line, width, protected)] == rows


def test_long_lines_wrap_with_their_indent_and_lose_nothing() -> None:
    words = [f"w{n:04d}" for n in range(300)]
    text = cable_text("UNCLAS", "E.O. 12958: N/A", ["    ¶1. (U) " + " ".join(words)])
    normal = normalise(text.encode())
    release = decided(text, "public", dt.date(2020, 1, 1))
    width = page_geometry("letter", build_styles()).columns
    rows = layout(released_pieces(release, normal), normal, width)
    body = [row.text for row in rows if "w0" in row.text]
    assert len(body) > 3
    assert all(len(row) <= width for row in body)
    assert all(row.startswith("    ") for row in body)
    assert " ".join(" ".join(body).split()).endswith(" ".join(words))
    extracted = " ".join(pdf_text(render_pdf(release, normal)).split())
    assert " ".join(words) in extracted


def test_markup_characters_and_tabs_survive() -> None:
    paragraph = "¶1. (U) Cable to <SECSTATE> about AT&T and a\ttab & <b>bold</b> 50% \\ (paren)."
    text = cable_text("UNCLAS", "E.O. 12958: N/A", [paragraph])
    pdf = run(text.encode(), POLICIES["public"], dt.date(2020, 1, 1), fmt="pdf").output
    extracted = pdf_text(pdf)
    for piece in ("<SECSTATE>", "AT&T", "<b>bold</b>", "50%", "\\", "(paren)."):
        assert piece in extracted


def test_withheld_box_is_as_tall_as_the_text_counts_the_body_and_as_wide_as_the_column() -> None:
    body = " ".join(["classified"] * 120)
    text = cable_text(
        "C O N F I D E N T I A L", "E.O. 12958: DECL: 08/25/2036", [f"¶1. (C) {body}"]
    )
    release = decided(text, "public", dt.date(2020, 1, 1))
    geometry = page_geometry("letter", build_styles())
    pdf = render_pdf(release, normalise(text.encode()))
    boxes = [r for page in _rects(pdf) for r in page]
    assert len(boxes) == 2  # the paragraph and the unmarked signature
    for _, _, width, _ in boxes:
        assert width == pytest.approx(geometry.columns * build_styles().char)
    rows = count_rows(body, WITHHELD_COLUMNS)  # the lines the text release states
    assert rows > 10
    assert (
        f"[{rows} lines withheld"
        in run(text.encode(), POLICIES["public"], dt.date(2020, 1, 1)).output.decode()
    )
    assert boxes[0][3] == pytest.approx(rows * LEADING - 2)
    assert "classified classified" not in pdf_text(pdf)


def test_a_box_continues_over_a_page_break() -> None:
    body = "\n".join(f"secret line {n} of the long withheld annex" for n in range(90))
    text = cable_text(
        "C O N F I D E N T I A L", "E.O. 12958: DECL: 08/25/2036", [f"¶1. (C) {body}"]
    )
    release = decided(text, "public", dt.date(2020, 1, 1))
    pdf = render_pdf(release, normalise(text.encode()))
    pages, rects = page_texts(pdf), _rects(pdf)
    assert len(pages) >= 2
    segment = next(d.segment for d in release.decisions if d.action == "withhold")
    assert "(continued)" not in pages[0] and "(continued)" in pages[1] and segment in pages[1]
    heights = [h for _, _, _, h in rects[0][-1:] + rects[1][:1]]
    assert sum(heights) == pytest.approx(90 * LEADING - 4)
    assert_absent(pdf, {"annex", "secret line"})


def test_a_paragraph_label_is_not_left_alone_at_the_foot_of_a_page() -> None:
    styles = build_styles()
    geometry = page_geometry("letter", styles)
    block = Block("s009", "(b)(1)", 3)
    rows = [Row("released"), Row("¶1. (C)", keep_with_next=True)]
    rows += [Row(block=block, index=i) for i in range(3)]
    parts = RowsFlowable(rows, 0, len(rows), geometry, styles).split(500, 2 * LEADING)
    assert [(p.start, p.end) for p in parts if isinstance(p, RowsFlowable)] == [(0, 1), (1, 5)]
    # platypus then offers the rest the one row left on the page: the label goes over.
    rest = parts[1]
    assert isinstance(rest, RowsFlowable)
    assert rest.split(500, LEADING) == []


def test_a_label_at_the_foot_of_a_real_page_goes_over_with_its_box() -> None:
    """Pad a cable until a withheld paragraph's label falls on the last row of page 1."""
    from declass.service.render.pdf_layout import layout
    from declass.service.render.pieces import released_pieces

    geometry = page_geometry("letter", build_styles())
    for padding in range(30, 160):
        lines = [f"¶{n}. (U) Released line {n}." for n in range(1, padding // 2)]
        lines[0] += "\n" * (padding % 2) + "A second line."  # shifts by one row or none
        text = cable_text(
            "C O N F I D E N T I A L",
            "E.O. 12958: DECL: 08/25/2036",
            [*lines, "¶99. (C) The withheld plan for the northern border."],
        )
        release = decided(text, "public", dt.date(2020, 1, 1))
        normalised = normalise(text.encode())
        rows = layout(released_pieces(release, normalised), normalised, geometry.columns)
        if len(rows) > geometry.first_rows and rows[geometry.first_rows - 1].keep_with_next:
            break
    else:
        pytest.fail("no padding puts the label at the foot of page 1")
    pages = page_texts(render_pdf(release, normalised))
    assert "¶99. (C)" not in pages[0]
    assert "¶99. (C)" in pages[1]


def test_span_marks_are_fixed_width_whatever_they_hide() -> None:
    widths = []
    for name in ("Zoltan", "Bartholomew Fitzgerald-Montgomery"):
        text = cable_text("UNCLAS", "E.O. 12958: N/A", [f"¶1. (U) We met {name} at noon."])
        redaction = PhraseRedaction(phrase=name, exemption="(b)(6)")
        release = decided(text, "public", dt.date(2020, 1, 1), redactions=[redaction])
        pdf = render_pdf(release, normalise(text.encode()))
        widths.append([w for page in _rects(pdf) for _, _, w, _ in page])
        assert_absent(pdf, {name})
        assert " at noon." in pdf_text(pdf)
    assert widths[0] == widths[1] and len(widths[0]) == 1


def _rects(pdf: bytes) -> list[list[tuple[float, float, float, float]]]:
    """The filled rectangles (x, y, w, h) of each page, from its content stream."""
    reader = PdfReader(io.BytesIO(pdf))
    found: list[list[tuple[float, float, float, float]]] = []
    for page in reader.pages:
        filled: list[tuple[float, float, float, float]] = []
        pending: list[tuple[float, float, float, float]] = []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"re":
                x, y, w, h = (float(v) for v in operands)
                pending.append((x, y, w, h))
            elif operator in (b"f", b"f*", b"B", b"b"):
                filled += pending
                pending = []
            elif operator in (b"S", b"s", b"n"):
                pending = []
        found.append(filled)
    return found


def test_a_300_page_document() -> None:
    paragraphs = [
        "\n".join(f"¶{n}. (U) line {k} of paragraph {n} said the delegation" for k in range(11))
        for n in range(1, 1560)
    ]
    text = cable_text("UNCLAS", "E.O. 12958: N/A", paragraphs)
    release = decided(text, "public", dt.date(2020, 1, 1))
    normal = normalise(text.encode())
    geometry = page_geometry("letter", build_styles())
    rows = layout(released_pieces(release, normal), normal, geometry.columns)
    assert not any(row.block for row in rows)
    expected = 1 + math.ceil((len(rows) - geometry.first_rows) / geometry.later_rows)
    assert expected >= 300
    reader = PdfReader(io.BytesIO(render_pdf(release, normal)))
    assert len(reader.pages) == expected
    assert f"Page 1 of {expected}" in reader.pages[0].extract_text()
    last = reader.pages[-1].extract_text()
    assert f"Page {expected} of {expected}" in last and "line 10 of paragraph 1559" in last


# --- the redaction log -----------------------------------------------------------------------


def test_redaction_log_only_when_asked_and_without_text() -> None:
    redactions = [PhraseRedaction(phrase="reception", exemption="(b)(6)")]
    outcome = run(
        MIXED.encode(),
        POLICIES["public"],
        dt.date(2020, 1, 1),
        fmt="pdf",
        redactions=redactions,
        log=True,
    )
    without = run(
        MIXED.encode(), POLICIES["public"], dt.date(2020, 1, 1), fmt="pdf", redactions=redactions
    ).output
    assert "Redaction log" not in pdf_text(without)
    log_page = page_texts(outcome.output)[-1]
    assert "Redaction log" in log_page
    release = outcome.release
    for decision in release.decisions:
        if decision.action != "release":
            assert decision.segment in log_page and decision.rule[:20] in log_page
    span = release.spans[0]
    assert f"{span.segment}.1" in log_page and "(b)(6)" in log_page and "phrase" in log_page
    for word in ("reception", "defector", "officers", "embassy"):
        assert word not in log_page


# --- outside readers ---------------------------------------------------------------------------


def test_poppler_reads_the_same_release(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
    path = tmp_path / "release.pdf"
    path.write_bytes(run(MIXED.encode(), POLICIES["public"], dt.date(2020, 1, 1), fmt="pdf").output)
    extracted = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "The embassy will host a reception for the delegation." in extracted
    assert "Page 1 of 1" in extracted and "UNCLASSIFIED" in extracted
    assert "defector" not in extracted and "codes" not in extracted


def test_cli_writes_a_pdf(tmp_path: Path) -> None:
    source, target = tmp_path / "cable.txt", tmp_path / "out.pdf"
    source.write_text(MIXED, encoding="utf-8")
    argv = ["redact", str(source), "--format", "pdf", "-o", str(target), "--as-of", "2020-01-01"]
    assert main(argv) == 0
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    assert "reception for the delegation" in pdf_text(data)


# --- the real corpus -----------------------------------------------------------------------------

SAMPLE = 30
LONG_WORD = re.compile(r"[A-Za-z]{8,}")


@pytest.mark.corpus
def test_corpus_sample_releases_no_withheld_word(corpus: list[Path]) -> None:
    sample = corpus[:: max(1, len(corpus) // SAMPLE)][:SAMPLE]
    checked = 0
    for path in sample:
        data = path.read_bytes()
        origin = parse_document(normalise(data)).origin_date
        for as_of in (dt.date(2026, 11, 28), origin):
            if as_of is None:
                continue
            for policy in POLICIES.values():
                checked += _check_corpus(data, policy, as_of)
    assert checked > 0, "the sample withheld nothing: pick other dates"


def _check_corpus(data: bytes, policy: LoadedPolicy, as_of: dt.date) -> int:
    text = normalise(data)
    released = run(data, policy, as_of, fmt="text").output.decode().casefold()
    outcome = run(data, policy, as_of, fmt="pdf")
    release = outcome.release
    # Words the renderer writes itself (box labels, stamp, log) are not document text.
    kept = set(LONG_WORD.findall(released)) | {"continued"}
    withheld: set[str] = set()
    for segment, decision in zip(release.document.segments, release.decisions, strict=True):
        if decision.action != "release":
            body = text[segment.body_start : segment.end].casefold()
            withheld |= set(LONG_WORD.findall(body)) - kept
    extracted = set(LONG_WORD.findall(pdf_text(outcome.output).casefold()))
    assert not withheld & extracted, sorted(withheld & extracted)[:5]
    decoded = b"\n".join(streams(outcome.output)).decode("latin-1").casefold()
    assert not withheld & set(LONG_WORD.findall(decoded)), sorted(withheld)[:5]
    return len(withheld)
