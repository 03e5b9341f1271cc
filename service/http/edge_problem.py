"""Problems answered before the application runs: by the front or by gunicorn itself.

They carry the same problem+json shape and security headers as the
application's own (service/http/errors.py), with a fresh request id, and never a
byte of what the client sent: a framing error's message may quote the
request line or a header, so only fixed strings are used.
"""

from __future__ import annotations

import json
import uuid

from declass.service.http.errors import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from declass.service.http.security import SECURITY_HEADERS

#: Fixed reasons and details by status; nothing here comes from the request.
EDGE_PROBLEMS: dict[int, tuple[str, str, str]] = {
    400: ("Bad Request", "bad-request", "the request could not be parsed as HTTP/1.1"),
    403: ("Forbidden", "forbidden", "this request is not allowed"),
    408: ("Request Timeout", "request-timeout", "the request did not arrive in time"),
    413: (
        "Content Too Large",
        "payload-too-large",
        "the request body is larger than the service accepts",
    ),
    414: ("URI Too Long", "uri-too-long", "the request target is longer than the service reads"),
    417: ("Expectation Failed", "expectation-failed", "only 'Expect: 100-continue' is understood"),
    431: (
        "Request Header Fields Too Large",
        "header-fields-too-large",
        "the request head is larger than the service reads",
    ),
    500: ("Internal Server Error", "internal-error", "the server could not answer"),
    501: ("Not Implemented", "not-implemented", "the transfer coding is not supported"),
    503: ("Service Unavailable", "unavailable", "the service is not available now"),
}


def edge_status(status: int) -> tuple[int, str, str, str]:
    """The status, reason, code and detail used for ``status`` (a 400 for unknown ones)."""
    if status not in EDGE_PROBLEMS:
        status = 400 if 400 <= status < 500 else 500
    reason, code, detail = EDGE_PROBLEMS[status]
    return status, reason, code, detail


def edge_problem(
    status: int, *, code: str | None = None, detail: str | None = None
) -> tuple[int, str, list[tuple[str, str]], bytes]:
    """Status, reason, headers and body of a problem response; the connection is closed after."""
    status, reason, fixed_code, fixed_detail = edge_status(status)
    code = code or fixed_code
    request_id = uuid.uuid4().hex
    body = json.dumps(
        {
            "type": PROBLEM_BASE + code,
            "title": code.replace("-", " ").capitalize(),
            "status": status,
            "detail": detail or fixed_detail,
            "code": code,
            "instance": f"urn:declass:request:{request_id}",
            "request_id": request_id,
        }
    ).encode("ascii")
    headers = [
        ("Content-Type", PROBLEM_MEDIA_TYPE),
        ("Content-Length", str(len(body))),
        ("X-Request-ID", request_id),
        *SECURITY_HEADERS.items(),
    ]
    if status == 503:
        headers.append(("Retry-After", "5"))
    return status, reason, headers, body


def edge_problem_bytes(status: int) -> bytes:
    """A whole HTTP/1.1 response, for writers that speak to a raw socket (gunicorn's)."""
    status, reason, headers, body = edge_problem(status)
    lines = [f"HTTP/1.1 {status} {reason}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
