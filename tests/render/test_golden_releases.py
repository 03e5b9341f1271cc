"""Golden release texts: every release decision on the golden documents, readable as a diff.

Each golden document (``tests/data/golden/*.txt``) is released as text under
each shipped policy at two dates: the day before the document's own
declassification date and that date itself (the date counts, docs/markings.md 4.3), or,
where the instruction names no date (N/A, GDS, a downgrade, OADR, X1, an
event), the origin date and ``LATE``. ``paris_2006`` is also released with
reviewer overrides and phrase redactions. The output is compared byte for
byte with ``tests/data/golden_releases/<doc>.<policy>.<as_of>[.<variant>].txt``;
``pytest --update-golden`` rewrites the files, and the diff is the review.

Every golden file was read against docs/markings.md and docs/architecture.md
before it was accepted. Where the engine's output is wrong, the golden file holds the
release a reviewer says is right (not the engine's output) and the case is
listed in ``KNOWN_RELEASE_BUGS``: ``--update-golden`` never rewrites it, and
the case is ``xfail(strict=True)`` so it turns into a failure (XPASS) as soon
as the engine is fixed and the entry can go.

``test_no_withheld_line_in_golden_release`` is a leak check independent of the
engine's leak gate: it reads the files on disk and looks for whole lines of
withheld segments. ``test_released_segments_whole_and_in_order_in_golden_release``
checks the other way: every released segment is in the file, verbatim and in order.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from dataclasses import dataclass
from pathlib import Path

import pytest

from declass.rules.parse import normalise
from declass.rules.policy import LoadedPolicy, load_policy
from declass.rules.release import Override, PhraseRedaction, Release
from declass.service.pipeline import Outcome, run

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN_DOCUMENTS = DATA / "golden"
GOLDEN_RELEASES = DATA / "golden_releases"
POLICIES = ("public", "partner-gbr-secret")

#: The as-of date for documents whose instruction names no declassification date.
LATE = dt.date(2026, 11, 28)


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


#: document -> (earlier as-of, later as-of, where the dates come from).
AS_OF: dict[str, tuple[dt.date, dt.date, str]] = {
    "abuja_2009_ymd": (_day("2019-05-11"), _day("2019-05-12"), "DECL: 2019/05/12"),
    "amman_2008_hazards": (_day("2018-02-27"), _day("2018-02-28"), "DECL: 02/28/2018"),
    "ankara_2005_damaged": (_day("2015-06-12"), _day("2015-06-13"), "DECL: 06/13/2015"),
    "brasilia_2007_collapsed": (_day("2017-05-01"), _day("2017-05-02"), "DECL: 05/02/2017"),
    "canberra_1977_lou": (_day("1977-09-09"), LATE, "E.O. 11652: N/A; origin 090412Z SEP 77"),
    "dhaka_2007_above_banner": (_day("2017-09-30"), _day("2017-10-01"), "DECL: 10/01/2017"),
    "gaborone_1979_entire_text": (_day("1985-06-13"), _day("1985-06-14"), "GDS 6/14/85"),
    "lapaz_1998_x1": (_day("1998-03-03"), LATE, "DECL: 1.6 X1; origin 031422Z MAR 98"),
    "memo_2011_capco": (_day("2036-08-24"), _day("2036-08-25"), "Declassify On: 20360825"),
    "paris_2006": (_day("2016-08-24"), _day("2016-08-25"), "DECL: 08/25/2016"),
    "paris_2008_sections": (_day("2018-03-13"), _day("2018-03-14"), "DECL: 03/14/2018"),
    "quito_2006_downgrade": (_day("2006-01-26"), LATE, "DNG: CO 01/26/2021; origin 261912Z"),
    "rome_2007_sbu": (_day("2007-10-13"), LATE, "E.O. 12958: N/A; origin 131305Z OCT 07"),
    "state_1976_gds": (_day("1976-03-13"), LATE, "E.O. 11652: GDS; origin 131702Z MAR 76"),
    "tegucigalpa_1989_oadr": (_day("1989-11-20"), LATE, "DECL: OADR; origin 201545Z NOV 89"),
    "ulaanbaatar_2009_event": (_day("2009-09-09"), LATE, "DECL: <event>; origin 091015Z SEP"),
    "vilnius_2007_noforn": (_day("2032-04-16"), _day("2032-04-17"), "DECL: 04/17/2032"),
}

#: The name in paris_2006 a reviewer redacts under (b)(6): the full name first,
#: then the surname alone, so that no first name is left beside a redaction.
PARIS_NAMES = (
    PhraseRedaction(phrase="Solange Ferrand-Quillet", exemption="(b)(6)"),
    PhraseRedaction(phrase="Ferrand-Quillet", exemption="(b)(6)"),
)


@dataclass(frozen=True)
class Case:
    """One golden release: a document, a policy, an as-of date and reviewer input."""

    document: str
    policy: str
    as_of: dt.date
    variant: str = ""
    overrides: tuple[Override, ...] = ()
    redactions: tuple[PhraseRedaction, ...] = ()

    @property
    def id(self) -> str:
        parts = [self.document, self.policy, self.as_of.isoformat()]
        return ".".join([*parts, self.variant] if self.variant else parts)

    @property
    def golden(self) -> Path:
        return GOLDEN_RELEASES / f"{self.id}.txt"

    @property
    def source(self) -> Path:
        return GOLDEN_DOCUMENTS / f"{self.document}.txt"


def _cases() -> list[Case]:
    cases = [
        Case(document, policy, as_of)
        for document, (before, after, _why) in AS_OF.items()
        for policy in POLICIES
        for as_of in (before, after)
    ]
    before, after, _why = AS_OF["paris_2006"]
    cases += [
        # Before the date a reviewer releases paragraph 3 but not its interlocutor's name.
        Case(
            "paris_2006",
            "public",
            before,
            "override-release",
            overrides=(
                Override(
                    segment="s012",
                    action="release",
                    reason="paragraph 3 reviewed with the originator: releasable",
                    reviewer="reviewer-a",
                ),
            ),
            redactions=PARIS_NAMES,
        ),
        # After the date a reviewer keeps paragraph 3 back and redacts the name elsewhere.
        Case(
            "paris_2006",
            "public",
            after,
            "override-withhold",
            overrides=(
                Override(
                    segment="s012",
                    action="withhold",
                    reason="paragraph 3 refers to a head-of-state decision still pending",
                    reviewer="reviewer-b",
                ),
            ),
            redactions=PARIS_NAMES,
        ),
    ]
    return cases


CASES = _cases()

#: case id -> what the engine gets wrong there. The golden file holds the right release.
KNOWN_RELEASE_BUGS: dict[str, str] = {}


def _params() -> list[object]:
    return [
        pytest.param(
            case,
            id=case.id,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_RELEASE_BUGS[case.id])]
            if case.id in KNOWN_RELEASE_BUGS
            else [],
        )
        for case in CASES
    ]


@functools.cache
def _policy(name: str) -> LoadedPolicy:
    return load_policy(name)


def _release(case: Case) -> Outcome:
    return run(
        case.source.read_bytes(),
        _policy(case.policy),
        case.as_of,
        fmt="text",
        overrides=list(case.overrides),
        redactions=list(case.redactions),
    )


def _diff(expected: str, actual: str, name: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(keepends=True),
        actual.splitlines(keepends=True),
        fromfile=f"golden/{name}",
        tofile="engine output",
    )
    return "".join(lines)


@pytest.mark.parametrize("case", _params())
def test_golden_release(case: Case, update_golden: bool) -> None:
    output = _release(case).output
    if update_golden and case.id not in KNOWN_RELEASE_BUGS:
        case.golden.parent.mkdir(parents=True, exist_ok=True)
        case.golden.write_bytes(output)
        return
    assert case.golden.is_file(), f"missing {case.golden.name}: run pytest --update-golden"
    expected = case.golden.read_bytes()
    assert output == expected, _diff(
        expected.decode("utf-8"), output.decode("utf-8"), case.golden.name
    )


# -- the table itself -------------------------------------------------------------


def test_every_golden_document_has_dates() -> None:
    documents = sorted(p.stem for p in GOLDEN_DOCUMENTS.glob("*.txt"))
    assert sorted(AS_OF) == documents


def test_earlier_date_is_before_later_date() -> None:
    for document, (before, after, why) in AS_OF.items():
        assert before < after, f"{document}: {before} is not before {after} ({why})"


def test_no_golden_release_without_a_case() -> None:
    known = {case.golden.name for case in CASES}
    stray = sorted(p.name for p in GOLDEN_RELEASES.glob("*.txt") if p.name not in known)
    assert not stray, f"golden releases with no case in the table: {stray}"


def test_known_bugs_name_existing_cases() -> None:
    ids = {case.id for case in CASES}
    assert set(KNOWN_RELEASE_BUGS) <= ids


# -- an independent leak check on the files ------------------------------------


def _withheld_lines(release: Release, text: str) -> list[tuple[str, str]]:
    """(segment id, line) for every line of a withheld body that no released segment has."""
    pairs = list(zip(release.document.segments, release.decisions, strict=True))
    released = "\n".join(text[s.start : s.end] for s, d in pairs if d.action == "release")
    found = []
    for segment, decision in pairs:
        if decision.action == "release":
            continue
        for line in text[segment.body_start : segment.end].split("\n"):
            line = line.strip()
            if line and line not in released:
                found.append((segment.id, line))
    return found


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in CASES])
def test_no_withheld_line_in_golden_release(case: Case) -> None:
    if not case.golden.is_file():
        pytest.skip(f"{case.golden.name} not written yet (pytest --update-golden)")
    text = normalise(case.source.read_bytes())
    golden = case.golden.read_text(encoding="utf-8")
    for segment_id, line in _withheld_lines(_release(case).release, text):
        assert line not in golden, f"{case.golden.name}: withheld line of {segment_id} present"


@pytest.mark.parametrize(
    "case",
    [pytest.param(case, id=case.id) for case in CASES if case.id not in KNOWN_RELEASE_BUGS],
)
def test_released_segments_whole_and_in_order_in_golden_release(case: Case) -> None:
    """Nothing lost: each released segment without span redactions appears verbatim, in order."""
    if not case.golden.is_file():
        pytest.skip(f"{case.golden.name} not written yet (pytest --update-golden)")
    text = normalise(case.source.read_bytes())
    golden = case.golden.read_text(encoding="utf-8")
    release = _release(case).release
    spanned = {span.segment for span in release.spans}
    cursor = 0
    for segment, decision in zip(release.document.segments, release.decisions, strict=True):
        if decision.action != "release" or segment.kind == "banner" or segment.id in spanned:
            continue
        chunk = text[segment.start : segment.end].strip()
        found = golden.find(chunk, cursor)
        assert found >= 0, f"{case.golden.name}: released segment {segment.id} missing"
        cursor = found + len(chunk)


@pytest.mark.parametrize(
    "case", [pytest.param(case, id=case.id) for case in CASES if case.redactions]
)
def test_no_redacted_phrase_in_golden_release(case: Case) -> None:
    golden = case.golden.read_text(encoding="utf-8")
    for redaction in case.redactions:
        assert redaction.phrase not in golden, f"{case.golden.name}: redacted phrase present"
