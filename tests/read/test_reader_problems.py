"""A reader's notes reach the report one by one: each kind of hidden Word content is named
by its own document-level problem, on every edge, and never with the document's text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from declass.service.cli.main import main
from declass.service.formats import DOCX_MEDIA_TYPE
from declass.service.reader import ReaderProblem, read_document
from tests import docx_documents as dd

FOOTNOTE = "(S) A footnote TKN-S-0901."
COMMENT = "(S//NF) Source is TKN-S-0902"


def noted_memo() -> bytes:
    """A memo with one footnote and one comment."""
    document = dd.memo()
    dd.add_notes(document, "footnotes", [FOOTNOTE])
    document.add_comment(document.paragraphs[3].runs, text=COMMENT, author="Reviewer")
    return dd.to_bytes(document)


def document_problems(report: dict[str, object]) -> dict[str, str]:
    problems = report["document"]["problems"]  # type: ignore[index]
    return {p["code"]: p["detail"] for p in problems if p["segment"] is None}


def test_the_reader_types_its_notes() -> None:
    read = read_document(noted_memo(), max_pages=10)
    assert read.problems == [
        ReaderProblem("docx_footnotes", "the Word file has 1 footnote"),
        ReaderProblem("docx_comments", "the Word file has 1 comment"),
    ]


def test_declass_analyze_names_each_kind_of_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "memo.docx"
    path.write_bytes(noted_memo())
    assert main(["analyze", str(path), "--as-of", "2010-01-01"]) == 0
    out = capsys.readouterr().out
    problems = document_problems(json.loads(out))
    assert problems["docx_footnotes"] == "the Word file has 1 footnote"
    assert problems["docx_comments"] == "the Word file has 1 comment"
    assert "TKN-S-0901" not in out and "TKN-S-0902" not in out


def test_the_json_release_names_them_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "memo.docx"
    path.write_bytes(noted_memo())
    assert main(["redact", str(path), "--as-of", "2010-01-01", "--format", "json"]) == 0
    problems = document_problems(json.loads(capsys.readouterr().out))
    assert {"docx_footnotes", "docx_comments"} <= set(problems)


def test_a_word_file_sent_over_http_is_reported_alike(client: FlaskClient) -> None:
    response = client.post(
        "/v1/analyze?as_of=2010-01-01", data=noted_memo(), content_type=DOCX_MEDIA_TYPE
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert {"docx_footnotes", "docx_comments"} <= set(document_problems(response.get_json()))


def test_plain_text_has_no_reader_notes(capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(__file__).resolve().parents[1] / "data" / "paris_2006.txt"
    assert main(["analyze", str(path), "--as-of", "2010-01-01"]) == 0
    codes = set(document_problems(json.loads(capsys.readouterr().out)))
    assert not {code for code in codes if code.startswith("docx_")}
