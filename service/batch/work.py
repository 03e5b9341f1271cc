"""One document of a batch: read, release in every format, write, describe.

This is the part that runs in worker processes (local or Dask), so it takes
and returns only plain, picklable values: a :class:`BatchJob` (settings) and a
:class:`Task` (one relative path and its previous manifest record), and
returns a manifest record. The release itself is the one pure pipeline
(:mod:`declass.service.pipeline`): read once, decided once, rendered once per format.
Errors are recorded, never raised, and their messages never quote the
document: declass errors name offsets, fields and segment ids; anything
unexpected is recorded by its type only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from declass.rules.errors import DeclassError
from declass.rules.policy import LoadedPolicy
from declass.rules.review_file import (
    ReviewFile,
    check_review,
    load_review,
    review_as_of,
    text_sha256,
)
from declass.service import pipeline
from declass.service.batch.manifest import Record
from declass.service.files import write_atomically
from declass.service.formats import FORMAT_NAMES, OUTPUTS, Format

#: The suffix of each format's released file: ``a/X.txt`` -> ``a/X.txt.released.txt``.
EXTENSIONS: dict[str, str] = {name: f.extension for name, f in OUTPUTS.items()}
#: Formats in the order they are produced and listed.
FORMATS: tuple[Format, ...] = FORMAT_NAMES
#: Largest input PDF, in pages (the HTTP default, DECLASS_MAX_PDF_PAGES).
MAX_PDF_PAGES = 2000
SKIPPABLE = ("ok", "skipped")


@dataclass(frozen=True)
class BatchJob:
    """What every document of one batch shares."""

    input_dir: str
    output_dir: str
    policy: LoadedPolicy
    as_of: dt.date
    formats: tuple[Format, ...]
    #: PDF options, as on the command line.
    log: bool = False
    page_size: str = "letter"
    #: A folder of review files named ``<document sha256>.json`` (see :func:`review_path`).
    review_dir: str | None = None


@dataclass(frozen=True)
class Task:
    """One document: its path relative to the input directory (POSIX form)."""

    path: str
    previous: str | None = None  # its manifest line from an earlier run


def output_name(path: str, fmt: str) -> str:
    """The released file of ``path`` in ``fmt``, relative to the output directory."""
    return f"{path}.released.{EXTENSIONS[fmt]}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def release_chunk(tasks: Sequence[Task], job: BatchJob) -> list[Record]:
    """Release several documents (one worker call); one record each."""
    _quiet_pypdf()
    return [release_document(task, job) for task in tasks]


def release_document(task: Task, job: BatchJob) -> Record:
    """Release one document, or skip it when its outputs are complete and current."""
    base = _base_record(task.path, job)
    try:
        data = (Path(job.input_dir) / task.path).read_bytes()
    except OSError as exc:
        return _failed(base, job, "unreadable", f"cannot read input: {exc.strerror}")
    base["sha256"]["input"] = sha256(data)
    previous = _parse(task.previous)
    if previous is not None and _is_current(previous, base, job):
        return {**previous, "status": "skipped", "error": None, "code": None}
    try:
        outputs, summary, document, reader, review = _release(task.path, data, job)
        _write_outputs(task.path, outputs, job)
    except DeclassError as exc:
        return _failed(base, job, exc.code, exc.message)
    except OSError as exc:
        return _failed(base, job, "unwritable", f"cannot write output: {exc.strerror}")
    except Exception as exc:  # a bug: record its type, never its message (it may quote text)
        return _failed(base, job, "internal-error", f"internal error ({type(exc).__name__})")
    base["sha256"]["document"] = document
    base["review"] = review
    base["sha256"]["outputs"] = {fmt: sha256(out) for fmt, out in outputs.items()}
    return {**base, "status": "ok", "release": summary, "reader": reader}


def _parse(line: str | None) -> Record | None:
    try:
        record = json.loads(line) if line else None
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _base_record(path: str, job: BatchJob) -> Record:
    return {
        "path": path,
        "status": None,
        "error": None,
        "code": None,
        "sha256": {"input": None, "document": None, "outputs": {}},
        "outputs": {fmt: output_name(path, fmt) for fmt in job.formats},
        "release": None,
        "reader": None,
        "policy": job.policy.ref.model_dump(mode="json"),
        "as_of": job.as_of.isoformat(),
        "formats": list(job.formats),
        "pdf": {"log": job.log, "page_size": job.page_size},
        "review": None,
    }


def _is_current(previous: Record, base: Record, job: BatchJob) -> bool:
    try:
        return is_current(previous, base, job)
    except (AttributeError, TypeError):  # a line edited by hand: redo the document
        return False


def is_current(previous: Record, base: Record, job: BatchJob) -> bool:
    """True when ``previous`` released these input bytes the same way and its files are intact."""
    same = (
        previous.get("status") in SKIPPABLE
        and previous.get("sha256", {}).get("input") == base["sha256"]["input"]
        and previous.get("policy") == base["policy"]
        and previous.get("as_of") == base["as_of"]
        and previous.get("formats") == base["formats"]
        and previous.get("outputs") == base["outputs"]
        and previous.get("pdf") == base["pdf"]
        and previous.get("review") == review_digest(job, previous["sha256"].get("document"))
    )
    if not same:
        return False
    hashes = previous["sha256"].get("outputs") or {}
    return all(
        _file_sha256(Path(job.output_dir) / name) == hashes.get(fmt)
        for fmt, name in base["outputs"].items()
    )


def _file_sha256(path: Path) -> str | None:
    try:
        return sha256(path.read_bytes())
    except OSError:
        return None


def _release(
    path: str, data: bytes, job: BatchJob
) -> tuple[dict[str, bytes], Any, str, str, str | None]:
    """Every format's bytes, the release summary, the normalised text's hash, the reader
    that turned the file into text (the one reader every edge uses) and the digest of
    the review file applied, if any. The document is decided once, whatever the number
    of formats; each rendering passes both gates."""
    read = pipeline.read(data, filename=path, max_pages=MAX_PDF_PAGES)
    review, digest = find_review(job, read.text)
    decided = pipeline.release(
        read.text,
        job.policy,
        job.as_of,
        untrusted=read.untrusted,
        notes=read.problems,
        overrides=review.overrides if review is not None else (),
        redactions=review.redactions if review is not None else (),
    )
    outputs: dict[str, bytes] = {}
    report: dict[str, Any] = {}
    for fmt in job.formats:
        outcome = pipeline.render(decided, read.text, fmt, log=job.log, page_size=job.page_size)
        outputs[fmt], report = outcome.output, outcome.report
    return outputs, report["release"], report["sha256"]["input"], read.reader, digest


def review_path(job: BatchJob, document: str) -> Path | None:
    """Where the review of the document with this sha256 would be, if reviews are used."""
    if job.review_dir is None or not document:
        return None
    return Path(job.review_dir) / f"{document}.json"


def review_digest(job: BatchJob, document: str | None) -> str | None:
    """The sha256 of the document's review file, or None when it has none."""
    path = review_path(job, document or "")
    if path is None:
        return None
    try:
        return sha256(path.read_bytes())
    except FileNotFoundError:
        return None


def find_review(job: BatchJob, text: str) -> tuple[ReviewFile | None, str | None]:
    """The review file of this document, checked against the batch's policy and date."""
    path = review_path(job, text_sha256(text))
    if path is None or not path.is_file():
        return None, None
    data = path.read_bytes()
    review = load_review(data, f"review file {path.name}")
    check_review(review, text_sha256(text), job.policy.ref)
    review_as_of(review, job.as_of)
    return review, sha256(data)


def _write_outputs(path: str, outputs: dict[str, bytes], job: BatchJob) -> None:
    for fmt, data in outputs.items():
        target = Path(job.output_dir) / output_name(path, fmt)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)


def _failed(base: Record, job: BatchJob, code: str, message: str) -> Record:
    """An error record; released files left from an earlier run are removed."""
    for name in base["outputs"].values():
        with contextlib.suppress(OSError):
            (Path(job.output_dir) / name).unlink(missing_ok=True)
    return {**base, "status": "error", "code": code, "error": message}


def _quiet_pypdf() -> None:
    """pypdf and pdfminer log about damaged files; keep them off the batch's standard error."""
    for name in ("pypdf", "pdfminer"):
        logger = logging.getLogger(name)
        logger.propagate = False
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
