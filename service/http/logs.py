"""JSON-lines logging with a request id, and never a byte of the document.

A request's log line carries ids, digests, counts and timings: the request
id, method, route (the rule, not the path a client typed), status, sizes,
duration, and for a document its SHA-256, policy, format and decision
counts. Exceptions are logged as their type and stack frames only: an
exception's message or a frame's locals may hold document text, so neither
is ever formatted.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import time
import traceback
import uuid
from types import TracebackType
from typing import Any

from flask import Flask, Response, g, request

LOGGER = "declass"
PDF_LOGGER = "pypdf"
#: The layout reader's library: its messages may quote raw bytes of the file.
LAYOUT_LOGGER = "pdfminer"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
log = logging.getLogger("declass.http")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def scrub_exception(exc: BaseException) -> dict[str, Any]:
    """The exception's type and stack (file, line, function): no message, no locals."""
    frames = traceback.extract_tb(exc.__traceback__)
    return {
        "type": f"{type(exc).__module__}.{type(exc).__qualname__}",
        "stack": [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in frames],
    }


class JsonFormatter(logging.Formatter):
    """One JSON object per line; structured fields come in ``extra={"fields": {...}}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info and record.exc_info[1] is not None:
            entry["exception"] = scrub_exception(record.exc_info[1])
        return json.dumps(entry, ensure_ascii=True, default=str)


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time, so captured streams see it."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        self.setStream(sys.stderr)
        super().emit(record)


def configure_logging(level: str = "info") -> logging.Logger:
    """The ``declass`` logger: JSON lines on stderr; idempotent across app instances.

    pypdf's warnings about damaged uploads may quote bytes of the file, so only
    its errors are logged, and as JSON like everything else; pdfminer's errors
    may quote stream bytes too, so it is kept silent (a damaged file is a 422).
    """
    _json_to_stderr(PDF_LOGGER, "ERROR")
    _json_to_stderr(LAYOUT_LOGGER, "CRITICAL")
    return _json_to_stderr(LOGGER, level.upper())


def _json_to_stderr(name: str, level: str) -> logging.Logger:
    logger = logging.getLogger(name)
    logger.setLevel(level)
    logger.propagate = False
    if not any(isinstance(h, StderrHandler) for h in logger.handlers):
        handler = StderrHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    return logger


def log_exception(exc: BaseException) -> None:
    fields = {"request_id": g.get("request_id"), "exception": scrub_exception(exc)}
    log.error("unhandled-exception", extra={"fields": fields})


def note_document(**fields: Any) -> None:
    """Add facts about the document (ids, digests, counts) to this request's log line."""
    g.setdefault("document", {}).update(fields)


def _start() -> None:
    g.started = time.perf_counter()
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex


def _finish(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.request_id
    fields: dict[str, Any] = {
        "request_id": g.request_id,
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None,
        "status": response.status_code,
        "bytes_in": request.content_length,
        "bytes_out": response.calculate_content_length(),
        "duration_ms": round((time.perf_counter() - g.started) * 1000, 2),
    }
    if "problem" in g:
        fields["problem"] = g.problem
    if "document" in g:
        fields["document"] = g.document
    log.info("request", extra={"fields": fields})
    return response


def init_app(app: Flask) -> None:
    """Register first: the request id and the clock start before anything can fail."""
    configure_logging(app.extensions["declass"].settings.log_level)
    app.before_request(_start)
    app.after_request(_finish)
