"""Calendar helpers: DECL date values (docs/markings.md 4.2), two-digit years, DTGs (3.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from declass.rules.dates import add_years, end_of_year, expand_year, parse_date, parse_dtg

D = dt.date.fromisoformat

VALID = [
    # text, origin, date, problems
    ("08/25/2016", None, D("2016-08-25"), []),
    ("3/13/2018", None, D("2018-03-13"), []),
    ("8/5/2016", None, D("2016-08-05"), []),
    ("6/30/08", None, D("2008-06-30"), ["two_digit_year"]),
    ("08/25/16", D("2006-08-25"), D("2016-08-25"), ["two_digit_year"]),
    ("8/12/85", None, D("1985-08-12"), ["two_digit_year"]),
    ("6/5/99", D("1979-06-05"), D("1999-06-05"), ["two_digit_year"]),
    ("2020/02/23", None, D("2020-02-23"), []),
    ("2016/8/5", None, D("2016-08-05"), []),
    ("20360825", None, D("2036-08-25"), []),
    ("2019-02-12", None, D("2019-02-12"), []),
    ("JUNE 21, 2006", None, D("2006-06-21"), []),
    ("June 21 2006", None, D("2006-06-21"), []),
    ("21 JUNE 2006", None, D("2006-06-21"), []),
    ("October 30, 2008", None, D("2008-10-30"), []),
    ("Oct. 30, 2008", None, D("2008-10-30"), []),
    ("30 Oct 2008", None, D("2008-10-30"), []),
    ("SEPT 1, 2010", None, D("2010-09-01"), []),
    ("02/29/2016", None, D("2016-02-29"), []),
    ("  08/25/2016  ", None, D("2016-08-25"), []),
]


@pytest.mark.parametrize(
    ("text", "origin", "date", "problems"), VALID, ids=[row[0].strip() for row in VALID]
)
def test_parse_date(text: str, origin: dt.date | None, date: dt.date, problems: list[str]) -> None:
    parsed = parse_date(text, origin)
    assert parsed is not None
    assert parsed.value == date
    assert list(parsed.problems) == problems


INVALID = [
    # date-shaped but not a calendar date: value None, with the reason
    ("13/45/2016", ["invalid_month", "invalid_day"]),
    ("02/30/2015", ["invalid_calendar_date"]),
    ("02/29/2015", ["invalid_calendar_date"]),
    ("2015/02/29", ["invalid_calendar_date"]),
    ("20150229", ["invalid_calendar_date"]),
    ("04/31/2012", ["invalid_calendar_date"]),
    ("25/08/2016", ["invalid_month_not_european_order"]),
    ("00/10/2012", ["invalid_month"]),
    ("2016-13-01", ["invalid_month"]),
    ("12/00/2016", ["invalid_day"]),
    ("12/32/2016", ["invalid_day"]),
]


@pytest.mark.parametrize(("text", "problems"), INVALID, ids=[row[0] for row in INVALID])
def test_invalid_date_is_rejected_with_a_reason(text: str, problems: list[str]) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.value is None
    assert set(problems) <= set(parsed.problems)


def test_slash_dates_are_never_read_day_first() -> None:
    """``05/08/2016`` is 8 May, never 5 August (State writes month first)."""
    parsed = parse_date("05/08/2016")
    assert parsed is not None and parsed.value == D("2016-05-08")


NOT_DATES = ["", "soon", "OADR", "X1", "FOO 21, 2006", "21 JUNK 2006", "08/25/216", "2016"]


@pytest.mark.parametrize("text", NOT_DATES, ids=[t or "empty" for t in NOT_DATES])
def test_not_date_shaped(text: str) -> None:
    assert parse_date(text) is None


EXPANSIONS = [
    # two digits, origin, year: inside [origin, origin + 75] where possible
    (16, D("2006-08-25"), 2016),
    (85, D("1979-06-01"), 1985),
    (99, D("1979-06-05"), 1999),
    (5, D("1999-01-01"), 2005),
    (45, D("1970-01-01"), 2045),
    (84, D("2009-01-01"), 2084),
    (10, D("2010-05-01"), 2010),
    # no origin: 00-65 -> 20xx, 66-99 -> 19xx
    (0, None, 2000),
    (8, None, 2008),
    (65, None, 2065),
    (66, None, 1966),
    (99, None, 1999),
]


@pytest.mark.parametrize(
    ("two", "origin", "year"), EXPANSIONS, ids=[f"{r[0]:02d} origin={r[1]}" for r in EXPANSIONS]
)
def test_expand_year(two: int, origin: dt.date | None, year: int) -> None:
    assert expand_year(two, origin) == year


@given(two=st.integers(0, 99), origin=st.dates(dt.date(1940, 1, 1), dt.date(2100, 12, 31)))
def test_expanded_year_is_in_the_window_when_one_fits(two: int, origin: dt.date) -> None:
    fits = [
        year
        for year in (origin.year // 100 * 100 + two, origin.year // 100 * 100 + 100 + two)
        if origin.year <= year <= origin.year + 75
    ]
    year = expand_year(two, origin)
    assert year % 100 == two
    if fits:
        assert year == fits[0]


@pytest.mark.parametrize(
    ("day", "years", "result"),
    [
        (D("2006-08-25"), 25, D("2031-08-25")),
        (D("2006-08-25"), 10, D("2016-08-25")),
        (D("2004-02-29"), 25, D("2029-03-01")),
        (D("2004-02-29"), 4, D("2008-02-29")),
        (D("2012-03-01"), 75, D("2087-03-01")),
    ],
    ids=["+25", "+10", "leap day +25 rolls forward", "leap day +4", "+75"],
)
def test_add_years(day: dt.date, years: int, result: dt.date) -> None:
    assert add_years(day, years) == result


@given(day=st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)), years=st.integers(0, 100))
def test_add_years_never_shortens(day: dt.date, years: int) -> None:
    """Rolling 29 February forward keeps material classified a day longer, never shorter."""
    later = add_years(day, years)
    assert later.year - day.year == years
    assert later >= day
    assert (later.month, later.day) in ((day.month, day.day), (3, 1))


def test_end_of_year() -> None:
    assert end_of_year(2031) == D("2031-12-31")


DTGS = [
    ("251716Z AUG 06", D("2006-08-25")),
    ("0 251716Z AUG 06", D("2006-08-25")),
    ("O 251716Z AUG 06", D("2006-08-25")),
    ("291359Z Nov 00", D("2000-11-29")),
    ("R 171512Z JAN 90", D("1990-01-17")),
    ("O 051020Z JUN 66", D("1966-06-05")),
    ("P 010000Z JAN 65", D("2065-01-01")),
    ("O R 051020Z JUN 79", D("1979-06-05")),
    ("131503Z MAR 08", D("2008-03-13")),
    ("290000Z FEB 08", D("2008-02-29")),
    ("R 171512Z JAN 90 FM AMEMBASSY", D("1990-01-17")),
    ("251716Z AUG 2006", D("2006-08-25")),
]


@pytest.mark.parametrize(("text", "date"), DTGS, ids=[row[0] for row in DTGS])
def test_parse_dtg(text: str, date: dt.date) -> None:
    assert parse_dtg(text) == date


@pytest.mark.parametrize(
    "text", ["311200Z FEB 08", "290000Z FEB 07", "251716Z XYZ 06", "no dtg here", ""]
)
def test_not_a_dtg(text: str) -> None:
    assert parse_dtg(text) is None
