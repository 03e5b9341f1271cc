"""The parser over every real cable in ../shared/corpus (read in place; skipped where absent).

Three checks: every cable parses and its segments tile the text; every
paragraph that *visibly* begins with a portion marking gets that marking; and
every cable the publisher's metadata calls SECRET or CONFIDENTIAL gets a
classified level, with the metadata/text disagreements listed and explained.

"Visibly begins" is defined here without the parser: a line that starts (after
optional spaces and a ``¶``) with a paragraph number ``N.``, a letter ``A.`` or
a bullet ``--``/``-``, followed by a parenthesised string that
``declass.rules.markings.parse_portion`` accepts.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from declass.rules.markings import parse_portion
from declass.rules.model import Document, Segment
from declass.rules.parse import normalise, parse_document

pytestmark = pytest.mark.corpus

MIN_SHARE = 0.995

VISIBLE_MARK = re.compile(
    r"^[ \t]*¶?[ \t]*(?:\d{1,3}\.|[A-Za-z]\.|-{1,2})[ \t]*(\([^()\n]{1,60}\))", re.MULTILINE
)

METADATA_LEVEL = {"TOP SECRET": "TS", "SECRET": "S", "CONFIDENTIAL": "C", "UNCLASSIFIED": "U"}
CLASSIFIED = {"TS", "S", "C", "R"}


@dataclass
class Parsed:
    name: str
    text: str
    doc: Document | None
    error: str | None


@pytest.fixture(scope="module")
def parsed_corpus(corpus: list[Path]) -> list[Parsed]:
    results = []
    for path in corpus:
        try:
            text = normalise(path.read_bytes())
            results.append(Parsed(path.stem, text, parse_document(text), None))
        except Exception as exc:  # collected and reported by the test below
            results.append(Parsed(path.stem, "", None, f"{type(exc).__name__}: {exc}"))
    return results


def tiling_errors(doc: Document, text: str) -> list[str]:
    errors = []
    segments = doc.segments
    if not segments:
        return ["no segments"]
    if segments[0].start != 0:
        errors.append(f"first segment starts at {segments[0].start}")
    if segments[-1].end != len(text):
        errors.append(f"last segment ends at {segments[-1].end} of {len(text)}")
    for before, after in itertools.pairwise(segments):
        if before.end != after.start:
            errors.append(f"{before.id} ends at {before.end}, {after.id} starts at {after.start}")
    for seg in segments:
        if not seg.start <= seg.body_start <= seg.end:
            errors.append(f"{seg.id} body_start {seg.body_start} outside {seg.start}-{seg.end}")
    if len({seg.id for seg in segments}) != len(segments):
        errors.append("duplicate segment ids")
    return errors


def test_every_cable_parses_and_tiles(parsed_corpus: list[Parsed]) -> None:
    failures = [f"{p.name}: {p.error}" for p in parsed_corpus if p.error]
    for p in parsed_corpus:
        if p.doc is not None:
            failures += [f"{p.name}: {e}" for e in tiling_errors(p.doc, p.text)[:3]]
    assert not failures, "\n".join(failures)


def _covering(doc: Document, starts: list[int], offset: int) -> Segment:
    return doc.segments[bisect.bisect_right(starts, offset) - 1]


def test_visible_markings_are_recognised(
    parsed_corpus: list[Parsed], capsys: pytest.CaptureFixture[str]
) -> None:
    total = recognised = 0
    misses: list[str] = []
    for p in parsed_corpus:
        if p.doc is None:
            continue
        starts = [seg.start for seg in p.doc.segments]
        for match in VISIBLE_MARK.finditer(p.text):
            mark = match.group(1)
            if parse_portion(mark) is None:
                continue
            total += 1
            seg = _covering(p.doc, starts, match.start(1))
            got = seg.marking.raw if seg.marking is not None else None
            if got == mark and seg.marking_source == "own":
                recognised += 1
                continue
            line = p.text[match.start() : p.text.find("\n", match.start())][:60]
            misses.append(
                f"{p.name}@{match.start()}: {line!r} -> {seg.id} {seg.kind} "
                f"label={seg.label} marking={got} source={seg.marking_source}"
            )
    assert total > 0
    share = recognised / total
    with capsys.disabled():
        print(
            f"\n[corpus sweep] visible lead markings recognised: {recognised}/{total} "
            f"= {share:.2%} (threshold {MIN_SHARE:.1%}); misses: {len(misses)}"
        )
        for miss in misses:
            print(f"[corpus sweep]   miss {miss}")
    assert share >= MIN_SHARE, "\n".join(misses)


# -- overall level against the publisher's metadata

_SPACED_BANNER = re.compile(r"^[ \t]*([A-Za-z]{1,3}(?: [A-Za-z])+)(?= |$)")
_PLAIN_BANNER = re.compile(
    r"^[ \t]*(TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS)"
    r"(?:\s+SECTION\s+\d+\s+OF\s+\d+)?\s+[A-Z][A-Z .]+\s\d{3,}",
    re.IGNORECASE,
)


def text_banner_level(text: str) -> str | None:
    """The level on the first classification line of the text, read without the parser.

    Tolerates the damage STATS.md lists: letter spacing, lower case, a doubled
    or stray first letter, a missing first letter.
    """
    for line in text.split("\n")[:80]:
        spaced = _SPACED_BANNER.match(line)
        if spaced:
            word = spaced.group(1).replace(" ", "").upper()
            if "TOPSECRET" in word:
                return "TS"
            if "SECRET" in word or word == "ECRET":
                return "S"
            if "CONFIDENTIAL" in word or word == "ONFIDENTIAL":
                return "C"
        plain = _PLAIN_BANNER.match(line)
        if plain:
            word = plain.group(1).upper()
            return "U" if word.startswith("UNCLAS") else METADATA_LEVEL[word]
    return None


def load_manifest(corpus: list[Path]) -> dict[str, str | None]:
    manifest = corpus[0].parent / "manifest.jsonl"
    if not manifest.is_file():
        pytest.skip(f"no manifest at {manifest}")
    rows = [json.loads(line) for line in manifest.read_text("utf-8").splitlines() if line.strip()]
    return {row["id"]: row.get("classification_from_metadata") for row in rows}


def test_classified_metadata_gives_a_classified_level(
    corpus: list[Path], parsed_corpus: list[Parsed], capsys: pytest.CaptureFixture[str]
) -> None:
    metadata = load_manifest(corpus)
    not_classified: list[str] = []
    explained: list[str] = []
    unexplained: list[str] = []
    raised: list[str] = []
    checked = 0
    for p in parsed_corpus:
        meta = metadata.get(p.name)
        if p.doc is None or not meta:
            continue
        meta_level = METADATA_LEVEL[meta.split("//")[0].strip()]
        doc = p.doc
        banner_level = doc.banner.level if doc.banner is not None else doc.level
        if meta_level in CLASSIFIED:
            checked += 1
            if doc.level not in CLASSIFIED:
                not_classified.append(f"{p.name}: metadata {meta}, parsed level {doc.level}")
        if banner_level != meta_level:
            in_text = text_banner_level(p.text)
            line = f"{p.name}: metadata {meta}; parsed banner {banner_level}; text says {in_text}"
            if in_text is not None and in_text != meta_level and in_text == banner_level:
                explained.append(line)
            else:
                unexplained.append(line)
        elif doc.level != banner_level:
            codes = sorted({pr.code for pr in doc.problems})
            line = f"{p.name}: banner {banner_level}, document level {doc.level} ({codes})"
            (raised if "portion_above_banner" in codes else unexplained).append(line)
    with capsys.disabled():
        print(f"\n[corpus sweep] cables with classified metadata checked: {checked}")
        for line in explained:
            print(f"[corpus sweep]   metadata differs from the text's banner: {line}")
        for line in raised:
            print(f"[corpus sweep]   level raised above the banner by a portion: {line}")
    assert checked > 0
    assert not not_classified, "\n".join(not_classified)
    assert not unexplained, "\n".join(unexplained)
