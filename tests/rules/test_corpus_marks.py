"""No still-classified cable releases a classified mark that opens a sentence.

Over the real corpus (read in place; skipped where absent), under ``public``,
as of 2026-11-28 and as of each cable's own origin date: for every cable the
release does not declassify, the released text holds no classified portion
mark (``(C)``, ``(S//NF)``, ``(TS)``...) at the start of a line or after a
sentence end that introduces text rather than a withheld placeholder. Such a
mark means classified text went out, or at best a marking the parser left
unassigned inside a released segment. Hits are reported by file name, line,
segment id and rule id, never by text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from declass.rules.parse import normalise, parse_document
from declass.rules.policy import load_policy
from declass.service.pipeline import run
from tests.released_marks import opening_classified_marks, released_mark_sources

pytestmark = pytest.mark.corpus

AS_OF = dt.date(2026, 11, 28)
PUBLIC = load_policy("public")


def _as_of(when: str, text: str) -> dt.date | None:
    return AS_OF if when == "as-of" else parse_document(text).origin_date


@pytest.mark.parametrize("when", ["as-of", "origin"], ids=[f"as of {AS_OF}", "as of origin"])
def test_no_still_classified_cable_releases_a_mark_opening_a_sentence(
    corpus: list[Path], when: str, capsys: pytest.CaptureFixture[str]
) -> None:
    checked = 0
    hits: list[str] = []
    for path in corpus:
        data = path.read_bytes()
        text = normalise(data)
        as_of = _as_of(when, text)
        if as_of is None:
            continue
        release = (outcome := run(data, PUBLIC, as_of, fmt="text")).release
        if release.evaluation.status == "declassified":
            continue
        checked += 1
        found = opening_classified_marks(outcome.output.decode("utf-8"))
        if not found:
            continue
        sources = released_mark_sources(release, text)
        for source in sources:
            hits.append(
                f"{path.name} as of {as_of}: {source.mark} on line {source.line} "
                f"in {source.segment} released by {source.rule}"
            )
        if len(sources) != len(found):  # not traced to a released segment: name output lines
            for mark in found:
                hits.append(f"{path.name} as of {as_of}: {mark.mark} on output line {mark.line}")
    with capsys.disabled():
        print(
            f"\n[corpus marks] {when}: {checked} still-classified cables checked, "
            f"{len(hits)} classified marks opening released text"
        )
        for hit in hits:
            print(f"[corpus marks]   {hit}")
    assert checked > 0
    assert not hits, "\n".join(hits)
