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
from rules.untrusted import Untrusted
from service.render_text import release_stamp, render_text
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
    if fmt == "pdf":
        from service.render_pdf import pdf_text, render_pdf

        output = render_pdf(release, text, log=log, page_size=page_size)
        emitted = pdf_text(output)  # what a reader gets back out of the file
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
    # The gate reads exactly what leaves the pipeline, once.
    check_release(emitted, release, text, generated)
    return Outcome(release=release, output=output, media_type=MEDIA_TYPES[fmt])


def analyze(
    data: bytes, policy: LoadedPolicy, as_of: dt.date, untrusted: Sequence[Untrusted] = ()
) -> dict[str, Any]:
    """The document model and proposed decisions, with no rendered output."""
    text = normalise(data)
    release = decide(parse_document(text), text, policy, as_of, untrusted=untrusted)
    return release_report(release, None)
