"""Declassification instructions: parsing (docs/markings.md 4.1, 4.2) and evaluation (4.3).

The shared cases say ``needs_manual_review`` where this code says
``needs_review``. ``Evaluation.level`` is only set when the level changes (a
downgrade); ``None`` means the document's own level stands.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from declass.rules.declassify import evaluate, parse_declassification
from declass.rules.model import Declassification, Level
from tests.conftest import CASES, case_id, case_params, marking_cases

D = dt.date.fromisoformat
DAY = dt.timedelta(days=1)
STATUS = {"needs_manual_review": "needs_review"}


def status_of(expected: str) -> str:
    return STATUS.get(expected, expected)


def assumed(exp: dict[str, Any]) -> tuple[dt.date | None, Level | None]:
    assume = exp.get("assume", {})
    origin = assume.get("origin")
    return (D(origin) if origin else None), assume.get("level")


def parse_case(text: str, exp: dict[str, Any]) -> Declassification:
    origin, _ = assumed(exp)
    return parse_declassification(text, origin)


def evaluation_params() -> list[Any]:
    params = []
    for case in marking_cases("declass"):
        for ev in case["expected"].get("evaluations", []):
            params.append(
                pytest.param(
                    case["input"],
                    case["expected"],
                    ev,
                    id=f"{case_id(case['input'])} @{ev['as_of']}",
                )
            )
    return params


#: Date-like expectation keys and the date a computed-date check expects the
#: status to change on.
COMPUTED_DATES = (
    "computed_25_year_date",
    "computed_50_year_date",
    "computed_75_year_date",
    "thirty_year_date",
    "declassification_date",
)


# ---------------------------------------------------------------------------
# The shared cases


def test_declass_cases_are_present() -> None:
    if not CASES.is_file():
        pytest.skip("marking_cases.jsonl not found")
    assert marking_cases("declass")


#: Keys read by the tests below, and keys that describe the case only.
CHECKED_KEYS = frozenset(
    {
        "form", "eo", "date", "declassified_on", "declassified_by", "review_date",
        "downgrade_date", "source_date", "downgrade_to", "event", "applies_to", "codes",
        "warnings", "assume", "evaluations", "classifier", "office", "downgrade_to_c",
        *COMPUTED_DATES,
    }
)  # fmt: skip
DESCRIPTIVE_KEYS = frozenset(
    {
        "date_format",  # the parse itself proves the format is read
        "section",  # E.O. 12958 section of an X code; not modelled
        "topic",  # exemption topic text; not modelled
        "replacement",  # 25X1-human -> 50X1-HUM: covered by computed_75_year_date
        "declassification_instruction",  # a downgrade carries none
        "automatic_declassification_date",  # 4.4 end-of-year rule; 4.5 reviews at 25 years
    }
)


def test_every_declass_key_is_understood() -> None:
    cases = marking_cases("declass")
    if not cases:
        pytest.skip("marking_cases.jsonl not found")
    keys = {key for case in cases for key in case["expected"]}
    assert keys <= CHECKED_KEYS | DESCRIPTIVE_KEYS


@pytest.mark.parametrize(("text", "exp"), case_params("declass"))
def test_declass_case_parse(text: str, exp: dict[str, Any]) -> None:
    decl = parse_case(text, exp)
    assert decl.kind == exp["form"]
    if "date" in exp:
        assert decl.date == (D(exp["date"]) if exp["date"] else None)
    if "declassified_on" in exp:
        assert decl.date == D(exp["declassified_on"])
    if "declassified_by" in exp:
        assert decl.event == exp["declassified_by"]
    for key in ("review_date", "downgrade_date"):
        if key in exp:
            assert decl.review_date == D(exp[key])
    if "source_date" in exp:
        assert decl.source_date == D(exp["source_date"])
    if "downgrade_to" in exp:
        assert decl.downgrade_to == exp["downgrade_to"]
    if "event" in exp:
        assert decl.event == exp["event"]
    if "applies_to" in exp:
        assert decl.event is not None and exp["applies_to"] in decl.event


@pytest.mark.parametrize(("text", "exp"), case_params("declass"))
def test_declass_case_warnings(text: str, exp: dict[str, Any]) -> None:
    """Expected warnings come from the parse or from evaluating on the case's dates."""
    origin, level = assumed(exp)
    decl = parse_declassification(text, origin)
    found = set(decl.problems)
    for ev in exp.get("evaluations", []):
        found |= set(evaluate(decl, origin, D(ev["as_of"]), level).warnings)
    assert set(exp.get("warnings", [])) <= found


@pytest.mark.parametrize(
    ("text", "exp"),
    case_params("declass", needs="eo"),
)
def test_declass_case_order(text: str, exp: dict[str, Any]) -> None:
    assert parse_case(text, exp).authority == f"E.O. {exp['eo']}"


@pytest.mark.parametrize(
    ("text", "exp"),
    case_params("declass"),
)
def test_declass_case_exemptions(text: str, exp: dict[str, Any]) -> None:
    assert parse_case(text, exp).exemptions == exp.get("codes", [])


@pytest.mark.parametrize(("text", "exp", "ev"), evaluation_params())
def test_declass_case_evaluation(text: str, exp: dict[str, Any], ev: dict[str, Any]) -> None:
    origin, level = assumed(exp)
    result = evaluate(parse_declassification(text, origin), origin, D(ev["as_of"]), level)
    assert result.status == status_of(ev["status"])
    if "level" in ev:
        assert (result.level or level) == ev["level"]


def computed_date_params() -> list[Any]:
    params = []
    for case in marking_cases("declass"):
        for key in COMPUTED_DATES:
            if key in case["expected"]:
                text = case["input"]
                params.append(
                    pytest.param(text, case["expected"], key, id=f"{case_id(text)} {key}")
                )
    return params


@pytest.mark.parametrize(("text", "exp", "key"), computed_date_params())
def test_declass_case_computed_date(text: str, exp: dict[str, Any], key: str) -> None:
    """The status changes on the computed date itself, not a day earlier or later."""
    origin, level = assumed(exp)
    day = D(exp[key])
    decl = parse_declassification(text, origin)
    before = evaluate(decl, origin, day - DAY, level)
    on = evaluate(decl, origin, day, level)
    assert before.status == "classified"
    assert before.until == day
    assert on.status in ("declassified", "needs_review")
    assert on.since == day


E_O_12065 = [
    pytest.param("E.O. 12065: GDS 8/12/85 (TOMSETH, VICTOR L.) OR-P", id="GDS 8/12/85"),
    pytest.param(
        "E.O. 12065: RDS-4 6/5/99 (GERLACH, FREDERICK H.) OR-M",
        id="RDS-4 6/5/99",
    ),
]


@pytest.mark.parametrize("text", E_O_12065)
def test_e_o_12065_keeps_classifier_and_office(text: str) -> None:
    case = next((c for c in marking_cases("declass") if c["input"] == text), None)
    if case is None:
        pytest.skip("marking_cases.jsonl not found")
    decl = parse_declassification(text)
    kept = decl.event or ""  # the model has no classifier field; GDS keeps them here
    assert case["expected"]["classifier"] in kept
    assert case["expected"]["office"] in kept


# ---------------------------------------------------------------------------
# Parsing: our own cases

PARSE = [
    # text, origin, kind, date, exemptions, problems
    ("E.O. 12958: DECL: 02/29/2016", None, "date", D("2016-02-29"), [], []),
    ("DECL: 02/29/2015", None, "invalid", None, [], ["invalid_calendar_date"]),
    ("DECL: 00/10/2012", None, "invalid", None, [], ["invalid_month"]),
    ("E.O. 12958: DECL: X1", None, "x_exemption", None, ["X1"], []),
    ("E.O. 12958: DECL: X8", None, "x_exemption", None, ["X8"], []),
    ("DECL: 25X9", None, "25x", None, ["25X9"], ["25x_without_date"]),
    ("DECL: 25X1-human", None, "50x", None, ["25X1-human"], ["25X1_human_retired_2012"]),
    ("Declassify On: 75X1, 20991231", None, "75x", D("2099-12-31"), ["75X1"], []),
    ("E.O. 11652: XGDS-4", None, "xgds", None, ["XGDS-4"], []),
    ("E.O. 11652: NGDS", None, "unknown", None, ["NGDS"], ["undefined_legacy_code"]),
    ("E.O. 11652: ADS", None, "unknown", None, ["ADS"], ["undefined_legacy_code"]),
    ("E.O. 12065: XDS-3 12/31/99 (DOE, JOHN) NEA", None, "rds", None, ["XDS-3"], []),
    ("EO 12958 XXXXXXXXXXXXX", None, "redacted", None, [], []),
    ("E.O. 12958: DECL: XXXXXXXXXXXX", None, "redacted", None, [], []),
    ("E.O. 12958: DECL: CLOSURE OF ICTY", None, "event", None, [], []),
    ("E.O. 13526: DECL: 2036/05/12", None, "date", D("2036-05-12"), [], []),
    ("Declassify on: June 21, 2036", None, "date", D("2036-06-21"), [], []),
    ("E.O. 12958: DECL: 08/25/2016 TAGS: PGOV PREL", None, "date", D("2016-08-25"), [], []),
    (
        "E.O. 19528: DECL: 08/25/2016",
        None,
        "date",
        D("2016-08-25"),
        [],
        ["unknown_executive_order"],
    ),
    ("E.O. 12958: DECL:", None, "invalid", None, [], ["empty_instruction"]),
]


@pytest.mark.parametrize(
    ("text", "origin", "kind", "date", "exemptions", "problems"),
    PARSE,
    ids=[case_id(row[0]) for row in PARSE],
)
def test_parse_instruction(
    text: str,
    origin: dt.date | None,
    kind: str,
    date: dt.date | None,
    exemptions: list[str],
    problems: list[str],
) -> None:
    decl = parse_declassification(text, origin)
    assert decl.kind == kind
    assert decl.date == date
    assert decl.exemptions == exemptions
    assert set(problems) <= set(decl.problems)


TWO_DIGIT_YEARS = [
    # text, origin, expanded date: window origin .. origin + 75 years
    ("DECL: 08/25/16", D("2006-08-25"), D("2016-08-25")),
    ("DECL: 6/5/99", D("1979-06-05"), D("1999-06-05")),
    ("DECL: 12/31/05", D("1998-03-01"), D("2005-12-31")),
    ("DECL: 12/31/80", D("1972-01-01"), D("1980-12-31")),
    ("DECL: 1/1/45", D("1970-01-01"), D("2045-01-01")),  # 1945 is before origin
    ("DECL: 1/1/84", D("2009-01-01"), D("2084-01-01")),  # origin + 75 is inside
    ("E.O. 12065: GDS 12/31/84 (DOE, JOHN) NEA", D("1979-06-01"), D("1984-12-31")),
    # no origin: 00-65 -> 20xx, 66-99 -> 19xx
    ("DECL: 6/30/08", None, D("2008-06-30")),
    ("DECL: 1/1/00", None, D("2000-01-01")),
    ("DECL: 12/31/65", None, D("2065-12-31")),
    ("DECL: 1/1/66", None, D("1966-01-01")),
    ("DECL: 8/12/85", None, D("1985-08-12")),
]


@pytest.mark.parametrize(
    ("text", "origin", "date"),
    TWO_DIGIT_YEARS,
    ids=[f"{row[0]} origin={row[1]}" for row in TWO_DIGIT_YEARS],
)
def test_two_digit_year_is_expanded(text: str, origin: dt.date | None, date: dt.date) -> None:
    decl = parse_declassification(text, origin)
    assert decl.kind == "date"
    assert decl.date == date
    assert "two_digit_year" in decl.problems


# ---------------------------------------------------------------------------
# Evaluation: the docs/markings.md 4.3 table

ORIGIN = D("1996-04-10")
ORIGIN_25 = D("2021-04-10")

#: (instruction or None for "missing", origin, level, as_of, status, since/until day)
EVALUATIONS: list[tuple[str | None, dt.date | None, Level | None, dt.date, str, dt.date | None]]
EVALUATIONS = [
    # a specific date: the date itself counts
    ("E.O. 12958: DECL: 08/25/2016", D("2006-08-25"), "C", D("2016-08-24"), "classified", None),
    ("E.O. 12958: DECL: 08/25/2016", D("2006-08-25"), "C", D("2016-08-25"), "declassified", None),
    ("E.O. 12958: DECL: 08/25/2016", D("2006-08-25"), "C", D("2030-01-01"), "declassified", None),
    ("E.O. 12958: DECL: 08/25/2016", None, "S", D("2016-08-25"), "declassified", None),
    # leap days
    ("DECL: 02/29/2016", D("2006-02-28"), "C", D("2016-02-28"), "classified", None),
    ("DECL: 02/29/2016", D("2006-02-28"), "C", D("2016-02-29"), "declassified", None),
    ("DECL: 02/29/2015", D("2005-02-28"), "C", D("2030-01-01"), "needs_review", None),
    ("DECL: OADR", D("2004-02-29"), "C", D("2029-02-28"), "classified", D("2029-03-01")),
    ("DECL: OADR", D("2004-02-29"), "C", D("2029-03-01"), "needs_review", D("2029-03-01")),
    # invalid dates, events, unknown codes, redactions: always review
    ("DECL: 13/45/2016", D("2006-01-01"), "C", D("2006-01-02"), "needs_review", None),
    ("DECL: 02/30/2015", D("2005-01-01"), "C", D("2030-01-01"), "needs_review", None),
    ("DECL: 25/08/2016", D("2006-08-25"), "C", D("2030-01-01"), "needs_review", None),
    (
        "E.O. 12958: DECL: CLOSURE OF ICTY",
        D("2006-01-01"),
        "S",
        D("2007-01-01"),
        "needs_review",
        None,
    ),
    ("E.o. 12958: decl: after korea", D("2006-01-01"), "S", D("2050-01-01"), "needs_review", None),
    ("E.O. 11652: NGDS", D("1974-01-01"), "C", D("1975-01-01"), "needs_review", None),
    ("E.O. 11652: ADS", D("1974-01-01"), "C", D("2030-01-01"), "needs_review", None),
    ("EO 12958 XXXXXXXXXXXXX", D("2006-01-01"), "C", D("2007-01-01"), "needs_review", None),
    ("E.O. 12958: DECL: XXXXXXXXXXXX", D("2006-01-01"), "C", D("2040-01-01"), "needs_review", None),
    # N/A: nothing classified, unless the level says otherwise
    ("E.O. 12958: N/A", D("2006-01-01"), "U", D("2007-01-01"), "not_classified", None),
    ("E.O. 12958: N/A", D("2006-01-01"), "C", D("2007-01-01"), "needs_review", None),
    ("E.O. 11652: N/A", D("1974-01-01"), "S", D("2030-01-01"), "needs_review", None),
    ("E.O. 12958: N/A", None, "TS", D("2030-01-01"), "needs_review", None),
    # no instruction at all
    (None, ORIGIN, "U", D("2030-01-01"), "not_classified", None),
    (None, ORIGIN, "C", ORIGIN_25 - DAY, "classified", ORIGIN_25),
    (None, ORIGIN, "C", ORIGIN_25, "needs_review", ORIGIN_25),
    (None, None, "S", D("2000-01-01"), "needs_review", None),
    # 25X with a date or an event
    ("Declassify On: 25X6, 20401231", D("1990-06-01"), "S", D("2040-12-30"), "classified", None),
    ("Declassify On: 25X6, 20401231", D("1990-06-01"), "S", D("2040-12-31"), "needs_review", None),
    (
        "Declassify On: 25X1, CLOSURE OF ICTY",
        D("2006-01-01"),
        "S",
        D("2007-01-01"),
        "needs_review",
        None,
    ),
    # 25X without a date: 50 years; 25X1-human, 50X: 75 years
    ("DECL: 25X3", D("2009-05-05"), "S", D("2059-05-04"), "classified", D("2059-05-05")),
    ("DECL: 25X3", D("2009-05-05"), "S", D("2059-05-05"), "needs_review", D("2059-05-05")),
    ("DECL: 25X1-human", D("2008-10-30"), "S", D("2083-10-29"), "classified", D("2083-10-30")),
    ("DECL: 25X1-human", D("2008-10-30"), "S", D("2083-10-30"), "needs_review", D("2083-10-30")),
    ("Declassify On: 50X1-HUM", D("2012-03-01"), "TS", D("2087-02-28"), "classified", None),
    ("Declassify On: 50X1-HUM", D("2012-03-01"), "TS", D("2087-03-01"), "needs_review", None),
    ("Declassify On: 50X2-WMD", D("2013-01-15"), "TS", D("2088-01-14"), "classified", None),
    ("Declassify On: 50X2-WMD", D("2013-01-15"), "TS", D("2088-01-15"), "needs_review", None),
    ("Declassify On: 50X2-WMD", None, "TS", D("2000-01-01"), "needs_review", None),
    ("Declassify On: 75X1, 20991231", D("2020-01-01"), "TS", D("2099-12-30"), "classified", None),
    ("Declassify On: 75X1, 20991231", D("2020-01-01"), "TS", D("2099-12-31"), "needs_review", None),
    # E.O. 11652 XGDS: end of the 30th calendar year, then review
    ("E.O. 11652: XGDS-3", D("1974-05-10"), "S", D("2004-12-30"), "classified", D("2004-12-31")),
    ("E.O. 11652: XGDS-3", D("1974-05-10"), "S", D("2004-12-31"), "needs_review", D("2004-12-31")),
    ("E.O. 11652: XGDS-1", None, "S", D("1980-01-01"), "needs_review", None),
    # E.O. 12065: GDS date is a date; RDS/XDS dates are review dates
    (
        "E.O. 12065: GDS 8/12/85 (TOMSETH, VICTOR L.) OR-P",
        None,
        "C",
        D("1985-08-12"),
        "declassified",
        None,
    ),
    (
        "E.O. 12065: RDS-2 6/5/99 (DOE, JOHN) NEA",
        D("1979-06-05"),
        "S",
        D("1999-06-04"),
        "classified",
        D("1999-06-05"),
    ),
    (
        "E.O. 12065: RDS-2 6/5/99 (DOE, JOHN) NEA",
        D("1979-06-05"),
        "S",
        D("1999-06-05"),
        "needs_review",
        D("1999-06-05"),
    ),
    (
        "E.O. 12065: XDS-3 12/31/99 (DOE, JOHN) NEA",
        D("1979-06-05"),
        "S",
        D("2000-01-01"),
        "needs_review",
        None,
    ),
    # release annotations
    (
        "E.O. 12958: AS AMENDED; DECLASSIFIED JUNE 21, 2006",
        None,
        "S",
        D("2006-06-20"),
        "classified",
        None,
    ),
    (
        "E.O. 12958: AS AMENDED; DECLASSIFIED JUNE 21, 2006",
        None,
        "S",
        D("2006-06-21"),
        "declassified",
        None,
    ),
    (
        "E.O. 12958: DECL: DECLASSIFIED BY NARA 09/02/2009",
        D("1966-01-01"),
        "C",
        D("2009-09-02"),
        "declassified",
        None,
    ),
    # commingled NATO / AEA instructions
    (
        "Declassify On: N/A to NATO portions. See source list for NSI portions.",
        D("2012-01-01"),
        "S",
        D("2013-01-01"),
        "needs_review",
        None,
    ),
    (
        "Declassify On: N/A to RD portions. See source list for NSI portions.",
        D("2012-01-01"),
        "S",
        D("2080-01-01"),
        "needs_review",
        None,
    ),
]


def _eval_id(row: tuple[Any, ...]) -> str:
    text, origin, level, as_of, status, _ = row
    return f"{case_id(text or '(missing)')} origin={origin} {level} @{as_of} -> {status}"


@pytest.mark.parametrize(
    ("text", "origin", "level", "as_of", "status", "boundary"),
    EVALUATIONS,
    ids=[_eval_id(row) for row in EVALUATIONS],
)
def test_evaluation(
    text: str | None,
    origin: dt.date | None,
    level: Level | None,
    as_of: dt.date,
    status: str,
    boundary: dt.date | None,
) -> None:
    decl = parse_declassification(text, origin) if text is not None else None
    result = evaluate(decl, origin, as_of, level)
    assert result.status == status, result.reason
    if boundary is not None:
        assert (result.until if status == "classified" else result.since) == boundary


OADR_LIKE = [
    "E.O. 12356: DECL: OADR",
    "E.O. 12958: DECL: MR",
    *[f"E.O. 12958: DECL: X{n}" for n in range(1, 9)],
    "E.O. 12958: DECL: 1.6 X6",
    "DECL: 1.6X1",
    "E.O. 12958: DECL: X1, X5",
    "Declassify on: Source marked OADR, Date of source: 19940315",
    "Declassify on: Source marked X1, Date of source: 19970301",
]


@pytest.mark.parametrize("text", OADR_LIKE)
@pytest.mark.parametrize("level", ["C", "S", "TS"])
def test_oadr_like_runs_25_years_then_review(text: str, level: Level) -> None:
    source = "Date of source: " in text
    origin = None if source else ORIGIN
    base = D(text[-8:]) if source else ORIGIN
    day = base.replace(year=base.year + 25)
    decl = parse_declassification(text, origin)
    before = evaluate(decl, origin, day - DAY, level)
    on = evaluate(decl, origin, day, level)
    assert (before.status, before.until) == ("classified", day)
    assert (on.status, on.since) == ("needs_review", day)
    assert evaluate(decl, origin, D("2200-01-01"), level).status == "needs_review"


@pytest.mark.parametrize("text", [t for t in OADR_LIKE if "Date of source" not in t])
def test_oadr_like_without_origin_needs_review(text: str) -> None:
    decl = parse_declassification(text, None)
    for as_of in (D("1990-01-01"), D("2030-01-01")):
        assert evaluate(decl, None, as_of, "C").status == "needs_review"


GDS = [
    # level, origin, declassified at the end of the 6th / 8th / 10th full calendar year
    ("C", D("1974-05-10"), D("1980-12-31")),
    ("R", D("1974-05-10"), D("1980-12-31")),
    ("S", D("1973-11-21"), D("1981-12-31")),
    ("TS", D("1974-05-10"), D("1984-12-31")),
]


@pytest.mark.parametrize(("level", "origin", "day"), GDS, ids=[row[0] for row in GDS])
def test_gds_schedule_by_level(level: Level, origin: dt.date, day: dt.date) -> None:
    decl = parse_declassification("E.O. 11652: GDS", origin)
    before = evaluate(decl, origin, day - DAY, level)
    on = evaluate(decl, origin, day, level)
    assert (before.status, before.until) == ("classified", day)
    assert (on.status, on.since) == ("declassified", day)
    assert "verify_no_extension" in before.warnings
    assert "verify_no_extension" in on.warnings


@pytest.mark.parametrize(
    ("origin", "level"),
    [(None, "S"), (D("1974-05-10"), None), (D("1974-05-10"), "U")],
    ids=["no origin", "no level", "unclassified"],
)
def test_gds_without_origin_or_level_needs_review(
    origin: dt.date | None, level: Level | None
) -> None:
    decl = parse_declassification("E.O. 11652: GDS", origin)
    assert evaluate(decl, origin, D("2030-01-01"), level).status == "needs_review"


@pytest.mark.parametrize(
    ("as_of", "level"),
    [
        pytest.param(D("1975-06-01"), "S", id="before the downgrade: S"),
        pytest.param(
            D("1976-06-01"),
            "C",
            id="after the 2nd full year: C",
        ),
    ],
)
def test_gds_downgrade_schedule(as_of: dt.date, level: Level) -> None:
    origin = D("1973-11-21")
    result = evaluate(parse_declassification("E.O. 11652: GDS", origin), origin, as_of, "S")
    assert result.status == "classified"
    assert (result.level or "S") == level


@pytest.mark.parametrize(
    ("as_of", "status", "level"),
    [
        (D("2021-01-25"), "classified", "S"),
        (D("2021-01-26"), "classified", "C"),
        (D("2031-01-29"), "classified", "C"),
        (D("2031-01-30"), "needs_review", None),
    ],
    ids=["before downgrade", "on downgrade", "before 25 years", "25 years"],
)
def test_downgrade(as_of: dt.date, status: str, level: Level | None) -> None:
    origin = D("2006-01-30")
    decl = parse_declassification("E.O. 12958: DNG: CO 01/26/2021", origin)
    result = evaluate(decl, origin, as_of, "S")
    assert result.status == status
    if level is not None:
        assert (result.level or "S") == level


def test_date_beyond_25_years_warns() -> None:
    origin = D("2006-01-01")
    decl = parse_declassification("E.O. 12958: DECL: 12/31/2040", origin)
    before = evaluate(decl, origin, D("2040-12-30"), "S")
    after = evaluate(decl, origin, D("2040-12-31"), "S")
    assert before.status == "classified"
    assert after.status == "declassified"
    assert "exceeds_25_year_limit" in before.warnings
    assert "exceeds_25_year_limit" in after.warnings


def test_25x1_eo_12951_is_classified_before_its_computed_date() -> None:
    origin = D("2012-01-01")
    decl = parse_declassification("Declassify On: 25X1, EO 12951", origin)
    assert evaluate(decl, origin, D("2020-01-01"), "S").status == "classified"


# ---------------------------------------------------------------------------
# Properties (hypothesis)

DAYS = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2150, 12, 31))
ORIGINS = st.none() | DAYS
LEVELS: st.SearchStrategy[Level] = st.sampled_from(["C", "S", "TS"])
MONTHS = (
    "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE",
    "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER",
)  # fmt: skip


def _written(day: dt.date, form: int) -> str:
    forms = [
        f"{day.month:02d}/{day.day:02d}/{day.year}",
        f"{day.month}/{day.day}/{day.year}",
        f"{day.year}/{day.month:02d}/{day.day:02d}",
        f"{day.year}{day.month:02d}{day.day:02d}",
        day.isoformat(),
        f"{MONTHS[day.month - 1]} {day.day}, {day.year}",
    ]
    return forms[form]


@given(day=DAYS, as_of=DAYS, origin=ORIGINS, level=LEVELS, form=st.integers(0, 5))
def test_a_date_declassifies_exactly_from_that_date(
    day: dt.date, as_of: dt.date, origin: dt.date | None, level: Level, form: int
) -> None:
    decl = parse_declassification(f"E.O. 12958: DECL: {_written(day, form)}", origin)
    assert (decl.kind, decl.date) == ("date", day)
    status = evaluate(decl, origin, as_of, level).status
    assert status == ("declassified" if as_of >= day else "classified")


NEVER_RELEASED: list[str | None] = [*OADR_LIKE, None, "DECL: 25X1", "Declassify On: 50X1-HUM"]


@given(text=st.sampled_from(NEVER_RELEASED), origin=ORIGINS, as_of=DAYS, level=LEVELS)
def test_oadr_like_is_never_declassified(
    text: str | None, origin: dt.date | None, as_of: dt.date, level: Level
) -> None:
    decl = parse_declassification(text, origin) if text is not None else None
    assert evaluate(decl, origin, as_of, level).status != "declassified"


ANY_INSTRUCTION: list[str | None] = [
    *NEVER_RELEASED,
    "E.O. 12958: DECL: 08/25/2016",
    "DECL: 08/25/16",
    "DECL: 02/29/2016",
    "DECL: 13/45/2016",
    "E.O. 12958: DECL: TEN YEARS AFTER KOREAN UNIFICATION",
    "E.O. 12958: DNG: CO 01/26/2021",
    "E.O. 11652: GDS",
    "E.O. 11652: XGDS-2",
    "E.O. 11652: NGDS",
    "E.O. 12065: RDS-4 6/5/99 (GERLACH, FREDERICK H.) OR-M",
    "E.O. 12065: GDS 8/12/85 (TOMSETH, VICTOR L.) OR-P",
    "Declassify On: 25X6, 20401231",
    "E.O. 12958: AS AMENDED; DECLASSIFIED JUNE 21, 2006",
    "E.O. 12958: N/A",
    "EO 12958 XXXXXXXXXXXXX",
    "Declassify On: N/A to NATO portions. See source list for NSI portions.",
    "Declassify on: Source marked 25X1-human, Date of source: October 30, 2008",
]


@given(
    text=st.sampled_from(ANY_INSTRUCTION),
    origin=ORIGINS,
    level=st.sampled_from(["U", "C", "S", "TS"]),
    first=DAYS,
    second=DAYS,
)
def test_evaluation_is_monotone_in_time(
    text: str | None, origin: dt.date | None, level: Level, first: dt.date, second: dt.date
) -> None:
    early, late = sorted((first, second))
    decl = parse_declassification(text, origin) if text is not None else None
    before = evaluate(decl, origin, early, level).status
    after = evaluate(decl, origin, late, level).status
    if before == "declassified":
        assert after == "declassified"
    if before == "needs_review":
        assert after != "classified"
    assert (before == "not_classified") == (after == "not_classified")
