"""Dispositions, drafts and withheld line counts over the real corpus: figures printed.

Run from the repository root::

    .venv/bin/python bench/dispositions.py
    .venv/bin/python bench/dispositions.py --corpus PATH --as-of 2026-11-28 --policy public

For every cable this decides under the policy as of the date and prints how
many releases are final and how many are drafts, the dispositions by the rule
of ``rules/disposition.py`` beside the rule used before it (any withholding
made a release "in part" when a portion was released, pending review
included), and, for every withheld body, whether the count the text release
used before (non-blank source lines) differed from the PDF's box before (the
body wrapped at the letter page's 93 columns) and from the one count both use
now (80 columns). Names only counts, never text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections import Counter
from pathlib import Path

from declass.rules.parse import normalise
from declass.rules.policy import load_policy
from declass.rules.release import Release
from declass.rules.wrap import count_rows
from declass.service import pipeline

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(os.environ.get("DECLASS_CORPUS", ROOT.parent / "shared" / "corpus"))
LETTER_COLUMNS = 93
#: What made a portion count for "in part" before: the engine's portion kinds.
OLD_PORTION_KINDS = frozenset({"paragraph", "subject", "heading"})


def old_disposition(release: Release) -> str:
    """The rule before: full if nothing withheld, in part if a portion was released."""
    summary = release.summary
    if summary.withheld + summary.review == 0 and not release.spans:
        return "RELEASE IN FULL"
    pairs = zip(release.document.segments, release.decisions, strict=True)
    released = [s for s, d in pairs if d.action == "release" and s.kind in OLD_PORTION_KINDS]
    return "RELEASE IN PART" if released else "DENY IN FULL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--as-of", default="2026-11-28")
    parser.add_argument("--policy", default="public")
    args = parser.parse_args()
    policy, as_of = load_policy(args.policy), dt.date.fromisoformat(args.as_of)
    pairs: Counter[tuple[str, str]] = Counter()
    drafts = bodies = disagreed_before = text_changed = 0
    files = sorted(args.corpus.glob("*.txt"))
    for path in files:
        text = normalise(path.read_bytes())
        release = pipeline.release(text, policy, as_of)
        pairs[(old_disposition(release), release.summary.disposition)] += 1
        drafts += not release.is_final
        for segment, decision in zip(release.document.segments, release.decisions, strict=True):
            body = text[segment.body_start : segment.end]
            if decision.action == "release" or not body.strip():
                continue
            bodies += 1
            before_text = max(1, sum(1 for line in body.split("\n") if line.strip()))
            disagreed_before += before_text != count_rows(body.strip(), LETTER_COLUMNS)
            text_changed += before_text != max(decision.lines, 1)
    print(f"{len(files)} cables, {args.policy} as of {as_of}: {drafts} drafts")
    for (before, now), count in sorted(pairs.items()):
        print(f"  {before:16} -> {now:17} {count}")
    print(
        f"withheld bodies: {bodies}; text and PDF disagreed before: {disagreed_before}; "
        f"text count changed: {text_changed}; disagree now: 0 (one count)"
    )


if __name__ == "__main__":
    main()
