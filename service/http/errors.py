"""Every error the service returns is one ``application/problem+json`` shape (RFC 9457).

Handlers live at application level, because blueprint handlers never see the
router's 404 and 405. A problem never carries document text: details come
from fixed strings, from declass errors (whose messages name fields, offsets
and segment ids, never content) or from pydantic locations and messages
(never its ``input``). An unexpected exception becomes a 500 with the request
id; its log line names the exception type and the stack, not its message or
locals, since either may hold the document.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Flask, Response, g
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from declass.rules.deadline import DeadlineExceeded
from declass.rules.errors import (
    DeclassError,
    InputError,
    LeakError,
    PolicyError,
    PolicyIdTaken,
    PolicyNotFound,
    RequestError,
    UnreadableDocument,
)
from declass.rules.limits import LimitExceeded
from declass.rules.pattern import PatternError
from declass.service.formats import accept_detail
from declass.service.http.logs import log_exception
from declass.service.http.schemas import UNION_TAGS

PROBLEM_BASE = "https://declass.invalid/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("declass.http")

#: Codes and fixed details for the HTTP errors Flask and Werkzeug raise themselves.
HTTP_PROBLEMS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "the request could not be understood"),
    401: ("unauthorized", "a valid API key is required: Authorization: Bearer <key>"),
    403: ("forbidden", "this request is not allowed"),
    404: ("not-found", "no such resource"),
    405: ("method-not-allowed", "the method is not allowed on this resource"),
    406: ("not-acceptable", accept_detail()),
    413: ("payload-too-large", "the request body is larger than the service accepts"),
    415: ("unsupported-media-type", "send text/plain, application/json or multipart/form-data"),
}


class ApiProblem(Exception):
    """A refusal decided at the HTTP edge (media type, validation, keys); readers raise
    :class:`~declass.rules.errors.UnreadableDocument`, which the handlers turn into a 422."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.detail = detail
        self.field = field
        self.headers = headers or {}


def problem(
    status: int,
    code: str,
    detail: str,
    *,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    limit: str | None = None,
) -> Response:
    """The problem response; the request id ties it to the log line."""
    request_id = str(g.get("request_id", "-"))
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": _title(code),
        "status": status,
        "detail": detail,
        "code": code,
        "instance": f"urn:declass:request:{request_id}",
        "request_id": request_id,
    }
    if field:
        body["field"] = field
    if limit:
        body["limit"] = limit
    g.problem = code
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def _title(code: str) -> str:
    return code.replace("-", " ").capitalize()


def from_validation(exc: ValidationError, prefix: str = "") -> ApiProblem:
    """A 422 naming the first invalid field; pydantic's ``input`` is never used."""
    error = exc.errors(include_url=False, include_input=False)[0]
    field = field_name(error["loc"], prefix)
    message = error["msg"].removeprefix("Value error, ")
    return ApiProblem(422, "invalid-request", f"{field or 'body'}: {message}", field=field)


def field_name(loc: tuple[int | str, ...], prefix: str = "") -> str | None:
    """A dotted field path without the tags of tagged unions; parts are cut to 64 characters."""
    parts = [prefix] if prefix else []
    for position, part in enumerate(loc):
        previous = loc[position - 1] if position else None
        if part in UNION_TAGS and (previous == "policy" or isinstance(previous, int)):
            continue
        parts.append(str(part)[:64])
    return ".".join(parts) or None


def _declass_status(exc: DeclassError) -> tuple[int, str]:
    if isinstance(exc, UnreadableDocument):  # a reader's refusal keeps the reader's code
        return 422, exc.code
    if isinstance(exc, InputError):
        return 400, "bad-input"
    if isinstance(exc, PolicyNotFound):
        return 404, "unknown-policy"
    if isinstance(exc, PolicyIdTaken):
        return 422, exc.code
    if isinstance(exc, PolicyError):
        return 422, "invalid-policy"
    if isinstance(exc, PatternError):
        return 422, exc.code
    if isinstance(exc, RequestError):
        return 422, "invalid-request"
    if isinstance(exc, LeakError):
        return 500, "leak-detected"
    return 500, "internal-error"


def handle_api_problem(exc: ApiProblem) -> Response:
    return problem(exc.status, exc.code, exc.detail, field=exc.field, headers=exc.headers)


def handle_declass_error(exc: DeclassError) -> Response:
    if isinstance(exc, DeadlineExceeded):  # load: the client may try again later
        headers = {"Retry-After": str(exc.retry_after)}
        return problem(503, exc.code, exc.message, headers=headers)
    if isinstance(exc, LimitExceeded):
        return problem(exc.status, exc.code, exc.message, field=exc.field, limit=exc.limit)
    status, code = _declass_status(exc)
    if isinstance(exc, LeakError):
        log.error("leak-gate-refusal", extra={"fields": {"detail": exc.message}})
        return problem(500, code, "the release was refused by the leak gate and nothing was sent")
    if status == 500:
        log_exception(exc)
        return problem(500, code, "internal error; quote the request id")
    return problem(status, code, exc.message, field=exc.field)


def handle_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    code, detail = HTTP_PROBLEMS.get(status, (_slug(exc.name), exc.name))
    headers = {}
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return problem(status, code, detail, headers=headers)


def handle_unexpected(exc: Exception) -> Response:
    log_exception(exc)
    return problem(500, "internal-error", "internal error; quote the request id")


def _slug(name: str) -> str:
    return "-".join(name.lower().split()) or "error"


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiProblem, handle_api_problem)
    app.register_error_handler(DeclassError, handle_declass_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
