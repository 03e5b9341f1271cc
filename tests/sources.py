"""A copy of the project's sources, for tests that build what ``pip install .`` would."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def copy_sources(target: Path) -> Path:
    """Copy what a build reads into ``target`` (links kept as links) and return it."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, target / name)
    for name in ("declass", "rules", "service"):
        shutil.copytree(
            ROOT / name,
            target / name,
            symlinks=True,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
    return target
