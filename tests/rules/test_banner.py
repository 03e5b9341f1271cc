"""Banner lines (cable classification lines and CAPCO banners) and page lines.

A cable's classification line is ``<LEVEL> [SECTION nn OF mm] <ORIGIN>
<serial>`` (docs/markings.md 3.2; 2.2); memos carry CAPCO banners (2.2). Only whole
lines are banners: a banner-like start followed by prose is prose.
"""

from __future__ import annotations

from typing import Any

import pytest

from declass.rules.banner import is_page_line, parse_banner_line
from declass.rules.parse import parse_document
from tests.conftest import case_id, case_params, marking_cases
from tests.rules.test_markings import ALL_CONTROLS


@pytest.mark.parametrize(("line", "exp"), case_params("banner"))
def test_banner_case_line(line: str, exp: dict[str, Any]) -> None:
    banner = parse_banner_line(line)
    assert (banner is not None) is exp["is_banner"]
    if banner is None:
        return
    assert banner.marking.level == exp["level"]
    assert banner.end == len(line.rstrip()), "the whole line is the banner"
    if "letter_spaced" in exp:
        assert banner.letter_spaced is exp["letter_spaced"]
    if "section" in exp:
        section = exp["section"]
        assert banner.section == (None if section is None else (section["n"], section["of"]))
    for key in ("origin", "serial"):
        if key in exp:
            assert getattr(banner, key) == exp[key]
    assert set(exp.get("controls", [])) <= set(banner.marking.controls)
    # A full cable classification line is not a page header.
    if banner.origin is not None:
        assert not is_page_line(line)


@pytest.mark.parametrize(
    ("line", "exp"),
    [
        pytest.param(case["input"], case["expected"], id=case_id(case["input"]))
        for case in marking_cases("banner")
        if any(key.startswith("cable_id_if_year_") for key in case["expected"])
    ],
)
def test_banner_case_cable_id(line: str, exp: dict[str, Any]) -> None:
    """The cable id is year + origin + serial without zeros (docs/markings.md 3.1)."""
    for key, cable_id in exp.items():
        if not key.startswith("cable_id_if_year_"):
            continue
        year = int(key.rsplit("_", 1)[1])
        text = f"O 011200Z JAN {year % 100:02d}\nFM AMEMBASSY X\nTO SECSTATE WASHDC\n{line}\n"
        assert parse_document(text).cable_id == cable_id


# ---------------------------------------------------------------------------
# Cable classification lines (docs/markings.md 3.2)

CABLE_BANNERS = [
    # line, level, section, origin, serial, letter_spaced, problems
    ("T O P S E C R E T STATE 000111", "TS", None, "STATE", "000111", True, []),
    ("S E C R E T STATE 083673", "S", None, "STATE", "083673", True, []),
    (
        "C O N F I D E N T I A L SECTION 02 OF 02 BERN 000881",
        "C",
        (2, 2),
        "BERN",
        "000881",
        True,
        [],
    ),
    ("C O N F I D E N T I A L RIYADH 0905", "C", None, "RIYADH", "0905", True, []),
    ("C O N F I D E N T I A L TEHRAN 8233", "C", None, "TEHRAN", "8233", True, []),
    ("C O N F I D E N T I A L BUENOS AIRES 000071", "C", None, "BUENOS AIRES", "000071", True, []),
    ("UNCLAS SECTION 01 OF 03 SAO PAULO 000228", "U", (1, 3), "SAO PAULO", "000228", False, []),
    ("C O N F I D E N T I A L THE HAGUE 001234", "C", None, "THE HAGUE", "001234", True, []),
    ("SECRET STATE 083673", "S", None, "STATE", "083673", False, []),
    ("CONFIDENTIAL STATE 123456", "C", None, "STATE", "123456", False, []),
    # damaged letter-spacing seen in the corpus
    (
        "SS E C R E T STATE 123456",
        "S",
        None,
        "STATE",
        "123456",
        True,
        ["damaged_banner_doubled_letter"],
    ),
    (
        "E C R E T STATE 012345",
        "S",
        None,
        "STATE",
        "012345",
        True,
        ["damaged_banner_missing_letter"],
    ),
    ("E C R E T", "S", None, None, None, True, ["damaged_banner_missing_letter"]),
    (
        "CSE C R E T SECTION 01 OF 02 PARIS 000123",
        "S",
        (1, 2),
        "PARIS",
        "000123",
        True,
        ["damaged_banner_stray_letter"],
    ),
    ("C ONFIDENTIAL", "C", None, None, None, True, ["damaged_banner_spacing"]),
    (
        "C ONFIDENTIAL MADRID 000857",
        "C",
        None,
        "MADRID",
        "000857",
        True,
        ["damaged_banner_spacing"],
    ),
    (
        "UUNCLAS SECTION 01 OF 02 ANKARA 000123",
        "U",
        (1, 2),
        "ANKARA",
        "000123",
        False,
        ["damaged_banner_doubled_letter"],
    ),
    # lower case
    ("S e c r e t state 068250", "S", None, "STATE", "068250", True, ["banner_not_upper_case"]),
    ("unclas state 012345", "U", None, "STATE", "012345", False, ["banner_not_upper_case"]),
    # bare classification lines (page headers)
    ("S E C R E T", "S", None, None, None, True, []),
    ("C O N F I D E N T I A L", "C", None, None, None, True, []),
    ("CONFIDENTIAL", "C", None, None, None, False, []),
    ("UNCLASSIFIED", "U", None, None, None, False, []),
    ("UNCLAS", "U", None, None, None, False, []),
]


@pytest.mark.parametrize(
    ("line", "level", "section", "origin", "serial", "spaced", "problems"),
    CABLE_BANNERS,
    ids=[row[0] for row in CABLE_BANNERS],
)
def test_cable_banner(
    line: str,
    level: str,
    section: tuple[int, int] | None,
    origin: str | None,
    serial: str | None,
    spaced: bool,
    problems: list[str],
) -> None:
    banner = parse_banner_line(line)
    assert banner is not None
    assert banner.marking.level == level
    assert (banner.section, banner.origin, banner.serial) == (section, origin, serial)
    assert banner.letter_spaced is spaced
    assert banner.end == len(line)
    assert set(problems) <= set(banner.marking.problems)
    assert banner.marking.valid is (not problems)


@pytest.mark.parametrize(
    ("line", "control", "origin"),
    [
        ("UNCLAS EFTO", "EFTO", None),
        ("UNCLAS E F T O STATE 012345", "EFTO", "STATE"),
        ("LIMITED OFFICIAL USE", "LOU", None),
        ("LIMITED OFFICIAL USE STATE 017976", "LOU", "STATE"),
    ],
)
def test_unclassified_controls_on_the_classification_line(
    line: str, control: str, origin: str | None
) -> None:
    """EFTO and LOU are controls on unclassified traffic, never a level (docs/markings.md 1.3)."""
    banner = parse_banner_line(line)
    assert banner is not None
    assert banner.marking.level == "U"
    assert control in banner.marking.controls
    assert banner.origin == origin


@pytest.mark.parametrize(
    ("line", "rest"),
    [
        ("C O N F I D E N T I A L TRIPOLI 000220 SIPDIS", "SIPDIS"),
        ("S E C R E T SECTION 01 OF 02 STATE 083673 VZCZC", "VZCZC"),
    ],
)
def test_collapsed_header_rest_is_left_to_the_caller(line: str, rest: str) -> None:
    banner = parse_banner_line(line)
    assert banner is not None and banner.origin is not None
    assert line[banner.end :].strip() == rest


# ---------------------------------------------------------------------------
# CAPCO banners (docs/markings.md 2.2-2.7)

CAPCO_BANNERS = [
    # line, level, controls, extra checks
    ("SECRET//NOFORN", "S", ["NOFORN"], {}),
    ("TOP SECRET//SI//NOFORN", "TS", ["NOFORN"], {"sci": ["SI"]}),
    ("TOP SECRET//HCS-P JJJ//ORCON/NOFORN", "TS", ["ORCON", "NOFORN"], {"sci": ["HCS-P JJJ"]}),
    ("SECRET//RD-CNWDI//REL TO USA, GBR", "S", ["REL TO"], {"aea": ["RD-CNWDI"]}),
    ("SECRET//SPECIAL ACCESS REQUIRED-BP//NOFORN", "S", ["NOFORN"], {}),
    ("TOP SECRET//FGI", "TS", ["FGI"], {"fgi_concealed": True}),
    ("SECRET//FGI GBR", "S", ["FGI"], {"fgi": ["GBR"]}),
    ("SECRET//DISPLAY ONLY AFG, IRQ", "S", ["DISPLAY ONLY"], {"display_only": ["AFG", "IRQ"]}),
    ("UNCLASSIFIED//FOUO", "U", ["FOUO"], {}),
    ("UNCLASSIFIED//SENSITIVE BUT UNCLASSIFIED", "U", ["SBU"], {}),
    ("UNCLASSIFIED//SBU NOFORN", "U", ["SBU NOFORN"], {}),
    ("//NATO SECRET//ATOMAL", "S", ["ATOMAL"], {"owner": "NATO"}),
    ("//COSMIC TOP SECRET//BOHEMIA", "TS", ["BOHEMIA"], {"owner": "NATO"}),
    ("//DEU SECRET//REL TO USA, DEU", "S", ["REL TO"], {"owner": "DEU"}),
    ("//JOINT SECRET GBR USA", "S", [], {"joint_owners": ["GBR", "USA"]}),
    ("secret//noforn", "S", ["NOFORN"], {"problems": ["banner_not_upper_case"]}),
    (
        "SECRET//NOFORN//X1",
        "S",
        ["NOFORN"],
        {"declass_value": "X1", "problems": ["declassification_value_in_banner_retired_2008"]},
    ),
    (
        "SECRET//NOFORN//OADR",
        "S",
        ["NOFORN"],
        {"declass_value": "OADR", "normalized": "SECRET//NOFORN"},
    ),
    (
        "SECRET//REL TO USA",
        "S",
        ["REL TO", "NOFORN"],
        {"problems": ["rel_to_usa_only_not_authorized"], "damaged": True},
    ),
    (
        "SECRET//NF/REL TO USA, GBR",
        "S",
        ["NOFORN", "REL TO"],
        {"problems": ["noforn_with_rel_to"], "damaged": True},
    ),
]


@pytest.mark.parametrize(
    ("line", "level", "controls", "extra"), CAPCO_BANNERS, ids=[row[0] for row in CAPCO_BANNERS]
)
def test_capco_banner(line: str, level: str, controls: list[str], extra: dict[str, Any]) -> None:
    banner = parse_banner_line(line)
    assert banner is not None
    marking = banner.marking
    assert marking.level == level
    assert marking.controls == controls
    assert banner.end == len(line)
    for key, value in extra.items():
        if key == "problems":
            assert set(value) <= set(marking.problems)
            assert not marking.valid
        else:
            assert getattr(marking, key) == value, key


PORTION_FORMS = [(s, long) for s, long in ALL_CONTROLS if s != long]


def _banner_with(written: str, long: str) -> str:
    if long in ("FOUO", "LIMDIS", "SBU", "SBU NOFORN", "LES", "LES NOFORN", "SSI"):
        return f"UNCLASSIFIED//{written}"
    if long in ("EXDIS", "NODIS"):
        return f"SECRET//NOFORN//{written}"
    return f"SECRET//{written}"


@pytest.mark.parametrize(("short", "long"), ALL_CONTROLS, ids=[lg for _, lg in ALL_CONTROLS])
def test_banner_form_of_each_control(short: str, long: str) -> None:
    line = _banner_with(long, long)
    banner = parse_banner_line(line)
    assert banner is not None
    assert long in banner.marking.controls
    assert banner.marking.valid, banner.marking.problems
    assert banner.marking.normalized == line


@pytest.mark.parametrize(("short", "long"), PORTION_FORMS, ids=[s for s, _ in PORTION_FORMS])
def test_portion_form_inside_a_banner_is_read_and_flagged(short: str, long: str) -> None:
    banner = parse_banner_line(_banner_with(short, long))
    assert banner is not None
    assert long in banner.marking.controls
    assert "portion_abbreviation_in_banner" in banner.marking.problems
    assert banner.marking.normalized == _banner_with(long, long)


#: Banner titles (docs/markings.md 2.2: "full title ... or authorized banner abbreviation"),
#: from the title columns of 2.3 and 2.4 -> the long name Marking.controls must hold.
BANNER_TITLES = [
    ("SECRET//RISK SENSITIVE", "RSEN", None),
    ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "FOUO", None),
    ("SECRET//ORIGINATOR CONTROLLED", "ORCON", None),
    ("SECRET//ORIGINATOR CONTROLLED-USGOV", "ORCON-USGOV", None),
    ("SECRET//CONTROLLED IMAGERY", "IMCON", None),
    ("SECRET//NOT RELEASABLE TO FOREIGN NATIONALS", "NOFORN", None),
    ("SECRET//CAUTION-PROPRIETARY INFORMATION INVOLVED", "PROPIN", None),
    ("SECRET//RELEASABLE BY INFORMATION DISCLOSURE OFFICIAL", "RELIDO", None),
    ("SECRET//DEA SENSITIVE", "DSEN", None),
    ("SECRET//FOREIGN INTELLIGENCE SURVEILLANCE ACT", "FISA", None),
    ("UNCLASSIFIED//LIMITED DISTRIBUTION", "LIMDIS", None),
    ("SECRET//NOFORN//EXCLUSIVE DISTRIBUTION", "EXDIS", None),
    ("SECRET//NOFORN//NO DISTRIBUTION", "NODIS", None),
    ("UNCLASSIFIED//SENSITIVE BUT UNCLASSIFIED", "SBU", None),
    ("UNCLASSIFIED//LAW ENFORCEMENT SENSITIVE", "LES", None),
    ("UNCLASSIFIED//SENSITIVE SECURITY INFORMATION", "SSI", None),
]


@pytest.mark.parametrize(
    ("line", "long"),
    [
        pytest.param(
            line,
            long,
            id=line,
            marks=[pytest.mark.xfail(strict=True, reason=why)] if why else [],
        )
        for line, long, why in BANNER_TITLES
    ],
)
def test_banner_title_form(line: str, long: str) -> None:
    banner = parse_banner_line(line)
    assert banner is not None
    assert long in banner.marking.controls
    assert not banner.marking.damaged


def test_talent_keyhole_title_is_sci() -> None:
    """docs/markings.md 2.2 names TALENT KEYHOLE as the banner title of TK."""
    banner = parse_banner_line("TOP SECRET//TALENT KEYHOLE//NOFORN")
    assert banner is not None
    assert banner.marking.sci
    assert not banner.marking.damaged


# ---------------------------------------------------------------------------
# Page lines (docs/markings.md 3.2: repeated on continuation pages, skipped in paragraphs)

PAGE_LINES = [
    "BERN 00000881  002 OF 002",
    "PAGE 02 STATE 296107",
    "MADRID 00000857 001.2 OF 002",
    "PAGE 02",
    "PAGE 03 TEHRAN 08233 01 OF 02 211234Z",
    "PAGE 01        HARARE  06677  01 OF 03  291400Z ",
    "S E C R E T",
    "CONFIDENTIAL",
    "UNCLASSIFIED",
]


@pytest.mark.parametrize("line", PAGE_LINES)
def test_page_line(line: str) -> None:
    assert is_page_line(line)


@pytest.mark.parametrize("line", [line for line in PAGE_LINES if line[:1] in "BMP"])
def test_page_line_is_not_a_banner(line: str) -> None:
    assert parse_banner_line(line) is None


NOT_PAGE_LINES = [
    "PAGE 02 STATE 296107 The minister said",
    "BERN 00000881  002 OF 002 The minister said",
    "PAGE 02 HARARE 06677 01 OF 03 291400Z OPPOSITION LEADER",
    "Page 2 of the report",
    "S E C R E T STATE 116943",
    "C O N F I D E N T I A L SECTION 01 OF 02 PARIS 005734",
    "1. (C) The minister said",
]


@pytest.mark.parametrize("line", NOT_PAGE_LINES)
def test_not_a_page_line(line: str) -> None:
    assert not is_page_line(line)


# ---------------------------------------------------------------------------
# Lines that are not banners

NOT_BANNERS = [
    pytest.param(line, id=line)
    for line in [
        "SECRETARY RICE MET WITH THE FOREIGN MINISTER",
        "CONFIDENTIAL SOURCES SAID THE MINISTER",
        "SECRET SERVICE AGENTS ARRIVED",
        "UNCLASSIFIED MATERIAL WAS SENT",
        "S E C R E T is the word",
        "SECRETARY RICE MET FM 2009",
        "PAGE 02 STATE 296107 The minister said",
        "BERN 00000881  002 OF 002 The minister said",
        "NOT A BANNER",
        "",
        "SECRET POLICE ARRESTED 200 PROTESTERS",
        "CONFIDENTIAL SOURCES SAID 300 PEOPLE DIED",
        "Secret talks in Geneva 2009 were productive",
        "UNCLASSIFIED VERSION 2009 OF THE REPORT",
    ]
]


@pytest.mark.parametrize("line", NOT_BANNERS)
def test_not_a_banner(line: str) -> None:
    assert parse_banner_line(line) is None
