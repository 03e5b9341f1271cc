"""declass batch: the mirrored tree, the manifest, formats, bad documents, progress, jobs."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from declass.rules.engine import decide
from declass.rules.policy import load_policy
from declass.service import pipeline
from declass.service.batch.progress import Progress
from declass.service.batch.runner import release_tree
from declass.service.batch.work import FORMATS, BatchJob, Task, release_document
from declass.service.cli.batch import NAMED_IGNORED
from declass.service.cli.main import main
from declass.service.pipeline import run
from tests.batch_trees import (
    BAD,
    BAD_BYTES,
    GOOD,
    IGNORED,
    SECRET,
    manifest,
    released_files,
    sha256,
    write_tree,
)

AS_OF = "2010-01-01"
ALL_FORMATS = ["--format", "text", "--format", "pdf", "--format", "json"]


def batch(
    capsys: pytest.CaptureFixture[str], src: Path, out: Path, *extra: str
) -> tuple[int, list[str]]:
    """Run ``declass batch``; the exit status and the lines on standard error."""
    status = main(["batch", str(src), "-o", str(out), "--as-of", AS_OF, *extra])
    return status, capsys.readouterr().err.splitlines()


@pytest.fixture
def src(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "in", {**GOOD, **IGNORED})


def test_mirrored_tree_one_file_per_document_and_format(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    status, err = batch(capsys, src, out, *ALL_FORMATS, "--jobs", "1")
    assert status == 0
    expected = {f"{name}.released.{ext}" for name in GOOD for ext in ("txt", "pdf", "json")}
    assert set(released_files(out)) == expected
    assert "a/b/paris.txt.released.txt" in expected and "a/b/paris.pdf.released.txt" in expected
    assert err[-1].startswith(
        "declass: batch: 6 documents: 6 released, 0 already current, 0 failed"
    )


def test_text_output_is_the_redact_output(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert batch(capsys, src, out, "--jobs", "1")[0] == 0
    policy, as_of = load_policy("public"), dt.date.fromisoformat(AS_OF)
    for name, data in GOOD.items():
        if name.endswith(".pdf"):
            continue
        assert (out / f"{name}.released.txt").read_bytes() == run(data, policy, as_of).output
    released = (out / "a/b/paris.pdf.released.txt").read_text(encoding="utf-8")
    assert "The embassy hosted a reception." in released
    assert SECRET not in released


def test_manifest_lines_hashes_and_counts(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert batch(capsys, src, out, "--format", "text", "--format", "json", "--jobs", "1")[0] == 0
    records = manifest(out)
    assert [r["path"] for r in records] == sorted(GOOD)
    policy = load_policy("public")
    for record in records:
        assert record["status"] == "ok" and record["error"] is None
        assert record["sha256"]["input"] == sha256(GOOD[record["path"]])
        assert record["formats"] == ["text", "json"]
        assert record["as_of"] == AS_OF
        assert record["policy"] == policy.ref.model_dump(mode="json")
        for fmt, name in record["outputs"].items():
            assert record["sha256"]["outputs"][fmt] == sha256((out / name).read_bytes())
        report = json.loads((out / record["outputs"]["json"]).read_bytes())
        assert record["release"] == report["release"]
        assert record["sha256"]["document"] == report["sha256"]["input"]
    paris = next(r for r in records if r["path"] == "a/b/paris.txt")
    assert paris["release"]["marking"] == "UNCLASSIFIED"
    assert paris["release"]["withheld"] >= 1
    text = (out / "manifest.jsonl").read_text(encoding="utf-8")
    assert SECRET not in text and "reception" not in text


def test_bad_documents_are_recorded_and_exit_status_is_1(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(src, BAD_BYTES)
    out = tmp_path / "out"
    status, err = batch(capsys, src, out, "--format", "text", "--format", "pdf", "--jobs", "1")
    assert status == 1
    assert "6 released, 0 already current, 4 failed" in err[-1]
    records = {r["path"]: r for r in manifest(out)}
    assert len(records) == len(GOOD) + len(BAD)
    for name, code in BAD.items():
        record = records[name]
        assert (record["status"], record["code"]) == ("error", code)
        assert record["error"] and record["release"] is None
        assert record["sha256"]["input"] == sha256(BAD_BYTES[name])
        assert not list(out.glob(f"{name}.released.*"))
    assert "Caf" not in (out / "manifest.jsonl").read_text(encoding="utf-8")
    assert all(records[name]["status"] == "ok" for name in GOOD)


def test_a_document_that_turns_bad_loses_its_stale_outputs(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert batch(capsys, src, out, "--jobs", "1")[0] == 0
    (src / "a/memo.txt").write_bytes(b"\xff\xfe not UTF-8")
    assert batch(capsys, src, out, "--jobs", "1")[0] == 1
    assert not (out / "a/memo.txt.released.txt").exists()
    assert {r["path"]: r["status"] for r in manifest(out)}["a/memo.txt"] == "error"


def test_usage_errors_exit_2_with_one_line(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "out")
    cases = [
        ["batch", str(tmp_path / "missing"), "-o", out],
        ["batch", str(src)],
        ["batch", str(src), "-o", str(src)],
        ["batch", str(src / "a"), "-o", str(src)],
        ["batch", str(src), "-o", out, "--format", "docx"],
        ["batch", str(src), "-o", out, "--as-of", "2010-13-01"],
        ["batch", str(src), "-o", out, "--jobs", "0"],
        ["batch", str(src), "-o", out, "--policy", "no-such-policy"],
    ]
    for argv in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and err[0].startswith("declass: error: "), (argv, err)
    assert not (tmp_path / "out").exists()


def test_output_inside_the_input_tree_is_not_read_back(
    src: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = src / "released"
    assert batch(capsys, src, out, "--jobs", "1")[0] == 0
    status, err = batch(capsys, src, out, "--jobs", "1")
    assert status == 0
    assert "6 documents: 0 released, 6 already current" in err[-1]
    assert [r["path"] for r in manifest(out)] == sorted(GOOD)


def test_progress_lines_when_stderr_is_not_a_terminal(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err = batch(capsys, src, tmp_path / "out", "--jobs", "1", "--progress-interval", "0")
    assert status == 0
    progress = [line for line in err if "/6 documents" in line]
    assert len(progress) == 6
    assert progress[-1].startswith("declass: batch: 6/6 documents (6 ok, 0 skipped, 0 failed)")
    assert "documents/s" in progress[-1] and "left" in progress[-1]
    # Only the files it did not take are named (so none goes missing unnoticed), never a
    # document it read, nor any text.
    named = [line for line in err if "ignored 3 files" in line]
    assert len(named) == 1
    assert not any(SECRET in line or "paris" in line for line in err if line not in named)


def test_default_progress_interval_prints_a_last_line() -> None:
    stream = io.StringIO()
    meter = Progress(3, stream=stream, interval=3600)
    for status in ("ok", "error", "skipped"):
        meter.update(status)
    meter.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("declass: batch: 3/3 documents (1 ok, 1 skipped, 1 failed)")


def test_progress_bar_on_a_terminal() -> None:
    stream = io.StringIO()
    meter = Progress(4, stream=stream, tty=True)
    for _ in range(4):
        meter.update("ok")
    meter.close()
    shown = stream.getvalue()
    assert "declass batch" in shown and "4/4" in shown and "doc/s" in shown


def test_two_jobs_give_the_same_bytes_as_one(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(src, BAD_BYTES)
    one, two = tmp_path / "one", tmp_path / "two"
    assert batch(capsys, src, one, *ALL_FORMATS, "--jobs", "1")[0] == 1
    assert batch(capsys, src, two, *ALL_FORMATS, "--jobs", "2")[0] == 1
    assert released_files(one) == released_files(two)
    assert (one / "manifest.jsonl").read_bytes() == (two / "manifest.jsonl").read_bytes()


def test_without_dask_scheduler_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    src = write_tree(tmp_path / "in", GOOD)
    argv = ["batch", str(src), "-o", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9"]
    assert main(argv) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "pip install 'declass[batch-dask]'" in err[0]


def test_word_files_are_picked_up_and_the_manifest_names_the_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder of Word files is released through the one reader, not skipped."""
    from tests import docx_documents as dd

    document = dd.blank()
    for line in ("SECRET//NOFORN", "1. (U) KIWI plain words.", "2. (S//NF) ZEBRA secret words."):
        document.add_paragraph(line)
    src = write_tree(tmp_path / "in", {"memos/memo.docx": dd.to_bytes(document), **GOOD})
    out = tmp_path / "out"
    status, err = batch(capsys, src, out, "--jobs", "1")
    assert status == 0, err
    released = (out / "memos/memo.docx.released.txt").read_text(encoding="utf-8")
    assert "KIWI" in released and "ZEBRA" not in released
    readers = {record["path"]: record["reader"] for record in manifest(out)}
    assert readers["memos/memo.docx"] == "docx"
    assert {readers[name] for name in GOOD} <= {"text", "pdf"}


def test_files_a_batch_does_not_take_are_counted_and_named(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err = batch(capsys, src, tmp_path / "out", "--jobs", "1")
    assert status == 0
    assert err[-1].startswith(
        "declass: batch: 6 documents: 6 released, 0 already current, 0 failed,"
        " 3 other files ignored; manifest "
    )
    assert err[-2] == (
        "declass: batch: ignored 3 files without a text, PDF, Word or scan suffix: "
        + ", ".join(sorted(IGNORED))
    )
    # The manifest stays one line per document (README "Manifest"): ignored files are not in it.
    assert [r["path"] for r in manifest(tmp_path / "out")] == sorted(GOOD)


def test_many_ignored_files_are_named_up_to_a_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = {f"notes/n{i:02}.md": b"# notes\n" for i in range(NAMED_IGNORED + 4)}
    src = write_tree(tmp_path / "in", {"a.txt": GOOD["a/memo.txt"], **names})
    status, err = batch(capsys, src, tmp_path / "out", "--jobs", "1")
    assert status == 0
    listed = sorted(names)[:NAMED_IGNORED]
    assert err[-2].endswith(f": {', '.join(listed)} and 4 more")
    assert f"{NAMED_IGNORED + 4} other files ignored" in err[-1]


def test_release_tree_summary_lists_ignored_files(src: Path, tmp_path: Path) -> None:
    job = BatchJob(
        input_dir=str(src),
        output_dir=str(tmp_path / "out"),
        policy=load_policy("public"),
        as_of=dt.date.fromisoformat(AS_OF),
        formats=("text",),
    )
    summary = release_tree(job)
    assert (summary.total, summary.ignored) == (len(GOOD), tuple(sorted(IGNORED)))


def test_a_document_is_decided_once_whatever_the_number_of_formats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batch decides once, then renders each format from that one release."""
    calls: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return decide(*args, **kwargs)

    monkeypatch.setattr(pipeline, "decide", counted)
    src = write_tree(tmp_path / "in", {"a/b/paris.txt": GOOD["a/b/paris.txt"]})
    job = BatchJob(
        input_dir=str(src),
        output_dir=str(tmp_path / "out"),
        policy=load_policy("public"),
        as_of=dt.date.fromisoformat(AS_OF),
        formats=FORMATS,
    )
    record = release_document(Task("a/b/paris.txt"), job)
    assert record["status"] == "ok", record
    assert len(FORMATS) == 4 and len(record["sha256"]["outputs"]) == 4
    assert len(calls) == 1
