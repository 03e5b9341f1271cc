"""Shared fixtures: the real corpus (read in place, skipped where absent) and test data."""

from __future__ import annotations

import io
import itertools
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from declass.rules.model import Document
from declass.service.http.app import create_app
from declass.service.http.logs import JsonFormatter

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CORPUS = Path(os.environ.get("DECLASS_CORPUS", ROOT.parent / "shared" / "corpus"))
CASES = Path(os.environ.get("DECLASS_CASES", ROOT.parent / "shared" / "marking_cases.jsonl"))
#: ``make test`` runs the suite on the sources, then on the mypyc build (tests/test_compiled.py)
VARIANT = os.environ.get("DECLASS_VARIANT", "pure")
#: For a test that patches a module compiled code calls directly, so the patch is not seen.
pure_only = pytest.mark.skipif(
    VARIANT == "compiled",
    reason="patches a compiled module's internals, unseen by compiled callers",
)


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


def case_id(text: str) -> str:
    """A readable test id: the input with line breaks shown, cut to 60 characters."""
    flat = text.replace("\n", "\\n")
    return flat if len(flat) <= 60 else flat[:57] + "..."


def case_params(
    kind: str, xfail: dict[str, str] | None = None, needs: str | None = None
) -> list[Any]:
    """The shared cases of one kind as pytest params (only those whose expectation has
    ``needs``, when given), with known disagreements marked strict xfail."""
    params = []
    for case in marking_cases(kind):
        if needs is not None and needs not in case["expected"]:
            continue
        text = case["input"]
        marks = []
        if xfail and text in xfail:
            marks.append(pytest.mark.xfail(strict=True, reason=xfail[text]))
        params.append(pytest.param(text, case["expected"], id=case_id(text), marks=marks))
    return params


def assert_tiling(doc: Document, text: str) -> None:
    """Segments cover the text exactly, in order, without gaps or overlaps, ids unique."""
    segments = doc.segments
    assert segments, "no segments"
    assert segments[0].start == 0
    assert segments[-1].end == len(text)
    for before, after in itertools.pairwise(segments):
        assert before.end == after.start, (before.id, after.id)
    for seg in segments:
        assert seg.start <= seg.body_start <= seg.end, seg.id
    ids = [seg.id for seg in segments]
    assert len(set(ids)) == len(ids), ids


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


# --- HTTP service (tests/test_http_*.py) -----------------------------------

API_KEY = "test-key-7d1f0c"


def http_config(**settings: Any) -> dict[str, Any]:
    """A test config for ``create_app``: no keys, one worker, testing mode, plus ``settings``."""
    return {"TESTING": True, "api_keys": (), "workers": 1, **settings}


@pytest.fixture
def app() -> Flask:
    return create_app(http_config())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def inline_client() -> FlaskClient:
    """A client of an application whose operator allows inline policies."""
    return create_app(http_config(allow_inline_policies=True)).test_client()


@pytest.fixture
def keyed_client() -> FlaskClient:
    """A client of an application that requires ``API_KEY``."""
    return create_app(http_config(api_keys=[API_KEY])).test_client()


@contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    """Everything the service logs inside the block, as the JSON lines it writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("declass")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


@pytest.fixture
def http_logs() -> Iterator[io.StringIO]:
    """Everything the service logs during the test, as the JSON lines it writes."""
    with captured_logs() as stream:
        yield stream


@pytest.fixture(scope="session")
def paris() -> bytes:
    """A CONFIDENTIAL cable (DECL 08/25/2016): withheld as of 2010, released as of 2020."""
    return (DATA / "paris_2006.txt").read_bytes()
