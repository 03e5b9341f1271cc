"""Shared fixtures: the real corpus (read in place, skipped where absent) and test data."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CORPUS = Path(os.environ.get("DECLASS_CORPUS", ROOT.parent / "shared" / "corpus"))
CASES = Path(os.environ.get("DECLASS_CASES", ROOT.parent / "shared" / "marking_cases.jsonl"))


def corpus_files() -> list[Path]:
    """The real cables, or an empty list where the folder is absent."""
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.glob("*.txt"))


def marking_cases(kind: str) -> list[dict[str, Any]]:
    """Cases of one kind from the shared marking_cases.jsonl (empty where absent)."""
    if not CASES.is_file():
        return []
    with CASES.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [row for row in rows if row["kind"] == kind]


@pytest.fixture(scope="session")
def corpus() -> Iterator[list[Path]]:
    files = corpus_files()
    if not files:
        pytest.skip(f"real corpus not found at {CORPUS} (set DECLASS_CORPUS)")
    yield files


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output (review the diff)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
