"""Header lines are released as structure, so prose must never be read as one."""

from __future__ import annotations

import datetime as dt

import pytest

from declass.rules.parse import parse_document
from declass.rules.policy import load_policy
from declass.service.pipeline import run

PUBLIC = load_policy("public")
SECRET_PLAN = "the army would move north within the week"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            f"TO THE MINISTER: {SECRET_PLAN.upper()}\n\n(S) The plan stands.\n",
            id="prose-starting-with-TO",
        ),
        pytest.param(
            f"FROM: THE DEFECTOR'S DEBRIEF. {SECRET_PLAN}\n\n(S) The plan stands.\n",
            id="prose-starting-with-FROM",
        ),
        pytest.param(
            "S E C R E T PARIS 001234\n\n"
            f"E.O. 12958: DECL: 08/25/2036 The ambassador said that {SECRET_PLAN} and that\n"
            "TAGS: PREL\n\n¶1. (S) The plan stands.\n",
            id="prose-glued-to-the-EO-line",
        ),
        pytest.param(
            f"SECRET//NOFORN\n\nSECRET POLICE ARRESTED 200 PROTESTERS; {SECRET_PLAN}\n",
            id="prose-starting-with-a-level-word",
        ),
        pytest.param(
            f"S E C R E T PARIS 001234\n\nSIPDIS\nNSC FOR {SECRET_PLAN.upper()}.\n\n"
            "¶1. (S) The plan stands.\n",
            id="sentence-in-an-attention-line",
        ),
    ],
)
def test_prose_in_header_position_is_withheld(text: str) -> None:
    output = run(text.encode(), PUBLIC, dt.date(2020, 1, 1)).output.decode()
    assert SECRET_PLAN not in output.lower()


def test_addressee_lines_follow_a_transmission_line() -> None:
    text = (
        "R 171512Z JAN 90\nFM AMCONSUL CAPE TOWN\nTO SECSTATE WASHDC 5365\n"
        "INFO AMEMBASSY PRETORIA\n\nC O N F I D E N T I A L CAPE TOWN 00097\n\n"
        "E.O. 12356: DECL: OADR\n\n1. (C) Text.\n"
    )
    document = parse_document(text)
    assert document.segments[0].kind == "routing"
    assert text[document.segments[0].start : document.segments[0].end].count("\n") >= 4
