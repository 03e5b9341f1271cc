"""Validate a request: body, options and policy in, one :class:`Job` for the pipeline out.

Four body shapes carry a document: ``text/plain`` (options in the query
string), JSON (:class:`~service.schemas.RedactRequest`),
``multipart/form-data`` with a ``file`` (text or a PDF with a text layer),
and a raw PDF, Word (DOCX), PNG or TIFF body read by
:func:`~service.reader.read_document` (options in the query string).
Query-string options apply to all; options in a JSON body or a form
take precedence. Clients name shipped policies by id or send a policy
inline: a name is looked up among the policies loaded at start and never
read as a path, so no request can make the service open a file.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from flask import Request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from rules.errors import InputError, PolicyNotFound
from rules.policy import LoadedPolicy, Policy, inline_policy
from rules.release import Override, Redaction
from rules.untrusted import Untrusted
from service.config import Settings
from service.errors import ApiProblem, from_validation
from service.pdf_input import is_pdf, read_pdf
from service.pipeline import Format
from service.reader import DOCX_MEDIA_TYPE, ReadDocument, read_document
from service.schemas import (
    AnalyzeOptions,
    AnalyzeRequest,
    AnalyzeUpload,
    ExtractUpload,
    RedactOptions,
    RedactRequest,
    RedactUpload,
)

#: Documents sent as the whole body, options in the query string as for text/plain.
RAW_MEDIA_TYPES = frozenset({"application/pdf", DOCX_MEDIA_TYPE, "image/png", "image/tiff"})
MEDIA_FORMATS: dict[str, Format] = {
    "text/plain": "text",
    "application/pdf": "pdf",
    "application/json": "json",
}


@dataclass(frozen=True)
class Job:
    """One validated request: the document's bytes and everything the pipeline needs."""

    data: bytes
    policy: LoadedPolicy
    as_of: dt.date
    fmt: Format = "json"
    overrides: tuple[Override, ...] = ()
    redactions: tuple[Redaction, ...] = ()
    log: bool = False
    page_size: str = "letter"
    facts: dict[str, Any] = field(default_factory=dict)
    #: Ranges of a PDF's text whose reading order is unsure (their portions go to review).
    untrusted: tuple[Untrusted, ...] = ()


@dataclass(frozen=True)
class Shapes:
    """The models one endpoint validates against, per body shape."""

    options: type[BaseModel]
    json: type[BaseModel]
    upload: type[BaseModel]
    negotiates: bool


REDACT = Shapes(RedactOptions, RedactRequest, RedactUpload, negotiates=True)
ANALYZE = Shapes(AnalyzeOptions, AnalyzeRequest, AnalyzeUpload, negotiates=False)


def read_job(
    request: Request, shapes: Shapes, policies: dict[str, LoadedPolicy], settings: Settings
) -> Job:
    """The validated job, or an :class:`ApiProblem` / declass error naming what is wrong."""
    mimetype = request.mimetype
    query = request.args.to_dict()
    untrusted: tuple[Untrusted, ...] = ()
    if mimetype == "text/plain":
        _check_charset(request)
        values = _validate(shapes.options, query)
        data, facts = read_body(request, settings.max_body_bytes), {"source": "text"}
    elif mimetype == "application/json":
        # Query strings are text and validated leniently; JSON has types and is held to them.
        body = _json_object(read_body(request, settings.max_body_bytes))
        values = {**_validate(shapes.options, query), **_validate(shapes.json, body, strict=True)}
        data, facts = _encode(values["text"]), {"source": "json"}
        untrusted = tuple(values.get("untrusted") or ())
    elif mimetype == "multipart/form-data":
        upload = _upload(request, shapes.upload, query, settings.max_pdf_pages)
        values, data, facts, untrusted = upload
    elif mimetype in RAW_MEDIA_TYPES:
        values = _validate(shapes.options, query)
        read = _read_raw(read_body(request, settings.max_body_bytes), mimetype, settings)
        data, facts = read.text.encode("utf-8"), {"source": f"raw-{read.reader}"}
        untrusted = tuple(read.untrusted)
    else:
        raise ApiProblem(415, "unsupported-media-type", _MEDIA_DETAIL)
    return Job(
        data=data,
        policy=_policy(values.get("policy"), policies, settings),
        as_of=values.get("as_of") or dt.datetime.now(dt.UTC).date(),
        fmt=_format(request, values.get("format")) if shapes.negotiates else "json",
        overrides=tuple(values.get("overrides") or ()),
        redactions=tuple(values.get("redactions") or ()),
        log=bool(values.get("log", False)),
        page_size=str(values.get("page_size", "letter")),
        facts=facts,
        untrusted=untrusted,
    )


_MEDIA_DETAIL = (
    "send the document as text/plain, application/json, multipart/form-data, or a raw "
    "application/pdf, Word (DOCX), image/png or image/tiff body"
)


def _read_raw(raw: bytes, mimetype: str, settings: Settings) -> ReadDocument:
    """A PDF, DOCX or scan sent as the body; a refusal is a 422 with the reader's own code."""
    try:
        return read_document(raw, mimetype, max_pages=settings.max_pdf_pages)
    except InputError as exc:  # UnreadableDocument, DocxError, OcrError: each has a code
        raise ApiProblem(422, exc.code, exc.message, field="body") from None


def read_upload(
    request: Request, settings: Settings
) -> tuple[bytes, dict[str, Any], tuple[Untrusted, ...]]:
    """The bytes of an uploaded file (a PDF's text layer), for ``/v1/extract``, with the
    ranges of a PDF whose reading order is unsure.

    Only ``multipart/form-data``: a client that already holds the text has no use
    for it. The file goes through the same checks as an upload to ``/v1/redact``.
    """
    if request.mimetype != "multipart/form-data":
        raise ApiProblem(415, "unsupported-media-type", "send the file as multipart/form-data")
    query = request.args.to_dict()
    _, data, facts, untrusted = _upload(request, ExtractUpload, query, settings.max_pdf_pages)
    return data, facts, untrusted


def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refusing one longer than ``limit``.

    Werkzeug stops a chunked body at ``MAX_CONTENT_LENGTH`` without saying so
    (it cannot tell a body of exactly that size from a longer one), so the
    application sets that to ``limit + 1`` and a body that reaches it is refused
    here; a declared Content-Length was already checked before any reading.
    """
    data = request.get_data(cache=False)
    if len(data) > limit:
        raise RequestEntityTooLarge()
    return data


def _validate(
    model: type[BaseModel], values: dict[str, Any], strict: bool = False
) -> dict[str, Any]:
    """The fields given, validated, as a shallow dict (nested models stay models)."""
    try:
        validated = model.model_validate(values, strict=strict)
    except ValidationError as exc:
        raise from_validation(exc) from None
    return {name: getattr(validated, name) for name in validated.model_fields_set}


def _check_charset(request: Request) -> None:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in {"utf-8", "utf8", "us-ascii"}:
        raise ApiProblem(415, "unsupported-media-type", "text must be UTF-8 (charset=utf-8)")


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError("the JSON body is not UTF-8") from None
    except (ValueError, RecursionError):
        raise ApiProblem(400, "invalid-json", "the body is not valid JSON") from None
    if not isinstance(value, dict):
        raise ApiProblem(422, "invalid-request", "the JSON body must be an object", field="body")
    return value


def _encode(text: str) -> bytes:
    """JSON may carry lone surrogates (``"\\ud800"``), which no UTF-8 document can hold."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("text is not valid Unicode (unpaired surrogate)", field="text") from None


def _upload(
    request: Request, model: type[BaseModel], query: dict[str, str], max_pages: int
) -> tuple[dict[str, Any], bytes, dict[str, Any], tuple[Untrusted, ...]]:
    upload = request.files.get("file")
    if upload is None:
        raise ApiProblem(422, "invalid-request", "file: a 'file' part is required", field="file")
    data = upload.read()
    form = {name: value for name, value in request.form.items() if value != ""}
    validated = _validate(model, {**query, **form, "file": b""})
    if not is_pdf(data):
        return validated, data, {"source": "upload-text"}, ()
    pdf = read_pdf(data, max_pages)
    facts = {
        "source": "upload-pdf",
        "pages": pdf.pages,
        "untrusted_pages": len({r.page for r in pdf.untrusted}),
    }
    return validated, pdf.text.encode("utf-8"), facts, pdf.untrusted


def _policy(
    choice: str | Policy | None, policies: dict[str, LoadedPolicy], settings: Settings
) -> LoadedPolicy:
    """A loaded policy by name, or an inline one where the operator allows them.

    An inline policy could otherwise reuse a shipped id and version and release
    what the shipped policy withholds under its name.
    """
    if isinstance(choice, Policy):
        if not settings.allow_inline_policies:
            raise ApiProblem(403, "inline-policy-disabled", _INLINE_DETAIL, field="policy")
        return inline_policy(choice.model_dump(), taken=policies)
    name = choice or settings.default_policy
    if name not in policies:
        known = ", ".join(sorted(policies))
        raise PolicyNotFound(f"unknown policy '{name}' (known: {known})", field="policy")
    return policies[name]


_INLINE_DETAIL = (
    "this service takes no inline policies (the operator may allow them with "
    "DECLASS_ALLOW_INLINE_POLICIES=1); name a policy from GET /v1/policies"
)


def _format(request: Request, requested: Format | None) -> Format:
    """``format`` wins; else the Accept header; else text. Nothing acceptable is a 406."""
    if requested is not None:
        return requested
    if not request.accept_mimetypes:
        return "text"
    best = request.accept_mimetypes.best_match(list(MEDIA_FORMATS))
    if best is None:
        raise ApiProblem(406, "not-acceptable", _ACCEPT_DETAIL)
    return MEDIA_FORMATS[best]


_ACCEPT_DETAIL = "the response can be text/plain, application/pdf or application/json"
