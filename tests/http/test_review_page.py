"""The review page through the factory: route, assets, CSP, keys, /v1/extract, package data.

The page's behaviour in a browser is tested in ``test_review_browser.py``;
here are the promises that hold without one: every asset is served by
declass itself, nothing runs inline, the page has its own CSP while API
responses keep ``default-src 'none'``, and the files ship in the package.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from declass.rules.parse import normalise
from declass.service.http.app import create_app
from declass.service.http.security import PAGE_CSP
from declass.service.reader import DOCX_MEDIA_TYPE
from tests import docx_documents as dd
from tests.conftest import API_KEY, ROOT, http_config
from tests.http.test_http_api import make_pdf
from tests.http.test_http_errors import assert_problem
from tests.scans import memo_pdf, page_images, png_bytes
from tests.sources import copy_sources

SERVICE = ROOT / "service" / "http"
ASSETS = sorted(p for p in (SERVICE / "static").iterdir() if p.is_file())
SCRIPTS = [p for p in ASSETS if p.suffix == ".js"]
SVG_NAMESPACE = 'xmlns="http://www.w3.org/2000/svg"'  # a name, never fetched
MEDIA = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


class PageParser(HTMLParser):
    """Scripts, links, inline handlers and styles, and form fields of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline_script = ""
        self.links: list[dict[str, str | None]] = []
        self.bad_attributes: list[str] = []
        self.named_fields: list[str] = []
        self.ids: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.ids += [values["id"] or ""] if "id" in values else []
        self.bad_attributes += [n for n, _ in attrs if n.startswith("on") or n == "style"]
        if tag in {"input", "textarea", "select"} and "name" in values:
            self.named_fields.append(values["name"] or "")
        if tag == "script":
            self.scripts.append(values)
            self._in_script = True
        elif tag == "link":
            self.links.append(values)
        elif tag == "style":
            self.bad_attributes.append("<style>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline_script += data


def status_of(client: FlaskClient, url: str) -> int:
    """The status of a GET; static files are open files, closed here."""
    with client.get(url) as response:
        return response.status_code


def parse_page(client: FlaskClient) -> PageParser:
    response = client.get("/")
    assert response.status_code == 200
    parser = PageParser()
    parser.feed(response.get_data(as_text=True))
    return parser


def test_page_is_html_with_today_and_the_policy_fields(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert re.search(r'id="as-of" type="date" value="\d{4}-\d{2}-\d{2}"', html)
    for needed in ("api-key", "paste", "upload", "policy", "document", "released"):
        assert f'id="{needed}"' in html


def test_page_runs_nothing_inline_and_names_no_field(client: FlaskClient) -> None:
    page = parse_page(client)
    assert page.scripts and all(s.get("src") for s in page.scripts)
    assert page.inline_script.strip() == ""
    assert page.bad_attributes == []
    # Nothing has a name, so no browser can ever put the text or the key in a URL.
    assert page.named_fields == []
    assert len(page.ids) == len(set(page.ids))


def test_page_has_its_own_csp_and_the_api_keeps_none(client: FlaskClient, paris: bytes) -> None:
    page = client.get("/").headers["Content-Security-Policy"]
    assert page == PAGE_CSP
    directives = dict(d.strip().split(" ", 1) for d in page.split(";"))
    assert directives["default-src"] == "'none'"
    for name in ("script-src", "style-src", "connect-src"):
        assert directives[name] == "'self'"
    assert "unsafe" not in page
    assert directives["require-trusted-types-for"] == "'script'"
    api = client.post("/v1/redact", data=paris, content_type="text/plain")
    with client.get("/static/review.js") as asset:
        for response in (api, asset, client.get("/healthz")):
            assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
            assert "script-src" not in response.headers["Content-Security-Policy"]
    assert client.get("/").headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("asset", ASSETS, ids=lambda p: p.name)
def test_every_asset_is_served_by_declass(client: FlaskClient, asset: Path) -> None:
    with client.get(f"/static/{asset.name}") as response:
        assert response.status_code == 200
        assert response.mimetype == MEDIA[asset.suffix]
        assert response.data == asset.read_bytes()


def test_the_page_references_only_its_own_assets(client: FlaskClient) -> None:
    page = parse_page(client)
    urls = [s["src"] for s in page.scripts] + [link["href"] for link in page.links]
    imports = [m for p in SCRIPTS for m in re.findall(r'from "\./([^"]+)"', p.read_text())]
    assert imports and set(imports) <= {p.name for p in SCRIPTS}
    for url in urls:
        assert url is not None and url.startswith("/static/")
        assert status_of(client, url) == 200
    for asset in ASSETS:
        text = asset.read_text(encoding="utf-8").replace(SVG_NAMESPACE, "")
        # No CDN, no web font, no remote image: every URL in an asset is this service's.
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|@import|@font-face", text)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_insert_text_as_text(script: Path) -> None:
    source = script.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source
    assert "new Function" not in source
    # The key and the reviewer's name stay in this tab (sessionStorage); only the review
    # file's module keeps anything longer, and it never touches the key.
    if script.name == "review-file.js":
        assert "sessionStorage" not in source and "apiKey" not in source
    else:
        assert "localStorage" not in source


def test_page_and_assets_need_no_key_but_the_api_does(keyed_client: FlaskClient) -> None:
    assert keyed_client.get("/").status_code == 200
    assert status_of(keyed_client, "/static/review.js") == 200
    assert status_of(keyed_client, "/static/favicon.svg") == 200
    assert_problem(keyed_client.get("/v1/policies"), 401, "unauthorized")
    assert status_of(keyed_client, "/static/nowhere.js") == 404


def test_page_says_when_a_key_is_required(client: FlaskClient, keyed_client: FlaskClient) -> None:
    assert 'class="need"' in keyed_client.get("/").get_data(as_text=True)
    assert 'class="need"' not in client.get("/").get_data(as_text=True)


def test_without_keys_the_page_is_for_loopback_only() -> None:
    client = create_app(http_config()).test_client()
    remote = client.get("/", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert_problem(remote, 403, "loopback-only")


# --- /v1/extract: the text of an upload, for the page to show ---------------------------


def upload(client: FlaskClient, data: bytes, name: str, **headers: str) -> tuple[int, str]:
    response = client.post(
        "/v1/extract",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers=headers,
    )
    return response.status_code, response.get_data(as_text=True)


def test_extract_returns_normalised_text_whose_offsets_the_reports_use(
    client: FlaskClient, paris: bytes
) -> None:
    crlf = b"\xef\xbb\xbf" + paris.replace(b"\n", b"\r\n")
    status, text = upload(client, crlf, "cable.txt")
    assert status == 200
    assert text == normalise(paris)
    report = client.post("/v1/analyze", json={"text": text}).get_json()
    assert report["document"]["segments"][-1]["end"] == len(text)


def test_extract_reads_the_text_layer_of_a_pdf(client: FlaskClient, paris: bytes) -> None:
    lines = paris.decode().splitlines()[:40]
    status, text = upload(client, make_pdf(lines), "cable.pdf")
    assert status == 200
    assert "C O N F I D E N T I A L" in text
    assert "\r" not in text


def test_extract_wants_a_file(client: FlaskClient, paris: bytes) -> None:
    assert_problem(
        client.post("/v1/extract", json={"text": paris.decode()}),
        415,
        "unsupported-media-type",
    )
    empty = client.post("/v1/extract", data={"x": "1"}, content_type="multipart/form-data")
    assert empty.status_code == 422
    unknown = client.post(
        "/v1/extract",
        data={"file": (io.BytesIO(paris), "c.txt"), "policy": "public"},
        content_type="multipart/form-data",
    )
    assert_problem(unknown, 422, "invalid-request")
    assert upload(client, b"\xff\xfe bad", "c.txt")[0] == 400


def test_the_file_picker_offers_every_format_the_reader_reads(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    accept = re.search(r'id="upload" type="file" accept="([^"]*)"', page)
    assert accept is not None
    offered = set(accept.group(1).split(","))
    assert {".txt", ".pdf", ".docx", ".png", ".tif", ".tiff"} <= offered
    assert {"text/plain", "application/pdf", DOCX_MEDIA_TYPE, "image/png", "image/tiff"} <= offered


def extract_json(client: FlaskClient, **request: Any) -> dict[str, Any]:
    response = client.post("/v1/extract", headers={"Accept": "application/json"}, **request)
    assert response.status_code == 200, response.get_data(as_text=True)
    found: dict[str, Any] = response.get_json()
    return found


def test_extract_a_word_file_names_the_reader_and_its_notes(
    client: FlaskClient, http_logs: io.StringIO
) -> None:
    """A footnote holds the whole file for review: the page must say so, without its text."""
    document = dd.memo()
    dd.add_notes(document, "footnotes", ["(U) A footnote TKN-U-0100."])
    data = dd.to_bytes(document)
    found = extract_json(
        client, data={"file": (io.BytesIO(data), "memo.docx")}, content_type="multipart/form-data"
    )
    assert found["reader"] == "docx"
    assert found["pages"] is None
    assert found["problems"] == [
        {"code": "docx_footnotes", "detail": "the Word file has 1 footnote"}
    ]
    assert [(r["start"], r["end"]) for r in found["untrusted"]] == [(0, len(found["text"]))]
    assert "TKN-U-0002" in found["text"]
    logged = http_logs.getvalue()
    assert '"source": "upload-docx"' in logged and '"reader_problems": ["docx_footnotes"]' in logged
    assert "TKN-U" not in logged
    raw = extract_json(client, data=data, content_type=DOCX_MEDIA_TYPE)
    assert raw == found


def test_extract_takes_a_raw_text_body(client: FlaskClient, paris: bytes) -> None:
    found = extract_json(client, data=b"\xef\xbb\xbf" + paris, content_type="text/plain")
    assert (found["text"], found["reader"], found["problems"]) == (normalise(paris), "text", [])
    bad = client.post("/v1/extract", data=b"\xff\xfe bad", content_type="text/plain")
    assert_problem(bad, 400, "bad-input")


def test_extract_refuses_as_redact_does(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same reader, the same 422 codes, raw or uploaded."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    scan = png_bytes(page_images(memo_pdf())[0])
    raw = client.post("/v1/extract", data=scan, content_type="image/png")
    assert_problem(raw, 422, "ocr-unavailable")
    for name, data, code in (
        ("scan.png", scan, "ocr-unavailable"),
        ("memo.pdf", b"%PDF-1.7\nbroken", "unreadable-pdf"),
        ("memo.docx", b"plain words", "format-mismatch"),
        ("memo.gif", b"GIF89a\x01\x00", "unsupported-format"),
    ):
        for path in ("/v1/extract", "/v1/redact"):
            form = {"file": (io.BytesIO(data), name)}
            uploaded = client.post(path, data=form, content_type="multipart/form-data")
            assert_problem(uploaded, 422, code)


def test_extract_needs_the_key_and_logs_no_text(paris: bytes, http_logs: io.StringIO) -> None:
    client = create_app(http_config(api_keys=[API_KEY])).test_client()
    assert upload(client, paris, "cable.txt")[0] == 401
    status, _ = upload(client, paris, "cable.txt", Authorization=f"Bearer {API_KEY}")
    assert status == 200
    logged = http_logs.getvalue()
    assert '"operation": "extract"' in logged
    assert "Ferrand" not in logged and "PARIS" not in logged


# --- package data -----------------------------------------------------------------------


def test_templates_and_assets_ship_in_the_package(tmp_path: Path) -> None:
    """``pip install .`` copies what build_py copies: run it on a copy of the project."""
    source = copy_sources(tmp_path / "src")
    built = tmp_path / "lib"
    setup = "from setuptools import setup; setup()"
    subprocess.run(
        [sys.executable, "-c", setup, "-q", "build_py", "--build-lib", str(built)],
        cwd=source,
        check=True,
        capture_output=True,
    )
    wanted = [
        p.relative_to(ROOT)
        for folder in ("templates", "static")
        for p in (SERVICE / folder).rglob("*")
        if p.is_file()
    ]
    assert wanted
    for path in wanted:
        assert (built / "declass" / path).is_file(), f"{path} is not package data"
