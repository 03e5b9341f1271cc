"""Worker processes that die with the process that started them.

A batch killed outright (``kill -9``, the OOM killer, a hard stop) cannot shut
its pool down. Its workers would wait for work forever, and while they live so
do the pool's forkserver and resource tracker, which only stop once every
process holding their pipes has gone. So each worker watches for the death of
the batch itself:

* a *lifeline*: a one-way pipe whose only write end stays in the batch process.
  The kernel closes it when the batch dies, however it dies, and the worker's
  watch thread sees end-of-file at once. This works on every platform and
  start method, and is not fooled by a reused pid or an unreaped zombie (under
  the forkserver the worker's own parent is the forkserver, so watching
  ``getppid()`` alone would see nothing);
* on Linux also ``PR_SET_PDEATHSIG``: the kernel kills the worker when its
  direct parent dies, even while the worker's Python code holds the GIL.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
from multiprocessing.connection import Connection, Pipe, wait

#: prctl(2) option: the signal a process receives when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1
#: The exit status of a worker that stops because the batch has gone.
ORPHANED = 70


def lifeline() -> tuple[Connection, Connection]:
    """A read end for the workers and a write end the batch keeps and never writes to."""
    reader, writer = Pipe(duplex=False)
    return reader, writer


def watch_parent(reader: Connection) -> None:
    """Pool initializer: end this worker as soon as the batch that owns ``reader``'s
    write end has gone. Returns at once; the watch runs in a daemon thread."""
    _die_with_direct_parent()
    thread = threading.Thread(target=_wait_for_end, args=(reader,), daemon=True)
    thread.name = "declass-parent-watch"
    thread.start()


def _wait_for_end(reader: Connection) -> None:
    """Block until the write end closes (nothing is ever sent), then exit at once:
    no clean-up, since the batch that would use the results is gone."""
    while True:
        with contextlib.suppress(InterruptedError):
            if wait([reader]):
                break
    os._exit(ORPHANED)


def _die_with_direct_parent() -> None:
    """Linux only: ask the kernel for SIGKILL when our parent process dies."""
    if not sys.platform.startswith("linux"):
        return
    name = ctypes.util.find_library("c")
    if name is None:
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(name, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
