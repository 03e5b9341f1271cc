"""The HTTP floor: a Flask endpoint that echoes its body, behind ``declass serve``'s front.

The settings come from the same ``DECLASS_*`` variables and go through the
same :func:`declass.service.http.server.gunicorn_options` (workers, threads, worker
class, keep-alive, timeouts), and gunicorn listens on a private socket behind
the same front (:func:`declass.service.http.front_runner.run_fronted`), so the
only difference from ``declass serve`` is the application: no keys, no
logging, no pipeline. Run by bench/load.py and bench/server_settings.py::

    .venv/bin/python -m bench.echo_server --port 8081
"""

from __future__ import annotations

import argparse
from typing import Any

from flask import Flask, Response, request
from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]

from declass.service.config import Settings, load_settings
from declass.service.http.front_runner import run_fronted
from declass.service.http.server import gunicorn_options


def create_echo_app() -> Flask:
    app = Flask(__name__)

    @app.post("/echo")
    def echo() -> Response:
        return Response(request.get_data(), content_type="text/plain; charset=utf-8")

    return app


class EchoServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, bind: str) -> None:
        self.settings = settings
        self.bind = bind
        super().__init__()

    def load_config(self) -> None:
        for key, value in gunicorn_options(self.settings, self.bind).items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)
        self.cfg.set("proc_name", "declass-echo")
        self.cfg.set("child_exit", _nothing)  # no metrics files to merge

    def load(self) -> Any:
        return create_echo_app()


def _nothing(server: Any, worker: Any) -> None:
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    settings = load_settings(host=args.host, port=args.port)
    raise SystemExit(run_fronted(settings, lambda bind: _run_gunicorn(settings, bind)))


def _run_gunicorn(settings: Settings, bind: str) -> int:
    """Gunicorn's master, in the front's child process, as ``declass serve`` runs it."""
    try:
        EchoServer(settings, bind).run()
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    return 0


if __name__ == "__main__":
    main()
