"""Dates near the year 9999 are invalid dates for review, never a traceback or a 500.

Declassification arithmetic adds up to 75 years to a date, and ``datetime``
stops at 9999: a DECL year, a date-time group or an origin near the end of
the calendar once overflowed. Any such date is now reported invalid, its
instruction needs review, and the classified text stays withheld.
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from declass.rules.dates import (
    LATEST_YEAR,
    DateOutOfRange,
    add_years,
    end_of_year,
    parse_date,
    parse_dtg,
)
from declass.rules.declassify import evaluate, parse_declassification
from declass.rules.policy import load_policy
from declass.service.pipeline import analyze, run

POLICIES = [load_policy("public"), load_policy("partner-gbr-secret")]
SECRET_WORDS = "the Velmorian gas pipeline deal closes in March"
MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

YEARS = st.integers(min_value=9975, max_value=9999)
MONTHS = st.integers(min_value=0, max_value=13)
DAYS = st.integers(min_value=0, max_value=32)
AS_OF = st.sampled_from([dt.date(2010, 1, 1), dt.date(2040, 6, 30), dt.date(9999, 12, 31)])


@st.composite
def instructions(draw: st.DrawFn) -> str:
    """A DECL value naming a year near 9999, in one of the shapes cables use."""
    year, month, day = draw(YEARS), draw(MONTHS), draw(DAYS)
    slash = f"{month:02d}/{day:02d}/{year}"
    iso = f"{year}-{month:02d}-{day:02d}"
    spelled = f"{MONTH_NAMES[(month - 1) % 12]} {day}, {year}"
    return draw(
        st.sampled_from(
            [
                f"DECL: {slash}",
                f"DECL: {iso}",
                f"DECL: {year}{month:02d}{day:02d}",
                f"DECL: {spelled}",
                f"DECL: 25X1, {iso}",
                f"DECL: 50X1-HUM, {slash}",
                "DECL: 25X1+25 years",
                f"DECL: DNG: S {slash}",
                f"DECL: RDS-2 {slash}",
                f"DECL: GDS {slash}",
                f"DECL: SOURCE MARKED 25X1, DATE OF SOURCE: {slash}",
                f"DECLASSIFIED ON {slash}",
            ]
        )
    )


@st.composite
def cables(draw: st.DrawFn) -> str:
    instruction = draw(instructions())
    year = draw(st.sampled_from(["99", "06", str(draw(YEARS))]))
    month = draw(st.sampled_from(MONTH_NAMES))
    return (
        f"O 311200Z {month} {year}\nFM AMEMBASSY PARIS\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 0841\n\n"
        "C O N F I D E N T I A L PARIS 001234\n\n"
        f"E.O. 12958: {instruction}\nTAGS: PREL FR\n\n"
        "Classified By: Ambassador Harold Ashcombe for reasons 1.4(b) and (d)\n\n"
        f"¶1. (C) The minister said {SECRET_WORDS}.\n"
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=cables(), as_of=AS_OF, which=st.sampled_from([0, 1]))
def test_run_and_analyze_never_raise_near_9999(text: str, as_of: dt.date, which: int) -> None:
    policy = POLICIES[which]
    output = run(text.encode(), policy, as_of).output.decode()
    report = analyze(text.encode(), policy, as_of)
    decl = report["document"]["declassification"]
    if decl["date"] is not None:  # never a date the calendar cannot carry on from
        assert int(decl["date"][:4]) <= LATEST_YEAR
    if decl["kind"] != "date":
        assert "Velmorian" not in output  # nothing but the document's own date releases it


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=cables(), as_of=AS_OF, policy=st.sampled_from(["public", "partner-gbr-secret"]))
def test_http_never_answers_500_near_9999(
    client: FlaskClient, text: str, as_of: dt.date, policy: str
) -> None:
    # Dates this far ahead are after today: only a preview (a draft) may ask for them.
    body = {"text": text, "as_of": as_of.isoformat(), "policy": policy, "preview": True}
    for path in ("/v1/analyze", "/v1/redact"):
        response = client.post(path, json=body)
        assert response.status_code == 200, (path, response.get_data(as_text=True))


@pytest.mark.parametrize(
    "value",
    ["12/31/9999", "9999-12-31", "99991231", "December 31, 9999", "12/31/9976", "01/01/0000"],
)
def test_a_year_past_the_latest_is_an_invalid_date(value: str) -> None:
    parsed = parse_date(value)
    assert parsed is not None and parsed.value is None
    assert any(problem.startswith("invalid") for problem in parsed.problems)


def test_the_latest_year_still_parses() -> None:
    parsed = parse_date(f"12/31/{LATEST_YEAR}")
    assert parsed is not None and parsed.value == dt.date(LATEST_YEAR, 12, 31)


@pytest.mark.parametrize("line", ["E.O. 12958: DECL: 12/31/9999", "E.O. 13526: DECL: 9999-12-31"])
def test_an_instruction_dated_near_9999_needs_review(line: str) -> None:
    decl = parse_declassification(line)
    assert decl.kind == "invalid"
    evaluation = evaluate(decl, dt.date(2006, 8, 25), dt.date(2010, 1, 1), "C")
    assert evaluation.status == "needs_review"


def test_a_date_time_group_near_9999_gives_no_origin() -> None:
    assert parse_dtg("O 311200Z DEC 9999") is None
    assert parse_dtg("O 311200Z DEC 9990") is None
    assert parse_dtg("O 311200Z DEC 99") == dt.date(1999, 12, 31)


@pytest.mark.parametrize(
    ("line", "years"),
    [
        ("DECL: OADR", 25),
        ("DECL: X1", 25),
        ("DECL: 25X1", 50),
        ("DECL: 50X1-HUM", 75),
        ("DECL: GDS", 8),  # a SECRET document under E.O. 11652
        ("DECL: XGDS-2", 30),
        ("", 25),
    ],
    ids=["oadr", "x1", "25x1", "50x1", "gds", "xgds", "missing"],
)
@pytest.mark.parametrize("origin_year", [9925, 9990, 9999])
def test_a_schedule_that_runs_past_the_calendar_needs_review(
    line: str, years: int, origin_year: int
) -> None:
    decl = parse_declassification(f"E.O. 12958: {line}") if line else None
    for as_of in (dt.date(2010, 1, 1), dt.date(9999, 12, 31)):
        evaluation = evaluate(decl, dt.date(origin_year, 12, 31), as_of, "S", years=25)
        if origin_year + years > 9999:
            assert evaluation.status == "needs_review"
            assert "invalid_date_out_of_range" in evaluation.warnings


def test_calendar_arithmetic_says_when_it_overflows() -> None:
    assert add_years(dt.date(2000, 2, 29), 25) == dt.date(2025, 3, 1)
    with pytest.raises(DateOutOfRange):
        add_years(dt.date(9990, 1, 1), 25)
    with pytest.raises(DateOutOfRange):
        add_years(dt.date(9996, 2, 29), 25)
    with pytest.raises(DateOutOfRange):
        end_of_year(10_000)
