"""The Classified By block: classifier, title and reasons (docs/markings.md 3.5)."""

from __future__ import annotations

from typing import Any

import pytest

from declass.rules.authority import parse_classified_by
from declass.rules.lines import read_lead
from declass.rules.vocabulary import REASON_TOPICS
from tests.conftest import CASES, case_id, case_params, marking_cases

CHECKED_KEYS = frozenset(
    {
        "authority",
        "title",
        "reasons",
        "order_section",
        "topics",
        "warnings",
        "valid",
        "derivative",
        "derived_from",
        "block_portion_mark",
        "entire_text_level",
    }
)
DESCRIPTIVE_KEYS = frozenset({"note", "eo", "eo_inferred"})

#: Warnings about the cable's era that need its date, which parse_classified_by does not take.
WARNING_XFAIL = {
    "Classified By: Ambassador Clifford Sobel.  Reason 1.5 (b) (d)": (
        "pre_2003_section_number_used_in_2008 not reported (parse_classified_by takes no "
        "document date)"
    ),
}


def test_classified_by_cases_are_present() -> None:
    if not CASES.is_file():
        pytest.skip("marking_cases.jsonl not found")
    assert marking_cases("classified_by")


def test_every_classified_by_key_is_understood() -> None:
    cases = marking_cases("classified_by")
    if not cases:
        pytest.skip("marking_cases.jsonl not found")
    keys = {key for case in cases for key in case["expected"]}
    assert keys <= CHECKED_KEYS | DESCRIPTIVE_KEYS


@pytest.mark.parametrize(("text", "exp"), case_params("classified_by"))
def test_classified_by_case(text: str, exp: dict[str, Any]) -> None:
    block = parse_classified_by(text)
    assert block.reasons == exp["reasons"]
    for key in ("authority", "title", "derivative"):
        if key in exp:
            assert getattr(block, key) == exp[key], key
    if "derived_from" in exp:
        assert block.derivative
        assert block.title == exp["derived_from"]  # the model keeps the source as the title
    if "order_section" in exp:
        assert all(r.startswith(exp["order_section"] + "(") for r in block.reasons)
    if "topics" in exp:
        assert [REASON_TOPICS[r[-2]] for r in block.reasons] == exp["topics"]
    if exp.get("valid") is False:
        assert block.problems


@pytest.mark.parametrize(("text", "exp"), case_params("classified_by", WARNING_XFAIL))
def test_classified_by_case_warnings(text: str, exp: dict[str, Any]) -> None:
    assert set(exp.get("warnings", [])) <= set(parse_classified_by(text).problems)


@pytest.mark.parametrize(
    ("text", "exp"),
    [
        pytest.param(case["input"], case["expected"], id=case_id(case["input"]))
        for case in marking_cases("classified_by")
        if {"block_portion_mark", "entire_text_level"} & case["expected"].keys()
    ],
)
def test_classified_by_case_lead(text: str, exp: dict[str, Any]) -> None:
    """The block is itself a portion: ``1.  (U)  CLASSIFIED BY ...``."""
    lead = read_lead(text)
    assert lead is not None and lead.marking is not None
    if "block_portion_mark" in exp:
        assert lead.marking.level == exp["block_portion_mark"]
    if "entire_text_level" in exp:
        assert lead.marking.level == exp["entire_text_level"]
        assert lead.marking.entire_text


# ---------------------------------------------------------------------------
# Corpus-style reason variants (docs/markings.md 3.5)

BD = ["1.4(b)", "1.4(d)"]
VARIANTS = [
    # the reason part, expected reasons, expected problems
    ("REASONS 1.4 (B) A ND (D)", BD, []),
    ("REASONS 1/4 (B), (D)", BD, []),
    ("Reasons 1:4 (b) and (d)", BD, []),
    ("reasons 14 (b)", ["1.4(b)"], []),
    ("Reas\nons 1.4b,d", BD, []),
    ("REASONS B, D.", BD, ["reason_section_missing"]),
    ("Reasons 1.\n4 (B) and (D).", BD, []),
    ("for re\nason 1.4 (d)", ["1.4(d)"], []),
    ("reasons 1.4 (b+d)", BD, []),
    ("reasons 1.4 b & d.", BD, []),
    ("reasons 1.4 (b) & (d)", BD, []),
    ("REASONS 1.4B AND D", BD, []),
    ("Reasons: 1.4 (B and D)", BD, []),
    ("REASONS: 1.4 (B)(D).", BD, []),
    ("Reasons 1.4 (b),(d).", BD, []),
    ("reasons 1.4 (b) (d)", BD, []),
    ("reasons 1.4 (b,d)", BD, []),
    ("Reasons 1.4 (B, D)", BD, []),
    ("REASONS 1.4 B/D", BD, []),
    ("reasons: 1.5 (b,d).", ["1.5(b)", "1.5(d)"], []),
    ("reasons: 1/4 (B), (D), (E), and (G)", ["1.4(b)", "1.4(d)", "1.4(e)", "1.4(g)"], []),
    ("REASON: 1.4 (C).", ["1.4(c)"], []),
    ("REASONS: E.O. 12958 1.4 (B) AND (D)", BD, []),
    ("reasons 1.4 (b), (c), (d)", ["1.4(b)", "1.4(c)", "1.4(d)"], []),
    ("Reason: 1.4 (b) (c) and (d)", ["1.4(b)", "1.4(c)", "1.4(d)"], []),
    ("reason 1.5 (b/c/d)", ["1.5(b)", "1.5(c)", "1.5(d)"], []),
    ("Reasons 1.4(a),(b),(c),(d),(e),(f),(g),(h)", [f"1.4({c})" for c in "abcdefgh"], []),
    ("Reason 1.4 (d). Other text (c) follows.", ["1.4(d)"], []),
    ("Reasons 1.4 (b) and (d)\n\n1. (C) Summary: The minister", BD, []),
    ("reason 1.5 (h)", ["1.5(h)"], ["no_category_h_before_2003"]),
    ("reasons 1.4 (j)", ["1.4(j)"], ["unknown_category_letter"]),
]


@pytest.mark.parametrize(
    ("reason", "reasons", "problems"), VARIANTS, ids=[case_id(row[0]) for row in VARIANTS]
)
def test_reason_variants(reason: str, reasons: list[str], problems: list[str]) -> None:
    block = parse_classified_by(f"Classified By: Ambassador John Doe, {reason}")
    assert block.reasons == reasons
    assert block.authority == "John Doe"
    assert block.title == "Ambassador"
    assert set(problems) <= set(block.problems)


BLOCKS = [
    # text, authority, title, reasons
    pytest.param(
        "Classified By: DCM Jane Roe for reasons 1.4 (b) and (d)",
        "Jane Roe",
        "DCM",
        BD,
        id="DCM Jane Roe",
    ),
    pytest.param(
        "CLASSIFIED BY: DCM JANE ROE; REASONS: 1.4 (B) AND (D)",
        "JANE ROE",
        "DCM",
        BD,
        id="upper case, semicolon",
    ),
    pytest.param(
        "(U) Classified by John Doe, Ambassador. Reason 1.5(b) and (d)",
        "John Doe",
        "Ambassador",
        ["1.5(b)", "1.5(d)"],
        id="5 FAH-1 H-240 example",
    ),
    pytest.param(
        "Classified By: Derived from Multiple Sources",
        None,
        "Multiple Sources",
        [],
        id="derivative",
    ),
    pytest.param(
        "Classified By: (U) Classified by DCM Jane Roe, reason 1.4(d)",
        "Jane Roe",
        "DCM",
        ["1.4(d)"],
        id="Classified By: (U) Classified by",
    ),
]


@pytest.mark.parametrize(("text", "authority", "title", "reasons"), BLOCKS)
def test_classified_by_block(
    text: str, authority: str | None, title: str | None, reasons: list[str]
) -> None:
    block = parse_classified_by(text)
    assert (block.authority, block.title, block.reasons) == (authority, title, reasons)


def test_missing_reason_is_a_problem() -> None:
    block = parse_classified_by("Classified By: Ambassador John Doe")
    assert block.reasons == []
    assert "missing_reason" in block.problems


def test_reasons_are_normalised_to_lower_case_letters() -> None:
    upper = parse_classified_by("CLASSIFIED BY: AMB JOHN DOE, REASONS 1.4 (B) AND (D)")
    lower = parse_classified_by("Classified by: Amb John Doe, reasons 1.4 (b) and (d)")
    assert upper.reasons == lower.reasons == BD
