"""Request and response models of the HTTP API: the validators and the source of /openapi.json.

Request models are frozen and forbid unknown fields, like the rules' own
models, so a misspelt option is a 422 that names it rather than a silent
default. Overrides and span redactions reuse the contract models of
``declass.rules.release`` (docs/architecture.md 6.3); a tagged union picks the
redaction kind from its keys so that an error names one field, not three
alternatives. Response models describe the JSON the service already emits
(the report built by ``declass.service.render.report``); tests validate real responses
against them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Json,
    Tag,
)

from declass.rules.errors import RequestError
from declass.rules.model import ClassifiedBy, Declassification, Level, Marking, Segment
from declass.rules.model import Problem as RulesProblem
from declass.rules.policy import Policy, PolicyRef
from declass.rules.release import (
    AppliedRedaction,
    Decision,
    Override,
    PatternRedaction,
    PhraseRedaction,
    RangeRedaction,
    ReleaseSummary,
    SpanRedaction,
)
from declass.rules.untrusted import Untrusted
from declass.service.as_of import AS_OF_FORM, parse_as_of
from declass.service.formats import Format

PageSize = Literal["letter", "a4"]
MAX_OVERRIDES = 10_000
#: Untrusted ranges a client may hand back: one per reason per page of the largest PDF.
MAX_UNTRUSTED = 20_000
MAX_REDACTIONS = 1_000
FILE_DESCRIPTION = (
    "The document: UTF-8 text, a PDF (its text layer, or OCR of a scan), a Word (DOCX) file,"
    " or a PNG or TIFF scan; read by its first bytes, as the command line reads it."
)


def _iso_date(value: Any) -> Any:
    """Only ``YYYY-MM-DD``, by the parser the command line uses: pydantic would otherwise
    read a number as a Unix timestamp."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(AS_OF_FORM)
    try:
        return parse_as_of(value)
    except RequestError as exc:
        raise ValueError(exc.message) from None


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
PolicyName = Annotated[
    str, Field(min_length=1, max_length=41, pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")
]


def _policy_kind(value: Any) -> str:
    return "name" if isinstance(value, str) else "inline"


PolicyChoice = Annotated[
    Annotated[PolicyName, Tag("name")] | Annotated[Policy, Tag("inline")],
    Discriminator(_policy_kind),
]


def _redaction_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        keys = set(value)
    elif isinstance(value, BaseModel):
        keys = set(type(value).model_fields)
    else:
        return None
    if "phrase" in keys:
        return "phrase"
    if "pattern" in keys:
        return "pattern"
    if "start" in keys or "end" in keys:
        return "range"
    return None


RedactionItem = Annotated[
    Annotated[PhraseRedaction, Tag("phrase")]
    | Annotated[PatternRedaction, Tag("pattern")]
    | Annotated[RangeRedaction, Tag("range")],
    Discriminator(
        _redaction_kind,
        custom_error_type="redaction_kind",
        custom_error_message="a redaction needs 'phrase', 'pattern', or 'start' and 'end'",
    ),
]
#: Tags of the unions above: they appear in pydantic error locations and are dropped there.
UNION_TAGS = frozenset({"name", "inline", "phrase", "pattern", "range"})


class Request(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _drop_null(schema: dict[str, Any]) -> None:
    """A query string or a form cannot say null: its optional fields are absent, not null."""
    for prop in schema.get("properties", {}).values():
        choices = prop.get("anyOf", [])
        if {"type": "null"} in choices and len(choices) == 2:
            prop.pop("anyOf")
            prop.update(next(c for c in choices if c != {"type": "null"}))
        if prop.get("default", "") is None:
            prop.pop("default")


class Form(Request):
    """Options that arrive as text: in a query string or multipart form fields."""

    model_config = ConfigDict(json_schema_extra=_drop_null)


class AnalyzeOptions(Form):
    """Options of ``/v1/analyze`` in the query string (or a multipart form)."""

    policy: PolicyName | None = Field(default=None, description="A policy id; else 'public'.")
    as_of: IsoDate | None = Field(default=None, description="Decide as of this date; today.")
    preview: bool = Field(
        default=False, description="A draft: allows an as_of after today; never final."
    )


class RedactOptions(AnalyzeOptions):
    """Options of ``/v1/redact`` in the query string (or a multipart form)."""

    format: Format | None = Field(default=None, description="Response format; else Accept.")
    log: bool = Field(default=False, description="Append the redaction log to a PDF.")
    page_size: PageSize = "letter"


class AnalyzeRequest(Request):
    """``/v1/analyze`` with a JSON body."""

    # Blank text is refused as bad input (400), as a blank text/plain body is, not as a
    # schema violation (422); the documented schema still says what a document must be.
    text: str = Field(
        description="The document, as text.", json_schema_extra={"minLength": 1, "pattern": r"\S"}
    )
    policy: PolicyChoice | None = Field(default=None, description="A policy id or a policy.")
    as_of: IsoDate | None = None
    preview: bool = False
    untrusted: list[Untrusted] = Field(
        default_factory=list,
        max_length=MAX_UNTRUSTED,
        description=(
            "Ranges of the text whose reading order is unsure, as /v1/extract returned them"
            " for a PDF: portions overlapping them go to review."
        ),
    )


class RedactRequest(AnalyzeRequest):
    """``/v1/redact`` with a JSON body: the document, the policy and the reviewers' work."""

    overrides: list[Override] = Field(default_factory=list, max_length=MAX_OVERRIDES)
    redactions: list[RedactionItem] = Field(default_factory=list, max_length=MAX_REDACTIONS)
    format: Format | None = None
    log: bool = False
    page_size: PageSize = "letter"


class AnalyzeUpload(AnalyzeOptions):
    """``/v1/analyze`` as ``multipart/form-data``: a text file or a PDF with a text layer."""

    file: bytes = Field(description=FILE_DESCRIPTION)


class RedactUpload(RedactOptions):
    """``/v1/redact`` as ``multipart/form-data``; overrides and redactions as JSON text."""

    file: bytes = Field(description=FILE_DESCRIPTION)
    overrides: Json[list[Override]] | None = None
    redactions: Json[list[RedactionItem]] | None = None


class ExtractOptions(Form):
    """``/v1/extract`` takes no options: it reads the file, it decides nothing."""


class ExtractUpload(ExtractOptions):
    """``/v1/extract`` as ``multipart/form-data``: the file whose text a review tool shows."""

    file: bytes = Field(description=FILE_DESCRIPTION)


class Response(BaseModel):
    """Responses may grow fields; clients must ignore the ones they do not know."""

    model_config = ConfigDict(extra="allow")


class ReaderProblem(Response):
    """A reader's note for the reviewer: a code and a fixed detail, never document text."""

    code: str
    detail: str


class Extracted(Response):
    """``/v1/extract`` asked for JSON: the text, and the ranges that must go to review
    (unsure reading order, unsure OCR, held Word content) to send back as ``untrusted``
    with the text; ``reader`` names who read it and ``problems`` what the reader saw."""

    text: str
    untrusted: list[Untrusted]
    reader: Literal["text", "pdf", "docx", "ocr"] = Field(
        description="text, pdf (the text layer), docx (a Word file) or ocr (a scan)."
    )
    pages: int | None = Field(default=None, description="Pages read, where the format has them.")
    problems: list[ReaderProblem] = Field(default_factory=list)


class ReportDeclassification(Declassification):
    raw: str | None  # type: ignore[assignment]  # blanked when its segment is withheld


class ReportClassifiedBy(ClassifiedBy):
    raw: str | None  # type: ignore[assignment]  # blanked when its segment is withheld


class DocumentProblem(RulesProblem):
    """Something a reviewer must know about the document (named apart from :class:`Problem`)."""


class ReportDocument(Response):
    sha256: str
    origin_date: dt.date | None = None
    banner: Marking | None = None
    level: Level | None = None
    captions: list[str] = Field(default_factory=list)
    declassification: ReportDeclassification | None = None
    classified_by: ReportClassifiedBy | None = None
    segments: list[Segment]
    problems: list[DocumentProblem] = Field(default_factory=list)
    cable_id: str | None = None


class Digests(Response):
    input: str
    output: str | None = None


class Report(Response):
    """The JSON report (docs/architecture.md 6.2): its names and meanings are a contract."""

    document: ReportDocument
    decisions: list[Decision]
    release: ReleaseSummary
    policy: PolicyRef
    as_of: dt.date
    evaluation: dict[str, Any]
    original_marking: str | None = None
    overrides: list[Override] = Field(default_factory=list)
    redactions: list[AppliedRedaction] = Field(default_factory=list)
    spans: list[SpanRedaction] = Field(default_factory=list)
    sha256: Digests
    final: bool = Field(
        default=False, description="No portion pending review and not a preview; else a draft."
    )
    preview: bool = False


class RedactReport(Report):
    """``/v1/redact`` as JSON: the report and the released text."""

    text: str


class PolicySummary(Response):
    id: str
    version: str
    title: str
    description: str
    audience: str
    release_level: Level
    partner: str | None = None
    sha256: str


class PolicyList(Response):
    policies: list[PolicySummary]
    default: str


class PolicyDetail(Response):
    ref: PolicyRef
    policy: Policy


class Health(Response):
    status: Literal["ok"]


class Readiness(Response):
    status: Literal["ready"]
    policies: list[str]


class Problem(Response):
    """An RFC 9457 problem; ``application/problem+json``. Never carries document text."""

    type: str = Field(description="https://declass.invalid/problems/<code>")
    title: str
    status: int
    detail: str
    code: str
    instance: str = Field(description="urn:declass:request:<request id>")
    request_id: str
    field: str | None = Field(default=None, description="The offending field, dotted.")
    limit: str | None = Field(
        default=None, description="The limit the request went past (setting DECLASS_<LIMIT>)."
    )
