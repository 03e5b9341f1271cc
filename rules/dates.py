"""Calendar helpers for declassification arithmetic.

State writes slash dates month first; a day/month order is never guessed
(``25/08/2016`` is invalid, not European). Two-digit years are expanded to
the century that places the date within 75 years after the document's
origin (docs/markings.md 3.1, 4.2).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS: dict[str, int] = {
    name: i
    for i, names in enumerate(
        [
            ("JAN", "JANUARY"),
            ("FEB", "FEBRUARY"),
            ("MAR", "MARCH"),
            ("APR", "APRIL"),
            ("MAY",),
            ("JUN", "JUNE"),
            ("JUL", "JULY"),
            ("AUG", "AUGUST"),
            ("SEP", "SEPT", "SEPTEMBER"),
            ("OCT", "OCTOBER"),
            ("NOV", "NOVEMBER"),
            ("DEC", "DECEMBER"),
        ],
        start=1,
    )
    for name in names
}

_MDY = re.compile(r"^(\d{1,3})/(\d{1,2})/(\d{2}|\d{4})$")
_YMD_SLASH = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SPELLED_MDY = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$")
_SPELLED_DMY = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$")

#: A date-like value anywhere at the start of a string, for instructions.
DATE_TOKEN = re.compile(
    r"\d{1,3}/\d{1,2}/\d{2,4}|\d{4}[/-]\d{1,2}[/-]\d{1,2}|\d{8}"
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}"
)


#: The last year a document date may name. Declassification arithmetic adds up to 75
#: years to a date, and the calendar ends in 9999: a later year is no real date, and
#: it is reported invalid (so the instruction goes to review) rather than overflowing.
LATEST_YEAR = 9999 - 100


class DateOutOfRange(ValueError):
    """Date arithmetic left the calendar (past the year 9999)."""


@dataclass(frozen=True)
class ParsedDate:
    """A parsed date value, or the reasons it is not a calendar date."""

    value: dt.date | None
    problems: tuple[str, ...] = ()


def parse_date(text: str, origin: dt.date | None = None) -> ParsedDate | None:
    """Parse a DECL date value; ``None`` when the text is not date-shaped."""
    text = text.strip()
    mdy = _MDY.match(text)
    if mdy:
        month, day, year_text = int(mdy.group(1)), int(mdy.group(2)), mdy.group(3)
        problems: list[str] = []
        year = int(year_text)
        if len(year_text) == 2:
            year = expand_year(year, origin)
            problems.append("two_digit_year")
        return _make(year, month, day, problems)
    for pattern in (_YMD_SLASH, _COMPACT):
        ymd = pattern.match(text)
        if ymd:
            return _make(int(ymd.group(1)), int(ymd.group(2)), int(ymd.group(3)), [])
    spelled = _SPELLED_MDY.match(text)
    if spelled and spelled.group(1).upper() in MONTHS:
        month = MONTHS[spelled.group(1).upper()]
        return _make(int(spelled.group(3)), month, int(spelled.group(2)), [])
    spelled = _SPELLED_DMY.match(text)
    if spelled and spelled.group(2).upper() in MONTHS:
        month = MONTHS[spelled.group(2).upper()]
        return _make(int(spelled.group(3)), month, int(spelled.group(1)), [])
    return None


def _make(year: int, month: int, day: int, problems: list[str]) -> ParsedDate:
    if not 1 <= month <= 12:
        problems.append("invalid_month")
        if 1 <= day <= 12:
            problems.append("invalid_month_not_european_order")
    if not 1 <= day <= 31:
        problems.append("invalid_day")
    if not 1 <= year <= LATEST_YEAR:
        problems.append("invalid_year_out_of_range")
    if any(p.startswith("invalid") for p in problems):
        return ParsedDate(None, tuple(problems))
    try:
        return ParsedDate(dt.date(year, month, day), tuple(problems))
    except ValueError:
        return ParsedDate(None, (*problems, "invalid_calendar_date"))


def expand_year(two_digits: int, origin: dt.date | None) -> int:
    """Expand a two-digit year into [origin, origin + 75 years] where possible."""
    if origin is None:
        return 2000 + two_digits if two_digits <= 65 else 1900 + two_digits
    for century in (origin.year // 100 * 100, origin.year // 100 * 100 + 100):
        year = century + two_digits
        if origin.year <= year <= origin.year + 75:
            return year
    return origin.year // 100 * 100 + two_digits


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years; 29 February rolls forward to 1 March.

    Rolling forward keeps material classified one day longer, never shorter.
    Raises :class:`DateOutOfRange` past the end of the calendar.
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        pass
    try:
        return dt.date(day.year + years, 3, 1)
    except (ValueError, OverflowError) as exc:
        raise DateOutOfRange(f"{day.year} plus {years} years is past the calendar") from exc


def end_of_year(year: int) -> dt.date:
    """31 December of ``year``; raises :class:`DateOutOfRange` past the calendar."""
    try:
        return dt.date(year, 12, 31)
    except (ValueError, OverflowError) as exc:
        raise DateOutOfRange(f"year {year} is past the calendar") from exc


def is_plausible(day: dt.date | None) -> bool:
    """A date a marked document can carry: not before 1900, not after 2200.

    ``DECL: 12/31/9999`` or an origin in year 1 is damage or a probe, never a
    schedule: it is reported and read as no date, never computed with.
    """
    return day is None or PLAUSIBLE_YEARS[0] <= day.year <= PLAUSIBLE_YEARS[1]


PLAUSIBLE_YEARS = (1900, 2200)


_DTG = re.compile(r"\b(\d{2})(\d{2})(\d{2})Z\s+([A-Za-z]{3})\s+(\d{2}|\d{4})\b")


def parse_dtg(text: str) -> dt.date | None:
    """The UTC date of a date-time group such as ``251716Z AUG 06``."""
    match = _DTG.search(text)
    if not match or match.group(4).upper() not in MONTHS:
        return None
    year = int(match.group(5))
    if year < 100:
        year = expand_year(year, None) if year <= 65 else 1900 + year
    if year > LATEST_YEAR:
        return None  # no origin rather than one that overflows every schedule
    try:
        return dt.date(year, MONTHS[match.group(4).upper()], int(match.group(1)))
    except ValueError:
        return None
