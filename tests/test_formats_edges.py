"""The same marked memo as a Word file, a PDF and a scan, through every edge.

Each format goes through the command line (text, JSON and PDF output), an HTTP
raw body and a multipart upload (text, JSON and PDF), and one ``declass batch``
over a folder holding all of them. Every output must hold every word of the
``(U)`` portions and no word found only in the classified ones; a PDF output is
read back with pypdf, its metadata too. The reader that read the file is named
where the edge says it: the log line, the batch manifest. Tesseract may be
unsure of a scan's lines (those go to review), so for a scan only the absence of
classified words, and that every token released is a ``(U)`` one, is asserted.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from declass.service.cli.main import main
from declass.service.reader import DOCX_MEDIA_TYPE
from tests.batch_trees import manifest, write_tree
from tests.format_memo import (
    AS_OF,
    BANNER,
    CLOSING,
    OPENING,
    RELEASED_TOKENS,
    TABLE_ROW,
    WITHHELD_TOKENS,
    memo_docx,
    memo_pdf,
    memo_scan,
)

needs_scan_tools = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("tesseract") is None,
    reason="pdftoppm or tesseract-ocr is absent (apt-get install poppler-utils tesseract-ocr)",
)
#: File name, media type of a raw body, and the reader that must read it.
FORMATS = [
    pytest.param("memo.docx", DOCX_MEDIA_TYPE, "docx", id="docx"),
    pytest.param("memo.pdf", "application/pdf", "pdf", id="pdf"),
    pytest.param("memo.scan.pdf", "application/pdf", "ocr", id="scan", marks=needs_scan_tools),
]
OUTPUTS = ["text", "json", "pdf"]


def _words(portions: tuple[str, ...]) -> set[str]:
    return {word for portion in portions for word in re.findall(r"[A-Za-z]{4,}", portion)}


CLASSIFIED_PORTIONS = (OPENING[3], OPENING[4], TABLE_ROW[0])
UNCLASSIFIED_PORTIONS = (OPENING[1], OPENING[2], TABLE_ROW[1], CLOSING[0])
#: Words of the (U) portions: a trusted reader's release holds every one.
RELEASED_WORDS = _words(UNCLASSIFIED_PORTIONS)
#: Words found only in classified portions: no release may hold any of them.
WITHHELD_WORDS = _words(CLASSIFIED_PORTIONS) - _words(
    (*UNCLASSIFIED_PORTIONS, *OPENING[:2], *CLOSING[1:], BANNER)
)


@pytest.fixture(scope="module")
def memos() -> dict[str, bytes]:
    """Each file built once; the scan only when asked for (it needs pdftoppm)."""
    return {}


def memo(memos: dict[str, bytes], name: str) -> bytes:
    if name not in memos:
        builders = {"memo.docx": memo_docx, "memo.pdf": memo_pdf, "memo.scan.pdf": memo_scan}
        memos[name] = builders[name]()
    return memos[name]


# --- what every output must (not) hold ---------------------------------------------


def assert_released(released: str, reader: str) -> None:
    """Every (U) word (unless OCR held it for review), no classified word, no wrong token."""
    found = set(re.findall(r"[A-Za-z]{4,}", released))
    assert not found & WITHHELD_WORDS, sorted(found & WITHHELD_WORDS)
    tokens = {word for word in found if word in {*RELEASED_TOKENS, *WITHHELD_TOKENS}}
    assert tokens <= set(RELEASED_TOKENS)
    if reader != "ocr":
        assert found >= RELEASED_WORDS, sorted(RELEASED_WORDS - found)


def released_text(output: bytes, fmt: str) -> str:
    """The released text of one output, after checking the parts that are not the text."""
    if fmt == "text":
        return output.decode("utf-8")
    if fmt == "json":
        whole = output.decode("utf-8")
        assert not any(token in whole for token in WITHHELD_TOKENS)
        report = json.loads(whole)
        assert report["release"]["withheld"] + report["release"]["review"] >= 1
        text: str = report["text"]
        return text
    assert output.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(output))
    metadata = " ".join(str(value) for value in (reader.metadata or {}).values())
    assert not set(re.findall(r"[A-Za-z]{4,}", metadata)) & WITHHELD_WORDS
    return "\n".join(page.extract_text() for page in reader.pages)


def document_facts(logs: io.StringIO) -> dict[str, Any]:
    """The ``document`` object of the last request logged."""
    lines = [json.loads(line) for line in logs.getvalue().splitlines() if line.strip()]
    requests = [line for line in lines if line.get("event") == "request"]
    facts: dict[str, Any] = requests[-1]["document"]
    return facts


# --- command line ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", OUTPUTS)
@pytest.mark.parametrize(("name", "media_type", "reader"), FORMATS)
def test_cli_redact(
    memos: dict[str, bytes],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    media_type: str,
    reader: str,
    fmt: str,
) -> None:
    source, target = tmp_path / name, tmp_path / f"released.{fmt}"
    source.write_bytes(memo(memos, name))
    command = ["redact", str(source), "--as-of", AS_OF, "--format", fmt, "-o", str(target)]
    assert main(command) == 0, capsys.readouterr().err
    assert_released(released_text(target.read_bytes(), fmt), reader)


# --- HTTP: raw body and multipart upload -------------------------------------------


@pytest.mark.parametrize("fmt", OUTPUTS)
@pytest.mark.parametrize(("name", "media_type", "reader"), FORMATS)
def test_http_raw_body(
    memos: dict[str, bytes],
    client: FlaskClient,
    http_logs: io.StringIO,
    name: str,
    media_type: str,
    reader: str,
    fmt: str,
) -> None:
    response = client.post(
        f"/v1/redact?as_of={AS_OF}&format={fmt}", data=memo(memos, name), content_type=media_type
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert_released(released_text(response.get_data(), fmt), reader)
    facts = document_facts(http_logs)
    assert facts["source"] == f"raw-{reader}"
    assert facts["withheld"] + facts["review"] == int(response.headers["X-Declass-Withheld"]) + int(
        response.headers["X-Declass-Review"]
    )


@pytest.mark.parametrize("fmt", OUTPUTS)
@pytest.mark.parametrize(("name", "media_type", "reader"), FORMATS)
def test_http_multipart_upload(
    memos: dict[str, bytes],
    client: FlaskClient,
    http_logs: io.StringIO,
    name: str,
    media_type: str,
    reader: str,
    fmt: str,
) -> None:
    form = {"file": (io.BytesIO(memo(memos, name)), name), "as_of": AS_OF, "format": fmt}
    response = client.post("/v1/redact", data=form, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert_released(released_text(response.get_data(), fmt), reader)
    facts = document_facts(http_logs)
    assert facts["source"] == f"upload-{reader}"
    if reader != "docx":
        assert facts["pages"] == 1


@pytest.mark.parametrize(("name", "media_type", "reader"), FORMATS)
def test_http_extract_names_the_reader(
    memos: dict[str, bytes], client: FlaskClient, name: str, media_type: str, reader: str
) -> None:
    """The review page's view of the file: the text as read, and who read it."""
    data = memo(memos, name)
    raw = client.post(
        "/v1/extract", data=data, content_type=media_type, headers={"Accept": "application/json"}
    )
    upload = client.post(
        "/v1/extract",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert raw.status_code == upload.status_code == 200
    assert raw.get_json() == upload.get_json()
    found = raw.get_json()
    assert found["reader"] == reader
    assert found["problems"] == []  # this memo holds nothing outside its body
    if reader != "ocr":
        assert all(token in found["text"] for token in (*RELEASED_TOKENS, *WITHHELD_TOKENS))


# --- batch over a folder holding every format --------------------------------------


@needs_scan_tools
def test_batch_over_every_format(
    memos: dict[str, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ("memo.docx", "memo.pdf", "memo.scan.pdf")
    src = write_tree(tmp_path / "in", {f"memos/{name}": memo(memos, name) for name in names})
    out = tmp_path / "out"
    formats = [arg for fmt in OUTPUTS for arg in ("--format", fmt)]
    command = ["batch", str(src), "-o", str(out), "--as-of", AS_OF, *formats, "--jobs", "1"]
    assert main(command) == 0, capsys.readouterr().err
    readers = {record["path"]: record["reader"] for record in manifest(out)}
    expected = {"memos/memo.docx": "docx", "memos/memo.pdf": "pdf", "memos/memo.scan.pdf": "ocr"}
    assert readers == expected
    for path, reader in expected.items():
        for fmt, suffix in (("text", "txt"), ("json", "json"), ("pdf", "pdf")):
            output = (out / f"{path}.released.{suffix}").read_bytes()
            assert_released(released_text(output, fmt), reader)


def test_the_readme_builds_the_memos_with_one_command(tmp_path: Path) -> None:
    """``python -m tests.format_memo DIR``, as the README says: every format, readable."""
    from declass.service.reader import read_document
    from tests.format_memo import write_memos

    written = write_memos(tmp_path / "memos")
    names = {path.name for path in written}
    assert {"memo.docx", "memo.pdf"} <= names
    assert names <= {"memo.docx", "memo.pdf", "memo.scan.pdf"}
    for path in written:
        if path.name != "memo.scan.pdf":  # reading the scan is the OCR tests' work
            read = read_document(path.read_bytes(), filename=path.name, max_pages=5)
            assert read.reader == path.suffix.lstrip(".")
            assert all(token in read.text for token in (*RELEASED_TOKENS, *WITHHELD_TOKENS))
