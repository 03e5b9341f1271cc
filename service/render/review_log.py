"""The review log: who decided what on review, one row per override and per span.

It follows the redaction log in a PDF release. Every cell is written from
the model (segment ids, actions, key names, exemption labels) except each
override's reason, a reviewer's own words that may quote the document: the
gates read reasons like released text, never as generated strings, so a
reason that quotes withheld words refuses the release. No reportlab here, so
the pipeline's gates can read the cells without importing the PDF stack.
"""

from __future__ import annotations

from collections import Counter

from declass.rules.release import REVIEWER_NAME, Release

REVIEW_HEADER = ["Segment", "Action", "Reviewer", "Reason", "Exemption"]
REVIEW_COLUMNS = [10, 16, 14, 60, 12]
REVIEW_NOTE = (
    "One row per reviewer's override and per span redaction. The reason is the "
    "reviewer's own words; the release is refused if it quotes withheld text."
)
REASON = 3


def review_rows(release: Release) -> list[list[str]]:
    """Who decided what on review: a header, the overrides in request order, then the
    spans. Every cell is generated from the model except each override's reason."""
    rows = [REVIEW_HEADER]
    for override in release.overrides:
        action = "released on review" if override.action == "release" else "withheld on review"
        exemption = override.exemption or "-"
        if override.action == "withhold" and override.exemption is None:
            exemption = " ".join(release.decision_for(override.segment).exemptions) or "-"
        rows.append(
            [override.segment, action, override.reviewer_name, override.reason or "-", exemption]
        )
    reviewer = release.reviewer if REVIEWER_NAME.fullmatch(release.reviewer) else "-"
    seen: Counter[str] = Counter()
    for span in sorted(release.spans, key=lambda s: (s.start, s.end)):
        seen[span.segment] += 1
        segment_id = f"{span.segment}.{seen[span.segment]}"
        rows.append([segment_id, "span withheld", reviewer, "-", span.exemption])
    if len(rows) == 1:
        rows.append(["-", "no overrides or spans", "-", "-", "-"])
    return rows


def generated_review_cells(release: Release) -> list[str]:
    """The review log's cells written from the model (every cell but the reasons)."""
    rows = review_rows(release)
    return [cell for row in rows for i, cell in enumerate(row) if i != REASON or row is rows[0]]
