"""``declass batch``: release a directory tree (see README "Batch").

Exit status 0 when every document was released or was already current, 1
when some documents failed (each is in the manifest with its error), and 2
for bad usage (one line on standard error, as for every declass command).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import click

from declass.service.cli.options import AS_OF, LOG, PAGE_SIZE, POLICY, as_of_value
from declass.service.formats import FORMAT_NAMES, Format

#: The formats, in the order they are produced (the registry's order, declass.service.formats).
FORMATS = FORMAT_NAMES
#: Ignored files named in the summary; the rest are counted.
NAMED_IGNORED = 10

EPILOG_BATCH = """\b
Examples:
  declass batch cables/ -o released/ --as-of 2026-11-28
  declass batch cables/ -o released/ --format text --format pdf --jobs 8
  declass batch cables/ -o released/ --format pdf --format vaughn --review reviews/
  declass batch /shared/in -o /shared/out --scheduler tcp://scheduler:8786
"""


@click.command(epilog=EPILOG_BATCH)
@click.argument(
    "input_dir",
    metavar="INPUT_DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "-o",
    "--output",
    "output_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the released tree and manifest.jsonl (made if missing).",
)
@POLICY
@AS_OF
@click.option(
    "--format",
    "formats",
    type=click.Choice(list(FORMATS)),
    multiple=True,
    help="Output format; repeat for several (default: text).",
)
@LOG
@PAGE_SIZE
@click.option(
    "--review",
    "review_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of review files named <document sha256>.json, applied where they match.",
)
@click.option(
    "--jobs", type=click.IntRange(min=1), help="Local worker processes (default: all cores)."
)
@click.option("--scheduler", metavar="ADDRESS", help="Run on a Dask scheduler, e.g. tcp://h:8786.")
@click.option(
    "--progress-interval",
    type=click.FloatRange(min=0),
    default=5.0,
    show_default=True,
    help="Seconds between progress lines when standard error is not a terminal.",
)
def batch(
    input_dir: Path,
    output_dir: Path,
    policy: str,
    as_of: str | None,
    formats: tuple[str, ...],
    log: bool,
    page_size: str,
    review_dir: Path | None,
    jobs: int | None,
    scheduler: str | None,
    progress_interval: float,
) -> int:
    """Release every text, PDF, Word file and scan under INPUT_DIR into OUTPUT_DIR, resumably."""
    from declass.rules.policy import load_policy
    from declass.service.batch.progress import PREFIX, Progress
    from declass.service.batch.runner import default_jobs, release_tree
    from declass.service.batch.work import BatchJob

    job = BatchJob(
        input_dir=str(input_dir.resolve()),
        output_dir=str(output_dir.resolve()),
        policy=load_policy(policy),
        as_of=as_of_value(as_of),
        formats=cast(
            "tuple[Format, ...]", tuple(f for f in FORMATS if f in (formats or ("text",)))
        ),
        log=log,
        page_size=page_size,
        review_dir=str(review_dir.resolve()) if review_dir is not None else None,
    )
    summary = release_tree(
        job,
        jobs=jobs or default_jobs(),
        scheduler=scheduler,
        progress=functools.partial(Progress, interval=progress_interval),
    )
    if summary.ignored:
        click.echo(f"{PREFIX} {ignored_line(summary.ignored)}", err=True)
    click.echo(
        f"{PREFIX} {summary.total} documents: {summary.ok} released, {summary.skipped} already"
        f" current, {summary.failed} failed, {len(summary.ignored)} other files ignored;"
        f" manifest {summary.manifest}",
        err=True,
    )
    return 1 if summary.failed else 0


def ignored_line(names: Sequence[str], shown: int = NAMED_IGNORED) -> str:
    """The files a batch did not take, so none goes missing unnoticed: the first few by
    name (file names, never their content), then how many more."""
    listed = ", ".join(names[:shown])
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    kinds = "text, PDF, Word or scan suffix"
    return f"ignored {len(names)} files without a {kinds}: {listed}{more}"
