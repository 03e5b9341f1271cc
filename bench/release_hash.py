"""One digest over every release of the corpus, to show a refactoring changed no byte.

Run from the repository root, before and after a change that should move code
but not behaviour, and compare the last line::

    .venv/bin/python bench/release_hash.py
    .venv/bin/python bench/release_hash.py --formats text json pdf --corpus PATH

Every ``*.txt`` of the corpus (``DECLASS_CORPUS`` or ``../shared/corpus``) and
of ``tests/data`` (with its adversarial documents) is released through the one
pipeline under both shipped policies, as of a fixed date, in each format asked
for. A document the pipeline refuses counts as its error code. Each output's
sha256 is printed per file with ``--verbose``; the last line is the sha256 of
all of them in order, with the number of releases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
from pathlib import Path

from declass.rules.errors import DeclassError
from declass.rules.policy import load_policy
from declass.service.pipeline import run

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(os.environ.get("DECLASS_CORPUS", ROOT.parent / "shared" / "corpus"))
AS_OF = dt.date(2026, 11, 28)
POLICIES = ("public", "partner-gbr-secret")


def documents(corpus: Path) -> list[Path]:
    """The corpus (where present) and the documents written for the tests, in a fixed order."""
    found = sorted(corpus.glob("*.txt")) if corpus.is_dir() else []
    data = ROOT / "tests" / "data"
    return found + sorted(data.glob("*.txt")) + sorted((data / "adversarial").glob("*.txt"))


def digest(path: Path, policy: str, fmt: str) -> str:
    """The output's sha256, or the refusal's code."""
    try:
        outcome = run(path.read_bytes(), load_policy(policy), AS_OF, fmt=fmt)  # type: ignore[arg-type]
    except DeclassError as exc:
        return f"refused:{exc.code}"
    return hashlib.sha256(outcome.output).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--formats", nargs="+", default=["text", "json"])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    total = hashlib.sha256()
    count = 0
    for path in documents(args.corpus):
        for policy in POLICIES:
            for fmt in args.formats:
                line = f"{path.name} {policy} {fmt} {digest(path, policy, fmt)}"
                total.update(line.encode("utf-8") + b"\n")
                count += 1
                if args.verbose:
                    print(line)
    print(f"{count} releases, sha256 {total.hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
