"""Review files: the model, and the command line applying one (``redact --review``)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from declass.rules.errors import RequestError
from declass.rules.parse import parse_document
from declass.rules.policy import load_policy
from declass.rules.review_file import check_review, load_review, text_sha256
from declass.service.cli.main import main
from tests.conftest import DATA

PUBLIC = load_policy("public").ref


def review_of(paris: bytes, **changes: Any) -> dict[str, Any]:
    review: dict[str, Any] = {
        "sha256": text_sha256(paris.decode("utf-8")),
        "policy": {"id": PUBLIC.id, "version": PUBLIC.version},
        "as_of": "2010-01-01",
        "overrides": [
            {"segment": "s009", "action": "release", "reviewer": "A. Reviewer", "reason": "ok"}
        ],
        "redactions": [{"phrase": "Solange Ferrand-Quillet", "exemption": "(b)(6)"}],
    }
    return {**review, **changes}


@pytest.fixture
def files(tmp_path: Path, paris: bytes) -> tuple[Path, Path]:
    cable = tmp_path / "paris.txt"
    cable.write_bytes(paris)
    return cable, tmp_path / "paris.review.json"


def test_the_document_is_named_as_the_report_names_it(paris: bytes) -> None:
    text = paris.decode("utf-8")
    assert text_sha256(text) == parse_document(text).sha256


def test_a_review_for_another_document_or_policy_is_refused(paris: bytes) -> None:
    review = load_review(json.dumps(review_of(paris)).encode())
    check_review(review, review.sha256, PUBLIC)
    with pytest.raises(RequestError, match="not this document"):
        check_review(review, "0" * 64, PUBLIC)
    with pytest.raises(RequestError, match="under policy public"):
        check_review(review, review.sha256, load_policy("partner-gbr-secret").ref)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sha256": "ABC"}, "sha256"),
        ({"as_of": 1262304000}, "as_of"),
        ({"as_of": "2010-1-1"}, "as_of"),
        ({"kind": "other"}, "kind"),
        ({"extra": 1}, "extra"),
        ({"overrides": [{"segment": "s009", "action": "publish"}]}, "overrides.0.action"),
    ],
    ids=["sha256", "timestamp", "short-date", "kind", "unknown-field", "action"],
)
def test_a_bad_review_file_names_the_field_not_the_value(
    paris: bytes, change: dict[str, Any], field: str
) -> None:
    data = json.dumps(review_of(paris, **change)).encode()
    with pytest.raises(RequestError) as caught:
        load_review(data)
    assert caught.value.field == field
    assert "publish" not in caught.value.message and "ABC" not in caught.value.message


def test_redact_applies_the_review(
    files: tuple[Path, Path], paris: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    cable, review = files
    review.write_text(json.dumps(review_of(paris)), encoding="utf-8")
    assert main(["redact", str(cable), "--review", str(review)]) == 0
    out = capsys.readouterr().out
    assert "PolCouns delivered reftel points" in out  # s009 released by the reviewer
    assert "Solange" not in out and "[(b)(6)]" in out  # the span redaction applied
    assert "as of 2010-01-01" in out  # the review's date, not today


def test_redact_review_into_vaughn_and_pdf_with_log(
    files: tuple[Path, Path], paris: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cable, review = files
    review.write_text(json.dumps(review_of(paris)), encoding="utf-8")
    assert main(["redact", str(cable), "--review", str(review), "--format", "vaughn"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert ("s009", "redact") in {(r["segment"], r["action"]) for r in rows}
    letter, a4 = tmp_path / "letter.pdf", tmp_path / "a4.pdf"
    argv = ["redact", str(cable), "--review", str(review), "--format", "pdf", "--log"]
    assert main([*argv, "-o", str(letter)]) == 0
    assert main([*argv, "--page-size", "a4", "-o", str(a4)]) == 0
    from pypdf import PdfReader

    reader = PdfReader(letter)
    assert "Redaction log" in reader.pages[-1].extract_text()
    assert round(float(reader.pages[0].mediabox.height)) == 792
    assert round(float(PdfReader(a4).pages[0].mediabox.height)) == 842


@pytest.mark.parametrize(
    ("change", "argv", "message"),
    [
        ({"sha256": "0" * 64}, [], "not this document"),
        ({}, ["--policy", "partner-gbr-secret"], "under policy public"),
        ({}, ["--as-of", "2011-01-01"], "differs from the review file"),
        ({"overrides": [{"segment": "s999", "action": "release"}]}, [], "unknown segment"),
    ],
    ids=["document", "policy", "as-of", "segment"],
)
def test_redact_refuses_a_review_that_does_not_fit(
    files: tuple[Path, Path],
    paris: bytes,
    capsys: pytest.CaptureFixture[str],
    change: dict[str, Any],
    argv: list[str],
    message: str,
) -> None:
    cable, review = files
    review.write_text(json.dumps(review_of(paris, **change)), encoding="utf-8")
    assert main(["redact", str(cable), "--review", str(review), *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err and captured.err.count("\n") == 1


def test_redact_accepts_the_same_as_of_as_the_review(
    files: tuple[Path, Path], paris: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    cable, review = files
    review.write_text(json.dumps(review_of(paris)), encoding="utf-8")
    assert main(["redact", str(cable), "--review", str(review), "--as-of", "2010-01-01"]) == 0
    assert "as of 2010-01-01" in capsys.readouterr().out


def test_a_review_file_that_is_not_json_is_one_clear_line(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cable, review = files
    review.write_bytes(b"\xff not json")
    assert main(["redact", str(cable), "--review", str(review)]) == 2
    assert "review file paris.review.json: not JSON" in capsys.readouterr().err


def test_the_sample_review_file_fits_its_cable(paris: bytes) -> None:
    """The README's example review (tests/data) names this cable and the shipped policy."""
    review = load_review((DATA / "paris_2006.review.json").read_bytes())
    check_review(review, text_sha256(paris.decode("utf-8")), PUBLIC)
    assert {o.segment for o in review.overrides} == {"s009", "s012"}
