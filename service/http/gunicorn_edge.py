"""Gunicorn's own answers and log lines, kept free of request content.

Gunicorn answers a request it cannot parse with an HTML page and logs the
parser's message, and both may quote the request line or a header (that is,
words of a document). Here its worker class answers such requests with the
service's problem+json and logs only the exception's type and the status;
and a filter on its error log never formats a string argument into a line
(a URI, a header, a buffer), keeping numbers such as pids.
"""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.http import errors  # type: ignore[import-untyped]
from gunicorn.workers.gthread import ThreadWorker  # type: ignore[import-untyped]

from declass.service.http.edge_problem import edge_problem_bytes

WITHHELD = "[withheld]"
#: gunicorn's parse errors whose status is not 400, as its own handler maps them.
STATUS_BY_ERROR: tuple[tuple[type[BaseException], int], ...] = (
    (errors.InvalidResponseHeader, 500),
    (errors.InvalidResponseHeaderName, 500),
    (errors.ConfigurationProblem, 500),
    (errors.LimitRequestLine, 414),
    (errors.LimitRequestHeaders, 431),
    (errors.ExpectationFailed, 417),
    (errors.UnsupportedTransferCoding, 501),
    (errors.ForbiddenProxyRequest, 403),
    (errors.ParseException, 400),
)


def error_status(exc: BaseException) -> int:
    """The status gunicorn would give ``exc``; anything not a parse error is a 500."""
    for kind, status in STATUS_BY_ERROR:
        if isinstance(exc, kind):
            return status
    return 500


class ScrubArguments(logging.Filter):
    """Formats gunicorn's lines without their string arguments, which may quote a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(a if isinstance(a, int | float) else WITHHELD for a in args)
        return True


class DeclassThreadWorker(ThreadWorker):  # type: ignore[misc]
    """gthread, with problem+json for the requests gunicorn refuses itself."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        status = error_status(exc)
        kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
        if status >= 500:
            self.log.error(f"request-failed {kind} {status}")
        else:
            self.log.warning(f"request-refused {kind} {status}")
        try:
            client.sendall(edge_problem_bytes(status))
        except Exception:
            self.log.debug("the error answer could not be sent")


def client_from_front(app: Any) -> Any:
    """WSGI: the client address the front saw, since gunicorn sees only the front's socket.

    Gunicorn listens on a private Unix socket that only the front reaches, and the
    front replaces whatever ``X-Declass-Client`` a client sent with the real address.
    """

    def wrapped(environ: dict[str, Any], start_response: Any) -> Any:
        client = environ.pop("HTTP_X_DECLASS_CLIENT", None)
        if client:
            environ["REMOTE_ADDR"] = client
        return app(environ, start_response)

    return wrapped
