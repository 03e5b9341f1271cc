"""The JSON report (``analyze``, ``redact --format json``, ``/v1/analyze``).

Its names and meanings are a contract (DESIGN.md): ``document``,
``decisions``, ``release``, ``policy``, ``as_of``.
"""

from __future__ import annotations

import json
from typing import Any

from rules.parse import normalise, parse_document


def analyze_report(data: bytes) -> dict[str, Any]:
    """The document model of ``data``; decisions come with a policy."""
    document = parse_document(normalise(data))
    return {"document": document.model_dump(mode="json"), "decisions": []}


def dump_json(report: dict[str, Any]) -> str:
    """Stable JSON: sorted keys are not used, so field order follows the models."""
    return json.dumps(report, ensure_ascii=False, indent=2)
