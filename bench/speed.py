"""The release beside its floors, in one process: figures printed, never asserted.

Run from the repository root::

    .venv/bin/python bench/speed.py                      # text, JSON and PDF
    .venv/bin/python bench/speed.py --repeat 7 --pdf-sample 200
    .venv/bin/python bench/speed.py --profile text       # cProfile's top lines instead

On a shared machine the absolute figures move with the load, so each figure is
quoted beside its floor, measured in the same process and pinned to the same
CPU, and the ratio is what to compare between runs:

- text: ``run(fmt="text")`` and ``run(fmt="json")`` over the whole corpus, as
  MB/s, beside one compiled-regex ``finditer`` pass over the same texts
  (bench/run.py's floor); the goal is within 10x of it and 20 MB/s per core.
- PDF: ``run(fmt="pdf")`` (parse, decide, render, both gates), parse + decide +
  ``render_pdf``, and ``render_pdf`` alone (on releases decided before timing)
  over an even sample of the corpus, as pages/s, beside
  the bare canvas writing the same released lines (bench/corpus_pdf.py's
  floor); the goal is at least 0.5x of the floor's pages/s.

Timing is the CPU time of this process (``time.process_time``), not the wall
clock, so that other work on the machine moves the figures less; and each pass
times the floor and the releases back to back, so that each pass gives its own
ratio. Each figure is the median of ``--repeat`` passes after one warm-up pass,
and each ratio the median of the passes' ratios.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# appended, not first: a compiled build first on PYTHONPATH (README) is the one measured
sys.path.append(str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader

from bench.corpus_pdf import canvas_pdf
from bench.run import DEFAULT_CORPUS, Corpus, floor_pass, load_corpus, pin_one_core
from declass.compiled import HOT_MODULES, loaded_compiled
from declass.rules.engine import decide
from declass.rules.errors import DeclassError
from declass.rules.parse import parse_document
from declass.rules.policy import load_policy
from declass.service.pipeline import Format, run
from declass.service.render.pdf import render_pdf
from declass.service.render.text import render_text

AS_OF = dt.date(2026, 11, 28)
POLICY = "public"
MB = 1_000_000


def load() -> str:
    return f"load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"


def release_all(data: list[bytes], fmt: Format) -> Callable[[], int]:
    """One pass of the whole pipeline over ``data``; returns how many it refused."""
    policy = load_policy(POLICY)

    def work() -> int:
        refused = 0
        for raw in data:
            try:
                run(raw, policy, AS_OF, fmt=fmt)
            except DeclassError:
                refused += 1
        return refused

    return work


def pdf_sample(corpus: Corpus, size: int) -> tuple[list[int], int, list[str], int]:
    """An even sample of the corpus: indices, pages of their PDF releases, the released
    texts the floor draws, and the floor's pages."""
    step = max(1, len(corpus.texts) // size)
    chosen = list(range(0, len(corpus.texts), step))[:size]
    policy = load_policy(POLICY)
    pages, released, floor_pages = 0, [], 0
    for i in chosen:
        text = corpus.texts[i]
        decided = decide(parse_document(text), text, policy, AS_OF)
        pages += len(PdfReader(io.BytesIO(render_pdf(decided, text))).pages)
        released.append(render_text(decided, text))
        floor_pages += len(PdfReader(io.BytesIO(canvas_pdf(released[-1]))).pages)
    return chosen, pages, released, floor_pages


def cpu_seconds(work: Callable[[], object]) -> float:
    """The CPU time this process spends on ``work``."""
    gc.collect()
    start = time.process_time()
    work()
    return time.process_time() - start


def interleaved(stages: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """One warm-up of every stage, then ``repeat`` passes each timing every stage in turn."""
    for work in stages.values():
        work()
    times: dict[str, list[float]] = {name: [] for name in stages}
    for _ in range(repeat):
        for name, work in stages.items():
            times[name].append(cpu_seconds(work))
    return times


def ratio(over: list[float], under: list[float]) -> float:
    """The median of the per-pass ratios ``over / under``."""
    return statistics.median(a / b for a, b in zip(over, under, strict=True))


def measure(corpus: Corpus, repeat: int, sample: int) -> list[str]:
    texts, size = corpus.texts, corpus.size
    med = statistics.median
    lines = [f"- {load()} at the start", f"- corpus {len(texts)} documents, {size / MB:.2f} MB"]
    lines += [f"- declass: {'compiled' if all(map(loaded_compiled, HOT_MODULES)) else 'pure'}"]
    text = interleaved(
        {
            "floor": lambda: floor_pass(texts),
            "text": release_all(corpus.data, "text"),
            "json": release_all(corpus.data, "json"),
        },
        repeat,
    )
    floor, text_s, json_s = med(text["floor"]), med(text["text"]), med(text["json"])
    refused = release_all(corpus.data, "text")()
    lines += [
        f"- refused (text): {refused}",
        "",
        "| text (CPU time) | median s | MB/s | x floor time |",
        "|---|---:|---:|---:|",
        f"| floor: one regex pass | {floor:.4f} | {size / MB / floor:,.1f} | 1.0 |",
        f"| run(fmt='text') | {text_s:.3f} | {size / MB / text_s:.2f} "
        f"| {ratio(text['text'], text['floor']):.0f} |",
        f"| run(fmt='json') | {json_s:.3f} | {size / MB / json_s:.2f} "
        f"| {ratio(text['json'], text['floor']):.0f} |",
    ]
    chosen, pages, released, floor_pages = pdf_sample(corpus, sample)
    policy = load_policy(POLICY)
    data = [corpus.data[i] for i in chosen]

    def canvas_all() -> None:
        for text in released:
            canvas_pdf(text)

    def render_all() -> None:
        for i in chosen:
            text = corpus.texts[i]
            render_pdf(decide(parse_document(text), text, policy, AS_OF), text)

    decided = [
        (decide(parse_document(corpus.texts[i]), corpus.texts[i], policy, AS_OF), corpus.texts[i])
        for i in chosen
    ]

    def render_alone() -> None:
        for release, text in decided:
            render_pdf(release, text)

    pdf = interleaved(
        {
            "floor": canvas_all,
            "render": render_all,
            "alone": render_alone,
            "run": release_all(data, "pdf"),
        },
        repeat,
    )
    canvas_s, render_s, pdf_s = med(pdf["floor"]), med(pdf["render"]), med(pdf["run"])
    alone_s = med(pdf["alone"])
    # pages/s over the floor's pages/s = (pages / floor pages) x (floor time / release time)
    scale = pages / floor_pages
    lines += [
        "",
        f"PDF: {len(chosen)} documents, {pages} pages released ({floor_pages} on the floor)",
        "",
        "| pdf (CPU time) | median s | pages/s | x floor pages/s |",
        "|---|---:|---:|---:|",
        f"| floor: bare canvas, same lines | {canvas_s:.3f} | {floor_pages / canvas_s:,.0f} "
        "| 1.00 |",
        f"| parse + decide + render_pdf | {render_s:.3f} | {pages / render_s:,.0f} "
        f"| {scale / ratio(pdf['render'], pdf['floor']):.2f} |",
        f"| render_pdf alone (decided before timing) | {alone_s:.3f} | {pages / alone_s:,.0f} "
        f"| {scale / ratio(pdf['alone'], pdf['floor']):.2f} |",
        f"| run(fmt='pdf'), gates included | {pdf_s:.3f} | {pages / pdf_s:,.0f} "
        f"| {scale / ratio(pdf['run'], pdf['floor']):.2f} |",
        "",
        f"- {load()} at the end; median of {repeat} interleaved passes after one warm-up",
    ]
    return lines


def profile(corpus: Corpus, fmt: Format, sample: int, top: int) -> None:
    data = corpus.data
    if fmt == "pdf":
        data = [corpus.data[i] for i in pdf_sample(corpus, sample)[0]]
    work = release_all(data, fmt)
    work()
    profiler = cProfile.Profile()
    profiler.runcall(work)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pdf-sample", type=int, default=150, help="documents for the PDF rows")
    parser.add_argument("--profile", choices=["text", "json", "pdf"])
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    corpus = load_corpus(args.corpus, None)
    if corpus is None:
        print(f"[bench] SKIPPED: no corpus (*.txt) at {args.corpus}; pass --corpus PATH")
        return 0
    print(f"- {pin_one_core()}")
    if args.profile:
        profile(corpus, args.profile, args.pdf_sample, args.top)
        return 0
    print("\n".join(measure(corpus, args.repeat, args.pdf_sample)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
