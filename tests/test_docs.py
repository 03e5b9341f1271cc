"""The docs cover the code: every command and option, every README example, every rule.

(a) Every ``declass`` subcommand and every option of each, read from the click
group itself, appears in README.md, so a new option cannot ship undocumented.

(b) Every README shell example that needs no server runs. The examples are the
lines of fenced ``sh`` blocks that invoke ``.venv/bin/declass`` or ``declass``
(lines continued with a backslash are joined first); ``serve``, ``--scheduler``
(a Dask server), ``curl``, ``docker`` and ``make`` lines are not run. Each runs
in bash with the repository root as working directory and this environment's
``declass`` first on the PATH; ``-o PATH`` and ``> PATH`` are rewritten into a
temporary directory, so nothing is written into the repository. An example
passes when it exits 0, or the status the README states for it.

The README says what the test should do with a block through an HTML comment
on the line right before its fence (invisible in the rendered README):

- ``<!-- docs-test: skip REASON -->``: the block cannot run offline (it needs
  a server, a cluster or files outside the repository); it is reported as
  skipped with REASON.
- ``<!-- docs-test: exit N -->``: the block's examples must exit with status N
  (for instance 2, to show a refusal).

(c) The docs name every rule id the engine can record and every policy field,
so the decision table of docs/markings.md and docs/policies.md cannot fall
behind the code silently.
"""

from __future__ import annotations

import ast
import importlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"

#: Commands that need a server or tools outside declass: never run by this test.
NOT_OFFLINE = re.compile(r"(?:^|\s)(?:serve|curl|docker|make)(?:\s|$)|--scheduler\b")
INVOKES_DECLASS = re.compile(r"(?:^|[\s|;(])(?:\.venv/bin/)?declass\s")
DIRECTIVE = re.compile(r"^\s*<!--\s*docs-test:\s*(skip|exit)\b\s*(.*?)\s*-->\s*$")
#: ``-o PATH`` and a redirect ``> PATH`` (not ``2>``, ``>&``): outputs go to a temporary dir.
OUTPUT_OPTION = re.compile(r"(\s-o\s+)([^\s|;&]+)")
REDIRECT = re.compile(r"((?<![\d&>])>\s*)([^\s|;&>]+)")
STATED_EXIT = re.compile(r"#.*\bexit status (\d+)")

#: README examples that fail today, by a piece of their command, with the reason.
#: Fix the README (a file in the repository, or a docs-test comment) and drop the entry:
#: the xfail is strict, so a fixed example fails the build until its entry is removed.
KNOWN_FAILING: dict[str, str] = {}


def _cli_group() -> click.Group:
    """The ``declass`` click group, under its installed name or the flat one."""
    for name in ("declass.service.cli", "declass.service.cli.main"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        group = getattr(module, "cli", None)
        if isinstance(group, click.Group):
            return group
    raise AssertionError("no click group 'cli' in declass.service.cli or declass.service.cli.main")


def _documented(text: str, word: str) -> bool:
    """``word`` appears as a whole token (``--as-of`` but not inside ``--as-of-x``)."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def _options() -> list[Any]:
    group = _cli_group()
    cases = []
    for name, command in sorted(group.commands.items()):
        for param in command.params:
            if isinstance(param, click.Option):
                cases.append(pytest.param(name, tuple(param.opts), id=f"{name} {param.opts[-1]}"))
    return cases


def test_readme_names_every_command() -> None:
    readme = README.read_text(encoding="utf-8")
    commands = sorted(_cli_group().commands)
    assert commands, "the declass group has no commands"
    missing = [name for name in commands if not _documented(readme, f"declass {name}")]
    assert not missing, f"README.md does not show: {', '.join(f'declass {m}' for m in missing)}"


@pytest.mark.parametrize(("command", "opts"), _options())
def test_readme_names_every_option(command: str, opts: tuple[str, ...]) -> None:
    """Each option is in the README under at least one of its spellings (``-o``/``--output``)."""
    readme = README.read_text(encoding="utf-8")
    assert any(_documented(readme, opt) for opt in opts), (
        f"README.md does not mention {' / '.join(opts)} of declass {command}"
    )


# -- README shell examples ---------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """One command line of a README ``sh`` block."""

    line: int
    command: str
    expected: int = 0
    skip: str | None = None


def shell_examples(markdown: str) -> list[Example]:
    """The declass command lines of every fenced ``sh`` block, with the block's directive."""
    examples: list[Example] = []
    lines = markdown.splitlines()
    index = 0
    directive: tuple[str, str] | None = None
    while index < len(lines):
        line = lines[index]
        found = DIRECTIVE.match(line)
        if found:
            directive = (found.group(1), found.group(2))
        elif line.strip() in ("```sh", "```bash", "```shell"):
            index = _read_block(lines, index + 1, directive, examples)
            directive = None
        elif line.strip():
            directive = None
        index += 1
    return examples


def _read_block(
    lines: list[str], index: int, directive: tuple[str, str] | None, out: list[Example]
) -> int:
    """Collect the block's commands (backslash continuations joined); return the fence index."""
    expected, skip = 0, None
    if directive and directive[0] == "exit":
        expected = int(directive[1].split()[0])
    elif directive:
        skip = directive[1] or "marked docs-test: skip"
    pending, start = "", index
    while index < len(lines) and lines[index].strip() != "```":
        line = lines[index]
        if not pending:
            start = index
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
        else:
            command = (pending + line).strip()
            pending = ""
            if INVOKES_DECLASS.search(command.split("#")[0]) and not NOT_OFFLINE.search(
                command.split("#")[0]
            ):
                stated = STATED_EXIT.search(command)
                status = int(stated.group(1)) if stated else expected
                out.append(Example(start + 1, command, status, skip))
        index += 1
    return index


def rewrite_outputs(command: str, tmp: Path) -> str:
    """``-o PATH`` and ``> PATH`` point into ``tmp``; everything else is left as written."""

    def into_tmp(match: re.Match[str]) -> str:
        target = tmp / match.group(2).lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        return f"{match.group(1)}{target}"

    code, hash_, comment = command.partition(" #")
    code = OUTPUT_OPTION.sub(into_tmp, code)
    code = REDIRECT.sub(into_tmp, code)
    return code + hash_ + comment


def _example_params() -> list[Any]:
    params = []
    for example in shell_examples(README.read_text(encoding="utf-8")):
        marks: list[Any] = []
        if example.skip:
            marks.append(pytest.mark.skip(reason=example.skip))
        for piece, reason in KNOWN_FAILING.items():
            if piece in example.command.replace(".venv/bin/declass", "declass"):
                marks.append(pytest.mark.xfail(reason=reason, strict=True))
        label = " ".join(example.command.split("#")[0].split())
        label = label if len(label) <= 70 else label[:67] + "..."
        params.append(pytest.param(example, marks=marks, id=f"README:{example.line} {label}"))
    return params


def test_readme_has_examples_to_run() -> None:
    """The extractor still finds the README's examples (a restructured README must not
    silently leave this test with nothing to run)."""
    examples = shell_examples(README.read_text(encoding="utf-8"))
    runnable = [e for e in examples if e.skip is None]
    assert len(runnable) >= 4, [e.command for e in examples]


@pytest.mark.parametrize("example", _example_params())
def test_readme_example_runs(example: Example, tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "declass").exists():
        pytest.skip(f"no declass script beside {Path(sys.executable).name}; install declass first")
    command = rewrite_outputs(example.command.replace(".venv/bin/declass", "declass"), tmp_path)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    stderr = result.stderr.decode("utf-8", "replace").strip().splitlines()
    assert result.returncode == example.expected, (
        f"README line {example.line} exited {result.returncode}, expected {example.expected}: "
        f"{stderr[-1] if stderr else 'no message'}"
    )


# -- the extractor itself ------------------------------------------------------------------

SAMPLE = """\
Text.

```sh
.venv/bin/declass redact a.txt -o out/a.txt   # writes a file
printf 'x' \\
  | .venv/bin/declass analyze -
make run   # declass serve
.venv/bin/python bench/run.py
```

<!-- docs-test: skip needs a cluster -->
```sh
declass batch in/ -o out/
```

<!-- docs-test: exit 2 -->
```sh
declass redact missing.txt
declass redact other.txt    # exit status 3
```
"""


def test_examples_are_declass_lines_with_their_directives() -> None:
    examples = shell_examples(SAMPLE)
    assert [(e.line, e.expected, e.skip) for e in examples] == [
        (4, 0, None),
        (5, 0, None),
        (13, 0, "needs a cluster"),
        (18, 2, None),
        (19, 3, None),
    ]
    assert examples[1].command.startswith("printf 'x'")
    assert "| .venv/bin/declass analyze -" in examples[1].command


def test_outputs_are_rewritten_into_the_temporary_directory(tmp_path: Path) -> None:
    command = "declass redact a.txt -o released/a.txt > b.pdf 2>err.txt   # -o c > d"
    rewritten = rewrite_outputs(command, tmp_path)
    assert f"-o {tmp_path}/released/a.txt" in rewritten
    assert f"> {tmp_path}/b.pdf" in rewritten
    assert "2>err.txt" in rewritten  # standard error is not the output: left as written
    assert rewritten.endswith("# -o c > d")
    assert f"-o {tmp_path / 'shared/x'}" in rewrite_outputs("declass x -o /shared/x", tmp_path)


# -- rule ids and policy fields -------------------------------------------------------------


def _engine_rule_ids() -> set[str]:
    """Every rule id the rules package can record: ``_Proposal(action, "rule-id", ...)``
    literals and the ``RULE*`` constants of key 2, untrusted ranges and overrides."""
    ids: set[str] = {"override-release", "override-withhold"}
    for path in sorted((ROOT / "rules").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_Proposal":
                rule = node.args[1] if len(node.args) > 1 else None
                if isinstance(rule, ast.Constant) and isinstance(rule.value, str):
                    ids.add(rule.value)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                if any(n == "RULE" or n.startswith("RULE_") for n in names):
                    ids.add(str(node.value.value))
    return ids


def test_markings_doc_names_every_rule_id() -> None:
    doc = (DOCS / "markings.md").read_text(encoding="utf-8")
    ids = _engine_rule_ids()
    assert len(ids) > 15, sorted(ids)  # the scan still finds the engine's rules
    missing = sorted(rule for rule in ids if f"`{rule}`" not in doc)
    assert not missing, f"docs/markings.md does not name rule ids {missing}"


def test_policies_doc_names_every_field() -> None:
    from declass.rules.policy import Policy

    doc = (DOCS / "policies.md").read_text(encoding="utf-8")
    missing = sorted(name for name in Policy.model_fields if f"`{name}`" not in doc)
    assert not missing, f"docs/policies.md does not describe {missing}"
