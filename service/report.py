"""The JSON report (``analyze``, ``redact --format json``, ``/v1/analyze``).

Its names and meanings are a contract (DESIGN.md): ``document``,
``decisions``, ``release``, ``policy``, ``as_of``. The report never carries
withheld text: header values read from segments the release withholds (the
classifier's name, an event instruction) are blanked, and span redactions are
reported by position and label, never by the phrase or pattern requested.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from rules.release import Release


def release_report(release: Release, released_text: str | None) -> dict[str, Any]:
    """The report of a release; ``released_text`` is included for ``redact --format json``."""
    report: dict[str, Any] = {
        "document": _document(release),
        "decisions": [d.model_dump(mode="json") for d in release.decisions],
        "release": release.summary.model_dump(mode="json"),
        "policy": release.policy.model_dump(mode="json"),
        "as_of": release.as_of.isoformat(),
        "evaluation": release.evaluation.model_dump(mode="json"),
        "original_marking": release.original_marking,
        "overrides": [o.model_dump(mode="json") for o in release.overrides],
        "redactions": [r.model_dump(mode="json") for r in release.redactions],
        "spans": [s.model_dump(mode="json") for s in release.spans],
        "sha256": {"input": release.document.sha256, "output": None},
    }
    if released_text is not None:
        report["text"] = released_text
    return report


def _document(release: Release) -> dict[str, Any]:
    document = release.document.model_dump(mode="json")
    released_kinds = {
        segment.kind
        for segment, decision in zip(release.document.segments, release.decisions, strict=True)
        if decision.action == "release"
    }
    withheld_kinds = {
        segment.kind
        for segment, decision in zip(release.document.segments, release.decisions, strict=True)
        if decision.action != "release"
    }
    cb = document.get("classified_by")
    if cb and ("classified_by" in withheld_kinds or "classified_by" not in released_kinds):
        cb.update({"raw": None, "authority": None, "title": None})
    decl = document.get("declassification")
    if decl and ("declassification" in withheld_kinds or "declassification" not in released_kinds):
        decl.update({"raw": None, "event": None})
    return document


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
    """UTF-8 JSON, indented; field order follows the models."""
    return json.dumps(report, ensure_ascii=False, indent=2)
