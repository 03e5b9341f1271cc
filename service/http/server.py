"""Run the service under gunicorn, programmatically: ``declass serve``.

Clients reach the front (service/http/front.py), which reads each request whole
and hands it to gunicorn on a private Unix socket (service/http/front_runner.py).
Gunicorn's master forks the workers, each of which builds its own
application with :func:`declass.service.http.app.create_app` (nothing is preloaded, so
no worker shares state with another). SIGTERM is a graceful stop: the
front closes the public listener, lets in-flight requests finish for up to
``graceful_timeout`` seconds, then stops gunicorn the same way, and exits 0.
Worker metrics go through prometheus-client's multiprocess mode: the
directory is prepared here, before any worker starts and before anything
imports prometheus-client in this process.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]
from gunicorn.glogging import Logger as GunicornLogger  # type: ignore[import-untyped]

from declass.service.config import Settings, is_loopback
from declass.service.http.front_runner import run_fronted
from declass.service.http.gunicorn_edge import ScrubArguments, client_from_front
from declass.service.http.logs import JsonFormatter, configure_logging

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
log = logging.getLogger("declass.server")


class JsonLogger(GunicornLogger):  # type: ignore[misc]
    """Gunicorn's own messages as JSON lines too; it writes no access log."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.error_log.addFilter(ScrubArguments())
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())


class DeclassServer(BaseApplication):  # type: ignore[misc]
    """A gunicorn application whose configuration comes from :class:`Settings` only."""

    def __init__(self, settings: Settings, bind: str | None = None) -> None:
        self.settings = settings
        self.bind = bind
        super().__init__()

    def load_config(self) -> None:
        for key, value in gunicorn_options(self.settings, self.bind).items():
            if key in self.cfg.settings:  # settings newer than the installed gunicorn are skipped
                self.cfg.set(key, value)

    def load(self) -> Any:
        from declass.service.http.app import create_app

        return client_from_front(create_app(self.settings))


def gunicorn_options(settings: Settings, bind: str | None = None) -> dict[str, Any]:
    """Gunicorn's settings; ``bind`` is the front's private socket (else the public address)."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    options: dict[str, Any] = {
        "bind": [bind or f"{host}:{settings.port}"],
        "workers": settings.workers,
        # gthread, answering the requests gunicorn refuses itself with problem+json
        "worker_class": "declass.service.http.gunicorn_edge.DeclassThreadWorker",
        "threads": settings.threads,
        "timeout": settings.timeout,
        "graceful_timeout": settings.graceful_timeout,
        "max_requests": settings.max_requests,
        "max_requests_jitter": settings.max_requests_jitter,
        "keepalive": 5,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": settings.log_level,
        "logger_class": JsonLogger,
        "proc_name": "declass",
        "child_exit": _child_exit,
        "control_socket_disable": True,  # no runtime management socket (gunicorn >= 24)
    }
    if Path("/dev/shm").is_dir():
        options["worker_tmp_dir"] = "/dev/shm"  # heartbeat files off a possibly slow disk
    return options


def _child_exit(server: Any, worker: Any) -> None:
    """A worker's live metrics files are merged into the dead-process totals."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def prepare_metrics_dir() -> Path | None:
    """Use the operator's directory (emptied, as prometheus-client asks) or a fresh one.

    Returns the directory this process created, so that the caller removes it.
    """
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        return None
    created = Path(tempfile.mkdtemp(prefix="declass-metrics-"))
    os.environ[MULTIPROC_ENV] = str(created)
    return created


def serve(settings: Settings) -> None:
    """Run the front and gunicorn behind it in the foreground until a signal stops them."""
    configure_logging(settings.log_level)
    warn_if_open(settings)
    created = prepare_metrics_dir()
    front = os.getpid()
    try:
        status = run_fronted(settings, lambda bind: _run_gunicorn(settings, bind))
    finally:
        # Gunicorn's processes are forked from here and leave through here too: only the
        # front cleans up.
        if created is not None and os.getpid() == front:
            shutil.rmtree(created, ignore_errors=True)
    if status:
        raise SystemExit(status)


def _run_gunicorn(settings: Settings, bind: str) -> int:
    """Gunicorn's master, in the front's child process; its exit status."""
    try:
        DeclassServer(settings, bind).run()
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    return 0


def serve_dev(settings: Settings) -> None:
    """Flask's development server: one process, no gunicorn; for ``--dev`` only."""
    from declass.service.http.app import create_app

    configure_logging(settings.log_level)
    warn_if_open(settings)
    app = create_app(settings)
    app.run(host=settings.host, port=settings.port, debug=False, use_reloader=False)


def warn_if_open(settings: Settings) -> None:
    if not settings.has_keys:
        log.warning(
            "no-api-keys",
            extra={
                "fields": {
                    "detail": "DECLASS_API_KEYS is empty: no authentication, loopback clients only",
                    "host": settings.host,
                    "loopback": is_loopback(settings.host),
                }
            },
        )
