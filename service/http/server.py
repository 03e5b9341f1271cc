"""Run the service under gunicorn, programmatically: ``declass serve``.

Gunicorn's master forks the workers, each of which builds its own
application with :func:`service.app.create_app` (nothing is preloaded, so
no worker shares state with another). SIGTERM is a graceful stop: the
master stops accepting, lets in-flight requests finish for up to
``graceful_timeout`` seconds, and exits 0. Worker metrics go through
prometheus-client's multiprocess mode: the directory is prepared here,
before any worker starts and before anything imports prometheus-client in
this process.
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
from declass.service.http.logs import JsonFormatter, configure_logging

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
log = logging.getLogger("declass.server")


class JsonLogger(GunicornLogger):  # type: ignore[misc]
    """Gunicorn's own messages as JSON lines too; it writes no access log."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())


class DeclassServer(BaseApplication):  # type: ignore[misc]
    """A gunicorn application whose configuration comes from :class:`Settings` only."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in gunicorn_options(self.settings).items():
            if key in self.cfg.settings:  # settings newer than the installed gunicorn are skipped
                self.cfg.set(key, value)

    def load(self) -> Any:
        from declass.service.http.app import create_app

        return create_app(self.settings)


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    options: dict[str, Any] = {
        "bind": [f"{host}:{settings.port}"],
        "workers": settings.workers,
        "worker_class": "gthread",
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
    """Run gunicorn in the foreground until a signal stops it."""
    configure_logging(settings.log_level)
    warn_if_open(settings)
    created = prepare_metrics_dir()
    master = os.getpid()
    try:
        DeclassServer(settings).run()
    finally:
        # Workers are forked inside run() and leave through here too: only the master cleans up.
        if created is not None and os.getpid() == master:
            shutil.rmtree(created, ignore_errors=True)


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
