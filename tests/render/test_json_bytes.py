"""The JSON report is written by orjson with the bytes the standard library would write.

``dump_json`` moved from ``json.dumps(report, ensure_ascii=False, indent=2)``
to orjson for speed; the report is a contract, so its bytes must not move:
every report of the test documents, and strings that stress the escaping.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from declass.rules.errors import DeclassError
from declass.rules.parse import normalise
from declass.rules.policy import load_policy
from declass.service.pipeline import release
from declass.service.render.report import dump_json, release_report
from declass.service.render.text import render_text
from tests.conftest import DATA

DOCUMENTS = [*sorted(DATA.glob("*.txt")), *sorted((DATA / "adversarial").glob("*.txt"))]


def stdlib(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_report_of_the_test_documents_has_the_standard_librarys_bytes(path: Path) -> None:
    try:
        text = normalise(path.read_bytes())
    except DeclassError:
        pytest.skip("not a readable text")
    decided = release(text, load_policy("public"), dt.date(2010, 1, 1))
    for report in (
        release_report(decided, None),
        release_report(decided, render_text(decided, text)),
    ):
        assert dump_json(report) == stdlib(report)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(JSON_VALUES)
def test_escaping_nesting_and_empty_containers_match(value: Any) -> None:
    assert dump_json({"value": value}) == stdlib({"value": value})
