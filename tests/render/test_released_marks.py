"""The check that no classified mark opens released text (tests/released_marks.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from declass.rules.engine import decide
from declass.rules.parse import normalise, parse_document
from declass.rules.policy import load_policy
from declass.rules.release import Override
from declass.service.render.text import render_text
from tests.released_marks import opening_classified_marks, released_mark_sources

PUBLIC = load_policy("public")

FOUND = [
    ("(C) The minister said", "(C)"),
    ("1. (S//NF) The minister said", "(S//NF)"),
    ("¶3. (C/NF) The minister said", "(C/NF)"),
    ("  2.A. (TS) Text", "(TS)"),
    ("B. (S/REL UK) Text", "(S/REL UK)"),
    ("-- (C) a bullet", "(C)"),
    ("(R) foreign restricted text", "(R)"),
    ("4. (c) lower case in paragraph position", "(c)"),
    ("( C ) spaced", "( C )"),
    ("released sentence. (C) Classified sentence", "(C)"),
    ("REASON: 1.4 (b), (d) 1. (C) Summary: text", "(C)"),
]

NOT_FOUND = [
    "REASON: 1.4(D) 1. (C) \n\n",  # a bare mark split off a header line: no text follows
    "¶2. (C) [9 lines withheld: (b)(1) 1.5(b), 1.5(d)]",
    "¶7. (C/NF). [2 lines withheld: (b)(1) 1.4(b), 1.4(d)]",
    "1. (S) [1 line pending review]",
    "¶1. (C)\n[3 lines withheld: (b)(1) 1.4(d)]",
    "1. (C) ENTIRE TEXT.",
    "1. (U) Unclassified text",
    "2. (SBU) Controlled unclassified text, reviewed elsewhere",
    "3. (U//FOUO) text",
    "Article 5(c) of the treaty",
    "reasons 1.4 (b) and (d)",
    "options (A) and (C) were discussed",
    "the office (S/CT) said",
]


@pytest.mark.parametrize(("text", "mark"), FOUND, ids=[t for t, _ in FOUND])
def test_a_classified_mark_opening_text_is_found(text: str, mark: str) -> None:
    assert [m.mark for m in opening_classified_marks(text)] == [mark]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_placeholders_statements_and_prose_are_not_marks_opening_text(text: str) -> None:
    assert opening_classified_marks(text) == []


def test_the_line_of_each_mark_is_named() -> None:
    text = "1. (U) Fine.\n\n2. (C) Not fine. (S) Worse.\n"
    assert [(m.line, m.mark) for m in opening_classified_marks(text)] == [(3, "(C)"), (3, "(S)")]


def test_a_withheld_cable_releases_no_opening_mark(paris: bytes) -> None:
    text = normalise(paris)
    release = decide(parse_document(text), text, PUBLIC, dt.date(2010, 1, 1))
    assert release.evaluation.status != "declassified"
    assert opening_classified_marks(render_text(release, text)) == []
    assert released_mark_sources(release, text) == []


def test_a_mark_inside_a_released_segment_is_traced_to_it(paris: bytes) -> None:
    # Released by a reviewer's override: the mark now opens released text.
    text = normalise(paris)
    doc = parse_document(text)
    first = next(s for s in doc.segments if s.kind == "paragraph" and s.label == "1")
    override = Override(segment=first.id, action="release", reason="test", reviewer="t")
    release = decide(doc, text, PUBLIC, dt.date(2010, 1, 1), overrides=[override])
    assert [m.mark for m in opening_classified_marks(render_text(release, text))] == ["(C)"]
    [source] = released_mark_sources(release, text)
    assert (source.segment, source.mark) == (first.id, "(C)")
    assert source.rule == release.decision_for(first.id).rule


def test_a_bare_mark_before_a_blank_line_introduces_no_text() -> None:
    """``... REASON: 1.4(D) 1. (C)`` split off a header line with nothing after it."""
    assert opening_classified_marks("REASON: 1.4(D)\n1. (C) \n\n2. (C) [1 line withheld]\n") == []
    assert len(opening_classified_marks("1. (C)\nSecret words on the next line.\n")) == 1
