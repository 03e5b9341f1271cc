"""Throughput of ``declass batch`` over the real corpus: figures printed, never asserted.

Run from the repository root::

    .venv/bin/python bench/bench_batch.py                      # text, 1 and 2 jobs
    .venv/bin/python bench/bench_batch.py --format pdf --copies 1 --jobs 1,2,4
    .venv/bin/python bench/bench_batch.py --format text --format pdf --copies 1 --dask

Each run releases ``--copies`` (default 3) linked copies of every cable of the
corpus, so that start-up is a small part of the time (policy "public", as of
2026-11-28), into a fresh temporary directory with
:func:`declass.service.batch.runner.release_tree`, the code behind ``declass batch``, and is
timed from the wall clock: discovery, worker start-up, reading, releasing,
writing and the manifest included. Figures: documents/s, input MB/s, the
speed-up over one job, documents/s per core, and the time 250,000 cables
would take on one core and on the measured number of jobs; for one job, which
runs in this process, also documents per CPU-second, a per-core figure that
other load on the machine does not skew. A re-run over the
finished output (everything current, nothing written) is timed too. With
``--dask`` the same runs go through a LocalCluster of ``jobs`` worker
processes on this machine. Without the corpus it prints SKIPPED and exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, cast

from declass.rules.policy import load_policy
from declass.service.batch.progress import Progress
from declass.service.batch.runner import default_jobs, discover, release_tree
from declass.service.batch.work import BatchJob
from declass.service.pipeline import Format

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(os.environ.get("DECLASS_CORPUS", ROOT.parent / "shared" / "corpus"))
AS_OF = dt.date(2026, 11, 28)
ARCHIVE = 250_000


def quiet(total: int) -> Progress:
    return Progress(total, stream=io.StringIO(), tty=False, interval=3600)


def timed_run(job: BatchJob, jobs: int, scheduler: str | None) -> tuple[float, float, int]:
    """Wall-clock and own CPU seconds of one batch, and the documents it released or skipped."""
    started, cpu = time.perf_counter(), time.process_time()
    summary = release_tree(job, jobs=jobs, scheduler=scheduler, progress=quiet)
    elapsed = time.perf_counter() - started
    return elapsed, time.process_time() - cpu, summary.ok + summary.skipped


@contextmanager
def local_cluster(workers: int) -> Iterator[str]:
    from dask.distributed import LocalCluster

    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    try:
        yield str(cluster.scheduler_address)
    finally:
        cluster.close()


def hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def link_tree(corpus: Path, paths: list[str], copies: int, root: Path) -> Path:
    """``copies`` folders of symbolic links to the cables: a larger archive, read in place."""
    for copy in range(copies):
        folder = root / f"copy{copy}"
        folder.mkdir(parents=True)
        for path in paths:
            (folder / Path(path).name).symlink_to(corpus / path)
    return root


def measure(tree: Path, formats: tuple[Format, ...], jobs: int, dask: bool) -> dict[str, Any]:
    """One full run and one all-current re-run into a fresh directory."""
    scratch = Path(tempfile.mkdtemp(prefix="declass-bench-"))
    try:
        job = BatchJob(str(tree), str(scratch / "out"), load_policy("public"), AS_OF, formats)
        with local_cluster(jobs) if dask else nullcontext(None) as scheduler:
            seconds, cpu, documents = timed_run(job, jobs, scheduler)
            resume, _, _ = timed_run(job, jobs, scheduler)
        in_process = jobs == 1 and not dask  # one job runs here: its CPU time is ours
        return {
            "jobs": jobs,
            "seconds": seconds,
            "cpu": cpu if in_process else None,
            "documents": documents,
            "resume": resume,
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def report(rows: list[dict[str, Any]], megabytes: float, label: str) -> None:
    single = [r["documents"] / r["seconds"] for r in rows if r["jobs"] == 1]
    print(f"\n{label}")
    print(" jobs  documents  seconds  docs/s  MB/s  speed-up  docs/s/core  250k/core  250k/jobs")
    for row in rows:
        rate = row["documents"] / row["seconds"]
        speedup = f"{rate / single[0]:>7.2f}x" if single else "      -"
        print(
            f" {row['jobs']:>4}  {row['documents']:>9}  {row['seconds']:>7.1f}  {rate:>6.1f}"
            f"  {megabytes / row['seconds']:>4.2f}  {speedup}  {rate / row['jobs']:>11.1f}"
            f"  {hours(ARCHIVE / (rate / row['jobs'])):>9}  {hours(ARCHIVE / rate):>9}"
        )
    for row in rows:
        print(f"   re-run with everything current, {row['jobs']} job(s): {row['resume']:.1f} s")
    for row in rows:
        if row["cpu"]:
            rate = row["documents"] / row["cpu"]
            print(
                f"   one job by CPU time (other load aside): {rate:.1f} docs per CPU-second,"
                f" 250,000 cables in {hours(ARCHIVE / rate)} of one core"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--format", dest="formats", action="append", choices=["text", "pdf", "json"]
    )
    parser.add_argument("--jobs", default="1,2", help="comma-separated job counts (default 1,2)")
    parser.add_argument("--dask", action="store_true", help="run on a LocalCluster as well")
    parser.add_argument("--copies", type=int, default=3, help="times the corpus is linked in")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"SKIPPED: no corpus at {args.corpus} (set --corpus or DECLASS_CORPUS)")
        return 0
    formats = cast("tuple[Format, ...]", tuple(dict.fromkeys(args.formats or ["text"])))
    counts = [int(n) for n in args.jobs.split(",")]
    paths, _ = discover(args.corpus, args.corpus / ".none")
    megabytes = args.copies * sum((args.corpus / p).stat().st_size for p in paths) / 1e6
    print(f"declass batch benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}")
    print(
        f"{args.copies} x {len(paths)} documents ({megabytes:.1f} MB) from {args.corpus};"
        f" {default_jobs()} cores; Python {platform.python_version()};"
        f" load average {os.getloadavg()[0]:.2f}"
    )
    modes = [("local processes", False)] + ([("Dask LocalCluster", True)] if args.dask else [])
    with tempfile.TemporaryDirectory(prefix="declass-bench-in-") as scratch:
        tree = link_tree(args.corpus, paths, args.copies, Path(scratch))
        for label, dask in modes:
            rows = [measure(tree, formats, jobs, dask) for jobs in counts]
            report(rows, megabytes, f"{label}, formats {', '.join(formats)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
