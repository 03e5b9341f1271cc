"""The shape of the code base: imports run one way, and the generic names stay ours."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.sources import copy_sources

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


def test_the_install_names_one_top_level_package() -> None:
    """``rules`` and ``service`` are generic names: they install as ``declass.*`` only."""
    owners = importlib.metadata.packages_distributions()
    assert "declass" not in owners.get("rules", [])
    assert "declass" not in owners.get("service", [])
    top_level = importlib.metadata.distribution("declass").read_text("top_level.txt") or ""
    assert top_level.split() == ["declass"]


def test_the_wheel_installs_no_other_top_level_name(tmp_path: Path) -> None:
    """Build the wheel from a copy of the sources, and read the names it would install."""
    source = copy_sources(tmp_path / "src")
    probe = "import setuptools.build_meta as b, sys; print(b.build_wheel(sys.argv[1]))"
    built = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path)],
        cwd=source,
        capture_output=True,
        text=True,
        check=True,
    )
    wheel = tmp_path / built.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"declass"}
    assert "declass/__main__.py" in names
    assert "declass/rules/policies/public.toml" in names
    assert "declass/service/http/templates/review.html" in names


@pytest.mark.parametrize(
    "path",
    sorted([*(ROOT / "rules").rglob("*.py"), *(ROOT / "service").rglob("*.py")]),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_modules_stay_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_the_image_reads_scans() -> None:
    """The container installs Tesseract and the OCR extra at build time, never at run time."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "tesseract-ocr" in dockerfile
    assert '.whl)[ocr]"' in dockerfile


def test_the_image_installs_the_compiled_variant() -> None:
    """The image builds the mypyc wheel (setup.py) and fails its build if it loads pure."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY pyproject.toml setup.py" in dockerfile
    assert "DECLASS_COMPILE=1" in dockerfile
    assert "loaded_compiled, c.HOT_MODULES" in dockerfile


#: The pipeline and the command line: none of them may need the web stack to run.
HTTP_FREE = (
    "declass.service.pipeline",
    "declass.service.reader",
    "declass.service.batch.runner",
    "declass.service.batch.work",
    "declass.service.cli.main",
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
    from declass.rules.errors import InputError, UnreadableDocument
    from declass.service.read.pdf import PdfError
    from declass.service.read.word import DocxError

    assert issubclass(UnreadableDocument, InputError)
    assert issubclass(PdfError, UnreadableDocument) and issubclass(DocxError, UnreadableDocument)


def _name(requirement: str) -> str:
    """The normalised project name of a requirement string (``reportlab[accel]>=4.1``)."""
    name = re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_dependency_is_pinned_in_the_constraints() -> None:
    """A fresh machine builds what was tested: make and the image install with the pins."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_name(r) for r in extra}
    wanted -= {"setuptools"}  # the wheel test's build backend: pip pins its own
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pinned = {_name(line) for line in lines if "==" in line and not line.startswith("#")}
    assert wanted - pinned == set()
    for consumer in ("Makefile", "Dockerfile"):
        assert "-c constraints.txt" in (ROOT / consumer).read_text(encoding="utf-8")


WINGS = ("read", "render", "http", "batch", "cli")
#: Which wings each wing may not import: the shared modules and ``render`` sit below all.
FORBIDDEN_WINGS = {
    "read": {"render", "http", "batch", "cli"},
    "render": {"read", "http", "batch", "cli"},
    "http": {"batch", "cli"},
    "batch": {"http", "cli"},
    "cli": set(),
}


def _wing_imports(path: Path, *, top_level_only: bool) -> set[str]:
    """The ``declass.service`` wings a module imports (at its top level only, if asked)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    wings: set[str] = set()
    for node in nodes:
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[:2] == ["declass", "service"] and len(parts) > 2 and parts[2] in WINGS:
                wings.add(parts[2])
    return wings


@pytest.mark.parametrize(
    "path",
    sorted(p for wing in WINGS for p in (ROOT / "service" / wing).rglob("*.py")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_wings_import_downwards_only(path: Path) -> None:
    """Readers and renderers know no edge; HTTP and batch know neither each other nor the
    command line; the command line starts the HTTP server lazily (no Flask at start)."""
    wing = path.relative_to(ROOT / "service").parts[0]
    assert not _wing_imports(path, top_level_only=False) & FORBIDDEN_WINGS[wing]
    if wing == "cli":
        assert "http" not in _wing_imports(path, top_level_only=True)


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (ROOT / "service").glob("*.py")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_shared_modules_import_no_edge(path: Path) -> None:
    """The pipeline, the reader, the registry and the config sit below the edges."""
    assert not _wing_imports(path, top_level_only=False) & {"http", "batch", "cli"}


def test_renderers_know_every_reader_note_from_rules() -> None:
    """A report names a Word file's notes as generated sentences; the renderers take the
    closed list from rules, below every edge, so it must match what the reader writes."""
    from declass.rules.untrusted import READER_NOTE_CODES
    from declass.service.read.word import KINDS, OUTSIDE_BODY

    written = {code for code, _, _ in KINDS.values()} | {OUTSIDE_BODY[0]}
    assert written == READER_NOTE_CODES
