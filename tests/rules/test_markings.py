"""Portion and banner markings: the shared marking cases, then our own table.

The shared cases (``marking_cases.jsonl``) write controls in portion form
(``NF``, ``XD``, ``SBU-NF``); :class:`Marking` carries long names (``NOFORN``,
``EXDIS``, ``SBU NOFORN``), so expectations are mapped through the vocabulary
tables. Our own cases use the same expectation keys, so one checker reads both.
"""

from __future__ import annotations

from typing import Any

import pytest

from declass.rules.banner import parse_banner_line
from declass.rules.lines import read_lead
from declass.rules.markings import parse_banner_marking, parse_portion
from declass.rules.model import LEVEL_RANK, Marking
from declass.rules.vocabulary import DISSEM, NATO_LEVELS, NOFORN_EFFECT, NON_IC, TETRAGRAPHS
from tests.conftest import CASES, case_id, case_params, marking_cases

#: Long names of the IC and non-IC dissemination controls.
KNOWN_CONTROLS = frozenset(DISSEM.values()) | frozenset(NON_IC.values())

#: Expectation keys the checker reads.
CHECKED_KEYS = frozenset(
    {
        "is_marking",
        "is_banner",
        "level",
        "valid_strict",
        "warnings",
        "normalized",
        "dissem",
        "non_ic",
        "non_ic_names",
        "treat_fdr_as",
        "fdr_effect",
        "rel_to",
        "expanded_rel_to",
        "equivalent_tetragraph",
        "sci",
        "sap",
        "aea",
        "fgi",
        "fgi_concealed",
        "display_only",
        "owner",
        "joint",
        "joint_owners",
        "us_classification",
        "us_protect_as",
        "nato_level",
        "nato_controls",
        "controls",
        "entire_text",
        "declass_value",
        "text_after_mark",
        "portion_equivalent",
        # own cases only
        "damaged",
        "other_controls",
        "controls_include",
    }
)

#: Keys that describe the case but are not properties of a parsed marking.
DESCRIPTIVE_KEYS = frozenset(
    {
        "note",
        "reason",
        "meaning",
        "applies_to",
        "context_required",  # the checker always parses in paragraph position
        "rel_to_raw",  # the raw country names are not kept on Marking
        "legacy_valid_before",
        # banner-line structure, checked in test_banner.py
        "letter_spaced",
        "section",
        "origin",
        "serial",
        "cable_id_if_year_2006",
        "cable_id_if_year_2008",
    }
)


def long_name(token: str) -> str:
    """Portion abbreviation -> the long name Marking.controls holds (long names pass through)."""
    return DISSEM.get(token) or NON_IC.get(token) or token


def read_portion(text: str) -> tuple[Marking | None, str | None]:
    """Parse a case input: a bare mark directly, a whole line through its portion start.

    Line-shaped cases (``4. ( C ) The Foreign Ministry ...``) come from the
    corpus; ``read_lead`` finds the mark where a portion starts and hands it to
    ``parse_portion``. Returns the marking and the body text after it.
    """
    stripped = text.strip()
    if stripped.startswith("(") and stripped.endswith(")"):
        return parse_portion(stripped), None
    lead = read_lead(text)
    if lead is None or lead.marking is None:
        return None, None
    return lead.marking, text[lead.body :]


def check_marking(marking: Marking, exp: dict[str, Any]) -> None:
    """Compare one parsed marking with an expectation dict (shared-case vocabulary)."""
    if "level" in exp:
        assert marking.level == exp["level"]
    if "valid_strict" in exp:
        assert marking.valid is exp["valid_strict"], marking.problems
    assert set(exp.get("warnings", [])) <= set(marking.problems)
    if "damaged" in exp:
        assert marking.damaged is exp["damaged"], marking.problems
    if "normalized" in exp:
        assert marking.normalized == exp["normalized"]
    _check_controls(marking, exp)
    _check_release(marking, exp)
    for key in ("sci", "sap", "aea", "fgi", "display_only", "joint_owners"):
        if key in exp:
            assert getattr(marking, key) == exp[key], key
    for key in ("fgi_concealed", "owner", "entire_text"):
        if key in exp:
            assert getattr(marking, key) == exp[key], key
    if "fgi" in exp or "fgi_concealed" in exp:
        assert ("FGI" in marking.controls) == bool(marking.fgi or marking.fgi_concealed)
    _check_foreign(marking, exp)
    if "declass_value" in exp:
        assert marking.declass_value == exp["declass_value"].replace("-", "")
    if "portion_equivalent" in exp:
        portion = parse_portion(exp["portion_equivalent"])
        assert portion is not None
        assert portion.controls == marking.controls
        assert portion.sci == marking.sci


def _check_controls(marking: Marking, exp: dict[str, Any]) -> None:
    known = [c for c in marking.controls if c in KNOWN_CONTROLS]
    if "dissem" in exp or "non_ic" in exp:
        expected = [long_name(t) for t in [*exp.get("dissem", []), *exp.get("non_ic", [])]]
        assert known == expected
    elif isinstance(exp.get("rel_to"), list):
        assert known == ["REL TO"]  # a REL TO list implies the control itself
    elif "treat_fdr_as" not in exp and "controls_include" not in exp:
        assert known == []
    if "non_ic_names" in exp:
        assert [c for c in marking.controls if c in NON_IC.values()] == exp["non_ic_names"]
    if "treat_fdr_as" in exp:
        assert long_name(exp["treat_fdr_as"]) in marking.controls
    if "fdr_effect" in exp:
        assert exp["fdr_effect"] == "NOFORN"
        assert set(marking.controls) & NOFORN_EFFECT
    for name in exp.get("controls_include", []):
        assert name in marking.controls
    others = [c for c in marking.controls if c not in KNOWN_CONTROLS and c != "FGI"]
    if "controls_include" not in exp:
        expected_others = [
            *exp.get("nato_controls", []),
            *exp.get("controls", []),
            *exp.get("other_controls", []),
        ]
        assert others == expected_others


def _check_release(marking: Marking, exp: dict[str, Any]) -> None:
    rel_to = exp.get("rel_to")
    if rel_to == "inherit_from_banner":
        assert marking.rel_to == []  # bare "REL": the list is the banner's
    elif rel_to is not None:
        assert marking.rel_to == rel_to
    if "expanded_rel_to" in exp:
        expanded = {c for code in marking.rel_to for c in TETRAGRAPHS.get(code, (code,))}
        assert expanded == set(exp["expanded_rel_to"])
    if "equivalent_tetragraph" in exp:
        assert set(marking.rel_to) == set(TETRAGRAPHS[exp["equivalent_tetragraph"]])


def _check_foreign(marking: Marking, exp: dict[str, Any]) -> None:
    if exp.get("us_classification") is False:
        assert marking.normalized.lstrip("(").startswith("//")
    if "joint" in exp:
        assert bool(marking.joint_owners) is exp["joint"]
    if "us_protect_as" in exp:
        assert LEVEL_RANK[marking.level] == LEVEL_RANK[exp["us_protect_as"]]
    if "nato_level" in exp:
        assert marking.owner == "NATO"
        assert (marking.level, exp["nato_level"]) in set(NATO_LEVELS.values())


# ---------------------------------------------------------------------------
# The shared cases


def test_marking_cases_are_present() -> None:
    if not CASES.is_file():
        pytest.skip("marking_cases.jsonl not found")
    assert marking_cases("portion")
    assert marking_cases("banner")


@pytest.mark.parametrize("kind", ["portion", "banner"])
def test_every_expectation_key_is_understood(kind: str) -> None:
    """A new key in the shared cases must be checked here or listed as descriptive."""
    cases = marking_cases(kind)
    if not cases:
        pytest.skip("marking_cases.jsonl not found")
    keys = {key for case in cases for key in case["expected"]}
    assert keys <= CHECKED_KEYS | DESCRIPTIVE_KEYS


@pytest.mark.parametrize(("text", "exp"), case_params("portion"))
def test_portion_case(text: str, exp: dict[str, Any]) -> None:
    marking, body = read_portion(text)
    if not exp["is_marking"]:
        assert marking is None
        return
    assert marking is not None
    check_marking(marking, exp)
    if "text_after_mark" in exp:
        assert body == exp["text_after_mark"]


@pytest.mark.parametrize(("text", "exp"), case_params("banner"))
def test_banner_case_marking(text: str, exp: dict[str, Any]) -> None:
    line = parse_banner_line(text)
    assert (line is not None) is exp["is_banner"]
    if line is None:
        return
    check_marking(line.marking, exp)
    if "//" in text:  # a CAPCO banner reads the same through the marking grammar
        capco = parse_banner_marking(text)
        assert capco is not None
        check_marking(capco, exp)


# ---------------------------------------------------------------------------
# Our own portion cases (docs/markings.md 1 and 2)

OWN_PORTIONS = [
    # levels
    pytest.param("(TS)", {"level": "TS", "valid_strict": True, "normalized": "(TS)"}, id="(TS)"),
    pytest.param("(S)", {"level": "S", "valid_strict": True, "normalized": "(S)"}, id="(S)"),
    pytest.param("(C)", {"level": "C", "valid_strict": True, "normalized": "(C)"}, id="(C)"),
    pytest.param("(U)", {"level": "U", "valid_strict": True, "normalized": "(U)"}, id="(U)"),
    pytest.param(
        "(TS//NF)", {"level": "TS", "dissem": ["NF"], "valid_strict": True}, id="(TS//NF)"
    ),
    # SCI (docs/markings.md 1.5)
    pytest.param("(TS//SI)", {"level": "TS", "sci": ["SI"], "valid_strict": True}, id="(TS//SI)"),
    pytest.param(
        "(TS//TK//NF)", {"level": "TS", "sci": ["TK"], "dissem": ["NF"]}, id="(TS//TK//NF)"
    ),
    pytest.param(
        "(TS//HCS-O//NF)",
        {"level": "TS", "sci": ["HCS-O"], "dissem": ["NF"], "valid_strict": True},
        id="(TS//HCS-O//NF)",
    ),
    pytest.param(
        "(TS//SI/TK//NF)",
        {"level": "TS", "sci": ["SI", "TK"], "dissem": ["NF"], "normalized": "(TS//SI/TK//NF)"},
        id="(TS//SI/TK//NF)",
    ),
    pytest.param("(TS//RSV)", {"level": "TS", "sci": ["RSV"]}, id="(TS//RSV)"),
    pytest.param(
        "(TS//SI-G ABCD EFGH//OC/NF)",
        {"level": "TS", "sci": ["SI-G ABCD EFGH"], "dissem": ["OC", "NF"], "valid_strict": True},
        id="(TS//SI-G ABCD EFGH//OC/NF)",
    ),
    pytest.param(
        "(TS//ZZZZ)",
        {
            "level": "TS",
            "valid_strict": False,
            "damaged": True,
            "other_controls": ["ZZZZ"],
            "warnings": ["unknown_token"],
        },
        id="(TS//ZZZZ) unknown codeword kept, damaged",
    ),
    # SAP
    pytest.param(
        "(TS//SAR-BP//NF)",
        {"level": "TS", "sap": ["SAR-BP"], "dissem": ["NF"], "valid_strict": True},
        id="(TS//SAR-BP//NF)",
    ),
    pytest.param(
        "(S//SPECIAL ACCESS REQUIRED-BP)",
        {"level": "S", "sap": ["SPECIAL ACCESS REQUIRED-BP"]},
        id="(S//SPECIAL ACCESS REQUIRED-BP)",
    ),
    pytest.param(
        "(S//SAR-ABC-DEF 123/SDA-121//NF)",
        {
            "level": "S",
            "sap": ["SAR-ABC-DEF 123", "SDA-121"],
            "dissem": ["NF"],
            "damaged": False,
        },
        id="(S//SAR-ABC-DEF 123/SDA-121//NF) second program",
    ),
    # AEA
    pytest.param("(S//RD)", {"level": "S", "aea": ["RD"], "valid_strict": True}, id="(S//RD)"),
    pytest.param("(S//FRD)", {"level": "S", "aea": ["FRD"]}, id="(S//FRD)"),
    pytest.param("(S//RD/FRD)", {"level": "S", "aea": ["RD", "FRD"]}, id="(S//RD/FRD)"),
    pytest.param("(S//RD-SG 14)", {"level": "S", "aea": ["RD-SG 14"]}, id="(S//RD-SG 14)"),
    # UCNI is controlled unclassified information: the policy must see it as a control.
    pytest.param(
        "(U//DOD UCNI)",
        {"level": "U", "aea": ["DOD UCNI"], "controls_include": ["DOD UCNI"]},
        id="(U//DOD UCNI)",
    ),
    pytest.param(
        "(U//UCNI)", {"level": "U", "aea": ["UCNI"], "controls_include": ["UCNI"]}, id="(U//UCNI)"
    ),
    pytest.param("(S//TFNI)", {"level": "S", "aea": ["TFNI"]}, id="(S//TFNI)"),
    # REL TO ordering (docs/markings.md 2.1): USA, trigraphs, tetragraphs
    pytest.param(
        "(S//REL TO USA, NZL, AUS, GBR, CAN)",
        {
            "level": "S",
            "dissem": ["REL TO"],
            "rel_to": ["USA", "AUS", "CAN", "GBR", "NZL"],
            "valid_strict": False,
            "warnings": ["rel_to_order"],
            "normalized": "(S//REL TO USA, AUS, CAN, GBR, NZL)",
        },
        id="(S//REL TO USA, NZL, AUS, GBR, CAN) reordered",
    ),
    pytest.param(
        "(S//REL TO USA, FVEY, AUS)",
        {
            "level": "S",
            "rel_to": ["USA", "AUS", "FVEY"],
            "warnings": ["rel_to_order"],
            "dissem": ["REL TO"],
        },
        id="(S//REL TO USA, FVEY, AUS) trigraph before tetragraph",
    ),
    pytest.param(
        "(S//REL TO AUS, USA)",
        {"rel_to": ["USA", "AUS"], "warnings": ["usa_not_first"], "dissem": ["REL TO"]},
        id="(S//REL TO AUS, USA)",
    ),
    pytest.param(
        "(S//REL TO USA, AUS and GBR)",
        {"rel_to": ["USA", "AUS", "GBR"], "dissem": ["REL TO"], "damaged": False},
        id="(S//REL TO USA, AUS and GBR) pre-2005 'and'",
    ),
    pytest.param(
        "(C/REL GERMANY)",
        {"level": "C", "rel_to": ["USA", "DEU"], "warnings": ["country_name_not_trigraph"]},
        id="(C/REL GERMANY)",
    ),
    pytest.param(
        "(S/REL to Pakistan)",
        {"level": "S", "rel_to": ["USA", "PAK"], "warnings": ["usa_implied"]},
        id="(S/REL to Pakistan)",
    ),
    pytest.param(
        "(Secret/Rel Armenia)",
        {"level": "S", "rel_to": ["USA", "ARM"], "warnings": ["spelled_out_level_in_portion"]},
        id="(Secret/Rel Armenia)",
    ),
    pytest.param("(S/REL ROYG)", {"level": "S", "rel_to": ["USA", "YEM"]}, id="(S/REL ROYG)"),
    pytest.param("(C/Rel Aus)", {"level": "C", "rel_to": ["USA", "AUS"]}, id="(C/Rel Aus)"),
    pytest.param(
        "(S//REL TO USA, NARNIA)",
        {
            "level": "S",
            "dissem": ["REL TO"],
            "damaged": True,
            "warnings": ["country_not_recognised"],
        },
        id="(S//REL TO USA, NARNIA) unknown country",
    ),
    # NATO, JOINT, FGI (docs/markings.md 1.2, 2.6)
    pytest.param(
        "(//NC)", {"level": "C", "owner": "NATO", "us_classification": False}, id="(//NC)"
    ),
    pytest.param("(//NR)", {"level": "R", "owner": "NATO", "us_protect_as": "C"}, id="(//NR)"),
    pytest.param("(//NU)", {"level": "U", "owner": "NATO"}, id="(//NU)"),
    pytest.param(
        "(//COSMIC TOP SECRET)", {"level": "TS", "owner": "NATO"}, id="(//COSMIC TOP SECRET)"
    ),
    pytest.param(
        "(//NS//ATOMAL)",
        {"level": "S", "owner": "NATO", "nato_controls": ["ATOMAL"], "valid_strict": True},
        id="(//NS//ATOMAL)",
    ),
    pytest.param(
        "(//NS//ATOMAL//OC)",
        {
            "level": "S",
            "owner": "NATO",
            "nato_controls": ["ATOMAL"],
            "dissem": ["OC"],
            "normalized": "(//NS//ATOMAL//OC)",
        },
        id="(//NS//ATOMAL//OC) normalized keeps ATOMAL",
    ),
    pytest.param(
        "(//CTS//BOHEMIA)",
        {"level": "TS", "nato_controls": ["BOHEMIA"], "normalized": "(//CTS//BOHEMIA)"},
        id="(//CTS//BOHEMIA) normalized keeps BOHEMIA",
    ),
    pytest.param("(//GBR S)", {"level": "S", "owner": "GBR"}, id="(//GBR S)"),
    pytest.param(
        "(//CAN GBR S)",
        {"level": "S", "us_classification": False},
        id="(//CAN GBR S) two source countries",
    ),
    pytest.param(
        "(//JOINT TS USA GBR)",
        {"level": "TS", "joint": True, "joint_owners": ["GBR", "USA"]},
        id="(//JOINT TS USA GBR)",
    ),
    pytest.param(
        "(S//FGI GBR)",
        {"level": "S", "fgi": ["GBR"], "fgi_concealed": False, "valid_strict": True},
        id="(S//FGI GBR)",
    ),
    pytest.param(
        "(S//FGI GBR DEU)",
        {"level": "S", "fgi": ["DEU", "GBR"], "normalized": "(S//FGI DEU GBR)"},
        id="(S//FGI GBR DEU) sorted",
    ),
    pytest.param(
        "(C//FGI DEU GBR//NF)",
        {"level": "C", "fgi": ["DEU", "GBR"], "dissem": ["NF"], "valid_strict": True},
        id="(C//FGI DEU GBR//NF)",
    ),
    pytest.param(
        "(//FGI S)",
        {"level": "S", "fgi": [], "fgi_concealed": True, "us_classification": False},
        id="(//FGI S)",
    ),
    pytest.param(
        "(NATO-S)",
        {"level": "S"},
        id="(NATO-S) older DoD foreign form",
    ),
    pytest.param(
        "(UK-C)",
        {"level": "C"},
        id="(UK-C) older DoD foreign form",
    ),
    # CUI / FOUO family (docs/markings.md 1.3): level U, the control in controls
    pytest.param(
        "(U//FOUO)", {"level": "U", "dissem": ["FOUO"], "valid_strict": True}, id="(U//FOUO)"
    ),
    pytest.param("(U//SBU)", {"level": "U", "non_ic": ["SBU"]}, id="(U//SBU)"),
    pytest.param(
        "(SBU-N)",
        {"level": "U", "non_ic": ["SBU-NF"], "warnings": ["state_short_form"]},
        id="(SBU-N)",
    ),
    pytest.param("(U//LES)", {"level": "U", "non_ic": ["LES"]}, id="(U//LES)"),
    pytest.param("(U//SSI)", {"level": "U", "non_ic": ["SSI"]}, id="(U//SSI)"),
    pytest.param("(U//PR)", {"level": "U", "dissem": ["PR"]}, id="(U//PR)"),
    pytest.param(
        "(CUI)",
        {"level": "U", "controls_include": ["CUI"]},
        id="(CUI)",
    ),
    pytest.param(
        "(CUI//SP-PRVCY)",
        {"level": "U", "controls_include": ["CUI"]},
        id="(CUI//SP-PRVCY)",
    ),
    # legacy State forms (docs/markings.md 2.4)
    pytest.param(
        "(TS/NF)",
        {"level": "TS", "dissem": ["NF"], "warnings": ["legacy_single_slash"]},
        id="(TS/NF)",
    ),
    pytest.param(
        "(S/OC/NF)",
        {"level": "S", "dissem": ["OC", "NF"], "normalized": "(S//OC/NF)"},
        id="(S/OC/NF)",
    ),
    pytest.param(
        "(S/NOFORN)",
        {"level": "S", "dissem": ["NF"], "warnings": ["banner_abbreviation_in_portion"]},
        id="(S/NOFORN)",
    ),
    pytest.param(
        "(SNF)",
        {"level": "S", "dissem": ["NF"], "warnings": ["nonstandard_separator"]},
        id="(SNF)",
    ),
    pytest.param(
        "(CNF)",
        {"level": "C", "dissem": ["NF"], "warnings": ["nonstandard_separator"]},
        id="(CNF)",
    ),
    pytest.param("(S / NF)", {"level": "S", "dissem": ["NF"]}, id="(S / NF)"),
    pytest.param(
        "(S//OC, NF)",
        {"level": "S", "dissem": ["OC", "NF"], "damaged": False},
        id="(S//OC, NF) pre-2005 commas",
    ),
    # spaces and case
    pytest.param(
        "( S//NF )",
        {"level": "S", "dissem": ["NF"], "warnings": ["whitespace_inside_parentheses"]},
        id="( S//NF )",
    ),
    pytest.param("(S )", {"level": "S", "warnings": ["whitespace_inside_parentheses"]}, id="(S )"),
    pytest.param(
        "(c)",
        {"level": "C", "valid_strict": False, "warnings": ["lowercase"], "normalized": "(C)"},
        id="(c)",
    ),
    pytest.param("(u)", {"level": "U", "warnings": ["lowercase"]}, id="(u)"),
    pytest.param("(ts)", {"level": "TS", "warnings": ["lowercase"]}, id="(ts)"),
    pytest.param(
        "(S//nf)", {"level": "S", "dissem": ["NF"], "warnings": ["mixed_case"]}, id="(S//nf)"
    ),
    pytest.param(
        "(Secret)",
        {"level": "S", "warnings": ["mixed_case", "spelled_out_level_in_portion"]},
        id="(Secret)",
    ),
    pytest.param(
        "(TOP SECRET)",
        {"level": "TS", "normalized": "(TS)", "warnings": ["spelled_out_level_in_portion"]},
        id="(TOP SECRET)",
    ),
    pytest.param("(UNCLASSIFIED)", {"level": "U", "normalized": "(U)"}, id="(UNCLASSIFIED)"),
    pytest.param(
        "(TOP SECRET//NOFORN)",
        {"level": "TS", "dissem": ["NF"], "normalized": "(TS//NF)"},
        id="(TOP SECRET//NOFORN)",
    ),
    # malformed but recognisable: parsed, and damaged so the engine fails closed
    pytest.param(
        "C)",
        {
            "level": "C",
            "damaged": True,
            "valid_strict": False,
            "warnings": ["missing_open_parenthesis"],
        },
        id="C) missing open parenthesis",
    ),
    pytest.param(
        "(C",
        {"level": "C", "damaged": True, "warnings": ["missing_close_parenthesis"]},
        id="(C missing close parenthesis",
    ),
    pytest.param(
        "S/NF)",
        {"level": "S", "dissem": ["NF"], "damaged": True},
        id="S/NF) missing open parenthesis",
    ),
    pytest.param("(S//NF", {"level": "S", "dissem": ["NF"], "damaged": True}, id="(S//NF unclosed"),
    # ENTIRE TEXT statements (docs/markings.md 2.7)
    pytest.param("C - ENTIRE TEXT.", {"level": "C", "entire_text": True}, id="C - ENTIRE TEXT."),
    pytest.param(
        "CONFIDENTIAL - ENTIRE TEXT.",
        {"level": "C", "entire_text": True},
        id="CONFIDENTIAL - ENTIRE TEXT.",
    ),
    pytest.param(
        "SECRET - ENTIRE TEXT.", {"level": "S", "entire_text": True}, id="SECRET - ENTIRE TEXT."
    ),
    pytest.param("(U - ENTIRE TEXT)", {"level": "U", "entire_text": True}, id="(U - ENTIRE TEXT)"),
]


@pytest.mark.parametrize(("text", "exp"), OWN_PORTIONS)
def test_own_portion(text: str, exp: dict[str, Any]) -> None:
    marking = parse_portion(text)
    assert marking is not None
    assert marking.raw == text
    check_marking(marking, exp)


# docs/markings.md 1.4 / 2.4: (portion form, banner form) of every dissemination control.
IC_DISSEM = [
    ("RS", "RSEN"),
    ("FOUO", "FOUO"),
    ("OC", "ORCON"),
    ("OC-USGOV", "ORCON-USGOV"),
    ("IMC", "IMCON"),
    ("NF", "NOFORN"),
    ("PR", "PROPIN"),
    ("RELIDO", "RELIDO"),
    ("EYES", "EYES ONLY"),
    ("DSEN", "DSEN"),
    ("FISA", "FISA"),
]
NON_IC_CONTROLS = [
    ("DS", "LIMDIS"),
    ("XD", "EXDIS"),
    ("ND", "NODIS"),
    ("SBU", "SBU"),
    ("SBU-NF", "SBU NOFORN"),
    ("LES", "LES"),
    ("LES-NF", "LES NOFORN"),
    ("SSI", "SSI"),
]
#: Controls that belong on unclassified information only.
UNCLASSIFIED_ONLY = {"FOUO", "DS", "SBU", "SBU-NF", "LES", "LES-NF", "SSI"}


def _portion_with(short: str, written: str) -> str:
    """A realistic portion mark carrying one control (EXDIS/NODIS come with NOFORN)."""
    if short in UNCLASSIFIED_ONLY:
        return f"(U//{written})"
    if short in ("XD", "ND"):
        return f"(S//NF//{written})"
    return f"(S//{written})"


ALL_CONTROLS = [*IC_DISSEM, *NON_IC_CONTROLS]


@pytest.mark.parametrize(("short", "long"), ALL_CONTROLS, ids=[s for s, _ in ALL_CONTROLS])
def test_portion_form_of_each_control(short: str, long: str) -> None:
    text = _portion_with(short, short)
    marking = parse_portion(text)
    assert marking is not None
    assert long in marking.controls
    assert marking.valid, marking.problems
    assert marking.normalized == text


LONG_DIFFERS = [(s, long) for s, long in ALL_CONTROLS if s != long]


@pytest.mark.parametrize(("short", "long"), LONG_DIFFERS, ids=[lg for _, lg in LONG_DIFFERS])
def test_banner_form_inside_a_portion_is_read_and_flagged(short: str, long: str) -> None:
    marking = parse_portion(_portion_with(short, long))
    assert marking is not None
    assert long in marking.controls
    assert "banner_abbreviation_in_portion" in marking.problems
    assert not marking.valid
    assert not marking.damaged
    assert marking.normalized == _portion_with(short, short)


# ---------------------------------------------------------------------------
# Prose that is not a portion mark (docs/markings.md 2.6)

NOT_MARKINGS = [
    "Article 5(c)",
    "(a)",
    "(b)",
    "(1)",
    "(b)(1)",
    "(see para 4)",
    "(U.S.)",
    "(Iran)",
    "(R)",
    "(D)",
    "(PM)",
    "(EU)",
    "(UN)",
    "(US)",
    "(USG)",
    "(SI)",
    "(NF)",
    "Microsoft(R)",
    "reason(s)",
    "",
    "()",
]


@pytest.mark.parametrize("position", [True, False], ids=["paragraph", "elsewhere"])
@pytest.mark.parametrize("text", NOT_MARKINGS, ids=[case_id(t) or "empty" for t in NOT_MARKINGS])
def test_prose_is_not_a_marking(text: str, position: bool) -> None:
    assert parse_portion(text, paragraph_position=position) is None


LOWER_CASE = ["(s)", "(c)", "(u)", "(ts)", "(s/nf)", "(c//nf)"]


@pytest.mark.parametrize("text", LOWER_CASE)
def test_lower_case_counts_only_in_paragraph_position(text: str) -> None:
    assert parse_portion(text, paragraph_position=False) is None
    marking = parse_portion(text, paragraph_position=True)
    assert marking is not None
    assert marking.level == text.strip("()").split("/")[0].upper()
    assert "lowercase" in marking.problems
    assert not marking.valid


@pytest.mark.parametrize("text", ["(S)", "(C//NF)", "(TS//SI//NF)", "(U//FOUO)"])
def test_upper_case_counts_anywhere(text: str) -> None:
    marking = parse_portion(text, paragraph_position=False)
    assert marking is not None
    assert marking.valid


@pytest.mark.parametrize("text", ["(S/CT)", "(S/P)", "(S/ES)"])
def test_state_office_symbols_are_never_trusted(text: str) -> None:
    """``(S/CT)`` is an office; if read as a mark at all, it must not be trusted."""
    marking = parse_portion(text)
    assert marking is None or (marking.damaged and not marking.valid)


# ---------------------------------------------------------------------------
# Portion starts in a line (declass.rules.lines.read_lead feeds parse_portion)

LEADS = [
    # line, label, level (None: no mark), body after the mark
    ("¶1. (C) Summary: talks stalled.", "1", "C", "Summary: talks stalled."),
    ("1.(C) The minister", "1", "C", "The minister"),
    ("1.  (U)  The minister", "1", "U", "The minister"),
    ("1. ( C ) The minister", "1", "C", "The minister"),
    ("A. (S/NF) The minister", "A", "S", "The minister"),
    ("-- (C) The minister", None, "C", "The minister"),
    ("1. (c) The minister", "1", "C", "The minister"),
    ("1. C) The minister", "1", "C", "The minister"),
    ("1. (C - ENTIRE TEXT).", "1", "C", ""),
    ("1. CONFIDENTIAL - ENTIRE TEXT.", "1", "C", ""),
    ("(c) The list item", "c", None, "The list item"),
    ("2.   (U.S.)   Failed Terrorist Attack", "2", None, "(U.S.)   Failed Terrorist Attack"),
    ("3. (Iran) New Protests", "3", None, "(Iran) New Protests"),
]


@pytest.mark.parametrize(("line", "label", "level", "body"), LEADS, ids=[r[0] for r in LEADS])
def test_portion_start_in_a_line(
    line: str, label: str | None, level: str | None, body: str
) -> None:
    lead = read_lead(line)
    assert lead is not None
    assert lead.label == label
    assert (lead.marking.level if lead.marking else None) == level
    assert line[lead.body :] == body


def test_malformed_mark_in_a_line_is_damaged() -> None:
    lead = read_lead("1. C) The minister")
    assert lead is not None and lead.marking is not None
    assert lead.marking.damaged


@pytest.mark.parametrize(
    "line",
    [
        "REF: INGALLS (S/CT) E-MAIL OF 04/15/2008",
        "REASON: 1.5 (B), (C) AND (D)",
        "Article 5(c) of the treaty obliges the parties",
        "The delegation (C) arrived.",
    ],
)
def test_mark_outside_a_portion_start_is_prose(line: str) -> None:
    lead = read_lead(line)
    assert lead is None or lead.marking is None
