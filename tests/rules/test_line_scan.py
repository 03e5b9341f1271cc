"""The walk's steps over quiet lines change nothing: checked line by line and whole.

A quiet line (rules/line_scan.py) must be one the readers would take without a
change: each claim the module makes is checked with the readers' own functions,
on generated lines and on every line of the test documents and the corpus; and
the walk that steps over quiet lines must give the same header facts and blocks
as the walk that reads every line, on generated documents and on every document.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from declass.rules import banner, line_scan
from declass.rules import lines as ln
from declass.rules.body import PROSE
from declass.rules.parse import normalise, read_blocks
from tests.conftest import DATA, corpus_files
from tests.rules.test_parse_prefilters import FRAGMENTS, LINE, document_lines

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _claims_hold(line: str) -> None:
    if not line_scan.QUIET.match(line):
        return
    assert "(" not in line and "//" not in line and line.strip()
    assert not ln.is_trailer(line)
    if PROSE.match(line):
        return  # running prose: the body reader continues the paragraph with it
    assert ln.read_lead(line) is None
    assert not ln.is_dash_rule(line)
    assert not banner.is_page_number_line(line)
    assert banner.parse_banner_line(line) is None


@SETTINGS
@given(LINE)
@example("End Cable Text")
@example("unclas state 012345")
@example("Secret police arrested 200")
@example("PAGE 02 STATE 296107")
@example("---- SUMMARY ----")
@example("   ")
def test_a_quiet_line_is_one_the_readers_take_without_a_change(line: str) -> None:
    _claims_hold(line)


def test_quiet_lines_of_every_document_hold_the_claims() -> None:
    for line in document_lines():
        _claims_hold(line)


def test_the_scan_joins_patterns_that_keep_their_flags() -> None:
    with pytest.raises(ValueError, match="cannot inline"):
        line_scan._inline(re.compile("a", re.MULTILINE))
    assert line_scan.quiet_lines(["the minister said", "1. (C) The", "", "(S)", "NNNN"]) == [
        True,
        False,
        False,
        False,
        False,
    ]
    assert line_scan.after_quiet([True, True, False, True], 0) == 2
    assert line_scan.after_quiet([True, True, False, True], 3) == 4


def _walks_agree(text: str) -> None:
    assert read_blocks(text) == read_blocks(text, step_over_quiet=False)


#: Generated documents: a banner, then lines built from the grammar's fragments, prose
#: words and marked paragraphs, so that open paragraphs meet every kind of line.
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC", min_size=1, max_size=8)
PROSE_LINE = st.lists(WORD, min_size=1, max_size=8).map(" ".join)
OPENERS = ["1. (C) The", "2. (S//NF) Ministers", "A. (U) Item", "(C) Text", "-- (S) bullet"]
DOC_LINE = st.one_of(
    PROSE_LINE,
    PROSE_LINE.map(str.upper),
    LINE,
    st.sampled_from([*FRAGMENTS, *OPENERS, "", "", ""]),
)
DOCUMENT = st.lists(DOC_LINE, max_size=40).map(
    lambda lines: "\n".join(["CONFIDENTIAL", "", *lines]) + "\n"
)


@SETTINGS
@given(DOCUMENT)
def test_the_walk_with_steps_agrees_on_generated_documents(text: str) -> None:
    _walks_agree(text)


def test_the_walk_with_steps_agrees_on_every_document() -> None:
    for path in sorted(DATA.rglob("*.txt")) + corpus_files():
        _walks_agree(normalise(path.read_bytes()))
