"""The one pipeline: bytes -> text -> Document -> Release -> rendered output.

The command line, the HTTP API and batch all call :func:`run`, so parsing,
deciding, rendering and the leak gate happen in exactly one place, in that
order, every time.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rules.engine import decide
from rules.leakgate import check_release
from rules.parse import normalise, parse_document
from rules.policy import LoadedPolicy
from rules.release import Override, Redaction, Release
from rules.second_key import allowed_evidence, check_output, released_ranges
from rules.untrusted import Untrusted
from service.render_text import (
    placeholder,
    release_stamp,
    render_text,
    span_mark,
    stamp_fields,
    withholding_basis,
)
from service.report import dump_json, release_report, strings_of

Format = Literal["text", "json", "pdf"]

MEDIA_TYPES: dict[str, str] = {
    "text": "text/plain; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Outcome:
    """A finished release: the decisions and the bytes to hand out."""

    release: Release
    output: bytes
    media_type: str

    @functools.cached_property
    def report(self) -> dict[str, Any]:
        """The JSON report of the release (without the released text), built on demand:
        the command line writes the output only, the HTTP layer reads counts from it."""
        report = release_report(self.release, None)
        report["sha256"]["output"] = hashlib.sha256(self.output).hexdigest()
        return report


def run(
    data: bytes,
    policy: LoadedPolicy,
    as_of: dt.date,
    *,
    fmt: Format = "text",
    overrides: Sequence[Override] = (),
    redactions: Sequence[Redaction] = (),
    log: bool = False,
    page_size: str = "letter",
    untrusted: Sequence[Untrusted] = (),
) -> Outcome:
    """Release ``data`` under ``policy`` as of ``as_of`` in the requested format."""
    text = normalise(data)
    release = decide(
        parse_document(text), text, policy, as_of, overrides, redactions, untrusted=untrusted
    )
    generated = f"{release.summary.marking}\n{release_stamp(release)}"
    if fmt == "json":  # the report names the document's captions, as markings
        generated += "\n" + "\n".join(release.document.captions)
    if fmt == "pdf":
        from service.render_pdf import pdf_text, render_pdf

        output = render_pdf(release, text, log=log, page_size=page_size)
        emitted = released_text = pdf_text(output)  # what a reader gets back out of the file
    else:
        released_text = render_text(release, text)
        if fmt == "text":
            output = released_text.encode("utf-8")
            emitted = released_text
        else:
            report = release_report(release, released_text)
            report["sha256"]["output"] = hashlib.sha256(released_text.encode("utf-8")).hexdigest()
            emitted = "\n".join(strings_of(report))  # the released text is one of them
            output = dump_json(report).encode("utf-8")
    # The gate reads exactly what leaves the pipeline, once; key 2 reads the released text
    # in it (for JSON, the text field: the rest of the report is generated from the model).
    check_release(emitted, release, text, generated)
    check_evidence(released_text if fmt == "json" else emitted, release, text, log=log)
    return Outcome(release=release, output=output, media_type=MEDIA_TYPES[fmt])


def check_evidence(emitted: str, release: Release, text: str, *, log: bool = False) -> None:
    """Key 2 on the way out: the output holds no evidence token that the released text
    does not hold, apart from what the renderer generates from the model."""
    segments = release.document.segments
    allowed = allowed_evidence(text, released_ranges(segments, release.decisions, release.spans))
    check_output(emitted, allowed, generated_strings(release, log=log))


def generated_strings(release: Release, *, log: bool = False) -> list[str]:
    """What renderers write from the model rather than from the text."""
    generated = [release.summary.marking, *stamp_fields(release)]
    generated += [placeholder(d) for d in release.decisions if d.action != "release"]
    generated += [withholding_basis(d) for d in release.decisions if d.action != "release"]
    generated += [span_mark(span) for span in release.spans]
    if log:
        from service.pdf_log import log_rows

        generated += [cell for row in log_rows(release, {}) for cell in row]
    return generated


def analyze(
    data: bytes, policy: LoadedPolicy, as_of: dt.date, untrusted: Sequence[Untrusted] = ()
) -> dict[str, Any]:
    """The document model and proposed decisions, with no rendered output.

    The report leaves the service like a release does, so it passes the same
    leak gate, on every string it holds.
    """
    text = normalise(data)
    release = decide(parse_document(text), text, policy, as_of, untrusted=untrusted)
    report = release_report(release, None)
    captions = "\n".join(release.document.captions)  # named in the report, as markings
    generated = f"{release.summary.marking}\n{release_stamp(release)}\n{captions}"
    check_release("\n".join(strings_of(report)), release, text, generated)
    return report
