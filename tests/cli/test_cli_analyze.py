"""``declass analyze``: the JSON document model on stdout, one error line and exit 2 on bad input.

The command line is a contract that checks outside this repository rely on
(docs/architecture.md 6.1), so it is exercised through ``declass.service.cli.main.main`` and
once through a real subprocess.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from declass.rules.parse import normalise
from declass.service.cli.main import main

CABLE = (
    "C O N F I D E N T I A L PARIS 001234\n"
    "\n"
    "SIPDIS\n"
    "\n"
    "E.O. 12958: DECL: 08/25/2016\n"
    "TAGS: PREL XX\n"
    "SUBJECT: (C) AN INVENTED CABLE\n"
    "\n"
    "Classified By: Political Counselor Jane Roe for reasons 1.4 (b) and (d)\n"
    "\n"
    "¶1. (C) The first paragraph, which carries its own marking.\n"
    "\n"
    "¶2. (U) The second paragraph.\n"
    "\n"
    "ROE\n"
)


def run(argv: list[str]) -> int:
    """The exit status ``main`` gives: its return value, or the code of a SystemExit."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1


def assert_tiling(segments: list[dict[str, Any]], text: str) -> None:
    assert segments
    assert segments[0]["start"] == 0
    assert segments[-1]["end"] == len(text)
    for before, after in itertools.pairwise(segments):
        assert before["end"] == after["start"]
    assert len({s["id"] for s in segments}) == len(segments)


def check_report(stdout: str, data: bytes) -> dict[str, Any]:
    report = json.loads(stdout)
    document: dict[str, Any] = report["document"]
    text = normalise(data)
    assert document["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert_tiling(document["segments"], text)
    decisions = report["decisions"]
    if decisions:  # docs/architecture.md 6.2: one decision per segment once a policy is applied
        assert [d["segment"] for d in decisions] == [s["id"] for s in document["segments"]]
    return document


def check_one_error_line(stderr: str) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("declass: error:"), stderr


@pytest.fixture
def cable_file(tmp_path: Path) -> Path:
    path = tmp_path / "cable.txt"
    path.write_bytes(CABLE.encode("utf-8"))
    return path


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_analyze_file(cable_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["analyze", str(cable_file)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    document = check_report(out, cable_file.read_bytes())
    assert document["banner"]["level"] == "C"
    assert document["declassification"]["date"] == "2016-08-25"
    assert document["classified_by"]["reasons"] == ["1.4(b)", "1.4(d)"]
    paragraphs = [s for s in document["segments"] if s["kind"] == "paragraph"]
    assert [(s["label"], s["marking"]["raw"]) for s in paragraphs] == [("1", "(C)"), ("2", "(U)")]


def test_analyze_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = CABLE.encode("utf-8")
    set_stdin(monkeypatch, data)
    assert run(["analyze", "-"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    check_report(out, data)


def test_bom_and_crlf_give_the_same_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    variants = {
        "lf": CABLE.encode("utf-8"),
        "bom": b"\xef\xbb\xbf" + CABLE.encode("utf-8"),
        "crlf": CABLE.replace("\n", "\r\n").encode("utf-8"),
        "bom-crlf": b"\xef\xbb\xbf" + CABLE.replace("\n", "\r\n").encode("utf-8"),
        "cr": CABLE.replace("\n", "\r").encode("utf-8"),
    }
    reports = {}
    for name, data in variants.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(data)
        assert run(["analyze", str(path)]) == 0, name
        out, err = capsys.readouterr()
        assert err == "", name
        reports[name] = json.loads(out)
    clean = reports.pop("lf")
    for name, report in reports.items():
        assert report == clean, name


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("latin-1", "C O N F I D E N T I A L\n\n1. (C) Caf\xe9.\n".encode("latin-1")),
        ("utf-16", CABLE.encode("utf-16")),
        ("empty", b""),
        ("blank", b" \n\r\n\t\n"),
        ("bom-only", b"\xef\xbb\xbf"),
    ],
)
def test_bad_input_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes
) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    assert run(["analyze", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    check_one_error_line(err)


@pytest.mark.parametrize("data", [b"\xff\xfe\x00bad", b""], ids=["not-utf8", "empty"])
def test_bad_input_on_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    set_stdin(monkeypatch, data)
    assert run(["analyze", "-"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    check_one_error_line(err)


@pytest.mark.parametrize(
    "argv",
    [["analyze", "{missing}"], ["frobnicate"], ["analyze"], ["analyze", "--no-such-option", "-"]],
    ids=["missing-file", "unknown-command", "no-input", "unknown-option"],
)
def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    missing = str(tmp_path / "no-such-cable.txt")
    assert run([arg.format(missing=missing) for arg in argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    check_one_error_line(err)


def test_error_line_does_not_echo_the_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The error names the problem, never the content (docs/architecture.md 6.4)."""
    secret = "TOPSECRETWORD"
    path = tmp_path / "bad.txt"
    path.write_bytes(f"S E C R E T\n\n1. (S) {secret}\n".encode() + b"\xff")
    assert run(["analyze", str(path)]) == 2
    out, err = capsys.readouterr()
    check_one_error_line(err)
    assert secret not in err and secret not in out


def test_subprocess(cable_file: Path) -> None:
    """The installed entry point, as outside checks call it."""
    declass = Path(sys.executable).parent / "declass"
    command = [str(declass)] if declass.exists() else [sys.executable, "-m", "declass"]
    data = CABLE.replace("\n", "\r\n").encode("utf-8")
    ok = subprocess.run(
        [*command, "analyze", "-"], input=data, capture_output=True, timeout=60, check=False
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr == b""
    check_report(ok.stdout.decode("utf-8"), data)

    bad = subprocess.run(
        [*command, "analyze", "-"], input=b"\xff\xfe", capture_output=True, timeout=60, check=False
    )
    assert bad.returncode == 2
    assert bad.stdout == b""
    check_one_error_line(bad.stderr.decode("utf-8"))
