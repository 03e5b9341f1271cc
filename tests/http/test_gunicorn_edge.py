"""Gunicorn's own refusals and log lines quote nothing of the request."""

from __future__ import annotations

import json
import logging
import socket
from typing import Any

import pytest
from gunicorn.http import errors  # type: ignore[import-untyped]

from declass.service.config import Settings
from declass.service.http.gunicorn_edge import (
    WITHHELD,
    DeclassThreadWorker,
    ScrubArguments,
    client_from_front,
    error_status,
)
from declass.service.http.server import gunicorn_options

MARKER = "Quillborrow"


class RecordingLog:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def _record(self, message: str, *args: Any) -> None:
        self.lines.append(message % args if args else message)

    error = warning = debug = exception = _record


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (errors.InvalidHeaderName(f"Bad {MARKER}"), 400),
        (errors.InvalidRequestLine(f"GET /{MARKER} HTTP/1.1 x"), 400),
        (errors.LimitRequestLine(9000, 8190), 414),
        (errors.LimitRequestHeaders(f"too large {MARKER}"), 431),
        (RuntimeError(MARKER), 500),
    ],
)
def test_worker_refusals_are_problems_without_request_content(
    exc: BaseException, status: int
) -> None:
    assert error_status(exc) == status
    worker = DeclassThreadWorker.__new__(DeclassThreadWorker)
    worker.log = RecordingLog()
    ours, theirs = socket.socketpair()
    with ours, theirs:
        worker.handle_error(None, ours, ("127.0.0.1", 1), exc)
        ours.close()
        answer = theirs.recv(65536)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(f"HTTP/1.1 {status} ".encode())
    assert b"Content-Type: application/problem+json" in head
    assert b"X-Content-Type-Options: nosniff" in head
    assert json.loads(body)["status"] == status
    assert MARKER.encode() not in answer
    assert worker.log.lines
    assert not any(MARKER in line for line in worker.log.lines)


def test_gunicorn_log_lines_keep_numbers_and_withhold_strings() -> None:
    record = logging.LogRecord(
        "gunicorn.error", logging.INFO, __file__, 1, "Error %s %s pid %d", (MARKER, "/x", 7), None
    )
    assert ScrubArguments().filter(record)
    assert record.getMessage() == f"Error {WITHHELD} {WITHHELD} pid 7"


def test_the_client_address_is_the_one_the_front_saw() -> None:
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(environ)
        return []

    client_from_front(app)({"REMOTE_ADDR": "", "HTTP_X_DECLASS_CLIENT": "10.1.2.3"}, None)
    assert seen["REMOTE_ADDR"] == "10.1.2.3"
    assert "HTTP_X_DECLASS_CLIENT" not in seen


def test_gunicorn_binds_the_fronts_private_socket() -> None:
    options = gunicorn_options(Settings(), "unix:/run/x/gunicorn.sock")
    assert options["bind"] == ["unix:/run/x/gunicorn.sock"]
    assert options["worker_class"] == "declass.service.http.gunicorn_edge.DeclassThreadWorker"
