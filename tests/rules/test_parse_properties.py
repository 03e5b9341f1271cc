"""Properties of the parser on generated text: it never fails, and its segments tile.

The generated text mixes arbitrary characters (NUL and other controls, RTL and
combining marks, the pilcrow, parentheses, line breaks) with fragments of the
marking grammar, so that the parser's recognisers see half-formed banners,
markings and E.O. lines in every position.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from declass.rules.errors import InputError
from declass.rules.parse import normalise, parse_document
from tests.conftest import assert_tiling

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = [
    "\n",
    "\n\n",
    " ",
    "  ",
    "¶",
    "(",
    ")",
    "(C)",
    "(S)",
    "(U)",
    "(c)",
    "C)",
    "(S//NF)",
    "(S/NF)",
    "(C/REL TO USA, GBR)",
    "(SBU)",
    "(U.S.)",
    "(S/CT)",
    "(C - ENTIRE TEXT)",
    "CONFIDENTIAL - ENTIRE TEXT.",
    "SECRET",
    "S E C R E T",
    "C O N F I D E N T I A L",
    "SS E C R E T",
    "UNCLAS",
    "SECRET//NOFORN",
    "SECTION 01 OF 02",
    " PARIS 005734",
    "KABUL 00001651  002 OF 003",
    "PAGE 02 STATE 296107",
    "E.O. 12958: DECL:",
    " 08/25/2016",
    "EO 12958 N/A",
    "DECL: OADR",
    "SIPDIS",
    "NOFORN",
    "TAGS:",
    " PREL PGOV",
    "SUBJECT:",
    "REF:",
    " A. STATE 12345",
    "Classified By:",
    " Reasons 1.",
    "4 (B) and (D).",
    "1.",
    "2.",
    "12.",
    "A.",
    "1)",
    "--",
    "-",
    "-----",
    "Summary:",
    "END SUMMARY",
    "ZNY CCCCC ZZH",
    "O 251716Z AUG 06",
    "FM AMEMBASSY PARIS",
    "NNNN",
    "XXXXXXXXXXXX",
    "PEARSON",
    "\x00",
    "\t",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    "\u200f",
    "\u202e",
    "\u0301",
    "\u0651",
    "\ufeff",
    "עברית",
    "العربية",
]

#: Any code point that can occur in decoded UTF-8 (surrogates cannot).
CHARS = st.characters(exclude_categories=["Cs"])
PIECES = st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=CHARS, max_size=6))
#: Text as the parser receives it: normalised, so no carriage returns.
TEXT = st.lists(PIECES, max_size=60).map(lambda parts: "".join(parts).replace("\r", "\n"))


@SETTINGS
@given(TEXT)
def test_parser_never_fails_and_segments_tile(text: str) -> None:
    doc = parse_document(text)
    assert_tiling(doc, text)
    for problem in doc.problems:
        assert problem.segment is None or problem.segment in {s.id for s in doc.segments}


@SETTINGS
@given(st.lists(PIECES, max_size=60).map("".join), st.booleans(), st.booleans())
def test_normalise_then_parse(text: str, bom: bool, crlf: bool) -> None:
    """Through the front door: BOM and CR/CRLF line ends, then the parser."""
    if crlf:
        text = text.replace("\n", "\r\n")
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    try:
        clean = normalise(data)
    except InputError:
        assert not data.decode("utf-8-sig").strip()
        return
    assert "\r" not in clean
    doc = parse_document(clean)
    assert_tiling(doc, clean)


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9)
PLAIN_LINE = st.one_of(
    st.just(""),
    st.lists(WORD, min_size=1, max_size=10).map(" ".join),
    st.lists(WORD, min_size=1, max_size=10).map(lambda words: " ".join(words) + "."),
)
MARKS = ["(C)", "(S)", "(U)", "(TS)", "(S//NF)", "(S/NF)", "(C/NF)", "(SBU)"]
MARKS += ["(C//REL TO USA, GBR)", "(S//REL TO USA, FVEY)", "(U//FOUO)"]


@SETTINGS
@given(
    st.lists(PLAIN_LINE, max_size=25),
    st.data(),
    st.integers(min_value=1, max_value=99),
    st.sampled_from(MARKS),
    st.sampled_from(["", "¶", "  "]),
    st.lists(WORD, min_size=1, max_size=8).map(" ".join),
)
def test_marked_paragraph_anywhere_is_found(
    lines: list[str], data: st.DataObject, number: int, mark: str, prefix: str, body: str
) -> None:
    at = data.draw(st.integers(min_value=0, max_value=len(lines)), label="line index")
    marked = f"{prefix}{number}. {mark} {body}"
    text = "\n".join([*lines[:at], marked, *lines[at:]]) + "\n"
    doc = parse_document(text)
    assert_tiling(doc, text)
    offset = sum(len(line) + 1 for line in lines[:at])
    assert text.startswith(marked, offset)
    covering = [s for s in doc.segments if s.start <= offset + len(prefix) < s.end]
    assert len(covering) == 1
    seg = covering[0]
    assert not text[seg.start : offset].strip(), "the segment starts before the marked line"
    assert seg.kind == "paragraph"
    assert seg.label == str(number)
    assert seg.marking is not None
    assert seg.marking.raw == mark
    assert seg.marking_source == "own"


@pytest.mark.parametrize(
    "text",
    ["\x00", "(", ")", "¶", "1.", "(C)", "\n\n\n", "S E C R E T", "E.O. 12958: DECL:", "--"],
)
def test_tiny_inputs(text: str) -> None:
    assert_tiling(parse_document(text), text)
