"""The JSON report (``analyze``, ``redact --format json``, ``/v1/analyze``).

Its names and meanings are a contract (docs/architecture.md 6.2): ``document``,
``decisions``, ``release``, ``policy``, ``as_of``. The report never carries
withheld text: header values read from segments the release withholds (the
classifier's name, an event instruction) are blanked, and span redactions are
reported by position and label, never by the phrase or pattern requested.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from declass.rules import deadline, limits
from declass.rules.release import Release


def release_report(release: Release, released_text: str | None) -> dict[str, Any]:
    """The report of a release; ``released_text`` is included for ``redact --format json``."""
    report: dict[str, Any] = {
        "document": _document(release),
        "decisions": [d.model_dump(mode="json") for d in deadline.each(release.decisions)],
        "release": release.summary.model_dump(mode="json"),
        "policy": release.policy.model_dump(mode="json"),
        "as_of": release.as_of.isoformat(),
        "evaluation": release.evaluation.model_dump(mode="json"),
        "original_marking": release.original_marking,
        "overrides": [o.model_dump(mode="json") for o in release.overrides],
        "redactions": [r.model_dump(mode="json") for r in release.redactions],
        "spans": [s.model_dump(mode="json") for s in release.spans],
        "sha256": {"input": release.document.sha256, "output": None},
        # Additive: a release is final only with nothing pending review and no preview.
        "final": release.is_final,
        "preview": release.preview,
    }
    if released_text is not None:
        report["text"] = released_text
    return report


#: Values of the document model read verbatim from its text, by header block.
_READ_FROM_TEXT = {
    "classified_by": ("raw", "authority", "title"),
    "declassification": ("raw", "authority", "event"),
}


def _document(release: Release) -> dict[str, Any]:
    """The document model with every header value blanked unless the text it was
    read from is released: its segment released with no span redacted in it, and
    (for a model without the segment id) every segment of its kind released."""
    document = release.document.model_dump(mode="json")
    shown = _shown_segments(release)
    for kind, fields in _READ_FROM_TEXT.items():
        value = document.get(kind)
        if value and not _is_shown(release, shown, kind, value.get("segment")):
            value.update(dict.fromkeys(fields))
    return document


def _shown_segments(release: Release) -> set[str]:
    """Segments whose whole text the release shows: released, no span inside."""
    spanned = {span.segment for span in release.spans}
    return {
        decision.segment
        for decision in release.decisions
        if decision.action == "release" and decision.segment not in spanned
    }


def _is_shown(release: Release, shown: set[str], kind: str, segment: str | None) -> bool:
    of_kind = [s.id for s in release.document.segments if s.kind == kind]
    if not all(segment_id in shown for segment_id in of_kind):
        return False  # a repeated header line withheld somewhere: fail closed
    return segment in shown if segment is not None else bool(of_kind)


def strings_of(value: Any) -> Iterator[str]:
    """Every string in a JSON-like value, for the leak gate."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item)


def dump_json(report: dict[str, Any]) -> str:
    """UTF-8 JSON, indented; field order follows the models.

    orjson writes the same bytes as ``json.dumps(report, ensure_ascii=False, indent=2)``
    (tests/render/test_json_bytes.py) about 20x faster: the standard library's indented
    encoder is pure Python. The deadline is checked before, and the size cap
    (:func:`declass.rules.limits.check_report_bytes`) after: writing is one C call.
    """
    deadline.check()
    written = orjson.dumps(report, option=orjson.OPT_INDENT_2)
    limits.check_report_bytes(len(written))
    return written.decode("utf-8")
