"""Throughput of the PDF release over the real corpus: figures printed, never asserted.

Run from the repository root::

    .venv/bin/python bench/bench_pdf.py
    .venv/bin/python bench/bench_pdf.py --repeat 7 --sample 100 --page-size a4

Every cable is read, parsed and decided once, before any timing (policy
"public", as of 2026-11-28), so the passes time only the PDF work. The
process is pinned to one CPU where the platform allows it. Figures:

1. render_pdf over the whole corpus: the median of ``--repeat`` passes after
   one warm-up, as pages/s and documents/s.
2. A typical cable (one whose release is 2 or 3 pages), over up to
   ``--sample`` such cables: the median time per cable of render_pdf alone,
   of pdf_text (the leak gate reads the PDF back through pypdf), and of the
   whole pipeline ``run(..., fmt="pdf")`` from bytes, gate included.

The aim for a typical cable is well under 50 ms for render_pdf on one core.

``--agree`` times nothing: it releases every cable (and the test documents) under
both policies and compares the text the gates read from the strings drawn
(``render_pdf_drawn``) with the read-back of the finished file (PDFium where
installed, pypdf otherwise) and the two gates' verdicts on each, and prints how
many releases took the drawn text, how many were read back, and how many
disagree (the figure must be 0)::

    .venv/bin/python bench/bench_pdf.py --agree
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from declass.rules.engine import decide
from declass.rules.errors import DeclassError, LeakError
from declass.rules.leakgate import fold
from declass.rules.parse import normalise, parse_document
from declass.rules.policy import load_policy
from declass.rules.release import Release
from declass.service.pipeline import check_gates, release, run
from declass.service.render.pdf import pdf_text, render_pdf, render_pdf_drawn
from declass.service.render.pdf_gate import gate_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(os.environ.get("DECLASS_CORPUS", ROOT.parent / "shared" / "corpus"))
AS_OF = dt.date(2026, 11, 28)
POLICY = "public"
POLICIES = ("public", "partner-gbr-secret")


@dataclass(frozen=True)
class Case:
    """One decided cable, ready to render."""

    data: bytes
    text: str
    release: Release
    pages: int


def load_cases(folder: Path, page_size: str) -> list[Case]:
    """Decide every cable once and count the pages of its release (untimed)."""
    policy = load_policy(POLICY)
    cases = []
    for path in sorted(folder.glob("*.txt")):
        data = path.read_bytes()
        try:
            text = normalise(data)
        except DeclassError as exc:
            print(f"[bench] skipping {path.name}: {exc}", file=sys.stderr)
            continue
        release = decide(parse_document(text), text, policy, AS_OF)
        pdf = render_pdf(release, text, page_size=page_size)
        cases.append(Case(data, text, release, len(PdfReader(io.BytesIO(pdf)).pages)))
    return cases


def pin_one_core() -> str:
    """Pin this process to one CPU it may run on; say which (or why not)."""
    if not hasattr(os, "sched_getaffinity"):
        return "not pinned (no sched_setaffinity on this platform)"
    cpu = sorted(os.sched_getaffinity(0))[-1]
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def median_pass(work: Callable[[], object], repeat: int) -> float:
    """One untimed warm-up, then the median of ``repeat`` timed passes, in seconds."""
    work()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_each(cases: list[Case], call: Callable[[Case], object], repeat: int) -> float:
    """The median over cases of each case's median call time, in seconds."""
    per_case = []
    for case in cases:
        call(case)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            call(case)
            times.append(time.perf_counter() - start)
        per_case.append(statistics.median(times))
    return statistics.median(per_case)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sample", type=int, default=50, help="typical cables to time")
    parser.add_argument("--page-size", default="letter", choices=["letter", "a4"])
    parser.add_argument("--agree", action="store_true", help="drawn text against read-back")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"[bench] SKIPPED: no corpus at {args.corpus} (set DECLASS_CORPUS)")
        return 0
    if args.agree:
        return agree(args.corpus, args.page_size)
    pinned = pin_one_core()
    cases = load_cases(args.corpus, args.page_size)
    pages = sum(case.pages for case in cases)
    print(f"corpus {args.corpus}: {len(cases)} cables, {pages} pages ({args.page_size})")
    print(f"policy {POLICY}, as of {AS_OF}, {pinned}, median of {args.repeat} passes")

    def render_all() -> None:
        for case in cases:
            render_pdf(case.release, case.text, page_size=args.page_size)

    seconds = median_pass(render_all, args.repeat)
    print(
        f"render_pdf, whole corpus: {seconds:.2f} s/pass  "
        f"{pages / seconds:,.0f} pages/s  {len(cases) / seconds:,.0f} documents/s"
    )
    _typical(cases, args)
    return 0


def _typical(cases: list[Case], args: argparse.Namespace) -> None:
    """Per-cable medians over the 2-3 page cables."""
    typical = [case for case in cases if 2 <= case.pages <= 3][: args.sample]
    if not typical:
        print("no 2-3 page cable in the corpus")
        return
    policy = load_policy(POLICY)
    pdfs = {id(case): render_pdf(case.release, case.text) for case in typical}
    render = median_each(typical, lambda c: render_pdf(c.release, c.text), args.repeat)
    extract = median_each(typical, lambda c: pdf_text(pdfs[id(c)]), args.repeat)
    whole = median_each(typical, lambda c: run(c.data, policy, AS_OF, fmt="pdf"), args.repeat)
    print(f"typical cable (2-3 pages, {len(typical)} cables), median per cable:")
    print(f"  render_pdf              {render * 1000:7.2f} ms")
    print(f"  pdf_text (pypdf)        {extract * 1000:7.2f} ms")
    print(f"  pipeline run(fmt=pdf)   {whole * 1000:7.2f} ms  (parse, decide, render, gates)")


def verdict(said: str, decided: Release, text: str) -> str:
    """What the leak gate and key 2 say of ``said``: passed, or the refusal."""
    try:
        check_gates(said, said, decided, text)
    except LeakError as exc:
        return str(exc)
    return "passed"


def agree(corpus: Path, page_size: str) -> int:
    data = ROOT / "tests" / "data"
    paths = [
        *sorted(corpus.glob("*.txt")),
        *sorted(data.glob("*.txt")),
        *sorted((data / "adversarial").glob("*.txt")),
    ]
    counts: Counter[str] = Counter()
    for path in paths:
        for policy in POLICIES:
            try:
                text = normalise(path.read_bytes())
                decided = release(text, load_policy(policy), AS_OF)
                output, drawn = render_pdf_drawn(decided, text, page_size=page_size)
            except DeclassError:
                counts["refused before rendering"] += 1
                continue
            if drawn is None:
                counts["read back (not plain)"] += 1
                continue
            read_back = gate_text(output)
            same_words = fold(drawn) == fold(read_back)
            same_verdict = verdict(drawn, decided, text) == verdict(read_back, decided, text)
            if drawn == read_back:
                counts["drawn text, identical to the read-back"] += 1
            elif same_words and same_verdict:
                counts["drawn text, same words and verdicts"] += 1
            else:
                counts["disagree"] += 1
                print(f"[agree] {path.name} {policy}: words {same_words}, verdict {same_verdict}")
    print(f"{len(paths)} documents x {len(POLICIES)} policies, {page_size}")
    for name, count in sorted(counts.items()):
        print(f"  {name}: {count}")
    print(f"disagreements: {counts['disagree']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
