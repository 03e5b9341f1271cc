"""Review rate and recall over the real corpus: figures printed, never asserted.

Run from the repository root::

    .venv/bin/python bench/review_rate.py
    .venv/bin/python bench/review_rate.py --corpus PATH --extra DIR --as-of 2026-11-28

Failing closed must not turn into sending everything to review, and it must
not withhold what a cable's own instruction has declassified. So, for every
document, the whole pipeline (``declass.service.pipeline.run``, fmt "text", leak gate
included) is run under ``public`` and ``partner-gbr-secret``, as of
``--as-of`` and as of the cable's own origin date, and this prints:

- the review rate: segments sent to review / all segments, and how many
  documents have at least one segment in review (with the rules that sent
  them there);
- recall on cables declassified by their own date (``public``, as of
  ``--as-of``): the share of their portion text (the bodies of paragraph,
  subject and heading segments, characters without surrounding whitespace)
  that appears in the released text. The aim is at least 99.9%. Portions not
  released are listed by file name, segment id and rule id, never by text.

The same figures are printed for ``--extra`` (default ``tests/data/adversarial``),
a folder of documents written for the tests, when it exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from declass.rules.assemble import PORTION_KINDS
from declass.rules.engine import decide
from declass.rules.errors import DeclassError
from declass.rules.model import Document, Segment
from declass.rules.parse import normalise, parse_document
from declass.rules.policy import LoadedPolicy, load_policy
from declass.rules.release import Release
from declass.rules.vocabulary import CONTROLLED_UNCLASSIFIED
from declass.service.pipeline import run

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(os.environ.get("DECLASS_CORPUS", ROOT.parent / "shared" / "corpus"))
DEFAULT_EXTRA = ROOT / "tests" / "data" / "adversarial"
AS_OF = dt.date(2026, 11, 28)
POLICIES = ("public", "partner-gbr-secret")
DATES = ("as-of", "origin")
RECALL_AIM = 0.999
TOP = 20
NOT_IN_OUTPUT = "released-but-absent-from-output"


@dataclass(frozen=True)
class Scenario:
    policy: str
    date: str  # "as-of" or "origin"

    def label(self, as_of: dt.date) -> str:
        return f"{self.policy}, as of {'origin date' if self.date == 'origin' else as_of}"


SCENARIOS = tuple(Scenario(p, d) for p in POLICIES for d in DATES)
RECALL_SCENARIO = Scenario("public", "as-of")


@dataclass
class Outcome:
    """One document under one scenario: counts only, never text."""

    segments: int = 0
    review: int = 0
    withheld: int = 0
    released: int = 0
    error: str | None = None  # the DeclassError code of a refused release
    skipped: str | None = None  # why the scenario could not run (no origin date)
    review_rules: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Portion:
    """A portion body of a declassified cable: its size and whether it was released."""

    segment: str
    chars: int
    released: bool
    rule: str
    by_design: str | None = None  # why the policy reviews it even once declassified


@dataclass
class DocResult:
    name: str
    outcomes: dict[Scenario, Outcome] = field(default_factory=dict)
    portions: list[Portion] | None = None  # set when declassified by its own date
    unreadable: str | None = None


# -- one document (in a worker process) ------------------------------------------


@cache
def _policy(name: str) -> LoadedPolicy:
    return load_policy(name)


def measure(path: Path, as_of: dt.date) -> DocResult:
    """Every scenario for one document, and its recall portions."""
    result = DocResult(path.name)
    data = path.read_bytes()
    try:
        text = normalise(data)
    except DeclassError as exc:
        result.unreadable = exc.code
        return result
    origin = parse_document(text).origin_date
    for scenario in SCENARIOS:
        date = as_of if scenario.date == "as-of" else origin
        if date is None:
            result.outcomes[scenario] = Outcome(skipped="no origin date")
            continue
        outcome, release, output = _run(data, _policy(scenario.policy), date)
        result.outcomes[scenario] = outcome
        if scenario == RECALL_SCENARIO:
            result.portions = _recall_portions(text, release, output, outcome.error, as_of)
    return result


def _run(
    data: bytes, policy: LoadedPolicy, date: dt.date
) -> tuple[Outcome, Release | None, str | None]:
    try:
        done = run(data, policy, date, fmt="text")
    except DeclassError as exc:
        return Outcome(error=exc.code), None, None
    release = done.release
    actions = Counter(d.action for d in release.decisions)
    outcome = Outcome(
        segments=len(release.decisions),
        review=actions["review"],
        withheld=actions["withhold"],
        released=actions["release"],
        review_rules=Counter(d.rule for d in release.decisions if d.action == "review"),
    )
    return outcome, release, done.output.decode("utf-8")


def _recall_portions(
    text: str, release: Release | None, output: str | None, error: str | None, as_of: dt.date
) -> list[Portion] | None:
    """The portion bodies of a cable declassified by its own date, or None for any other."""
    if release is None:  # refused: decide again only to learn whether it was declassified
        release = decide(parse_document(text), text, _policy("public"), as_of)
    if release.evaluation.status != "declassified":
        return None
    portions = []
    for segment, decision in zip(release.document.segments, release.decisions, strict=True):
        body = text[segment.body_start : segment.end].strip()
        if segment.kind not in PORTION_KINDS or not body:
            continue
        if output is None:
            rule, shown = f"pipeline-refused/{error}", False
        elif decision.action != "release":
            rule, shown = decision.rule, False
        else:
            shown = body in output
            rule = decision.rule if shown else NOT_IN_OUTPUT
        why = reviewed_by_design(release.document, segment)
        portions.append(Portion(segment.id, len(body), shown, rule, why))
    return portions


def reviewed_by_design(document: Document, segment: Segment) -> str | None:
    """Why ``public`` reviews this portion even once the cable is declassified, read from
    its marking alone (never from the decision): a controlled unclassified marking (SBU,
    FOUO...), its own or a cable-wide caption it inherits, or a marking above the banner."""
    mark, banner = segment.marking, document.banner
    own = segment.marking_source in ("own", "continued", "parent")
    controls = set(mark.controls if mark else ())
    if not own:
        controls |= set(document.captions) | set(banner.controls if banner else ())
    controlled = sorted(controls & CONTROLLED_UNCLASSIFIED)
    if controlled:
        return "controlled unclassified " + ", ".join(controlled)
    if own and mark is not None and banner is not None and mark.rank > banner.rank:
        return "marked above the banner"
    return None


def _measure_star(job: tuple[Path, dt.date]) -> DocResult:
    return measure(*job)


def measure_all(files: Sequence[Path], as_of: dt.date, processes: int) -> list[DocResult]:
    jobs = [(path, as_of) for path in files]
    if processes <= 1:
        return [measure(*job) for job in jobs]
    with multiprocessing.Pool(processes) as pool:
        return pool.map(_measure_star, jobs, chunksize=8)


# -- figures ------------------------------------------------------------------------


def pct(part: int, whole: int) -> str:
    return f"{part / whole:.2%}" if whole else "n/a"


def review_table(results: Sequence[DocResult], as_of: dt.date) -> list[str]:
    lines = [
        "| policy, as of | documents | segments | review | review rate | withheld | released "
        "| documents with review | refused | not run |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in SCENARIOS:
        outcomes = [r.outcomes[scenario] for r in results if scenario in r.outcomes]
        ran = [o for o in outcomes if o.skipped is None and o.error is None]
        segments = sum(o.segments for o in ran)
        review = sum(o.review for o in ran)
        lines.append(
            f"| {scenario.label(as_of)} | {len(ran)} | {segments:,} | {review:,} "
            f"| {pct(review, segments)} | {sum(o.withheld for o in ran):,} "
            f"| {sum(o.released for o in ran):,} | {sum(1 for o in ran if o.review)} "
            f"| {sum(1 for o in outcomes if o.error)} "
            f"| {sum(1 for o in outcomes if o.skipped)} |"
        )
    return lines


def review_rules(results: Sequence[DocResult], as_of: dt.date) -> list[str]:
    """Which rules send segments to review, per scenario (segments, documents)."""
    lines = ["", "Segments sent to review, by rule (segments in documents):"]
    for scenario in SCENARIOS:
        segments: Counter[str] = Counter()
        documents: Counter[str] = Counter()
        for r in results:
            rules = r.outcomes[scenario].review_rules if scenario in r.outcomes else Counter()
            segments.update(rules)
            documents.update(rules.keys())
        lines.append(f"- {scenario.label(as_of)}:")
        if not segments:
            lines.append("  - none")
        for rule, count in segments.most_common(TOP):
            lines.append(f"  - {rule}: {count:,} in {documents[rule]:,}")
    return lines


def refusals(results: Sequence[DocResult], as_of: dt.date) -> list[str]:
    lines = []
    for r in results:
        if r.unreadable:
            lines.append(f"- {r.name}: unreadable ({r.unreadable})")
        for scenario, outcome in r.outcomes.items():
            if outcome.error:
                lines.append(f"- {r.name}: refused ({outcome.error}) under {scenario.label(as_of)}")
    return ["", "Refused or unreadable documents:", *lines] if lines else []


def recall(results: Sequence[DocResult], as_of: dt.date) -> list[str]:
    declassified = [r for r in results if r.portions is not None]
    portions = [(r.name, p) for r in declassified for p in r.portions or ()]
    counted = [p for _, p in portions if p.by_design is None]
    lines = [
        "",
        f"Recall, public as of {as_of}, cables declassified by their own date: "
        f"{len(declassified)} cables, {len(portions):,} portions",
        "- portion characters released, all portions: " + _share(p for _, p in portions),
        "- portion characters released, without the portions public reviews by design "
        f"({len(portions) - len(counted):,} portions marked controlled unclassified or above "
        f"the banner): {_share(counted, RECALL_AIM)}",
    ]
    return lines + _missed(portions)


def _share(portions: Iterable[Portion], aim: float | None = None) -> str:
    listed = list(portions)
    total = sum(p.chars for p in listed)
    shown = sum(p.chars for p in listed if p.released)
    share = shown / total if total else 1.0
    figure = f"{shown:,} / {total:,} = {share:.3%}"
    if aim is None:
        return figure
    return f"{figure} (aim >= {aim:.1%}: {'met' if share >= aim else 'NOT MET'})"


def _missed(portions: Iterable[tuple[str, Portion]]) -> list[str]:
    """Portions not released, grouped by rule id, largest first: names and ids, never text."""
    groups: dict[str, list[tuple[str, Portion]]] = defaultdict(list)
    for name, portion in portions:
        if not portion.released:
            groups[portion.rule].append((name, portion))
    if not groups:
        return ["- every portion released"]
    lines = ["- not released, by rule (portions, characters; largest first):"]
    ranked = sorted(groups.items(), key=lambda kv: -sum(p.chars for _, p in kv[1]))
    for rule, missed in ranked:
        chars = sum(p.chars for _, p in missed)
        designed = Counter(p.by_design for _, p in missed if p.by_design)
        note = "; ".join(f"{n} {why}" for why, n in sorted(designed.items()))
        lines.append(
            f"  - {rule}: {len(missed)} portions, {chars:,} characters"
            + (f" (by design: {note})" if note else "")
        )
        missed.sort(key=lambda item: (-item[1].chars, item[0], item[1].segment))
        for name, portion in missed[:TOP]:
            why = f"; {portion.by_design}" if portion.by_design else ""
            lines.append(f"    - {name} {portion.segment} ({portion.chars:,} characters{why})")
        if len(missed) > TOP:
            lines.append(f"    - ... and {len(missed) - TOP} more")
    return lines


def report(title: str, results: Sequence[DocResult], as_of: dt.date) -> str:
    lines = [f"### {title}", "", *review_table(results, as_of)]
    lines += review_rules(results, as_of) + recall(results, as_of) + refusals(results, as_of)
    return "\n".join(lines)


# -- command line -------------------------------------------------------------------


def shown_path(folder: Path) -> str:
    """The folder relative to the repository, so printed figures name no machine path."""
    return os.path.relpath(folder.resolve(), ROOT)


def documents(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".txt")


def sweep(title: str, folder: Path, as_of: dt.date, processes: int) -> str | None:
    files = documents(folder)
    if not files:
        return None
    start = time.perf_counter()
    results = measure_all(files, as_of, processes)
    seconds = time.perf_counter() - start
    print(f"[review-rate] {title}: {len(files)} documents in {seconds:.1f} s", file=sys.stderr)
    return report(f"{title}: {shown_path(folder)} ({len(files)} documents)", results, as_of)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="folder of cables (*.txt), default $DECLASS_CORPUS or ../shared/corpus",
    )
    parser.add_argument(
        "--extra",
        type=Path,
        default=DEFAULT_EXTRA,
        help="a second folder of documents, default tests/data/adversarial",
    )
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=AS_OF,
        help=f"the as-of date, YYYY-MM-DD (default {AS_OF})",
    )
    parser.add_argument("--processes", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args(argv)
    print(f"## Review rate and recall (fail-closed), as of {args.as_of}\n")
    for title, folder in (("corpus", args.corpus), ("extra", args.extra)):
        text = sweep(title, folder, args.as_of, args.processes)
        if text is None:
            print(f"### {title}: SKIPPED, no documents (*.txt) at {shown_path(folder)}\n")
        else:
            print(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
