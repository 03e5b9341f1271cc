"""Throughput of declass over the real corpus: figures printed, never asserted.

Run from the repository root::

    .venv/bin/python bench/run.py                   # print the table
    .venv/bin/python bench/run.py --write           # ... and add it to bench/RESULTS.md
    .venv/bin/python bench/run.py --corpus PATH --repeat 7

Every cable is read and normalised once, before any timing, and held in
memory: no file I/O is measured. Each stage gets one untimed warm-up pass over
the whole corpus, then ``--repeat`` timed passes (``time.perf_counter``); the
table shows the median pass. The process is pinned to one CPU where the
platform allows it. Results are dropped as they are made (one document at a
time, as in the service); the parsed documents that stage 3 starts from are
frozen out of the garbage collector's view, which would otherwise rescan them
and inflate the figures by about a third.

Stages:

1. floor    one compiled-regex ``finditer`` over every text, consuming every match
2. parse    ``parse_document`` over the normalised texts
3. decide, render_text, check_release on the parsed documents (policy "public",
   as of 2026-11-28), timed per call within one pass, and their sum
4. the whole pipeline ``declass.service.pipeline.run`` from bytes, fmt "text" and "json"
5. memory   tracemalloc peak over one pass of the text pipeline, and max RSS

Ratios compare the median passes: parse / floor (the aim is at most 5x) and
(decide + render + gate) / parse (the aim is below 1). The leak gate's cost is
printed as its share of the release stages and of the whole text pipeline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from declass.rules.engine import decide
from declass.rules.errors import DeclassError
from declass.rules.evidence import find_evidence
from declass.rules.leakgate import check_release
from declass.rules.model import Document
from declass.rules.parse import normalise, parse_document
from declass.rules.policy import LoadedPolicy, load_policy
from declass.rules.release import Release
from declass.service.pipeline import Format, check_evidence, run
from declass.service.render.pieces import release_stamp
from declass.service.render.text import render_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(os.environ.get("DECLASS_CORPUS", ROOT.parent / "shared" / "corpus"))
CORPUS_HELP = "default $DECLASS_CORPUS or ../shared/corpus"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
AS_OF = dt.date(2026, 11, 28)
POLICY = "public"
FLOOR = re.compile(r"\(([A-Za-z/ ,-]{1,40})\)")
MB = 1_000_000
T = TypeVar("T")


@dataclass(frozen=True)
class Corpus:
    names: list[str]
    data: list[bytes]  # the files as read, for the whole pipeline
    texts: list[str]  # normalised, for the stages
    size: int  # UTF-8 bytes of the normalised texts


@dataclass(frozen=True)
class Row:
    stage: str
    seconds: float  # median pass over the corpus
    docs: int
    size: int
    note: str = ""

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds if self.seconds else float("inf")

    @property
    def mb_per_s(self) -> float:
        return self.size / MB / self.seconds if self.seconds else float("inf")


# -- loading -------------------------------------------------------------------


def load_corpus(folder: Path, limit: int | None) -> Corpus | None:
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if limit is not None:
        files = files[:limit]
    if not files:
        return None
    names, data, texts = [], [], []
    for path in files:
        raw = path.read_bytes()
        try:
            text = normalise(raw)
        except DeclassError as exc:
            print(f"[bench] skipping {path.name}: {exc}", file=sys.stderr)
            continue
        names.append(path.name)
        data.append(raw)
        texts.append(text)
    return Corpus(names, data, texts, sum(len(t.encode("utf-8")) for t in texts))


def pin_one_core() -> str:
    """Pin this process to one CPU it may run on; say which (or why not)."""
    if not hasattr(os, "sched_getaffinity"):
        return "not pinned (no sched_setaffinity on this platform)"
    allowed = sorted(os.sched_getaffinity(0))
    cpu = allowed[-1]
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


# -- timing --------------------------------------------------------------------


def timed_passes(work: Callable[[], T], repeat: int) -> tuple[list[float], T]:
    """One untimed warm-up pass, then ``repeat`` timed passes: seconds each, last result."""
    result = work()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return times, result


def floor_pass(texts: Sequence[str]) -> int:
    count = 0
    for text in texts:
        for _ in FLOOR.finditer(text):
            count += 1
    return count


def parse_pass(texts: Sequence[str]) -> int:
    """Parse every text and drop each document, as the service does."""
    segments = 0
    for text in texts:
        segments += len(parse_document(text).segments)
    return segments


@dataclass
class StageTimes:
    decide: float = 0.0
    render: float = 0.0
    gate: float = 0.0
    key2_out: float = 0.0
    refused: int = 0


def release_pass(
    docs: Sequence[Document], texts: Sequence[str], policy: LoadedPolicy
) -> StageTimes:
    """decide, render_text and the leak gate per document, each call timed on its own."""
    clock = time.perf_counter
    out = StageTimes()
    for doc, text in zip(docs, texts, strict=True):
        t0 = clock()
        release: Release = decide(doc, text, policy, AS_OF)
        t1 = clock()
        rendered = render_text(release, text)
        t2 = clock()
        generated = f"{release.summary.marking}\n{release_stamp(release)}"  # as the pipeline does
        try:
            check_release(rendered, release, text, generated)
        except DeclassError:
            out.refused += 1
        t3 = clock()
        try:
            check_evidence(rendered, release, text)
        except DeclassError:
            out.refused += 1
        t4 = clock()
        out.decide += t1 - t0
        out.render += t2 - t1
        out.gate += t3 - t2
        out.key2_out += t4 - t3
    return out


def evidence_pass(texts: Sequence[str]) -> int:
    """Key 2's reading of every input, as decide() does it once per document."""
    return sum(len(find_evidence(text)) for text in texts)


def pipeline_pass(data: Sequence[bytes], policy: LoadedPolicy, fmt: Format) -> int:
    """The whole pipeline from bytes; returns how many documents it refused."""
    refused = 0
    for raw in data:
        try:
            run(raw, policy, AS_OF, fmt=fmt)
        except DeclassError:
            refused += 1
    return refused


def memory(data: Sequence[bytes], policy: LoadedPolicy) -> tuple[int, int | None]:
    """tracemalloc peak over one text-pipeline pass (bytes), and the process max RSS (bytes)."""
    gc.collect()
    tracemalloc.start()
    try:
        pipeline_pass(data, policy, "text")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, max_rss()


def max_rss() -> int | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # bytes on macOS, KiB on Linux


def load_average() -> str:
    """The 1-minute load average: other work on the machine skews the figures."""
    if not hasattr(os, "getloadavg"):
        return "load average n/a"
    return f"load average {os.getloadavg()[0]:.2f} at the end"


# -- the benchmark -------------------------------------------------------------


@dataclass
class Results:
    rows: list[Row]
    ratios: list[tuple[str, float, str]]
    peak: int
    rss: int | None
    context: list[str]
    notes: list[str]


def bench(corpus: Corpus, repeat: int, pinned: str) -> Results:
    policy = load_policy(POLICY)
    texts, n, size = corpus.texts, len(corpus.texts), corpus.size
    med = statistics.median

    def say(what: str) -> None:
        print(f"[bench] {what} ...", file=sys.stderr, flush=True)

    say("floor: one regex pass")
    floor_times, _ = timed_passes(lambda: floor_pass(texts), repeat)
    floor = med(floor_times)
    say("parse_document")
    parse_times, _ = timed_passes(lambda: parse_pass(texts), repeat)
    parse = med(parse_times)

    say("decide + render_text + check_release")
    docs = [parse_document(text) for text in texts]
    gc.collect()
    gc.freeze()  # the held documents are input here: keep the collector from rescanning them
    stages: list[StageTimes] = []
    release_pass(docs, texts, policy)  # warm-up
    for _ in range(repeat):
        gc.collect()
        stages.append(release_pass(docs, texts, policy))
    decide_s = med(s.decide for s in stages)
    render_s = med(s.render for s in stages)
    gate_s = med(s.gate for s in stages)
    release_s = med(s.decide + s.render + s.gate for s in stages)
    key2_out_s = med(s.key2_out for s in stages)
    gate_refused = stages[0].refused
    say("key 2: find_evidence over every input")
    key2_in_s = med(timed_passes(lambda: evidence_pass(texts), repeat)[0])
    del docs
    gc.unfreeze()
    gc.collect()

    say("pipeline run(fmt='text')")
    text_times, refused_text = timed_passes(
        lambda: pipeline_pass(corpus.data, policy, "text"), repeat
    )
    run_text = med(text_times)
    say("pipeline run(fmt='json')")
    json_times, refused_json = timed_passes(
        lambda: pipeline_pass(corpus.data, policy, "json"), repeat
    )
    run_json = med(json_times)

    say("memory: one traced pass of run(fmt='text')")
    peak, rss = memory(corpus.data, policy)

    raw_size = sum(len(d) for d in corpus.data)
    rows = [
        Row("1. floor: regex finditer", floor, n, size),
        Row("2. parse_document", parse, n, size),
        Row("3. decide + render + gate", release_s, n, size),
        Row("3a. decide", decide_s, n, size),
        Row("3b. render_text", render_s, n, size),
        Row("3c. check_release", gate_s, n, size),
        Row("3d. key 2 in: find_evidence (inside 3a)", key2_in_s, n, size),
        Row("3e. key 2 out: check_evidence", key2_out_s, n, size),
        Row("4a. run(fmt='text')", run_text, n, raw_size),
        Row("4b. run(fmt='json')", run_json, n, raw_size),
    ]
    ratios = [
        ("parse / floor", parse / floor, "aim <= 5x"),
        ("(decide + render + gate) / parse", release_s / parse, "aim < 1x"),
        ("run(text) / parse", run_text / parse, ""),
    ]
    notes = [
        f"leak gate refusals: {gate_refused} (stage 3), "
        f"{refused_text} (run text), {refused_json} (run json)",
        f"leak gate cost: check_release is {gate_s / release_s:.0%} of decide + render + gate "
        f"and {gate_s / run_text:.0%} of run(fmt='text')",
        f"key 2 cost: reading the input {key2_in_s / run_text:.0%} and checking the output "
        f"{key2_out_s / run_text:.0%} of run(fmt='text'), "
        f"{(key2_in_s + key2_out_s) / run_text:.0%} in all",
    ]
    context = [
        f"date {dt.date.today().isoformat()}",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"os.cpu_count() {os.cpu_count()}, {pinned}",
        f"{platform.system()} {platform.machine()}, {load_average()}",
        f"corpus {n} documents, {size / MB:.2f} MB normalised text ({raw_size / MB:.2f} MB files)",
        f"median of {repeat} passes after one warm-up pass; policy {POLICY!r}, "
        f"as of {AS_OF.isoformat()}",
    ]
    return Results(rows, ratios, peak, rss, context, notes)


# -- output --------------------------------------------------------------------


def table(results: Results) -> str:
    lines = [
        "| stage | median s | docs/s | MB/s |",
        "|---|---:|---:|---:|",
    ]
    for row in results.rows:
        lines.append(
            f"| {row.stage} | {row.seconds:.4f} | {row.docs_per_s:,.0f} | {row.mb_per_s:,.2f} |"
        )
    lines += ["", "| ratio | value | aim |", "|---|---:|---|"]
    for name, value, aim in results.ratios:
        lines.append(f"| {name} | {value:,.2f}x | {aim} |")
    rss = f"{results.rss / 2**20:,.1f} MiB" if results.rss is not None else "n/a"
    lines += [
        "",
        "| memory | value |",
        "|---|---:|",
        f"| tracemalloc peak, one pass of run(fmt='text') | {results.peak / 2**20:,.1f} MiB |",
        f"| process max RSS | {rss} |",
    ]
    return "\n".join(lines)


def report(results: Results) -> str:
    body = [f"- {c}" for c in results.context] + [f"- {n}" for n in results.notes]
    return "\n".join([*body, "", table(results)])


def section_title(results: Results) -> str:
    return (
        f"## {dt.date.today().isoformat()} · Python {platform.python_version()} · "
        f"{platform.system()} {platform.machine()} · {os.cpu_count()} cores"
    )


def write_results(path: Path, title: str, body: str) -> str:
    """Add the section to ``path``, replacing a section with the same title; keep the rest."""
    header = (
        "# Benchmark results\n\n"
        "Written by `.venv/bin/python bench/run.py --write`; one section per day, "
        "Python version and machine (a rerun replaces its own section).\n"
    )
    old = path.read_text(encoding="utf-8") if path.exists() else header
    parts = re.split(r"(?m)^(?=## )", old)
    head, sections = parts[0], parts[1:]
    new = f"{title}\n\n{body}\n\n"
    replaced = False
    for i, section in enumerate(sections):
        if section.splitlines()[0].strip() == title:
            sections[i] = new
            replaced = True
    if not replaced:
        sections.append(new)
    if not head.endswith("\n\n"):
        head = head.rstrip("\n") + "\n\n"
    path.write_text(head + "".join(s.rstrip("\n") + "\n\n" for s in sections).rstrip("\n") + "\n")
    return "replaced" if replaced else "added"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help=f"folder of cables (*.txt), {CORPUS_HELP}",
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per stage (default 5)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N cables")
    parser.add_argument("--write", action="store_true", help=f"add the table to {RESULTS}")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    corpus = load_corpus(args.corpus, args.limit)
    if corpus is None:
        print(f"[bench] SKIPPED: no corpus (*.txt) at {args.corpus}; pass --corpus PATH")
        return 0
    if args.repeat < 5:
        print(f"[bench] note: --repeat {args.repeat} is below the usual 5", file=sys.stderr)
    pinned = pin_one_core()
    results = bench(corpus, args.repeat, pinned)
    text = report(results)
    print(f"\n{section_title(results)}\n\n{text}")
    if args.write:
        done = write_results(RESULTS, section_title(results), text)
        print(f"\n[bench] {done} section in {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
