"""Every benchmark in one run, side by side with its floors and a peer: figures, never asserts.

Run from the repository root (``make bench`` does the same)::

    .venv/bin/python bench/all.py                  # print everything
    .venv/bin/python bench/all.py --write          # ... and add the section to bench/RESULTS.md
    .venv/bin/python bench/all.py --seconds 5 --repeat 3 --skip-http

1. Core throughput over the corpus (bench/run.py's stages: a regex floor,
   parse, decide, render_text, the leak gate, the pipeline in text and JSON;
   then render_pdf and its canvas floor), pinned to one CPU, medians.
2. The peer: Presidio's anonymizer on the same spans as declass's render_text.
3. HTTP under load: ``declass serve`` (text and PDF) and an echo endpoint under
   the same gunicorn settings, each driven by wrk for ``--seconds``.
4. Growth: one cable of 1, 10, 100, 1000 pages; time, memory, fitted exponents.

Anything missing (the corpus, presidio-anonymizer, wrk) is SKIPPED visibly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus_pdf, growth, load
from bench.bench_pdf import load_cases
from bench.run import (
    DEFAULT_CORPUS,
    RESULTS,
    Results,
    bench,
    load_average,
    load_corpus,
    max_rss,
    pin_one_core,
    write_results,
)

ROOT = Path(__file__).resolve().parent.parent


def say(what: str) -> None:
    print(f"[bench] {what} ...", file=sys.stderr, flush=True)


def core_section(folder: Path, repeat: int) -> tuple[list[str], dict[str, float]]:
    """Stages over the corpus, ratios to the regex and canvas floors and to Presidio."""
    corpus = load_corpus(folder, None)
    if corpus is None:
        return [f"SKIPPED core throughput: no corpus (*.txt) at {folder}", ""], {}
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    pinned = pin_one_core()
    try:
        core = bench(corpus, repeat, pinned)
        say("render_pdf and the canvas floor")
        cases = load_cases(folder, "letter")
        pdf = corpus_pdf.pdf_stages(cases, max(3, repeat - 2))
        say("presidio anonymizer (the peer)")
        peer = corpus_pdf.peer_stages(cases, repeat)
        pdf_peak = corpus_pdf.pdf_peak(cases)
    finally:
        if allowed is not None:
            os.sched_setaffinity(0, allowed)  # the servers below get every core
    rows = ["| stage | median s | docs/s | MB/s | pages/s |", "|---|---:|---:|---:|---:|"]
    rows += [
        f"| {r.stage} | {r.seconds:.4f} | {r.docs_per_s:,.0f} | {r.mb_per_s:,.2f} | |"
        for r in core.rows
    ]
    for name, t in pdf.items():
        label = "5a. render_pdf" if name == "render_pdf" else "5b. floor: canvas Courier lines"
        rows.append(
            f"| {label} | {t.seconds:.4f} | {t.docs_per_s:,.0f} | {t.mb_per_s:,.2f} "
            f"| {t.pages_per_s:,.0f} |"
        )
    seconds = {r.stage.split(". ", 1)[1]: r.seconds for r in core.rows}
    figures = {
        "text_vs_regex": seconds["run(fmt='text')"] / seconds["floor: regex finditer"],
        "pdf_vs_canvas": pdf["render_pdf"].pages_per_s / pdf["canvas floor"].pages_per_s,
    }
    lines = [*[f"- {c}" for c in core.context], *[f"- {n}" for n in core.notes], "", *rows, ""]
    lines += _peer_lines(peer, figures)
    lines += _memory_lines(core, pdf_peak)
    return lines, figures


def _peer_lines(
    peer: dict[str, corpus_pdf.Throughput] | None, figures: dict[str, float]
) -> list[str]:
    if peer is None:
        return [
            "SKIPPED peer: presidio-anonymizer is not installed (pip install it into .venv)",
            "",
        ]
    ours, theirs = peer["declass render_text"], peer["presidio anonymize"]
    figures["presidio_vs_declass"] = theirs.seconds / ours.seconds
    return [
        "Peer, the same spans over the corpus (withheld and reviewed bodies, span redactions):",
        "",
        "| peer stage | median s | docs/s | MB/s |",
        "|---|---:|---:|---:|",
        *[
            f"| {name} | {t.seconds:.4f} | {t.docs_per_s:,.0f} | {t.mb_per_s:,.2f} |"
            for name, t in peer.items()
        ],
        "",
    ]


def _memory_lines(core: Results, pdf_peak: int) -> list[str]:
    rss = max_rss()
    return [
        "| memory | value |",
        "|---|---:|",
        f"| tracemalloc peak, one pass of run(fmt='text') | {core.peak / 2**20:,.1f} MiB |",
        f"| tracemalloc peak, one pass of render_pdf | {pdf_peak / 2**20:,.1f} MiB |",
        f"| process max RSS | {(rss or 0) / 2**20:,.1f} MiB |",
        "",
    ]


def http_section(folder: Path, seconds: int) -> tuple[list[str], dict[str, float]]:
    if load.wrk_path() is None:
        return ["SKIPPED HTTP load: wrk not on PATH (apt-get install wrk)", ""], {}
    body = _typical_cable(folder)
    say(f"HTTP load with wrk, {seconds} s per server, body {body.name}")
    results = load.load_all(body, "2010-01-01", seconds)
    lines = [
        f"wrk -t2 --latency, {seconds} s each, connections = workers x threads unless said, "
        f"POST body {body.name} ({body.stat().st_size:,} bytes), as of 2010-01-01:",
        "",
        "| server | requests/s | p50 ms | p99 ms | requests | errors | workers | "
        "worker RSS start MiB | end MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.requests_per_s:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
            f"| {r.requests:,} | {r.errors} | {r.workers} | {r.rss_start / 2**20:,.0f} "
            f"| {r.rss_end / 2**20:,.0f} |"
        )
    echo, text, pdf, calm = results
    figures = {
        "http_text_vs_echo": text.requests_per_s / echo.requests_per_s,
        "http_text_p99": text.p99_ms,
        "http_text_p99_calm": calm.p99_ms,
        "http_pdf_vs_echo": pdf.requests_per_s / echo.requests_per_s,
        "http_errors": float(sum(r.errors for r in results)),
    }
    return [*lines, ""], figures


def _typical_cable(folder: Path) -> Path:
    """The median-sized cable of the corpus, or the test cable without one."""
    files = sorted(folder.glob("*.txt"), key=lambda p: p.stat().st_size) if folder.is_dir() else []
    return files[len(files) // 2] if files else ROOT / "tests" / "data" / "paris_2006.txt"


def growth_section(repeat: int) -> tuple[list[str], dict[str, float]]:
    say("growth: 1, 10, 100, 1000 pages")
    points = growth.measure(repeat)
    stages = list(points[0].seconds)
    lines = [
        "| PDF pages | characters | " + " | ".join(f"{s} s | {s} peak MiB" for s in stages) + " |",
        "|---:|---:|" + "---:|---:|" * len(stages),
    ]
    for p in points:
        cells = " | ".join(f"{p.seconds[s]:.4f} | {p.peak[s] / 2**20:,.1f}" for s in stages)
        lines.append(f"| {p.pages:,} | {p.chars:,} | {cells} |")
    fitted = growth.exponents(points)
    lines += ["", "| stage | time exponent | memory exponent |", "|---|---:|---:|"]
    lines += [f"| {s} | {t:.2f} | {m:.2f} |" for s, (t, m) in fitted.items()]
    return [*lines, ""], {f"growth_{s}": t for s, (t, _) in fitted.items()}


def ratio_lines(figures: dict[str, float]) -> list[str]:
    aims: list[tuple[str, str, str, Callable[[float], bool] | None]] = [
        ("text_vs_regex", "run(text) time / regex floor time", "within 10x", lambda v: v <= 10),
        ("pdf_vs_canvas", "render_pdf pages/s / canvas floor", "at least 0.5", lambda v: v >= 0.5),
        ("http_text_vs_echo", "HTTP text req/s / echo req/s", "at least 0.5", lambda v: v >= 0.5),
        ("http_text_p99", "HTTP text p99 (ms)", "below 20 ms", lambda v: v < 20),
        (
            "http_text_p99_calm",
            "HTTP text p99, 2 connections (ms)",
            "below 20 ms",
            lambda v: v < 20,
        ),
        ("http_pdf_vs_echo", "HTTP PDF req/s / echo req/s", "", None),
        ("http_errors", "HTTP errors, all runs", "zero", lambda v: v == 0),
        ("presidio_vs_declass", "Presidio anonymize time / render_text", "", None),
    ]
    lines = ["| comparison | value | aim | met |", "|---|---:|---|---|"]
    for key, label, aim, test in aims:
        if key in figures:
            value = figures[key]
            met = "" if test is None else ("yes" if test(value) else "**no**")
            lines.append(f"| {label} | {value:,.2f} | {aim} | {met} |")
    lines += [
        *[f"| growth exponent, {k[7:]} | {v:.2f} | about 1 or less | "
          f"{'yes' if v <= 1.15 else '**no**'} |" for k, v in figures.items()
          if k.startswith("growth_")],
    ]  # fmt: skip
    return [*lines, ""]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per stage")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per server")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-growth", action="store_true")
    parser.add_argument("--write", action="store_true", help=f"add the section to {RESULTS}")
    args = parser.parse_args(argv)
    start_load = load_average().replace(" at the end", "")
    core, figures = core_section(args.corpus, args.repeat)
    http: list[str] = ["SKIPPED HTTP load (--skip-http)", ""]
    if not args.skip_http:
        http, more = http_section(args.corpus, args.seconds)
        figures.update(more)
    grown: list[str] = ["SKIPPED growth (--skip-growth)", ""]
    if not args.skip_growth:
        grown, more = growth_section(max(3, args.repeat - 2))
        figures.update(more)
    body = [
        f"- {os.cpu_count()} cores, {start_load} at the start, {load_average()}",
        f"- command: .venv/bin/python bench/all.py --repeat {args.repeat} --seconds {args.seconds}",
        "",
        "### Core throughput (one CPU)",
        "",
        *core,
        "### Against the floors and the peer",
        "",
        *ratio_lines(figures),
        "### HTTP under load",
        "",
        *http,
        "### Growth with document size",
        "",
        *grown,
    ]
    text = "\n".join(body).rstrip("\n")
    title = (
        f"## {dt.date.today().isoformat()} · all benchmarks · Python {platform.python_version()}"
        f" · {platform.system()} {platform.machine()} · {os.cpu_count()} cores"
    )
    print(f"\n{title}\n\n{text}")
    if args.write:
        print(f"\n[bench] {write_results(RESULTS, title, text)} section in {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
