"""The parser's pre-checks: each skips only work whose answer would be "no match".

A pre-check is one C-level test that says when a reader cannot find anything on a
line, so that most lines never enter the reader's chain of patterns. Each test
here compares the checked reader with the full one on generated lines built from
the grammar's fragments, look-alike letters, odd spacing and other code points,
and on every line of the test documents and the corpus: the answers must be equal,
and a line the pre-check turns away must be one the full reader finds nothing on.
"""

from __future__ import annotations

import functools
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from declass.rules import banner, lines
from tests.conftest import DATA, corpus_files

SETTINGS = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = [
    *("SECRET", "TOP SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "UNCLAS", "unclas"),
    *("LIMITED OFFICIAL USE", "CUI", "CONTROLLED", "Classification:", "CLASS :"),
    *("S E C R E T", "C O N F I D E N T I A L", "T O P S E C R E T", "SS E C R E T"),
    *("E C R E T", "C ONFIDENTIAL", "S ECRET", "CSE C R E T", "U N C L A S"),
    *("SECTION 01 OF 02", " PARIS 005734", " state 012345", " EFTO", " E F T O"),
    *("//", "/", "NOFORN", "SECRET//NOFORN", "Secret//Noforn", "CUI//SP-PRVCY"),
    *("PAGE 02 STATE 296107", "BERN 00000881  002 OF 002", " SIPDIS", " TAGS:"),
    *("1.", "12.", "1.4", "6.a", "¶", "¶ 3.", "A.", "B)", "(a)", "a.", "c)", "1)", "10) "),
    *("--", "---", "-", "*", "•", "o ", "> ", "| ", "Para 3.", "ii.", "IV)", "Note:"),
    *("(C)", "(S)", "(U)", "(TS)", "(S//NF)", "(S/NF)", "C)", "S/NF)", "(c)", "(SBU)"),
    *("(C - ENTIRE TEXT)", "CONFIDENTIAL - ENTIRE TEXT.", "S-ENTIRE TEXT", "(", ")"),
    *("Summary: ", "COMMENT:", "The minister said", "he is a man", " "),
    # look-alikes: Cyrillic and Greek capitals, fullwidth and mathematical letters
    *("С", "Е", "Т", "О", "Ѕ", "Ν", "Ｓ", "𝐒", "ſ", "K", "İ", "ı", "ﬁ"),
    # odd spacing: tabs, no-break and wide spaces, separators, controls
    *("\t", "\xa0", "\u2003", "\u3000", "\x1c", "\x1f", "\x85", "\u2028", "\x0b", "\x0c"),
    *("\u200b", "\ufeff", "\u0301", "\x00", "١٢", "⁴", "עברית"),
]
#: Any code point that can occur in decoded UTF-8, short of a line break.
CHARS = st.characters(exclude_categories=["Cs"], exclude_characters="\n")
PIECES = st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=CHARS, max_size=4))
LINE = st.lists(PIECES, max_size=12).map("".join)


@functools.cache
def document_lines() -> list[str]:
    """Every distinct line of the test documents and of the corpus (where present)."""
    paths = sorted(DATA.rglob("*.txt")) + corpus_files()
    found: set[str] = set()
    for path in paths:
        found.update(path.read_text(encoding="utf-8", errors="replace").split("\n"))
    return sorted(found)


# -- banners ---------------------------------------------------------------------


def test_the_banner_pre_check_joins_the_patterns_as_compiled() -> None:
    """The joined pattern keeps each pattern's own flags (only the loose start ignores case)."""
    plain = (banner._SPACED, banner._SPLIT_FIRST, banner._WORD, banner._LOWER_UNCLAS)
    assert all(p.flags == re.UNICODE for p in plain)
    assert banner._LOOSE_START.flags == re.UNICODE | re.IGNORECASE


def _banner_agrees(line: str) -> None:
    full = banner._parse_banner_line(line)
    assert banner.parse_banner_line(line) == full
    if not banner.could_be_banner(line):
        assert full is None


@SETTINGS
@given(LINE)
@example("S ECRET")
@example(" C ONFIDENTIAL SECTION 01 OF 02 PARIS 005734")
@example("unclas state 012345")
@example("\u2003T O P S E C R E T")
@example("USECRET NOFORN")
@example("Classification: Confidential")
@example("(S//NF) the minister")
def test_the_banner_pre_check_turns_away_only_non_banners(line: str) -> None:
    _banner_agrees(line)


def test_the_banner_pre_check_agrees_on_every_document_line() -> None:
    for line in document_lines():
        _banner_agrees(line)


# -- leads -----------------------------------------------------------------------


def test_the_lead_pre_check_joins_the_patterns_as_compiled() -> None:
    joined = (lines._NUMBERED, lines._LETTERED, lines._SUBNUMBER, lines._BULLET)
    assert all(p.flags == re.UNICODE for p in (*joined, lines._MARK_CANDIDATE))


def _lead_agrees(line: str) -> None:
    assert lines.read_lead(line) == lines._read_lead(line)


@SETTINGS
@given(LINE)
@example(" ¶ 3. The minister")
@example("B) (C) text")
@example("c) text")
@example("10) text")
@example("-- text")
@example("\xa0S/NF) text")
@example("CONFIDENTIAL - ENTIRE TEXT. The minister")
def test_the_lead_pre_check_turns_away_only_lines_without_a_lead(line: str) -> None:
    _lead_agrees(line)


@settings(SETTINGS, max_examples=200)
@given(st.text(alphabet=CHARS, min_size=40, max_size=60), st.sampled_from(FRAGMENTS))
def test_the_lead_pre_check_near_its_window(prefix: str, tail: str) -> None:
    """A parenthesis just inside or past the first 48 characters."""
    for cut in (44, 46, 47, 48, 49):
        _lead_agrees(prefix[:cut] + "(C) " + tail)
        _lead_agrees(" " * cut + tail + " (S//NF)")


def test_the_lead_pre_check_agrees_on_every_document_line() -> None:
    for line in document_lines():
        _lead_agrees(line)


# -- patterns joined into one ------------------------------------------------------


def _joined_agree(line: str) -> None:
    page = banner._PAGE_LINE.match(line) or banner._CONTINUATION.match(line)
    assert banner.is_page_number_line(line) == bool(page)
    instruction = lines._EO.match(line) or lines._DECLASSIFY_ON.match(line)
    assert lines.is_declassification(line) == bool(instruction)


@SETTINGS
@given(LINE)
@example("PAGE 02 STATE 296107")
@example(" BERN 00000881  002 OF 002 ")
@example("E.O. 12958: DECL: 08/25/2016")
@example("\tdeclassify on: 25X1")
def test_joined_patterns_match_where_either_part_does(line: str) -> None:
    _joined_agree(line)


def test_joined_patterns_agree_on_every_document_line() -> None:
    for line in document_lines():
        _joined_agree(line)
