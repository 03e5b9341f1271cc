"""The one pipeline: read -> release -> render.

- :func:`read` turns bytes (text, PDF, Word file, scan) into text, the ranges
  of it a person must see, and the reader's notes
  (:func:`declass.service.reader.read_document`);
- :func:`release` parses the text and decides every portion under a policy as
  of a date, with the reader's notes added to the document's problems;
- :func:`render` writes the release in one format of the registry
  (:mod:`declass.service.formats`) and puts both keys on what it wrote: the leak gate
  and the second key run inside it, so no caller can render without them.

The command line, the HTTP API and batch all go through these three, so a
document is read, decided, rendered and gated in one place, in that order.
:func:`run` and :func:`analyze` are the compositions most callers want.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from declass.rules.engine import decide
from declass.rules.leakgate import check_release
from declass.rules.parse import normalise, parse_document
from declass.rules.policy import LoadedPolicy
from declass.rules.release import Override, Redaction, Release
from declass.rules.second_key import allowed_evidence, check_output, released_ranges
from declass.rules.untrusted import Untrusted
from declass.service.formats import OUTPUTS, Format
from declass.service.reader import ReaderProblem, read_document
from declass.service.render.outputs import report_generated
from declass.service.render.pieces import (
    placeholder,
    release_stamp,
    review_strings,
    span_mark,
    stamp_fields,
    withholding_basis,
)
from declass.service.render.report import release_report, strings_of
from declass.service.render.review_log import generated_review_cells

__all__ = ["Format", "Outcome", "analyze", "read", "release", "render", "run"]

#: Bytes -> ReadDocument: the one reader every edge uses.
read = read_document


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


def release(
    text: str,
    policy: LoadedPolicy,
    as_of: dt.date,
    *,
    untrusted: Sequence[Untrusted] = (),
    notes: Sequence[ReaderProblem] = (),
    overrides: Sequence[Override] = (),
    redactions: Sequence[Redaction] = (),
    preview: bool = False,
    reviewer: str = "",
) -> Release:
    """Decide every portion of ``text`` (normalised, as the reader returns it).

    The reader's ``notes`` (a Word file's footnotes, comments...) become
    document-level problems, one per kind, so the report names each of them.
    A ``preview`` is a draft whatever its decisions; ``reviewer`` is who asked
    (the API key's name), named in the PDF's review log beside span redactions.
    """
    decided = decide(
        parse_document(text), text, policy, as_of, overrides, redactions, untrusted=untrusted
    )
    if preview or reviewer:
        decided = decided.model_copy(update={"preview": preview, "reviewer": reviewer})
    if not notes:
        return decided
    document = decided.document
    problems = [*document.problems, *(note.as_problem() for note in notes)]
    return decided.model_copy(
        update={"document": document.model_copy(update={"problems": problems})}
    )


def render(
    decided: Release,
    text: str,
    fmt: Format = "text",
    *,
    log: bool = False,
    page_size: str = "letter",
) -> Outcome:
    """Write ``decided`` in ``fmt``, then gate exactly what leaves, once.

    The leak gate reads everything the output says; key 2 reads the released
    text in it (for JSON, the text field: the rest of the report is generated
    from the model).
    """
    output_format = OUTPUTS[fmt]
    rendered = output_format.renderer(decided, text, log=log, page_size=page_size)
    check_gates(
        rendered.emitted, rendered.released_text, decided, text, rendered.generated, log=log
    )
    return Outcome(release=decided, output=rendered.output, media_type=output_format.media_type)


def check_gates(
    emitted: str,
    released_text: str,
    decided: Release,
    text: str,
    generated: Sequence[str] = (),
    *,
    log: bool = False,
) -> None:
    """Both keys on one output: the leak gate on everything it says (``generated``: what
    its renderer wrote from the model besides the stamp), key 2 on its released text."""
    from_model = [decided.summary.marking, release_stamp(decided), *review_strings(decided)]
    if log:
        from_model += generated_review_cells(decided)
    check_release(
        emitted,
        decided,
        text,
        "\n".join([*from_model, *generated]),
        placeholder=placeholder,
        span_mark=span_mark,
    )
    check_evidence(released_text, decided, text, log=log)


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
    notes: Sequence[ReaderProblem] = (),
    preview: bool = False,
    reviewer: str = "",
) -> Outcome:
    """Release ``data`` (UTF-8 text) under ``policy`` as of ``as_of`` in the requested format."""
    text = normalise(data)
    decided = release(
        text,
        policy,
        as_of,
        untrusted=untrusted,
        notes=notes,
        overrides=overrides,
        redactions=redactions,
        preview=preview,
        reviewer=reviewer,
    )
    return render(decided, text, fmt, log=log, page_size=page_size)


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
    generated += review_strings(release)
    if log:
        from declass.service.render.pdf_log import log_rows

        generated += [cell for row in log_rows(release, {}) for cell in row]
        generated += generated_review_cells(release)
    return generated


def analyze(
    data: bytes,
    policy: LoadedPolicy,
    as_of: dt.date,
    untrusted: Sequence[Untrusted] = (),
    *,
    notes: Sequence[ReaderProblem] = (),
    preview: bool = False,
) -> dict[str, Any]:
    """The document model and proposed decisions, with no rendered output."""
    text = normalise(data)
    decided = release(text, policy, as_of, untrusted=untrusted, notes=notes, preview=preview)
    return analysis(decided, text)


def analysis(decided: Release, text: str) -> dict[str, Any]:
    """The report of a release without its text. It leaves the service like a release
    does, so it passes the same leak gate, on every string it holds."""
    report = release_report(decided, None)
    generated = "\n".join(
        [decided.summary.marking, release_stamp(decided), *report_generated(decided)]
    )
    check_release("\n".join(strings_of(report)), decided, text, generated)
    return report
