"""How cost grows with the document: one cable of 1, 10, 100 and 1000 pages.

The document is tests/data/paris_2006.txt with its paragraphs repeated and
renumbered, markings cycling (C), (U), (S//NF) so that a release mixes
released text, withheld boxes and review (the cable's DECL date has passed as
of 2020, and a SECRET paragraph sits above the CONFIDENTIAL banner). The
number of repetitions per page is calibrated once from the PDF release.
For each size: the median time and the tracemalloc peak of the whole text
pipeline ``run(fmt="text")`` (parse + decide + render + leak gate), of the
same with two span redactions (a phrase and a pattern: every hit is clipped
to the released segments), and of ``run(fmt="pdf")``. The fitted exponent is
the least-squares slope of log(cost) on log(size in characters); linear work
gives 1, fixed overheads pull it below 1 at small sizes.

The paged cable (:func:`build_paged`, :func:`paged`) is the same cable with a
page break inside every paragraph (the banner and a ``PAGE nn`` line between
its halves), at 10, 50, 100 and 200 pages: each page's second half is a
continuation of the paragraph the break interrupted. Parse time and text
release time per page should stay flat as the page count grows. Run on its
own from the repository root::

    .venv/bin/python bench/growth.py            # the paged cable only
    .venv/bin/python bench/growth.py --all      # ... and the 1-1000 page sizes
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import io
import math
import statistics
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_pdf import median_pass
from declass.rules.parse import parse_document
from declass.rules.policy import load_policy
from declass.rules.release import PatternRedaction, PhraseRedaction, Redaction
from declass.service.pipeline import run

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "data" / "paris_2006.txt"
AS_OF = dt.date(2020, 1, 1)
PAGES = (1, 10, 100, 1000)
PAGED = (10, 50, 100, 200)
PAGE_BREAK = ("CONFIDENTIAL", "PAGE {page:02d} PARIS 06120 251716Z")
MARKS = ("(C)", "(U)", "(S//NF)")
REDACTIONS: tuple[Redaction, ...] = (
    PhraseRedaction(phrase="Ferrand-Quillet", exemption="(b)(6)"),
    PatternRedaction(pattern=r"Velmoria\w*", exemption="(b)(6)"),
)


@dataclass(frozen=True)
class Point:
    pages: int  # pages of the PDF release
    chars: int
    seconds: dict[str, float]
    peak: dict[str, int]


def build(repeats: int) -> str:
    """The cable with its paragraphs repeated ``repeats`` times, renumbered."""
    head, _, body = SOURCE.read_text(encoding="utf-8").partition("¶1.")
    paragraphs = [p.split(" ", 2)[2] for p in ("¶1." + body).split("\n\n") if p.startswith("¶")]
    lines = [head.rstrip("\n"), ""]
    for n in range(repeats * len(paragraphs)):
        text = paragraphs[n % len(paragraphs)]
        lines += [f"¶{n + 1}. {MARKS[n % len(MARKS)]} {text}", ""]
    return "\n".join([*lines, "Ashcombe", ""])


def _stages() -> dict[str, Callable[[bytes], object]]:
    policy = load_policy("public")
    return {
        "text": lambda data: run(data, policy, AS_OF, fmt="text"),
        "text + spans": lambda data: run(data, policy, AS_OF, fmt="text", redactions=REDACTIONS),
        "pdf": lambda data: run(data, policy, AS_OF, fmt="pdf"),
    }


def pages_of(data: bytes) -> int:
    pdf = run(data, load_policy("public"), AS_OF, fmt="pdf").output
    return len(PdfReader(io.BytesIO(pdf)).pages)


def measure(repeat: int) -> list[Point]:
    stages = _stages()
    per_page = 100 / pages_of(build(100).encode("utf-8"))  # repetitions per PDF page
    points = []
    for target in PAGES:
        data = build(max(1, round(target * per_page))).encode("utf-8")
        seconds, peak = {}, {}
        for name, stage in stages.items():
            seconds[name] = median_pass(functools.partial(stage, data), repeat)
            peak[name] = _peak(functools.partial(stage, data))
        points.append(Point(pages_of(data), len(data.decode("utf-8")), seconds, peak))
    return points


def _peak(work: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log(y) on log(x)."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(max(y, 1e-12)) for y in ys]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    num = sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True))
    den = sum((a - mx) ** 2 for a in lx)
    return num / den


def exponents(points: list[Point]) -> dict[str, tuple[float, float]]:
    """Per stage: (time exponent, memory exponent), fitted over every size."""
    xs = [float(p.chars) for p in points]
    return {
        name: (
            slope(xs, [p.seconds[name] for p in points]),
            slope(xs, [float(p.peak[name]) for p in points]),
        )
        for name in points[0].seconds
    }


# -- the paged cable -------------------------------------------------------------------


def build_paged(pages: int) -> str:
    """The cable with one paragraph per page, each cut in two by a page break."""
    head, _, body = SOURCE.read_text(encoding="utf-8").partition("¶1.")
    paragraphs = [p.split(" ", 2)[2] for p in ("¶1." + body).split("\n\n") if p.startswith("¶")]
    lines = [head.rstrip("\n"), ""]
    for n in range(pages):
        words = paragraphs[n % len(paragraphs)].split(" ")
        half = len(words) // 2
        lines += [f"¶{n + 1}. {MARKS[n % len(MARKS)]} {' '.join(words[:half])}", ""]
        lines += [line.format(page=n + 2) for line in PAGE_BREAK]
        lines += ["", " ".join(words[half:]), ""]
    return "\n".join([*lines, "Ashcombe", ""])


@dataclass(frozen=True)
class PagedPoint:
    pages: int
    continuations: int  # segments that continue a paragraph across a page break
    parse: float  # median seconds
    release: float  # median seconds of run(fmt="text")


def paged(repeat: int) -> list[PagedPoint]:
    """Parse and text release of the paged cable at each page count."""
    policy = load_policy("public")
    points = []
    for pages in PAGED:
        text = build_paged(pages)
        data = text.encode("utf-8")
        continuations = sum(1 for s in parse_document(text).segments if s.continues)
        parse = median_pass(functools.partial(parse_document, text), repeat)
        release = median_pass(functools.partial(run, data, policy, AS_OF, fmt="text"), repeat)
        points.append(PagedPoint(pages, continuations, parse, release))
    return points


def paged_table(points: list[PagedPoint]) -> list[str]:
    """Time per page: flat when the cost is linear in page breaks."""
    lines = [
        "| pages | continuations | parse ms/page | run(text) ms/page |",
        "|---:|---:|---:|---:|",
    ]
    for p in points:
        lines.append(
            f"| {p.pages} | {p.continuations} | {p.parse / p.pages * 1000:.3f} "
            f"| {p.release / p.pages * 1000:.3f} |"
        )
    # The cost of one more page, without the header's fixed cost: early pages against late.
    a, b, c, d = points[0], points[1], points[-2], points[-1]
    early = (b.parse - a.parse) / (b.pages - a.pages)
    late = (d.parse - c.parse) / (d.pages - c.pages)
    lines.append("")
    lines.append(
        f"parse cost of one more page: {early * 1000:.3f} ms ({a.pages}-{b.pages} pages), "
        f"{late * 1000:.3f} ms ({c.pages}-{d.pages} pages): {late / early:.2f}x (linear: about 1)"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="How cost grows with the document.")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--all", action="store_true", help="also the 1-1000 page sizes")
    args = parser.parse_args(argv)
    print("\n".join(paged_table(paged(args.repeat))))
    if args.all:
        for name, (t, m) in exponents(measure(args.repeat)).items():
            print(f"{name}: time exponent {t:.2f}, memory exponent {m:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
