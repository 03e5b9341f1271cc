"""The one list of formats declass reads and writes; every edge derives its own from it.

Output formats: the command line's ``--format`` choices, the HTTP ``Accept``
negotiation and its 406, the request schemas, batch's file extensions and the
pipeline's renderers all come from :data:`OUTPUTS`. Input formats: the media
types and file names that claim a format in :func:`declass.service.reader.read_document`,
the raw bodies HTTP takes and the files a batch picks up all come from
:data:`INPUTS`. A format added here reaches every edge at once; the tests
check that each edge matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from declass.service.render.outputs import (
    Renderer,
    render_as_json,
    render_as_pdf,
    render_as_text,
    render_as_vaughn,
)

#: The output format names, as a static type for mypy and pydantic. The registry's keys
#: must equal these (a test checks it); the order is the order batch produces them in.
Format = Literal["text", "pdf", "json", "vaughn"]


@dataclass(frozen=True)
class OutputFormat:
    """How a release is handed out in one format."""

    name: Format
    #: The Content-Type of the output.
    media_type: str
    #: The media type a client names in ``Accept`` to ask for it.
    accept: str
    #: The extension of batch's released file: ``X.txt`` -> ``X.txt.released.<extension>``.
    extension: str
    renderer: Renderer


OUTPUTS: dict[Format, OutputFormat] = {
    f.name: f
    for f in (
        OutputFormat("text", "text/plain; charset=utf-8", "text/plain", "txt", render_as_text),
        OutputFormat("pdf", "application/pdf", "application/pdf", "pdf", render_as_pdf),
        OutputFormat("json", "application/json", "application/json", "json", render_as_json),
        OutputFormat("vaughn", "text/csv; charset=utf-8", "text/csv", "csv", render_as_vaughn),
    )
}
#: Output format names in registry order.
FORMAT_NAMES: tuple[Format, ...] = tuple(OUTPUTS)
#: ``Accept`` media type -> format, in the order a tie is broken.
ACCEPT_FORMATS: dict[str, Format] = {f.accept: f.name for f in OUTPUTS.values()}


def accept_detail() -> str:
    """The 406 detail: what the response can be."""
    kinds = list(ACCEPT_FORMATS)
    return f"the response can be {', '.join(kinds[:-1])} or {kinds[-1]}"


Reader = Literal["text", "pdf", "docx", "ocr"]


@dataclass(frozen=True)
class InputFormat:
    """A kind of file declass reads, and the names and media types that claim it."""

    #: What a refusal calls it: "the file is not a PDF as declared".
    description: str
    reader: Reader
    media_types: tuple[str, ...]
    #: File name suffixes (lower case) that claim it; batch picks these files up.
    suffixes: tuple[str, ...]
    #: Further suffixes read as this format when named, which a batch does not pick up
    #: (a folder of cables often keeps notes such as ``README.md`` beside them).
    named_only: tuple[str, ...] = ()


DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = InputFormat(
    "UTF-8 text",
    "text",
    ("text/plain",),
    (".txt",),
    named_only=(".text", ".asc", ".cable", ".md"),
)
INPUTS: tuple[InputFormat, ...] = (
    TEXT,
    InputFormat("a PDF", "pdf", ("application/pdf",), (".pdf",)),
    InputFormat("a Word (DOCX) file", "docx", (DOCX_MEDIA_TYPE,), (".docx",)),
    InputFormat("a PNG image", "ocr", ("image/png",), (".png",)),
    InputFormat("a TIFF image", "ocr", ("image/tiff",), (".tif", ".tiff")),
)
#: Formats recognised by their first bytes: a media type or a name only claims them.
BINARY_INPUTS: tuple[InputFormat, ...] = tuple(f for f in INPUTS if f is not TEXT)
#: Media types of documents HTTP takes as the whole body, options in the query string.
RAW_MEDIA_TYPES: frozenset[str] = frozenset(t for f in BINARY_INPUTS for t in f.media_types)
#: File suffixes batch picks up (any case).
BATCH_SUFFIXES: tuple[str, ...] = tuple(s for f in INPUTS for s in f.suffixes)
