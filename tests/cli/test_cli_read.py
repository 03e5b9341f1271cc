"""The CLI reads every format through read_document: PDF, DOCX, scans, and refuses the rest."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from declass.service.cli.main import main
from tests import docx_documents as dd
from tests.scans import CLASSIFIED_TOKENS, UNCLASSIFIED_TOKENS, memo_pdf, page_images, png_bytes

AS_OF = "2010-01-01"


def _clean_docx() -> bytes:
    document = dd.memo(declassify_on="12/31/2035")
    return dd.to_bytes(document)


def _hidden_docx() -> bytes:
    document = dd.memo(declassify_on="12/31/2035")
    dd.add_notes(document, "footnotes", ["(U) A footnote TKN-U-0100."])
    return dd.to_bytes(document)


def test_redact_a_pdf_file_releases_its_unclassified_portions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "memo.pdf"
    path.write_bytes(memo_pdf())
    assert main(["redact", str(path), "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    assert all(token in out for token in UNCLASSIFIED_TOKENS)
    assert not any(token in out for token in CLASSIFIED_TOKENS)


def test_a_clean_docx_releases_and_hidden_content_sends_all_to_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean, hidden = tmp_path / "clean.docx", tmp_path / "hidden.docx"
    clean.write_bytes(_clean_docx())
    hidden.write_bytes(_hidden_docx())
    assert main(["redact", str(clean), "--as-of", AS_OF]) == 0
    assert "TKN-U-0002" in capsys.readouterr().out
    assert main(["redact", str(hidden), "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    assert "TKN-U-0002" not in out and "TKN-U-0100" not in out


def test_analyze_a_docx_with_hidden_content_reports_the_held_portions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hidden.docx"
    path.write_bytes(_hidden_docx())
    assert main(["analyze", str(path), "--as-of", AS_OF]) == 0
    report = json.loads(capsys.readouterr().out)
    details = {p.get("detail") for p in report["document"]["problems"]}
    assert "page 1: hidden Word content" in details


def test_stdin_is_sniffed_by_its_bytes() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "declass", "redact", "-", "--as-of", AS_OF],
        input=memo_pdf(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"TOKENALPHA" in done.stdout and b"TOKENBRAVO" not in done.stdout


def test_a_format_declass_does_not_read_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scan.gif"
    path.write_bytes(b"GIF89a\x01\x00\x01\x00")
    assert main(["redact", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "a GIF image" in err and "send UTF-8 text" in err


def test_ocr_unavailable_says_how_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(png_bytes(page_images(memo_pdf())[0]))
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["analyze", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "apt-get install tesseract-ocr" in err
