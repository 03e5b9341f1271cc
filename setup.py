"""The optional compiled build: ``DECLASS_COMPILE=1`` compiles the hot modules with mypyc.

pyproject.toml holds the metadata; this file only adds the extension modules, and only
when asked, so the default install stays pure Python. The compiled build needs a C
compiler and ``mypy[mypyc]`` in the build environment (``pip install
--no-build-isolation`` after installing the ``compile`` extra). The module list is
``HOT_MODULES`` in declass/compiled.py, read here without importing the package.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

from setuptools import Extension, setup


def hot_modules() -> list[str]:
    """``HOT_MODULES`` from declass/compiled.py, read as a literal."""
    tree = ast.parse(Path("declass/compiled.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "HOT_MODULES":
            assert node.value is not None
            return list(ast.literal_eval(node.value))
    raise SystemExit("declass/compiled.py: no HOT_MODULES")


def metadata_only() -> bool:
    """pip asks for requirements and metadata first (``egg_info``, ``dist_info``): mypyc's
    type check and C output are only needed by the run that builds."""
    asked = set(sys.argv[1:])
    return bool(asked & {"egg_info", "dist_info"}) and not asked & {"bdist_wheel", "build_ext"}


def ext_modules() -> list[Extension]:
    if os.environ.get("DECLASS_COMPILE", "0") != "1" or metadata_only():
        return []
    from mypyc.build import mypycify

    paths = [module.replace(".", "/") + ".py" for module in hot_modules()]
    # pyproject's mypy settings name modules this build does not read: no warning for that
    flags = ["--no-warn-unused-configs"]
    return list(mypycify([*flags, *paths], opt_level="3", group_name="declass.compiled_hot"))


setup(ext_modules=ext_modules())
