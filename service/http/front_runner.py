"""``declass serve`` as two processes: the front (this one) and gunicorn (its child).

The front holds the public listener and the signals: gunicorn listens on a
Unix socket in a private directory, so the only way in is through the front.
On SIGTERM or SIGINT the front closes the listener, lets open connections
finish (within ``graceful_timeout``), then sends SIGTERM to gunicorn, which
stops its idle workers, and exits with gunicorn's status. Gunicorn is
told to die with the front (a parent-death signal), so a ``kill -9`` of the
front leaves no workers behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import shutil
import signal
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path

from declass.service.config import Settings
from declass.service.http.front import Front

log = logging.getLogger("declass.front")
PR_SET_PDEATHSIG = 1
BACKLOG = 2048


def bind_public(settings: Settings) -> socket.socket:
    """The public listener, bound before gunicorn starts so that a taken port fails at once."""
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((settings.host.strip("[]"), settings.port))
    sock.listen(BACKLOG)
    sock.setblocking(False)
    return sock


def run_fronted(settings: Settings, run_gunicorn: Callable[[str], int]) -> int:
    """Start gunicorn on a private socket behind the front; return the exit status."""
    private = Path(tempfile.mkdtemp(prefix="declass-serve-"))  # mode 0700
    upstream = str(private / "gunicorn.sock")
    listener = bind_public(settings)
    child = os.fork()
    if child == 0:  # pragma: no cover - measured through the real-server tests
        listener.close()
        _die_with_parent()
        code = 1
        try:
            code = run_gunicorn(f"unix:{upstream}")
        finally:
            os._exit(code)
    try:
        return asyncio.run(_front_main(settings, listener, upstream, child))
    finally:
        if _reap(child) is None:  # the front failed: gunicorn must not outlive it
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
        shutil.rmtree(private, ignore_errors=True)


async def _front_main(
    settings: Settings, listener: socket.socket, upstream: str, child: int
) -> int:
    loop = asyncio.get_running_loop()
    front = Front(settings, upstream)
    await front.start(listener)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    log.info("front-listening", extra={"fields": {"host": settings.host, "port": settings.port}})
    while not stop.is_set():
        status = _reap(child)
        if status is not None:
            log.error("gunicorn-exited", extra={"fields": {"status": status}})
            front.stop_accepting()
            return status or 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)
    front.stop_accepting()
    log.info("front-draining", extra={"fields": {"open": len(front.connections)}})
    # Drained, gunicorn is idle and stops at once on SIGTERM; if the grace period is
    # spent, SIGQUIT stops it now, so that the whole stop stays within the period.
    clean = await front.drained(settings.graceful_timeout)
    with contextlib.suppress(ProcessLookupError):
        os.kill(child, signal.SIGTERM if clean else signal.SIGQUIT)
    give_up = loop.time() + settings.graceful_timeout + 5
    while loop.time() < give_up:
        status = _reap(child)
        if status is not None:
            return status
        await asyncio.sleep(0.1)
    return 1


def _reap(child: int) -> int | None:
    """The child's exit status once it has exited, else None."""
    try:
        pid, status = os.waitpid(child, os.WNOHANG)
    except ChildProcessError:
        return 1
    return os.waitstatus_to_exitcode(status) if pid else None


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGTERM to gunicorn when the front dies, even by kill -9."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
