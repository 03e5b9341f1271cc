"""One renderer per output format: a Release and its text in, bytes and what they say out.

A renderer only writes; it does not judge. It hands back, beside the bytes,
what a reader gets back out of them (``emitted``), the released text in them
(``released_text``) and the strings it wrote from the model rather than from
the text (``generated``), so that :func:`declass.service.pipeline.render` can put the
leak gate and the second key on exactly what leaves, whatever the format.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

from declass.rules.release import Release
from declass.rules.untrusted import READER_NOTE_CODES
from declass.service.render.report import dump_json, release_report, strings_of
from declass.service.render.text import render_text


class Renderer(Protocol):
    """Writes one format; ``log`` and ``page_size`` matter to the PDF only."""

    def __call__(self, release: Release, text: str, *, log: bool, page_size: str) -> Rendered: ...


@dataclass(frozen=True)
class Rendered:
    """A rendered release and the texts the gates read."""

    output: bytes
    #: Everything a reader gets back out of ``output`` (for a PDF, its extracted text).
    emitted: str
    #: The released document text inside ``output``, for the second key.
    released_text: str
    #: Strings written from the model besides the stamp (the report's captions and notes).
    generated: tuple[str, ...] = ()


def render_as_text(release: Release, text: str, *, log: bool, page_size: str) -> Rendered:
    """The released text, line for line."""
    released_text = render_text(release, text)
    return Rendered(released_text.encode("utf-8"), released_text, released_text)


def render_as_pdf(release: Release, text: str, *, log: bool, page_size: str) -> Rendered:
    """A PDF typeset from the released text; reportlab is imported only when asked for.

    The gates read the strings the renderer drew, laid out as a reader extracts them;
    where that text is not plain (a character outside the fonts' plain set, the log's
    tables), they read the finished file back instead."""
    from declass.service.render.pdf import render_pdf_drawn
    from declass.service.render.pdf_gate import gate_text

    output, drawn = render_pdf_drawn(release, text, log=log, page_size=page_size)
    said = drawn if drawn is not None else gate_text(output)  # what a reader gets back
    return Rendered(output, said, said)


def render_as_json(release: Release, text: str, *, log: bool, page_size: str) -> Rendered:
    """The JSON report with the released text in its ``text`` field."""
    released_text = render_text(release, text)
    report = release_report(release, released_text)
    report["sha256"]["output"] = hashlib.sha256(released_text.encode("utf-8")).hexdigest()
    emitted = "\n".join(strings_of(report))  # the released text is one of them
    return Rendered(
        dump_json(report).encode("utf-8"), emitted, released_text, report_generated(release)
    )


def render_as_vaughn(release: Release, text: str, *, log: bool, page_size: str) -> Rendered:
    """The withholding log (Vaughn index) as CSV; pages are those of the PDF at
    ``page_size``. It releases no document text, so key 2 has none to read."""
    from declass.service.render.vaughn import generated_cells, vaughn_rows, write_csv

    rows = vaughn_rows(release, text, page_size)
    output = write_csv(rows)
    return Rendered(output.encode("utf-8"), output, "", generated_cells(rows))


def report_generated(release: Release) -> tuple[str, ...]:
    """What a report names from the model beyond the stamp: the document's captions (as
    markings) and the notes of the reader that read the file (fixed sentences)."""
    notes = [p.detail for p in release.document.problems if p.code in READER_NOTE_CODES]
    return (*release.document.captions, *notes)
