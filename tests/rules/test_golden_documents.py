"""Golden documents: invented cables and memos with hand-checked expected models.

Each ``tests/data/golden/<name>.txt`` is parsed and compared, field by field,
with ``<name>.expected.json`` (format: ``tests/data/golden/README.md``). The
expectations were written by reading the documents against the marking rules
(docs/markings.md), not by recording parser output, so there is deliberately no
``--update-golden`` writer here: a disagreement is either a parser bug or a
mistake in the expectation, and a person decides which.

Known parser bugs are listed in ``KNOWN_PARSER_BUGS``; each marks exactly one
field of one document ``xfail(strict=True)``, so the test fails (XPASS) as
soon as the parser is fixed and the entry can be removed.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from declass.rules.model import Document, Segment
from declass.rules.parse import normalise, parse_document

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"
PARIS_COPY = Path(__file__).resolve().parents[1] / "data" / "paris_2006.txt"


#: (document, field) -> why the parser is wrong there. Bugs for the parser owner.
KNOWN_PARSER_BUGS: dict[tuple[str, str], str] = {}


# -- loading -------------------------------------------------------------------


def golden_names() -> list[str]:
    return sorted(p.name.removesuffix(".expected.json") for p in GOLDEN.glob("*.expected.json"))


@functools.cache
def _load(name: str) -> tuple[str, Document, dict[str, Any]]:
    text = normalise((GOLDEN / f"{name}.txt").read_bytes())
    expected: dict[str, Any] = json.loads(
        (GOLDEN / f"{name}.expected.json").read_text(encoding="utf-8")
    )
    return text, parse_document(text), expected


def _squash(text: str) -> str:
    """Runs of whitespace, line breaks included, compare as one space."""
    return " ".join(text.split())


# -- field checks --------------------------------------------------------------


def _check_origin_date(doc: Document, expected: dict[str, Any], text: str) -> None:
    actual = doc.origin_date.isoformat() if doc.origin_date else None
    assert actual == expected["origin_date"], (
        f"origin_date: expected {expected['origin_date']!r}, parser gave {actual!r}"
    )


def _check_cable_id(doc: Document, expected: dict[str, Any], text: str) -> None:
    assert doc.cable_id == expected["cable_id"], (
        f"cable_id: expected {expected['cable_id']!r}, parser gave {doc.cable_id!r}"
    )


def _check_banner(doc: Document, expected: dict[str, Any], text: str) -> None:
    banner = doc.banner
    wanted = {
        "banner_level": expected.get("banner_level"),
        "banner_raw": expected.get("banner_raw"),
        "banner_controls": expected.get("banner_controls"),
    }
    actual = {
        "banner_level": banner.level if banner else None,
        "banner_raw": banner.raw if banner else None,
        "banner_controls": banner.controls if banner else None,
    }
    diffs = [
        f"{key}: expected {wanted[key]!r}, parser gave {actual[key]!r}"
        for key in wanted
        if key in expected and wanted[key] != actual[key]
    ]
    assert not diffs, "banner differs:\n  " + "\n  ".join(diffs)


def _check_level(doc: Document, expected: dict[str, Any], text: str) -> None:
    assert doc.level == expected["level"], (
        f"document level: expected {expected['level']!r}, parser gave {doc.level!r}"
    )


def _check_declassification(doc: Document, expected: dict[str, Any], text: str) -> None:
    want = expected["declassification"]
    decl = doc.declassification
    if want is None:
        assert decl is None, f"expected no declassification instruction, parser read {decl!r}"
        return
    assert decl is not None, f"expected instruction {want!r}, parser found none"
    actual: dict[str, Any] = {
        "authority": decl.authority,
        "kind": decl.kind,
        "date": decl.date.isoformat() if decl.date else None,
        "exemptions": decl.exemptions,
        "event": decl.event,
        "downgrade_to": decl.downgrade_to,
    }
    diffs = [
        f"{key}: expected {value!r}, parser gave {actual[key]!r}"
        for key, value in want.items()
        if actual[key] != value
    ]
    assert not diffs, f"declassification ({decl.raw!r}) differs:\n  " + "\n  ".join(diffs)


def _check_reasons(doc: Document, expected: dict[str, Any], text: str) -> None:
    want = expected["reasons"]
    cb = doc.classified_by
    if want is None:
        assert cb is None, f"expected no Classified By block, parser read {cb!r}"
        return
    assert cb is not None, f"expected reasons {want!r}, parser found no Classified By block"
    assert cb.reasons == want, (
        f"reasons of {cb.raw!r}: expected {want!r}, parser gave {cb.reasons!r}"
    )


def _check_captions(doc: Document, expected: dict[str, Any], text: str) -> None:
    assert doc.captions == expected["captions"], (
        f"captions: expected {expected['captions']!r}, parser gave {doc.captions!r}"
    )


def _check_problems(doc: Document, expected: dict[str, Any], text: str) -> None:
    want = set(expected["problems"])
    actual = {p.code for p in doc.problems}
    details = "\n  ".join(f"{p.code} [{p.segment}] {p.detail}" for p in doc.problems)
    assert actual == want, (
        f"problem codes: missing {sorted(want - actual)}, unexpected {sorted(actual - want)}"
        f"\n  parser problems:\n  {details}"
    )


def _segment_row(seg: Segment, segments: list[Segment], text: str) -> dict[str, Any]:
    """What the parser says about one segment, in the vocabulary of the expectations."""
    marking = seg.marking
    target = next((s for s in segments if s.id == seg.continues), None) if seg.continues else None
    return {
        "kind": seg.kind,
        "label": seg.label,
        "marking": marking.raw if marking else None,
        "level": marking.level if marking else None,
        "source": seg.marking_source,
        "text": _squash(text[seg.start : seg.end]),
        "controls": marking.controls if marking else None,
        "rel_to": marking.rel_to if marking else None,
        "continues": target.label if target is not None else None,
    }


def _expected_row(want: dict[str, Any]) -> dict[str, Any]:
    source = want.get("source", "own" if want["marking"] is not None else None)
    row = {
        "kind": want["kind"],
        "label": want["label"],
        "marking": want["marking"],
        "level": want["level"],
        "source": source,
        "starts_with": _squash(want["starts_with"]),
        # A continuation points back at the portion it continues (same label).
        "continues": want["label"] if source == "continued" else None,
    }
    row.update({key: want[key] for key in ("controls", "rel_to") if key in want})
    return row


def _row_differences(want: dict[str, Any], got: dict[str, Any]) -> list[str]:
    diffs = [
        f"{key}: expected {value!r}, parser {got[key]!r}"
        for key, value in want.items()
        if key != "starts_with" and got[key] != value
    ]
    if not got["text"].startswith(want["starts_with"]):
        diffs.append(f"starts_with: expected {want['starts_with']!r}, parser {got['text'][:60]!r}")
    return diffs


def _short(row: dict[str, Any]) -> str:
    text = row.get("starts_with") or row.get("text") or ""
    return f"{row['kind']} label={row['label']!r} marking={row['marking']!r} {text[:50]!r}"


def _check_segments(doc: Document, expected: dict[str, Any], text: str) -> None:
    wanted = [_expected_row(w) for w in expected["segments"]]
    actual = [_segment_row(seg, doc.segments, text) for seg in doc.segments]

    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        return (row["kind"], row["label"], row["marking"])

    # Align on (kind, label, marking) so that one missing or extra segment is
    # reported as such instead of shifting every later comparison.
    matcher = difflib.SequenceMatcher(
        a=[key(r) for r in wanted], b=[key(r) for r in actual], autojunk=False
    )
    report: list[str] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            for i, j in zip(range(a0, a1), range(b0, b1), strict=True):
                diffs = _row_differences(wanted[i], actual[j])
                if diffs:
                    report.append(f"expected #{i + 1} {_short(wanted[i])}")
                    report += [f"    {d}" for d in diffs]
            continue
        for i in range(a0, a1):
            report.append(f"expected #{i + 1} missing: {_short(wanted[i])}")
        for j in range(b0, b1):
            report.append(f"parser   #{j + 1} instead: {_short(actual[j])}")
    assert not report, (
        f"segments differ ({len(wanted)} expected, {len(actual)} parsed):\n" + "\n".join(report)
    )


CHECKS: dict[str, Callable[[Document, dict[str, Any], str], None]] = {
    "origin_date": _check_origin_date,
    "cable_id": _check_cable_id,
    "banner": _check_banner,
    "level": _check_level,
    "declassification": _check_declassification,
    "reasons": _check_reasons,
    "captions": _check_captions,
    "segments": _check_segments,
    "problems": _check_problems,
}
_BANNER_KEYS = ("banner_level", "banner_raw", "banner_controls")


def _fields(expected: dict[str, Any]) -> Iterator[str]:
    for field in CHECKS:
        present = (
            any(k in expected for k in _BANNER_KEYS) if field == "banner" else field in expected
        )
        if present:
            yield field


def _cases() -> list[Any]:
    cases = []
    for name in golden_names():
        expected = json.loads((GOLDEN / f"{name}.expected.json").read_text(encoding="utf-8"))
        for field in _fields(expected):
            reason = KNOWN_PARSER_BUGS.get((name, field))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(name, field, id=f"{name}-{field}", marks=marks))
    return cases


# -- tests ---------------------------------------------------------------------


def test_every_golden_document_has_an_expectation() -> None:
    texts = {p.stem for p in GOLDEN.glob("*.txt")}
    assert len(texts) >= 14
    assert texts == set(golden_names()), (
        f"without expectation: {sorted(texts - set(golden_names()))}; "
        f"without document: {sorted(set(golden_names()) - texts)}"
    )


def test_known_bugs_name_real_cases() -> None:
    names = set(golden_names())
    for name, field in KNOWN_PARSER_BUGS:
        assert name in names and field in CHECKS, (name, field)


def test_readme_copy_of_the_paris_cable_is_the_golden_one() -> None:
    assert PARIS_COPY.read_bytes() == (GOLDEN / "paris_2006.txt").read_bytes()


@pytest.mark.parametrize(("name", "field"), _cases())
def test_golden_field(name: str, field: str) -> None:
    text, doc, expected = _load(name)
    CHECKS[field](doc, expected, text)


@pytest.mark.parametrize("name", golden_names())
def test_golden_segments_tile_the_text(name: str) -> None:
    text, doc, _ = _load(name)
    assert doc.segments, "no segments"
    assert doc.segments[0].start == 0, f"first segment starts at {doc.segments[0].start}"
    for before, after in zip(doc.segments, doc.segments[1:], strict=False):
        assert before.end == after.start, (
            f"{before.id} ends at {before.end} but {after.id} starts at {after.start}"
        )
    for seg in doc.segments:
        assert seg.start < seg.end, f"{seg.id} is empty ({seg.start}..{seg.end})"
        assert seg.start <= seg.body_start <= seg.end, f"{seg.id} body_start outside the segment"
    assert doc.segments[-1].end == len(text), (
        f"last segment ends at {doc.segments[-1].end}, text has {len(text)} characters"
    )
    ids = [seg.id for seg in doc.segments]
    assert len(ids) == len(set(ids)), "segment ids repeat"
