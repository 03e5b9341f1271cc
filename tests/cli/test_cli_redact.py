"""The command-line contract (docs/architecture.md 6.1) for redact and policies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from declass.service.cli.main import main

CABLE = (
    "C O N F I D E N T I A L PARIS 001234\n\n"
    "E.O. 12958: DECL: 08/25/2016\nTAGS: PREL FR\n"
    "SUBJECT: (U) A TEST CABLE\n\n"
    "Classified By: Ambassador Jane Roe for reasons 1.4 (b) and (d)\n\n"
    "¶1. (C) The minister outlined a confidential plan for the northern border.\n\n"
    "¶2. (U) The embassy hosted a reception.\n"
)


@pytest.fixture
def cable(tmp_path: Path) -> Path:
    path = tmp_path / "cable.txt"
    path.write_text(CABLE, encoding="utf-8")
    return path


def test_redact_text_to_stdout(cable: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["redact", str(cable), "--as-of", "2010-01-01"]) == 0
    out = capsys.readouterr().out
    assert "northern border" not in out
    assert "The embassy hosted a reception." in out
    assert out.startswith("UNCLASSIFIED\n")


def test_redact_after_the_date_releases_everything(cable: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    assert main(["redact", str(cable), "-o", str(target), "--as-of", "2016-08-25"]) == 0
    assert "northern border" in target.read_text(encoding="utf-8")


def test_redact_json_report(cable: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["redact", str(cable), "--format", "json", "--as-of", "2010-01-01"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["policy"]["id"] == "public"
    assert report["as_of"] == "2010-01-01"
    assert report["release"]["marking"] == "UNCLASSIFIED"
    assert report["sha256"]["input"] == report["document"]["sha256"]
    assert len(report["sha256"]["output"]) == 64
    assert "northern border" not in json.dumps(report)


def test_redact_with_partner_policy_and_policy_file(
    cable: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["redact", str(cable), "--policy", "partner-gbr-secret", "--as-of", "2010-01-01"]) == 0
    )
    assert "northern border" not in capsys.readouterr().out
    policy = tmp_path / "mine.toml"
    policy.write_text('id = "mine"\nversion = "1"\ntitle = "Mine"\naudience = "public"\n')
    assert main(["redact", str(cable), "--policy", str(policy), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["policy"]["id"] == "mine"


def test_analyze_with_decisions(cable: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(cable), "--as-of", "2010-01-01"]) == 0
    report = json.loads(capsys.readouterr().out)
    actions = {d["action"] for d in report["decisions"]}
    assert actions >= {"release", "withhold"}


def test_policies_lists_the_shipped_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policies"]) == 0
    ids = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert {"public", "partner-gbr-secret"} <= set(ids)


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["redact", "{cable}", "--as-of", "2010-13-01"], id="bad-date"),
        pytest.param(["redact", "{cable}", "--policy", "nonesuch"], id="unknown-policy"),
        pytest.param(["redact", "{cable}", "--format", "docx"], id="bad-format"),
        pytest.param(["redact", "/nonexistent/cable.txt"], id="missing-file"),
        pytest.param(["analyze", "{cable}", "--as-of", "yesterday"], id="analyze-bad-date"),
    ],
)
def test_bad_usage_exits_2_with_one_line(
    argv: list[str], cable: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.replace("{cable}", str(cable)) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("declass: error:")
    assert "northern border" not in err


def test_the_installed_command_reads_stdin_and_exits_2_on_binary() -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "declass", "redact", "-", "--as-of", "2010-01-01"],
        input=CABLE.encode(),
        capture_output=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert b"The embassy hosted a reception." in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "declass", "redact", "-"],
        input=b"\xff\xfe\x00binary",
        capture_output=True,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.decode().count("\n") == 1


def test_no_arguments_print_the_whole_help() -> None:
    """``declass`` alone shows every command, not the help squashed into an error line."""
    shown = subprocess.run(
        [sys.executable, "-m", "declass"], capture_output=True, text=True, check=False
    )
    assert shown.returncode == 2
    assert shown.stdout.startswith("Usage: declass")
    for command in ("analyze", "batch", "policies", "redact", "serve"):
        assert f"\n  {command} " in shown.stdout
    assert "error" not in shown.stderr
