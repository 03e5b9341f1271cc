"""declass batch --scheduler: the same bytes from Dask workers as from local processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import declass.service.batch.dask_runner
from declass.service.cli.main import main
from tests.batch_trees import BAD_BYTES, GOOD, manifest, released_files, stamps, write_tree

distributed = pytest.importorskip("dask.distributed", reason="install declass[batch-dask]")

ARGS = ["--as-of", "2010-01-01", "--format", "text", "--format", "pdf", "--format", "json"]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A two-process LocalCluster on loopback, closed after the module's tests."""
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close(timeout=30)


def test_dask_gives_the_bytes_of_a_local_run(
    scheduler: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_tree(tmp_path / "in", {**GOOD, **BAD_BYTES})
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert main(["batch", str(src), "-o", str(local), *ARGS, "--jobs", "1"]) == 1
    assert main(["batch", str(src), "-o", str(remote), *ARGS, "--scheduler", scheduler]) == 1
    assert released_files(remote) == released_files(local)
    assert len(released_files(remote)) == 3 * len(GOOD)
    assert (remote / "manifest.jsonl").read_bytes() == (local / "manifest.jsonl").read_bytes()
    capsys.readouterr()


def test_dask_resumes_like_a_local_run(
    scheduler: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = write_tree(tmp_path / "in", GOOD), tmp_path / "out"
    argv = ["batch", str(src), "-o", str(out), *ARGS, "--scheduler", scheduler]
    assert main(argv) == 0
    (out / "top.txt.released.pdf").unlink()
    before = {k: v for k, v in stamps(out).items() if not k.startswith("top.txt")}
    assert main(argv) == 0
    assert "1 released, 5 already current, 0 failed" in capsys.readouterr().err
    assert {k: v for k, v in stamps(out).items() if not k.startswith("top.txt")} == before
    assert (out / "top.txt.released.pdf").is_file()
    assert [r["status"] for r in manifest(out)].count("skipped") == len(GOOD) - 1


def test_an_unreachable_scheduler_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(declass.service.batch.dask_runner, "CONNECT_TIMEOUT", "1s")
    src = write_tree(tmp_path / "in", GOOD)
    argv = ["batch", str(src), "-o", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9"]
    assert main(argv) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith("declass: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert not (tmp_path / "out").exists()
