"""The PDF gate's fast read-back (PDFium) and pypdf give the gates the same words.

The gates read a PDF release back through PDFium where the ``ocr`` extra is
installed, and through pypdf otherwise. Both must hand the leak gate the
same words in the same order and key 2 the same evidence, so the verdict
cannot depend on which is installed. pypdf also reads the information
entry ``/Trapped`` (``/False``), which PDFium leaves out: it is the only
difference allowed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from declass.rules.errors import DeclassError
from declass.rules.evidence import count_evidence
from declass.rules.leakgate import fold
from declass.rules.parse import normalise
from declass.rules.policy import load_policy
from declass.service import pdfium as pdfium_module
from declass.service.pipeline import release
from declass.service.render import pdf_gate
from declass.service.render.pdf import pdf_text, render_pdf
from tests.conftest import DATA, corpus_files

AS_OF = dt.date(2026, 11, 28)
DOCUMENTS = [
    *sorted(DATA.glob("*.txt")),
    *sorted((DATA / "adversarial").glob("*.txt")),
    *corpus_files()[::40],
]
needs_pdfium = pytest.mark.skipif(
    pdfium_module.pdfium() is None, reason="pypdfium2 (the ocr extra) is not installed"
)


def _rendered(path: Path, policy: str) -> bytes | None:
    try:
        text = normalise(path.read_bytes())
        return render_pdf(release(text, load_policy(policy), AS_OF), text)
    except DeclassError:
        return None


def _pypdf_words(data: bytes) -> list[str]:
    words = fold(pdf_text(data))
    return words[:-1] if words[-1:] == ["false"] else words


@needs_pdfium
@pytest.mark.parametrize("policy", ["public", "partner-gbr-secret"])
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_pdfium_and_pypdf_read_the_same_words_and_evidence(path: Path, policy: str) -> None:
    data = _rendered(path, policy)
    if data is None:
        pytest.skip("the release is refused before any PDF is written")
    fast, reference = pdf_gate.gate_text(data), pdf_text(data)
    assert fold(fast) == _pypdf_words(data)
    assert Counter(t.key for t in count_evidence(fast)) == Counter(
        t.key for t in count_evidence(reference)
    )


def test_without_pdfium_the_gate_reads_through_pypdf(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _rendered(DATA / "paris_2006.txt", "public")
    assert data is not None
    monkeypatch.setattr(pdf_gate, "pdfium", lambda: None)
    assert pdf_gate.gate_text(data) == pdf_text(data)
