"""The safety net: a marking the parser failed to assign still fails closed.

The hardening fuzz once found a line ``A. (S/NF) ...`` swallowed into a
wrapped Classified By paragraph of an UNCLAS-bannered cable: its marking
governed nothing and the whole cable was released. The parser no longer
does that; these tests put the same failure back on purpose and check that
the independent scan in rules/strays.py still withholds the text.
"""

from __future__ import annotations

import datetime as dt

import pytest

from declass.rules import header, lines
from declass.rules.engine import decide
from declass.rules.model import Problem
from declass.rules.parse import parse_document
from declass.rules.policy import load_policy
from declass.rules.strays import find_strays
from declass.service.pipeline import run
from tests.conftest import pure_only

SWALLOWED = (
    "UNCLAS PARIS 001234\n\nE.O. 12958: DECL: 01/01/2001\nTAGS: PREL\n\n"
    "¶1. (U) The embassy hosted a reception.\n\n"
    "¶2. Routine note. Classified By: nobody in particular\n"
    "A. (S/NF) The defector named three officers who passed the codes.\n"
)


@pytest.fixture
def swallowing_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reintroduce the bug: nothing ends a Classified By zone. Compiled, the header reader
    calls these directly and never sees the patch, so the tests that use this run on the
    sources only (the compiled run checks that it releases the same bytes)."""
    monkeypatch.setattr(header, "starts_something", lambda line: False)
    monkeypatch.setattr(lines, "is_reason_fragment", lambda line: True)


def test_the_parser_itself_gives_the_sub_item_its_marking() -> None:
    document = parse_document(SWALLOWED)
    marked = [s for s in document.segments if s.marking and s.marking.raw == "(S/NF)"]
    assert marked and marked[0].label == "2.A"
    assert not [p for p in document.problems if p.code == "marking_not_assigned"]


@pure_only
@pytest.mark.usefixtures("swallowing_parser")
def test_a_swallowed_marking_raises_the_level_and_is_reported() -> None:
    document = parse_document(SWALLOWED)
    assert document.level == "S"
    stray = [p for p in document.problems if p.code == "marking_not_assigned"]
    assert len(stray) == 1 and stray[0].segment is not None


@pure_only
@pytest.mark.usefixtures("swallowing_parser")
def test_a_swallowed_marking_never_releases_its_text() -> None:
    for policy in ("public", "partner-gbr-secret"):
        output = run(SWALLOWED.encode(), load_policy(policy), dt.date(2000, 1, 1)).output
        assert b"defector" not in output
        assert b"The embassy hosted a reception." in output


def test_list_letters_and_reference_letters_are_not_strays() -> None:
    text = (
        "C O N F I D E N T I A L PARIS 001234\n\nREF: A. (A) PARIS 7682\n¶C. (C) PARIS 7527\n\n"
        "¶1. (U) Three edits: (A) drop the word binding; (B) add a clause;\n"
        "(C) shorten the annex.\n"
    )
    document = parse_document(text)
    assert find_strays(text, document.segments) == []


def test_a_marking_swallowed_into_a_header_line_is_not_released_as_structure() -> None:
    text = (
        "C O N F I D E N T I A L PARIS 001234\n\nE.O. 12958: DECL: 08/25/2036\n\n"
        "Classified By: Ambassador Jane Roe for reasons 1.4 (b) and (d)\n"
        "A. (S/NF) The defector named three officers who passed the codes.\n\n"
        "¶1. (U) The embassy hosted a reception.\n"
    )
    document = parse_document(text)
    segment = next(s for s in document.segments if s.kind == "classified_by")
    stray = document.model_copy(
        update={
            "problems": [
                *document.problems,
                Problem(code="marking_not_assigned", segment=segment.id, detail="test"),
            ]
        }
    )
    release = decide(stray, text, load_policy("public"), dt.date(2020, 1, 1))
    assert release.decision_for(segment.id).rule == "public/unassigned-marking"


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("Classified By: Ambassador Ashcombe for reasons 1.4(b) and (d). 1. (C) Summary.", True),
        ("CLASSIFIED BY: Thomas Shannon, Ambassador; REASON: 1.4(D) 1.(C) The talks.", True),
        ("Classified By: Ambassador Ashcombe, reasons 1.4 (b), (d) 1. (C) Summary: x", True),
        ("Classified By: Ambassador Ashcombe for reasons 1.4. (C) and (D)", False),
        ("Classified By: Ambassador Ashcombe for reasons 1.4 (B) and (D)", False),
        ("Classified By: Ambassador Ashcombe, reasons 1.5. (B) and (D). 2. (U) Fine.", False),
    ],
    ids=["glued", "glued-no-space", "after-reasons", "reason-1.4.", "reason-1.4", "unclassified"],
)
def test_a_numbered_portion_glued_into_a_line_is_found(line: str, found: bool) -> None:
    """The parser splits the glued portion off (a segment opens at its mark), or else the
    safety net reports it as a stray; reason letters are neither."""
    text = f"C O N F I D E N T I A L PARIS 001234\n\nE.O. 12958: DECL: 08/25/2016\n\n{line}\n"
    document = parse_document(text)
    strays = find_strays(text, document.segments)
    glued = text.find("(C)")
    split = any(
        s.marking is not None and s.marking.level == "C" and s.start < glued < s.body_start
        for s in document.segments
        if s.kind == "paragraph"
    )
    assert (bool(strays) or split) is found
