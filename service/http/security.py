"""API keys, the body-size gate and the security headers every response carries.

Keys arrive as ``Authorization: Bearer <key>``; the service keeps only their
SHA-256 digests and compares the digest of what it is given against every
one of them with :func:`hmac.compare_digest`, so neither the comparison nor
the number of keys tried depends on how close a guess was. The key found
names the caller (its name and role, :mod:`declass.service.keys`) for
:mod:`declass.service.http.identity`. With no keys configured the service
answers only clients on the loopback interface, as the reviewer ``local``.
Health, readiness and the OpenAPI document stay open so that orchestrators
need no secret (the README says so); so do the review page and its assets,
which hold no document. The metrics count documents and decisions, so they
take the key like /v1 (or loopback, without keys) unless the operator opens
them for a scraper on a private network (``DECLASS_METRICS_PUBLIC``). The page gets a CSP of
its own; every other response keeps ``default-src 'none'``.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from declass.service.config import Settings, is_loopback
from declass.service.http.errors import ApiProblem
from declass.service.http.identity import set_caller
from declass.service.keys import LOCAL, identify

OPEN_ENDPOINTS = frozenset({"ops.healthz", "ops.readyz", "ops.openapi"})
METRICS_ENDPOINT = "ops.metrics_endpoint"
#: The review page and its assets hold no document; the API calls it makes carry the key.
PAGE_ENDPOINTS = frozenset({"review.page", "static"})
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="declass"'}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}
#: The page runs only its own script and styles, talks only to this service, and cannot
#: assign a string to ``innerHTML`` (Trusted Types with no policy): text goes in as text.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "require-trusted-types-for 'script'; trusted-types 'none'"
)


def _settings() -> Settings:
    settings: Settings = current_app.extensions["declass"].settings
    return settings


def _authenticate() -> None:
    if request.endpoint in OPEN_ENDPOINTS:
        return
    settings = _settings()
    if request.endpoint == METRICS_ENDPOINT and settings.metrics_public:
        return
    if not settings.has_keys:
        if not is_loopback(request.remote_addr or ""):
            raise ApiProblem(403, "loopback-only", "without API keys only loopback is served")
        set_caller(LOCAL)
        return
    if request.endpoint in PAGE_ENDPOINTS:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    key = identify(token.strip(), settings.keys) if scheme.lower() == "bearer" else None
    if key is None:
        raise ApiProblem(
            401,
            "unauthorized",
            "a valid API key is required: Authorization: Bearer <key>",
            headers=CHALLENGE,
        )
    set_caller(key)


def _limit_body() -> None:
    """Refuse by Content-Length before a byte is read; chunked bodies are cut while read."""
    length = request.content_length
    if length is not None and length > _settings().max_body_bytes:
        raise RequestEntityTooLarge()


def _add_headers(response: Response) -> Response:
    if request.endpoint == "review.page":
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    # One byte over the limit, so that a chunked body that reaches it is known to be too long
    # (see intake.read_body); declared lengths are checked against the limit itself.
    app.config["MAX_CONTENT_LENGTH"] = _settings_of(app).max_body_bytes + 1
    app.before_request(_authenticate)
    app.before_request(_limit_body)
    app.after_request(_add_headers)


def _settings_of(app: Flask) -> Settings:
    settings: Settings = app.extensions["declass"].settings
    return settings
