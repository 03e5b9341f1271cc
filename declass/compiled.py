"""The optional mypyc build: which modules it compiles, and which variant is loaded.

``DECLASS_COMPILE=1`` makes ``setup.py`` compile :data:`HOT_MODULES` with mypyc;
without it (the default) declass installs as pure Python, so a machine without a
C compiler still installs and runs it. Both variants must give byte-identical
releases (tests/test_compiled.py). The list is chosen by profile: the parser's
line walk, key 1's decisions and wraps, key 2's reading and the leak gate. Modules
that stay pure: pydantic models (``model``, ``release``, ``policy``, ``declassify``,
``untrusted``, ``review_file``), the exceptions every wing subclasses (``errors``), and
``deadline`` and ``limits``: compiled, an exception class there lost the ``code`` it
sets over the one it inherits (a 503 said ``error``, not ``deadline-exceeded``).
Everything under ``service`` stays pure too: tests patch its seams; it is mostly I/O.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import sys
import sysconfig
from pathlib import Path

#: Compiled by the mypyc build, in one shared library. Extend here, nowhere else.
HOT_MODULES: tuple[str, ...] = (
    # parse (key 1): the line walk and the marking grammar
    "declass.rules.parse",
    "declass.rules.cursor",
    "declass.rules.header",
    "declass.rules.header_facts",
    "declass.rules.body",
    "declass.rules.lines",
    "declass.rules.inline",
    "declass.rules.blocks",
    "declass.rules.banner",
    "declass.rules.assemble",
    "declass.rules.strays",
    "declass.rules.markings",
    "declass.rules.categories",
    "declass.rules.vocabulary",
    "declass.rules.dates",
    "declass.rules.authority",
    # decide (key 1) and the line counts
    "declass.rules.engine",
    "declass.rules.summary",
    "declass.rules.disposition",
    "declass.rules.wrap",
    "declass.rules.exemptions",
    "declass.rules.overrides",
    # key 2 and the leak gate
    "declass.rules.evidence",
    "declass.rules.evidence_meaning",
    "declass.rules.evidence_words",
    "declass.rules.second_key",
    "declass.rules.fold",
    "declass.rules.textfold",
    "declass.rules.leakgate",
)


def source_path(module: str) -> str:
    """The source file of ``module``, relative to the repository root."""
    return module.replace(".", "/") + ".py"


def loaded_compiled(module: str) -> bool:
    """Whether ``module`` was imported from a compiled extension, not from its source."""
    origin = importlib.import_module(module).__file__ or ""
    return not origin.endswith(".py")


def cannot_compile() -> str | None:
    """Why this machine cannot build the compiled variant, or None when it can."""
    compiler = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler}) found"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").is_file():
        return "no Python headers (Python.h) found"
    if importlib.util.find_spec("mypyc") is None:
        return "mypyc is not installed (mypy[mypyc])"
    return None


if __name__ == "__main__":
    # ``python -m declass.compiled``: exit status 0 when the compiled variant can be built
    reason = cannot_compile()
    if reason is not None:
        print(f"declass: cannot build the compiled variant: {reason}")
    sys.exit(0 if reason is None else 1)
