"""``declass batch --jobs N`` killed with SIGKILL leaves no process behind.

A batch that is killed outright (``kill -9``, the OOM killer, a scheduler's
hard stop) cannot shut its pool down, so its worker processes must notice the
death themselves; the pool's forkserver and resource tracker then follow once
the workers are gone. The test kills a real batch in a subprocess and checks
that every process descended from it exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from declass.service.batch.parent_watch import ORPHANED, lifeline
from tests.batch_trees import cable, write_tree
from tests.conftest import ROOT

#: Generous bounds that only detect a hang, never measure speed.
START_SECONDS = 60
GONE_SECONDS = 30
DOCUMENTS = 400

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")


def big_tree(root: Path) -> Path:
    """Enough documents, each long enough, that the batch is still busy when killed."""
    body = cable("LONG CABLE") * 40
    return write_tree(root, {f"d{n // 50}/c{n}.txt": body for n in range(DOCUMENTS)})


def wait_for_work(batch: psutil.Process, manifest: Path) -> list[psutil.Process]:
    """The batch's descendants once its workers have released a first document."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert batch.is_running(), "the batch exited before its pool started"
        if manifest.is_file() and manifest.stat().st_size > 0:
            return batch.children(recursive=True)
        time.sleep(0.1)
    pytest.fail("the batch's worker pool did not start in time")


def survivors(family: list[psutil.Process]) -> list[str]:
    alive = []
    for process in family:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(f"{process.pid} {' '.join(process.cmdline())[:80]}")
        except psutil.NoSuchProcess:
            continue
    return alive


#: ``declass batch`` as the command line runs it, or with its pool started by spawn (the
#: start method where there is no forkserver: macOS, Windows), where workers are children.
LAUNCHERS = {
    "forkserver": ["-m", "declass"],
    "spawn": [
        "-c",
        "import multiprocessing, sys\n"
        "import declass.service.batch.runner as runner\n"
        "runner._start_method = lambda: multiprocessing.get_context('spawn')\n"
        "from declass.service.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n",
    ],
}


@pytest.mark.parametrize("start_method", sorted(LAUNCHERS))
def test_kill_9_of_a_batch_leaves_no_worker_forkserver_or_tracker(
    tmp_path: Path, start_method: str
) -> None:
    src, out = big_tree(tmp_path / "in"), tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DECLASS_")}
    command = [sys.executable, *LAUNCHERS[start_method], "batch", str(src), "-o", str(out)]
    command += ["--as-of", "2010-01-01", "--format", "text", "--format", "pdf", "--jobs", "2"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        family = wait_for_work(psutil.Process(process.pid), out / "manifest.jsonl")
        assert process.poll() is None, "the batch finished before it could be killed"
        assert len(family) >= 3, "expected two workers and the pool's helper processes"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=GONE_SECONDS)
        deadline = time.monotonic() + GONE_SECONDS
        while survivors(family) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert survivors(family) == [], "processes outlived the killed batch"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for orphan in family if "family" in locals() else []:
            with contextlib.suppress(psutil.NoSuchProcess):
                orphan.kill()


WATCHED = """
import sys, time
from multiprocessing.connection import Connection
from declass.service.batch.parent_watch import watch_parent
watch_parent(Connection(int(sys.argv[1]), writable=False))
print("watching", flush=True)
time.sleep(120)
"""


def test_a_watched_worker_lives_with_its_lifeline_and_ends_when_it_closes() -> None:
    """The watch alone, without a pool: the worker runs while the write end is open
    and exits, with the orphan status, once the last write end closes."""
    reader, writer = lifeline()
    command = [sys.executable, "-c", WATCHED, str(reader.fileno())]
    with subprocess.Popen(
        command, cwd=ROOT, pass_fds=[reader.fileno()], stdout=subprocess.PIPE
    ) as child:
        try:
            reader.close()
            assert child.stdout is not None
            assert child.stdout.readline() == b"watching\n"
            assert child.poll() is None, "the worker exited while its lifeline was open"
            writer.close()
            assert child.wait(timeout=GONE_SECONDS) == ORPHANED
        finally:
            if child.poll() is None:
                child.kill()
