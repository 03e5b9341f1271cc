"""The compiled build (mypyc, ``DECLASS_COMPILE=1``) and pure Python give the same bytes.

``make test`` runs the suite twice: on the sources (pure Python), then with the compiled
build first on the path and ``DECLASS_VARIANT=compiled``. The tests here run in both:
the variant loaded is the one the run asked for, releases match a pure-Python
subprocess byte for byte, and no spot is left where compiled code would read a list
differently from the interpreter.
"""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from declass.compiled import HOT_MODULES, loaded_compiled, source_path
from declass.rules.errors import DeclassError
from declass.rules.policy import load_policy
from declass.service.pipeline import run
from tests.conftest import CORPUS, VARIANT

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 28)
POLICIES = ("public", "partner-gbr-secret")
#: Every 40th cable in every text format, every 200th as PDF: a sample, not the corpus.
CORPUS_STEP, PDF_STEP = 40, 200


def sample() -> list[tuple[str, tuple[str, ...]]]:
    """(file, formats) pairs: the test documents in every format and a corpus sample."""
    data = ROOT / "tests" / "data"
    ours = sorted(data.glob("*.txt")) + sorted((data / "adversarial").glob("*.txt"))
    cables = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []
    every: tuple[str, ...] = ("text", "json", "pdf")
    picked = [(p, every) for p in ours]
    for i, path in enumerate(cables):
        if i % CORPUS_STEP == 0:
            picked.append(
                (path, ("text", "json", "pdf") if i % PDF_STEP == 0 else ("text", "json"))
            )
    return [(str(path), formats) for path, formats in picked]


def digests(picked: list[tuple[str, tuple[str, ...]]]) -> list[str]:
    """One line per release: file, policy, format and the output's sha256 (or the refusal)."""
    lines = []
    for name, formats in picked:
        data = Path(name).read_bytes()
        for policy in POLICIES:
            for fmt in formats:
                try:
                    out = run(data, load_policy(policy), AS_OF, fmt=fmt)  # type: ignore[arg-type]
                    found = hashlib.sha256(out.output).hexdigest()
                except DeclassError as exc:
                    found = f"refused:{exc.code}"
                lines.append(f"{Path(name).name} {policy} {fmt} {found}")
    return lines


#: Run in a fresh interpreter from the sources: prints which variant it loaded and the digests.
PURE_PROBE = """
import json, sys
from declass.compiled import HOT_MODULES, loaded_compiled
from tests.test_compiled import digests
picked = json.load(sys.stdin)
print(json.dumps({"compiled": [m for m in HOT_MODULES if loaded_compiled(m)],
                  "lines": digests([(name, tuple(formats)) for name, formats in picked])}))
"""


def test_the_variant_loaded_is_the_one_the_run_asked_for() -> None:
    """A compiled run that silently loaded the sources would compare pure with pure."""
    assert VARIANT in ("pure", "compiled"), f"DECLASS_VARIANT={VARIANT!r}"
    loaded = {module: loaded_compiled(module) for module in HOT_MODULES}
    assert loaded == dict.fromkeys(HOT_MODULES, VARIANT == "compiled")


@pytest.mark.skipif(VARIANT != "compiled", reason="the compiled run only")
def test_the_hot_modules_are_extension_modules() -> None:
    import importlib

    for module in HOT_MODULES:
        origin = importlib.import_module(module).__file__ or ""
        assert origin.endswith(".so"), f"{module} loaded from {origin}"
    # and nothing else: a left-over extension of a module taken off the list would load
    import declass

    package = Path(declass.__file__ or "").parent
    built = {
        "declass." + ".".join(p.relative_to(package).parts).split(".cpython")[0]
        for p in package.rglob("*.so")
    }
    assert built == {*HOT_MODULES, "declass.compiled_hot__mypyc"}


@pytest.mark.parametrize("module", HOT_MODULES)
def test_exceptions_keep_the_class_attributes_they_set(module: str) -> None:
    """mypyc dropped ``code = ...`` set over an inherited one on an exception class: every
    literal an exception class of a hot module sets is on the class as loaded."""
    import importlib

    loaded = importlib.import_module(module)
    tree = ast.parse((ROOT / source_path(module).removeprefix("declass/")).read_text("utf-8"))
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        cls = getattr(loaded, node.name)
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            continue
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
                for target in stmt.targets:
                    assert getattr(cls, ast.unparse(target)) == stmt.value.value


def test_every_hot_module_exists_and_stays_typed() -> None:
    """The list names real modules under rules/, which mypy checks strictly."""
    for module in HOT_MODULES:
        assert module.startswith("declass.rules."), module
        assert (ROOT / source_path(module).removeprefix("declass/")).is_file(), module


def test_a_machine_without_a_compiler_is_told_so() -> None:
    """``make test`` skips the compiled run with this line rather than failing."""
    env = {**os.environ, "CC": "no-such-compiler-here"}
    probe = [sys.executable, "-m", "declass.compiled"]
    found = subprocess.run(probe, env=env, capture_output=True, text=True, check=False)
    assert found.returncode == 1
    assert found.stdout == (
        "declass: cannot build the compiled variant: no C compiler (no-such-compiler-here) found\n"
    )


def test_releases_are_the_same_bytes_as_pure_python() -> None:
    """This process's releases (compiled in the compiled run) against a pure subprocess."""
    picked = sample()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DECLASS_VARIANT")}
    probe = subprocess.run(
        [sys.executable, "-c", PURE_PROBE],
        input=json.dumps(picked),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    pure = json.loads(probe.stdout)
    assert pure["compiled"] == []
    here = digests(picked)
    assert len(here) >= 100
    assert here == pure["lines"]


#: Calls that pass their argument on lazily: a list extended from them sees its own appends.
LAZY_CALLS = {"map", "filter", "zip", "reversed", "iter", "enumerate"}


def _lazy(node: ast.expr) -> bool:
    if isinstance(node, ast.GeneratorExp):
        return True
    return isinstance(node, ast.Call) and ast.unparse(node.func) in LAZY_CALLS


def _reads(node: ast.expr, target: ast.expr) -> bool:
    wanted = ast.unparse(target)
    names = (ast.Name, ast.Attribute, ast.Subscript)
    return any(isinstance(n, names) and ast.unparse(n) == wanted for n in ast.walk(node))


def self_extending(tree: ast.AST) -> list[int]:
    """Lines where a list is extended from a lazy iterable that reads that same list.

    The interpreter appends item by item, so the generator sees the items already
    added (``xs.extend(c for c in cs if c not in xs)`` drops repeats); mypyc builds
    the whole list first, so the compiled build would keep them."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt | ast.expr):
            continue
        pairs: list[tuple[ast.expr, ast.expr]] = []
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            if node.func.attr in ("extend", "__iadd__"):
                pairs.append((node.func.value, node.args[0]))
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
            pairs.append((node.target, node.value))
        found += [node.lineno for target, arg in pairs if _lazy(arg) and _reads(arg, target)]
    return found


@pytest.mark.parametrize(
    "path",
    sorted([*(ROOT / "rules").rglob("*.py"), *(ROOT / "service").rglob("*.py")]),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_list_is_extended_from_a_generator_that_reads_it(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert self_extending(tree) == []


@pytest.mark.parametrize(
    "code",
    [
        "xs.extend(c for c in cs if c not in xs)",
        "self.a.extend(c for c in cs if c not in self.a)",
        "xs += (c for c in cs if c not in xs)",
        "xs.extend(map(xs.count, cs))",
    ],
)
def test_the_check_finds_the_shapes_that_differ(code: str) -> None:
    assert self_extending(ast.parse(code)) == [1]


@pytest.mark.parametrize(
    "code",
    [
        "xs.extend([c for c in cs if c not in xs])",
        "xs += [c for c in cs if c not in xs]",
        "xs.extend(c for c in cs if c not in ys)",
        "n += len(xs)",
    ],
)
def test_the_check_leaves_eager_and_unrelated_extends_alone(code: str) -> None:
    assert self_extending(ast.parse(code)) == []


def test_reason_letters_drop_repeats_within_one_token() -> None:
    """rules/authority.py: ``(bdb)`` is 1.4(b) and 1.4(d), once each."""
    from declass.rules.authority import parse_classified_by

    found = parse_classified_by("Classified By: Ambassador X, Reasons 1.4 (bdb).")
    assert found.reasons == ["1.4(b)", "1.4(d)"]


@pytest.mark.parametrize(
    ("category", "bucket", "expected"),
    [
        ("FGI DEU DEU GBR", "fgi", ["DEU", "GBR"]),
        ("SAR-BP/SAR-BP/SAR-XY", "sap", ["SAR-BP", "SAR-XY"]),
    ],
)
def test_marking_categories_drop_repeats(category: str, bucket: str, expected: list[str]) -> None:
    """rules/categories.py: a country or a program named twice in one category counts once."""
    from declass.rules.categories import MarkingParts, parse_categories

    parts = MarkingParts()
    parse_categories(category, parts, "banner")
    assert getattr(parts, bucket) == expected


HEADER = "C O N F I D E N T I A L PARIS 006120\n\nSIPDIS\n\nSIPDIS\n\nE.O."


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("C O N F I D E N T I A L PARIS 006120\n\nEXDIS SIPDIS EXDIS\n\nE.O.", ["EXDIS", "SIPDIS"]),
        ("C O N F I D E N T I A L PARIS 006120 SIPDIS EXDIS EXDIS E.O.", ["SIPDIS", "EXDIS"]),
    ],
    ids=["caption line", "collapsed header"],
)
def test_header_captions_drop_repeats(header: str, expected: list[str]) -> None:
    """rules/header.py: a caption repeated on one line (or one collapsed piece) counts once."""
    from declass.rules.parse import normalise, parse_document

    text = (ROOT / "tests" / "data" / "paris_2006.txt").read_text(encoding="utf-8")
    assert HEADER in text
    document = parse_document(normalise(text.replace(HEADER, header, 1).encode("utf-8")))
    assert document.captions == expected
