"""Declassification instructions: parse the E.O. / DECL line, evaluate it as of a date.

:func:`parse_declassification` reads every form of docs/markings.md 4.1 and 4.3;
an instruction that cannot be read is reported as ``invalid``, never guessed.
:func:`evaluate` is the decision table of docs/markings.md 4.3: a pure function of
the instruction, the origin date, the level and the as-of date. The as-of date
always comes in from the caller; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from declass.rules.dates import DATE_TOKEN, DateOutOfRange, add_years, end_of_year, parse_date
from declass.rules.model import LEVEL_RANK, Declassification, Frozen, Level

Status = Literal["not_classified", "classified", "declassified", "needs_review"]

ORDERS = ("11652", "12065", "12356", "12958", "13292", "13526")

_EO = re.compile(r"^\s*¶?\s*(?:E\.?\s?O\.?|EO)\s*(\d{5})\s*[:,;.]?\s*(.*)$", re.IGNORECASE | re.S)
_DECLASSIFY_ON = re.compile(r"^\s*(?:DECLASSIFY\s+ON|DECL(?:ASSIFY)?)\s*[:.]?\s*(.*)$", re.I | re.S)
_DECL_KEY = re.compile(r"^(?:DECL[A-Z]?|DECLASSIFY\s+ON)\s*[:.]?\s*", re.IGNORECASE)
_TAGS_TAIL = re.compile(r"\s+TAGS?\b.*$", re.IGNORECASE | re.S)
_X_CODES = re.compile(r"^(?:1\.6\s*)?(X[1-8])(?:\s*[,;/ ]\s*(?:1\.6\s*)?(X[1-8]))*\.?$")
_X_ONE = re.compile(r"X[1-8]")
_25X = re.compile(r"^(25X[1-9])(?:[-\s]?(HUMAN|HUM))?\s*(?:[,;]\s*(.+))?$")
_50X = re.compile(r"^((?:50|75)X[1-9])(?:-(HUM|WMD))?\s*(?:[,;]\s*(.+))?$")
_SOURCE = re.compile(r"^SOURCE\s+MARKED\s+(.+?)(?:,\s*DATE\s+OF\s+SOURCE:?\s*(.+))?$")
_DOWNGRADE = re.compile(r"^DNG:?\s*(TS|S|C|CO|CONFIDENTIAL|SECRET)\s+(.+)$")
_RELEASED = re.compile(r"^(?:AS AMENDED;?\s*)?DECLASSIFIED(?:\s+BY\s+([A-Z]+))?\s*(?:ON\s+)?(.+)$")
_GDS_DATE = re.compile(r"^GDS\s+(\S+)\s*(.*)$")
_RDS = re.compile(r"^((?:RDS|XDS)-\d)\s+(\S+)\s*(.*)$")
_XGDS = re.compile(r"^XGDS-([1-4])$")
_REDACTED = re.compile(r"^X{6,}$")
_MISSING_SPACE = re.compile(r"(?:E\.O\.|EO)\d|[A-Z0-9]:[^\s/]", re.IGNORECASE)
_NA_COMMINGLED = re.compile(r"^N/?A\s+TO\s+(.+?)\s+PORTIONS", re.IGNORECASE)


class Evaluation(Frozen):
    """What an instruction means on the as-of date, and why."""

    status: Status
    since: dt.date | None = None
    until: dt.date | None = None
    level: Level | None = None
    reason: str
    warnings: list[str] = Field(default_factory=list)


def parse_declassification(text: str, origin: dt.date | None = None) -> Declassification:
    """Parse one instruction line; two-digit years are expanded against ``origin``."""
    raw = " ".join(text.split())
    problems: list[str] = []
    authority = None
    eo = _EO.match(raw)
    body = raw
    if eo:
        authority = f"E.O. {eo.group(1)}"
        if eo.group(1) not in ORDERS:
            problems.append("unknown_executive_order")
        body = eo.group(2)
        if not re.match(r"^\s*(?:E\.O\.|EO)\s", raw):
            problems.append("nonstandard_order_prefix")
    else:
        on = _DECLASSIFY_ON.match(raw)
        body = on.group(1) if on else raw
    if body != body.upper() and body.upper() != body.lower():
        problems.append("lower_case")
    if _MISSING_SPACE.search(raw):
        problems.append("missing_space")
    body = _TAGS_TAIL.sub("", body).rstrip(" \\.;")
    value = _DECL_KEY.sub("", body.strip()).strip()
    return _classify_value(raw, authority, value, origin, problems)


@dataclass(frozen=True)
class _Builder:
    """Builds the instruction model with the line-level facts filled in."""

    raw: str
    authority: str | None
    problems: list[str]

    def __call__(
        self, kind: str, problems: list[str] | None = None, **fields: Any
    ) -> Declassification:
        return Declassification(
            raw=self.raw,
            authority=self.authority,
            kind=kind,
            problems=list(dict.fromkeys([*self.problems, *(problems or [])])),
            **fields,
        )


def _classify_value(
    raw: str, authority: str | None, value: str, origin: dt.date | None, problems: list[str]
) -> Declassification:
    upper = value.upper()
    make = _Builder(raw, authority, problems)

    if not upper:
        return make("invalid", problems=["empty_instruction"])
    if upper in ("N/A", "NA", "N / A"):
        return make("not_applicable")
    if _NA_COMMINGLED.match(upper):
        return make("na_commingled", event=value)
    if _REDACTED.match(upper):
        return make("redacted")
    if upper in ("OADR", "MR", "MANUAL REVIEW"):
        kind = "oadr" if upper == "OADR" else "mr"
        warn = (
            "oadr_not_valid_under_12958"
            if kind == "oadr" and authority == "E.O. 12958"
            else ("mr_never_authorized_on_declassify_on_line" if kind == "mr" else None)
        )
        return make(kind, problems=[warn] if warn else [])
    if _X_CODES.match(upper.replace("1.6X", "1.6 X")):
        codes = _X_ONE.findall(upper)
        extra = ["multiple_values_on_declassify_on_line"] if len(codes) > 1 else []
        if "1.6X" in upper:
            extra.append("missing_space")
        if authority is None:  # X1-X8 exist only under E.O. 12958 section 1.6(d)
            make = _Builder(make.raw, "E.O. 12958", [*make.problems, "authority_inferred"])
        return make("x_exemption", exemptions=codes, problems=extra)
    source = _SOURCE.match(upper)
    if source:
        return _source_marked(make, source, origin)
    ex25 = _25X.match(upper)
    if ex25:
        return _exemption_25x(make, ex25, origin)
    ex50 = _50X.match(upper)
    if ex50:
        code = ex50.group(1) + (f"-{ex50.group(2)}" if ex50.group(2) else "")
        when = _date_or_none(ex50.group(3), origin)
        kind = "75x" if code.startswith("75") else "50x"
        return make(kind, exemptions=[code], date=when)
    downgrade = _DOWNGRADE.match(upper)
    if downgrade:
        parsed = parse_date(downgrade.group(2), origin)
        to: Level = "S" if downgrade.group(1) in ("S", "SECRET") else "C"
        return make("downgrade", downgrade_to=to, review_date=parsed.value if parsed else None)
    released = _RELEASED.match(upper)
    if released:
        parsed = parse_date(released.group(2), origin)
        if parsed and parsed.value:
            return make("release_annotation", date=parsed.value, event=released.group(1))
        return make("invalid", problems=["unreadable_release_date"])
    return _legacy_or_date(make, upper, value, origin)


def _legacy_or_date(
    make: _Builder, upper: str, value: str, origin: dt.date | None
) -> Declassification:
    """E.O. 11652 / 12065 codes, plain dates, and free-text events."""
    if upper == "GDS":
        return make("gds")
    xgds = _XGDS.match(upper)
    if xgds:
        return make("xgds", exemptions=[f"XGDS-{xgds.group(1)}"])
    gds = _GDS_DATE.match(upper)
    if gds:
        parsed = parse_date(gds.group(1), origin)
        if parsed and parsed.value:
            return make(
                "date",
                date=parsed.value,
                event=gds.group(2) or None,
                problems=list(parsed.problems),
            )
    rds = _RDS.match(upper)
    if rds:
        parsed = parse_date(rds.group(2), origin)
        return make(
            "rds",
            exemptions=[rds.group(1)],
            review_date=parsed.value if parsed else None,
            event=_original_case(value, rds.group(3)) or None,
        )
    if upper in ("NGDS", "ADS") or re.match(r"^(?:XDS|RDS)-\d$", upper):
        return make("unknown", exemptions=[upper], problems=["undefined_legacy_code"])
    parsed = parse_date(value, origin)
    if parsed is not None:
        if parsed.value is None:
            return make("invalid", problems=list(parsed.problems))
        return make("date", date=parsed.value, problems=list(parsed.problems))
    if DATE_TOKEN.match(value) or re.match(r"^\d", value):
        return make("invalid", problems=["unreadable_date"])
    return make("event", event=value)


def _original_case(value: str, upper_piece: str) -> str:
    """The piece of ``value`` that ``upper_piece`` (its upper-cased copy) came from."""
    at = value.upper().find(upper_piece)
    return value[at : at + len(upper_piece)] if at >= 0 and upper_piece else upper_piece


def _date_or_none(text: str | None, origin: dt.date | None) -> dt.date | None:
    if not text:
        return None
    parsed = parse_date(text, origin)
    return parsed.value if parsed else None


def _source_marked(
    make: _Builder, source: re.Match[str], origin: dt.date | None
) -> Declassification:
    code = re.sub(r"-HUM(?:AN)?$", "-human", source.group(1).strip())
    source_date = _date_or_none(source.group(2), origin)
    extra = []
    if code.replace(" ", "").upper().startswith("25X1-HUM"):
        extra.append("25X1_human_retired_2012")
    return make("source_marked", exemptions=[code], source_date=source_date, problems=extra)


def _exemption_25x(
    make: _Builder, match: re.Match[str], origin: dt.date | None
) -> Declassification:
    code = match.group(1)
    if match.group(3) and re.fullmatch(r"E\.?\s?O\.?\s*12951", match.group(3).strip()):
        return make("75x", exemptions=[f"{code}, EO 12951"])  # space imagery: 75 years
    if match.group(2):
        return make("50x", exemptions=[f"{code}-human"], problems=["25X1_human_retired_2012"])
    when = _date_or_none(match.group(3), origin)
    extra = [] if when or match.group(3) else ["25x_without_date"]
    return make(
        "25x", exemptions=[code], date=when, event=None if when else match.group(3), problems=extra
    )


# ---------------------------------------------------------------------------
# Evaluation (docs/markings.md 4.3)

_GDS_YEARS = {"C": 6, "R": 6, "S": 8, "TS": 10}
_GDS_DOWNGRADES: dict[str, tuple[tuple[int, Level], ...]] = {
    "TS": ((2, "S"), (4, "C")),
    "S": ((2, "C"),),
}


def evaluate(
    decl: Declassification | None,
    origin: dt.date | None,
    as_of: dt.date,
    level: Level | None = None,
    years: int = 25,
) -> Evaluation:
    """Say what ``decl`` means on ``as_of`` for a document of ``level``.

    A date counts on the day itself. OADR, MR, X1-X8 and a missing
    instruction run 25 years from origin and then need review; 25X without a
    date runs 50, 50X 75; events and unreadable instructions need review.
    Automatic release is only ever the document's own date. A schedule that
    runs past the end of the calendar (an origin or date near 9999) is an
    invalid date: it needs review, like any other.
    """
    try:
        return _evaluate(decl, origin, as_of, level, years)
    except DateOutOfRange:
        return Evaluation(
            status="needs_review",
            reason="a date of the instruction runs past the calendar",
            warnings=["invalid_date_out_of_range"],
        )


def _evaluate(
    decl: Declassification | None,
    origin: dt.date | None,
    as_of: dt.date,
    level: Level | None,
    years: int,
) -> Evaluation:
    classified = level is not None and LEVEL_RANK[level] > 0
    if decl is None:
        if not classified:
            return Evaluation(status="not_classified", reason="no instruction; not classified")
        return _after_years(origin, years, as_of, "no declassification instruction")
    kind = decl.kind
    if kind == "not_applicable":
        if classified:
            return Evaluation(
                status="needs_review", reason="N/A instruction on a classified document"
            )
        return Evaluation(status="not_classified", reason="instruction N/A: nothing classified")
    if kind in ("date", "release_annotation"):
        assert decl.date is not None  # both kinds always carry a date
        return _by_date(decl.date, origin, as_of, kind == "date" and not decl.exemptions)
    if kind in ("oadr", "mr", "x_exemption"):
        return _after_years(origin, years, as_of, f"{kind.upper()} instruction")
    if kind == "source_marked":
        return _source_evaluation(decl, origin, as_of)
    if kind == "25x":
        if decl.date is not None:
            return _until_then_review(decl.date, as_of, f"{decl.exemptions[0]} with a date")
        if decl.event:
            return Evaluation(status="needs_review", reason="25X with an event")
        return _after_years(origin, 50, as_of, f"{decl.exemptions[0]} without a date")
    if kind in ("50x", "75x"):
        if decl.date is not None:
            return _until_then_review(decl.date, as_of, f"{decl.exemptions[0]} with a date")
        return _after_years(origin, 75, as_of, f"{decl.exemptions[0]}")
    if kind == "downgrade":
        return _downgrade(decl, origin, as_of)
    if kind == "gds":
        return _gds(origin, as_of, level)
    if kind == "xgds":
        if origin is None:
            return Evaluation(status="needs_review", reason="XGDS with unknown origin")
        return _until_then_review(end_of_year(origin.year + 30), as_of, "XGDS: 30-year rule")
    if kind == "rds" and decl.review_date is not None:
        return _until_then_review(decl.review_date, as_of, "E.O. 12065 review date")
    return Evaluation(status="needs_review", reason=f"{kind} instruction cannot be decided")


def _by_date(day: dt.date, origin: dt.date | None, as_of: dt.date, check_limit: bool) -> Evaluation:
    warnings = []
    if check_limit and origin is not None and day > add_years(origin, 25):
        warnings.append("exceeds_25_year_limit")
    if as_of >= day:
        return Evaluation(
            status="declassified", since=day, reason=f"declassified on {day}", warnings=warnings
        )
    return Evaluation(
        status="classified", until=day, reason=f"classified until {day}", warnings=warnings
    )


def _until_then_review(day: dt.date, as_of: dt.date, why: str) -> Evaluation:
    if as_of >= day:
        return Evaluation(status="needs_review", since=day, reason=f"{why}: review since {day}")
    return Evaluation(status="classified", until=day, reason=f"{why}: classified until {day}")


def _after_years(origin: dt.date | None, years: int, as_of: dt.date, why: str) -> Evaluation:
    if origin is None:
        return Evaluation(status="needs_review", reason=f"{why}; origin date unknown")
    return _until_then_review(add_years(origin, years), as_of, f"{why} ({years} years)")


def _source_evaluation(
    decl: Declassification, origin: dt.date | None, as_of: dt.date
) -> Evaluation:
    code = decl.exemptions[0] if decl.exemptions else ""
    base = decl.source_date or origin
    if code.replace(" ", "").upper().startswith(("25X1-HUM", "50X")):
        return _after_years(base, 75, as_of, f"source marked {code}")
    if code.startswith("25X"):
        return _after_years(base, 50, as_of, f"source marked {code}")
    return _after_years(base, 25, as_of, f"source marked {code}")


def _downgrade(decl: Declassification, origin: dt.date | None, as_of: dt.date) -> Evaluation:
    after = _after_years(origin, 25, as_of, "downgrade without declassification")
    if after.status != "classified":
        return after
    lowered = decl.review_date is not None and as_of >= decl.review_date
    level = decl.downgrade_to if lowered else None
    return after.model_copy(update={"level": level})


def _gds(origin: dt.date | None, as_of: dt.date, level: Level | None) -> Evaluation:
    """E.O. 11652 General Declassification Schedule: downgrade after 2 and 4 full
    calendar years, declassify at the end of the 6th (C), 8th (S) or 10th (TS)."""
    if origin is None or level is None or level == "U":
        return Evaluation(status="needs_review", reason="GDS needs origin date and level")
    day = end_of_year(origin.year + _GDS_YEARS[level])
    result = _by_date(day, origin, as_of, False)
    current: Level = level
    for years, lower in _GDS_DOWNGRADES.get(level, ()):
        if as_of > end_of_year(origin.year + years):
            current = lower
    update: dict[str, object] = {"warnings": ["verify_no_extension"]}
    if result.status == "classified" and current != level:
        update["level"] = current
    return result.model_copy(update=update)
