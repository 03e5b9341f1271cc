"""The shape of the code base: imports run one way, and the generic names stay ours."""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_RULES = {"flask", "reportlab", "service", "werkzeug", "click", "pypdf", "requests"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    "path", sorted((ROOT / "rules").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_rules_never_import_the_edges(path: Path) -> None:
    assert not _imports(path) & FORBIDDEN_IN_RULES


def test_top_level_names_belong_to_declass_alone() -> None:
    owners = importlib.metadata.packages_distributions()
    assert set(owners.get("rules", [])) == {"declass"}
    assert set(owners.get("service", [])) == {"declass"}


@pytest.mark.parametrize(
    "path",
    sorted([*(ROOT / "rules").rglob("*.py"), *(ROOT / "service").rglob("*.py")]),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_modules_stay_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 450


def test_the_image_reads_scans() -> None:
    """The container installs Tesseract and the OCR extra at build time, never at run time."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "tesseract-ocr" in dockerfile
    assert "'.[ocr]'" in dockerfile


#: The pipeline and the command line: none of them may need the web stack to run.
HTTP_FREE = (
    "service.pipeline",
    "service.reader",
    "service.batch",
    "service.batch_work",
    "service.cli",
)


@pytest.mark.parametrize("module", HTTP_FREE)
def test_no_http_types_outside_the_http_layer(module: str) -> None:
    """A fresh interpreter imports the module and then holds no Flask or Werkzeug module:
    readers refuse with declass errors, and ``declass serve`` imports the app lazily."""
    probe = (
        f"import sys, {module}\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'werkzeug'))\n"
        "print(','.join(loaded))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert found.stdout.strip() == ""


def test_reader_refusals_are_declass_errors() -> None:
    from rules.errors import InputError, UnreadableDocument
    from service.docx_input import DocxError
    from service.pdf_input import PdfError

    assert issubclass(UnreadableDocument, InputError)
    assert issubclass(PdfError, UnreadableDocument) and issubclass(DocxError, UnreadableDocument)
