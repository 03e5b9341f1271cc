"""What one request may spend: its deadline and the caps on its work, opened per request.

Gunicorn's timeout does not stop a request under threaded workers, and the
body-size limit does not bound what a small body costs. So every request
opens a deadline (``DECLASS_REQUEST_DEADLINE``, :mod:`declass.rules.deadline`) and the
caps (``DECLASS_MAX_SEGMENTS``, ``..._SPAN_WORK``, ``..._REPORT_BYTES``,
:mod:`declass.rules.limits`) as it starts, before its body is read, and closes them
when it ends; the pipeline's loops check them. Past the deadline the answer
is a 503 with ``Retry-After``; past a cap, a 413 or 422 naming the cap. The
output is built whole before it is sent, so in neither case is anything of
the release sent.
"""

from __future__ import annotations

from contextvars import Token

from flask import Flask, current_app, g

from declass.rules import deadline, limits
from declass.service.http.state import State


def _open() -> None:
    settings = _state().settings
    g.budget_tokens = (
        deadline.start(settings.request_deadline),
        limits.start(settings.limits),
    )


def _close(_: BaseException | None) -> None:
    tokens: tuple[Token[deadline.Deadline | None], Token[limits.Limits]] | None = g.pop(
        "budget_tokens", None
    )
    if tokens is not None:
        limits.stop(tokens[1])
        deadline.stop(tokens[0])


def _state() -> State:
    state: State = current_app.extensions["declass"]
    return state


def init_app(app: Flask) -> None:
    app.before_request(_open)
    app.teardown_request(_close)
