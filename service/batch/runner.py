"""``declass batch``: release a whole directory tree, resumably, on local cores or Dask.

The plan (which documents, which were already done) and the manifest live in
the calling process; the documents are released by :mod:`declass.service.batch.work`
in worker processes — local ones here, Dask workers in
:mod:`declass.service.batch.dask_runner` — which write the released files themselves and
hand back one manifest record each. The rules engine stays one pure function.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from declass.rules.errors import DeclassError, RequestError
from declass.service.batch.chunks import chunk_size, chunked
from declass.service.batch.index import write_index
from declass.service.batch.manifest import (
    MANIFEST_NAME,
    Journal,
    Record,
    dump_record,
    read_manifest,
    write_manifest,
)
from declass.service.batch.parent_watch import lifeline, watch_parent
from declass.service.batch.progress import Progress
from declass.service.batch.work import BatchJob, Task, release_chunk
from declass.service.formats import BATCH_SUFFIXES

#: Input files a batch takes (by suffix, any case, from declass.service.formats); every other file
#: is ignored, and counted and named in the summary.
INPUT_SUFFIXES = BATCH_SUFFIXES
Sink = Callable[[Record], None]
Runner = Callable[[Sequence[Task], BatchJob, Sink], None]


@dataclass(frozen=True)
class Summary:
    """How a batch went: documents by status, where the manifest is, and the files under
    the input directory that were not taken (relative POSIX paths, sorted)."""

    total: int
    ok: int
    skipped: int
    failed: int
    manifest: Path
    ignored: tuple[str, ...] = ()


def default_jobs() -> int:
    """All the cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def check_directories(input_dir: Path, output_dir: Path) -> None:
    """The output may sit inside the input tree (it is skipped), never the reverse."""
    source, target = input_dir.resolve(), output_dir.resolve()
    if source == target or source.is_relative_to(target):
        raise RequestError("the output directory must not be the input directory or contain it")


def discover(input_dir: Path, output_dir: Path) -> tuple[list[str], list[str]]:
    """Input documents, and the other files, as sorted POSIX paths relative to ``input_dir``.

    Symbolic links to directories are not followed, and neither is the output
    directory when it lies inside the input tree.
    """
    root, skip = input_dir.resolve(), output_dir.resolve()
    found: list[str] = []
    ignored: list[str] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = [d for d in dirs if (here / d).resolve() != skip]
        for name in files:
            if not (here / name).is_file():
                continue
            taken = name.lower().endswith(INPUT_SUFFIXES)
            (found if taken else ignored).append((here / name).relative_to(root).as_posix())
    return sorted(found), sorted(ignored)


def release_tree(
    job: BatchJob,
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int], Progress] = Progress,
) -> Summary:
    """Release every input document of ``job`` and keep the manifest; resumable."""
    input_dir, output_dir = Path(job.input_dir), Path(job.output_dir)
    check_directories(input_dir, output_dir)
    with _runner(jobs, scheduler) as runner:  # a scheduler that cannot be reached stops here
        output_dir.mkdir(parents=True, exist_ok=True)
        manifest = output_dir / MANIFEST_NAME
        paths, ignored = discover(input_dir, output_dir)
        previous = read_manifest(manifest)
        lines = {path: previous[path] for path in paths if path in previous}
        del previous
        write_manifest(manifest, lines)  # drops torn lines before appending
        tasks = [Task(path, lines.get(path)) for path in paths]
        counts = _run(runner, tasks, job, manifest, lines, progress(len(tasks)))
        if "vaughn" in job.formats:
            write_index(output_dir, lines)
    return _summary(len(tasks), counts, manifest, ignored)


def _run(
    runner: Runner,
    tasks: list[Task],
    job: BatchJob,
    manifest: Path,
    lines: dict[str, str],
    meter: Progress,
) -> Counter[str]:
    """Run the tasks, journal each record as it comes, compact the manifest at the end."""
    with Journal(manifest) as journal:

        def sink(record: Record) -> None:
            line = dump_record(record)
            journal.append(line)
            lines[record["path"]] = line
            meter.update(record["status"])

        try:
            runner(tasks, job, sink)
        finally:
            meter.close()
            write_manifest(manifest, lines)
    return meter.counts


def _summary(total: int, count: Counter[str], manifest: Path, ignored: list[str]) -> Summary:
    return Summary(total, count["ok"], count["skipped"], count["error"], manifest, tuple(ignored))


def _runner(jobs: int, scheduler: str | None) -> AbstractContextManager[Runner]:
    if scheduler is not None:
        from declass.service.batch.dask_runner import DaskRunner

        return DaskRunner(scheduler)
    return nullcontext(functools.partial(run_local, jobs=jobs))


def run_local(tasks: Sequence[Task], job: BatchJob, sink: Sink, *, jobs: int = 1) -> None:
    """In this process for one job, else in a pool of local worker processes."""
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            for record in release_chunk([task], job):
                sink(record)
    else:
        _run_processes(tasks, job, jobs, sink)


def _run_processes(tasks: Sequence[Task], job: BatchJob, jobs: int, sink: Sink) -> None:
    """A pool of local worker processes; a worker that dies stops the batch (resumable).
    Each worker holds the read end of a lifeline whose write end only this process
    holds, so the workers end when the batch is killed (see declass.service.batch.parent_watch)."""
    reader, writer = lifeline()
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(tasks)),
        mp_context=_start_method(),
        initializer=watch_parent,
        initargs=(reader,),
    )
    try:
        size = chunk_size(len(tasks), jobs)
        futures = [pool.submit(release_chunk, chunk, job) for chunk in chunked(tasks, size)]
        for future in as_completed(futures):
            for record in future.result():
                sink(record)
    except BrokenProcessPool:
        raise DeclassError("a worker process died; run the same command again to resume") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        reader.close()
        writer.close()


def _start_method() -> multiprocessing.context.BaseContext:
    """Workers never inherit our threads or locks: forked from a clean server that has
    imported the pipeline once (forkserver), or started afresh (spawn) where there is none."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["declass.service.batch.work"])
    return context
