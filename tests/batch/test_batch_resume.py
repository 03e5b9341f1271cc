"""declass batch resumes: current documents are skipped, only missing work is redone."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import declass.service.batch.work
from declass.service import pipeline
from declass.service.cli.main import main
from declass.service.files import write_atomically
from declass.service.pipeline import render
from tests.batch_trees import GOOD, manifest, stamps, write_tree

AS_OF = "2010-01-01"
FORMATS = ["--format", "text", "--format", "json"]


class Calls:
    """Counts releases (one rendering of a document in one format) and file writes made in
    this process (--jobs 1)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail_at: int | None = None) -> None:
        self.releases = 0
        self.writes: Counter[str] = Counter()
        self.fail_at = fail_at

        def counting_render(*args: Any, **kwargs: Any) -> Any:
            self.releases += 1
            if self.releases == self.fail_at:
                raise KeyboardInterrupt  # as if the operator pressed Ctrl-C
            return render(*args, **kwargs)

        def counting_write(path: Path, data: bytes, **kwargs: Any) -> None:
            self.writes[path.name] += 1
            write_atomically(path, data, **kwargs)

        monkeypatch.setattr(pipeline, "render", counting_render)
        monkeypatch.setattr(declass.service.batch.work, "write_atomically", counting_write)


def batch(src: Path, out: Path, *extra: str) -> int:
    return main(
        ["batch", str(src), "-o", str(out), "--as-of", AS_OF, *FORMATS, "--jobs", "1", *extra]
    )


@pytest.fixture
def done(tmp_path: Path) -> tuple[Path, Path]:
    """An input tree and a finished batch of it."""
    src, out = write_tree(tmp_path / "in", GOOD), tmp_path / "out"
    assert batch(src, out) == 0
    return src, out


def test_a_rerun_skips_every_current_document(
    done: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = done
    before, lines = stamps(out), manifest(out)
    calls = Calls(monkeypatch)
    capsys.readouterr()
    assert batch(src, out) == 0
    assert "0 released, 6 already current, 0 failed" in capsys.readouterr().err
    assert calls.releases == 0 and not calls.writes
    assert stamps(out) == before
    after = manifest(out)
    assert [r["status"] for r in after] == ["skipped"] * len(GOOD)
    assert [{**r, "status": "ok"} for r in after] == lines


def test_a_deleted_output_redoes_that_document_only(
    done: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = done
    (out / "a/memo.txt.released.json").unlink()
    before = stamps(out)
    calls = Calls(monkeypatch)
    assert batch(src, out) == 0
    assert calls.releases == 2  # text and json of a/memo.txt
    assert set(calls.writes) == {"memo.txt.released.txt", "memo.txt.released.json"}
    after = stamps(out)
    assert {k: v for k, v in after.items() if "memo" not in k} == {
        k: v for k, v in before.items() if "memo" not in k
    }
    statuses = {r["path"]: r["status"] for r in manifest(out)}
    assert statuses.pop("a/memo.txt") == "ok"
    assert set(statuses.values()) == {"skipped"}


def test_a_damaged_output_is_redone(
    done: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = done
    (out / "top.txt.released.txt").write_bytes(b"tampered")
    calls = Calls(monkeypatch)
    assert batch(src, out) == 0
    assert calls.releases == 2
    assert set(calls.writes) == {"top.txt.released.txt", "top.txt.released.json"}


def test_a_changed_input_policy_date_or_format_set_is_redone(
    done: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = done
    (src / "c/second.TXT").write_bytes(GOOD["c/second.TXT"] + b"\n3. (U) Added later.\n")
    calls = Calls(monkeypatch)
    assert batch(src, out) == 0
    assert set(calls.writes) == {"second.TXT.released.txt", "second.TXT.released.json"}
    calls = Calls(monkeypatch)
    later = ["batch", str(src), "-o", str(out), "--as-of", "2017-01-01", "--jobs", "1"]
    assert main([*later, *FORMATS]) == 0
    assert calls.releases == 2 * len(GOOD)
    assert {r["as_of"] for r in manifest(out)} == {"2017-01-01"}
    calls = Calls(monkeypatch)
    assert main([*later, *FORMATS, "--policy", "partner-gbr-secret"]) == 0
    assert calls.releases == 2 * len(GOOD)
    assert {r["policy"]["id"] for r in manifest(out)} == {"partner-gbr-secret"}
    calls = Calls(monkeypatch)
    assert main([*later, "--policy", "partner-gbr-secret"]) == 0
    assert calls.releases == len(GOOD)
    assert {tuple(r["formats"]) for r in manifest(out)} == {("text",)}


def test_an_interrupted_batch_resumes_where_it_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = write_tree(tmp_path / "in", GOOD), tmp_path / "out"
    names = sorted(GOOD)
    Calls(monkeypatch, fail_at=5)  # the third document's first format
    assert batch(src, out) == 130
    assert capsys.readouterr().err.splitlines()[-1] == "declass: aborted"
    records = manifest(out)  # complete lines only, one per finished document
    assert [r["path"] for r in records] == names[:2]
    assert all(r["status"] == "ok" for r in records)
    finished = stamps(out)
    assert set(finished) == {f"{n}.released.{e}" for n in names[:2] for e in ("txt", "json")}
    monkeypatch.undo()
    calls = Calls(monkeypatch)
    assert batch(src, out) == 0
    assert calls.releases == 2 * (len(names) - 2)
    assert {name.split(".released.")[0] for name in calls.writes} == {
        Path(n).name for n in names[2:]
    }
    assert {k: v for k, v in stamps(out).items() if k in finished} == finished
    statuses = [r["status"] for r in manifest(out)]
    assert statuses == ["skipped"] * 2 + ["ok"] * (len(names) - 2)


def test_a_torn_manifest_loses_only_the_torn_records(
    done: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = done
    path = out / "manifest.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:3]) + lines[3][: len(lines[3]) // 2])  # a crash mid-line
    calls = Calls(monkeypatch)
    assert batch(src, out) == 0
    redone = sorted(GOOD)[3:]
    assert calls.releases == 2 * len(redone)
    assert sorted({name.split(".released.")[0] for name in calls.writes}) == sorted(
        Path(n).name for n in redone
    )
    records = manifest(out)
    assert [r["path"] for r in records] == sorted(GOOD)
    assert [r["status"] for r in records] == ["skipped"] * 3 + ["ok"] * len(redone)


def test_journal_lines_after_a_kill_are_read_last_one_wins(
    done: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = done
    path = out / "manifest.jsonl"
    first = path.read_bytes().splitlines(keepends=True)[0]
    path.write_bytes(path.read_bytes() + first.replace(b'"status": "ok"', b'"status": "error"'))
    calls = Calls(monkeypatch)
    assert batch(src, out) == 0
    assert calls.releases == 2  # the last line said error: that document is retried
    assert len(manifest(out)) == len(GOOD)


KILLER = """
import os, sys
import declass.service.pipeline as pipeline
real, calls = pipeline.render, []
def render(*args, **kwargs):
    calls.append(1)
    if len(calls) == 5:
        os._exit(9)  # killed: no cleanup, no final compaction of the manifest
    return real(*args, **kwargs)
pipeline.render = render
from declass.service.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_killed_batch_leaves_a_consistent_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = write_tree(tmp_path / "in", GOOD), tmp_path / "out"
    argv = ["batch", str(src), "-o", str(out), "--as-of", AS_OF, *FORMATS, "--jobs", "1"]
    killed = subprocess.run([sys.executable, "-c", KILLER, *argv], capture_output=True, timeout=120)
    assert killed.returncode == 9
    names = sorted(GOOD)
    assert [r["path"] for r in manifest(out)] == names[:2]
    calls = Calls(monkeypatch)
    assert batch(src, out) == 0
    assert calls.releases == 2 * (len(names) - 2)
    assert [r["status"] for r in manifest(out)] == ["skipped"] * 2 + ["ok"] * (len(names) - 2)
