"""Validate a request: body, options and policy in, one :class:`RequestJob` for the pipeline out.

Four body shapes carry a document: ``text/plain`` (options in the query
string), JSON (:class:`~declass.service.http.schemas.RedactRequest`),
``multipart/form-data`` with a ``file``, and a raw PDF, Word (DOCX), PNG or
TIFF body (options in the query string). A file, uploaded or raw, is read by
:func:`~declass.service.reader.read_document`, the reader the command line and batch
use, so every edge reads the same bytes the same way and refuses them with
the same codes. Query-string options apply to all; options in a JSON body or
a form take precedence. Clients name shipped policies by id or send a policy
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

from declass.rules.errors import InputError, PolicyNotFound
from declass.rules.policy import LoadedPolicy, Policy, inline_policy
from declass.rules.release import Override, Redaction
from declass.rules.untrusted import Untrusted
from declass.service.as_of import today
from declass.service.config import Settings
from declass.service.formats import ACCEPT_FORMATS, RAW_MEDIA_TYPES, Format, accept_detail
from declass.service.http.errors import ApiProblem, from_validation
from declass.service.http.schemas import (
    AnalyzeOptions,
    AnalyzeRequest,
    AnalyzeUpload,
    ExtractOptions,
    ExtractUpload,
    RedactOptions,
    RedactRequest,
    RedactUpload,
)
from declass.service.read.pdf import is_pdf
from declass.service.read.word import is_docx
from declass.service.reader import (
    PNG_MAGIC,
    TIFF_MAGICS,
    ReadDocument,
    ReaderProblem,
    read_document,
)

#: The response formats by Accept media type, from the registry in declass.service.formats (as are
#: RAW_MEDIA_TYPES, the documents sent as the whole body with options in the query string).
MEDIA_FORMATS: dict[str, Format] = ACCEPT_FORMATS


@dataclass(frozen=True)
class RequestJob:
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
    #: The reader's notes (a Word file's footnotes, comments...), listed in the report.
    notes: tuple[ReaderProblem, ...] = ()
    #: A draft as of any date, even after today (never a final release).
    preview: bool = False
    #: Who asks: the API key's name (set by service.http.identity.authorise).
    reviewer: str = ""


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
) -> RequestJob:
    """The validated job, or an :class:`ApiProblem` / declass error naming what is wrong."""
    mimetype = request.mimetype
    query = request.args.to_dict()
    untrusted: tuple[Untrusted, ...] = ()
    notes: tuple[ReaderProblem, ...] = ()
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
        values, read = _upload(request, shapes.upload, query, settings)
        data, facts, untrusted = _read_parts(read, "upload")
        notes = tuple(read.problems)
    elif mimetype in RAW_MEDIA_TYPES:
        values = _validate(shapes.options, query)
        read = _read_raw(request, settings)
        data, facts, untrusted = _read_parts(read, "raw")
        notes = tuple(read.problems)
    else:
        raise ApiProblem(415, "unsupported-media-type", _MEDIA_DETAIL)
    return RequestJob(
        data=data,
        policy=_policy(values.get("policy"), policies, settings),
        as_of=values.get("as_of") or today(),
        fmt=_format(request, values.get("format")) if shapes.negotiates else "json",
        overrides=tuple(values.get("overrides") or ()),
        redactions=tuple(values.get("redactions") or ()),
        log=bool(values.get("log", False)),
        page_size=str(values.get("page_size", "letter")),
        facts=facts,
        untrusted=untrusted,
        notes=notes,
        preview=bool(values.get("preview", False)),
    )


_MEDIA_DETAIL = (
    "send the document as text/plain, application/json, multipart/form-data, or a raw "
    "application/pdf, Word (DOCX), image/png or image/tiff body"
)


def read_file(
    data: bytes, media_type: str | None, filename: str | None, settings: Settings, *, part: str
) -> ReadDocument:
    """A file sent raw or uploaded, read as the command line reads it.

    A refusal by a reader (a damaged PDF, a Word file too large, no OCR) is a
    422 with the reader's own code, and so is a PDF, Word file or scan in which
    no text was found; text that is not UTF-8 or is empty stays the 400 a
    ``text/plain`` body gets.
    """
    try:
        return read_document(data, media_type, filename, max_pages=settings.max_pdf_pages)
    except InputError as exc:  # UnreadableDocument, DocxError, OcrError: each has a code
        if type(exc) is not InputError:
            raise ApiProblem(422, exc.code, exc.message, field=part) from None
        if _is_text(data):
            raise
        raise ApiProblem(422, "no-text-found", NO_TEXT, field=part) from None


NO_TEXT = "no text was found in the file (no text layer, and none that OCR could read)"


def _is_text(data: bytes) -> bool:
    """Read as text: none of the formats the reader knows by their first bytes."""
    starts = (PNG_MAGIC, *TIFF_MAGICS)
    return not (is_pdf(data) or is_docx(data) or data.startswith(starts))


def read_facts(read: ReadDocument, source: str) -> dict[str, Any]:
    """What the log line says about a file read: reader, pages, held ranges; never text."""
    facts: dict[str, Any] = {"source": f"{source}-{read.reader}"}
    if read.pages is not None:
        facts["pages"] = read.pages
    facts["untrusted_pages"] = len({r.page for r in read.untrusted})
    facts["untrusted_ranges"] = len(read.untrusted)
    if read.problems:
        facts["reader_problems"] = sorted({note.code for note in read.problems})
    return facts


def _read_raw(request: Request, settings: Settings) -> ReadDocument:
    """A document sent as the whole body; its media type claims a format, as a suffix would."""
    data = read_body(request, settings.max_body_bytes)
    return read_file(data, request.mimetype, None, settings, part="body")


def _read_parts(
    read: ReadDocument, source: str
) -> tuple[bytes, dict[str, Any], tuple[Untrusted, ...]]:
    return read.text.encode("utf-8"), read_facts(read, source), tuple(read.untrusted)


#: Bodies /v1/extract reads without a form: text and every raw document format.
EXTRACT_MEDIA_TYPES = RAW_MEDIA_TYPES | {"text/plain"}


def read_upload(request: Request, settings: Settings) -> tuple[ReadDocument, dict[str, Any]]:
    """The document of a ``/v1/extract`` request as the service reads it, and its log facts.

    The file comes as a ``multipart/form-data`` upload (what a browser sends) or as
    a raw body of any format the reader knows, and goes through the same reader
    and checks as a document sent to ``/v1/redact``.
    """
    mimetype = request.mimetype
    if mimetype == "multipart/form-data":
        _, read = _upload(request, ExtractUpload, request.args.to_dict(), settings)
        return read, read_facts(read, "upload")
    if mimetype in EXTRACT_MEDIA_TYPES:
        _validate(ExtractOptions, request.args.to_dict())
        if mimetype == "text/plain":
            _check_charset(request)
        read = _read_raw(request, settings)
        return read, read_facts(read, "raw")
    raise ApiProblem(415, "unsupported-media-type", _EXTRACT_DETAIL)


_EXTRACT_DETAIL = (
    "send the file as multipart/form-data, or as a raw text/plain, application/pdf, "
    "Word (DOCX), image/png or image/tiff body"
)


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
    request: Request, model: type[BaseModel], query: dict[str, str], settings: Settings
) -> tuple[dict[str, Any], ReadDocument]:
    """The form's options and its ``file``, read by its bytes (its name and type only
    claim a format, as on the command line)."""
    upload = request.files.get("file")
    if upload is None:
        raise ApiProblem(422, "invalid-request", "file: a 'file' part is required", field="file")
    data = upload.read()
    form = {name: value for name, value in request.form.items() if value != ""}
    validated = _validate(model, {**query, **form, "file": b""})
    read = read_file(data, upload.mimetype or None, upload.filename, settings, part="file")
    return validated, read


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
        raise ApiProblem(406, "not-acceptable", accept_detail())
    return MEDIA_FORMATS[best]
