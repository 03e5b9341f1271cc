"""The review page in headless Chromium against a real server on a free loopback port.

A reviewer loads a cable, sees its paragraphs coloured by level and outlined
by decision, releases one paragraph with a reason (by keyboard), redacts a
word by selecting it, and downloads the PDF: pypdf must find the released
paragraph and the span mark, and not the redacted word. Offsets are checked
with characters outside the Basic Multilingual Plane, where JavaScript and
Python count differently. The server requires an API key, as a deployed one
does; the page is served without it and sends it with every API call.

Debian's Chromium (``apt-get install chromium``) and Playwright for Python
(the ``test`` extra) are needed; without either the tests skip and say why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from declass.rules.parse import normalise
from declass.rules.policy import load_policy
from declass.service.http.app import create_app
from declass.service.pipeline import analyze
from tests.conftest import API_KEY, CORPUS, DATA, http_config

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
)
from pypdf import PdfReader  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

# As python.md says: no sandbox as root, and no calls home from a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000
AS_OF = "2010-01-01"
CABLE = CORPUS / "06PARIS5734.txt"
if not CABLE.is_file():
    CABLE = DATA / "paris_2006.txt"
#: A word of paragraph 2 in both cables, and in no text released as of 2010.
TARGET = "France"
#: Three characters outside the BMP: one code point each to Python, two units to JavaScript.
ASTRAL = (
    "UNCLASSIFIED\n\n"
    "1. (U) The envoy \U0001d49c met \U0001f600 Aurelia Bouchez at the \U0001f3db embassy.\n\n"
    "2. (U) Nothing else happened.\n\nUNCLASSIFIED\n"
)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """The service on a free 127.0.0.1 port, in a thread, with an API key required: a
    reviewer's key, since the page overrides decisions."""
    digest = hashlib.sha256(API_KEY.encode()).hexdigest()
    app = create_app(http_config(api_keys=[f"page-reviewer:reviewer:sha256:{digest}"]))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh tab (fresh sessionStorage); fails the test on a script error, a CSP
    violation or any request that leaves the service."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    trouble: list[str] = []
    tab.on("pageerror", lambda error: trouble.append(f"script error: {error}"))
    tab.on("console", lambda m: trouble.append(m.text) if m.type == "error" else None)
    tab.on("request", lambda r: trouble.append(r.url) if not r.url.startswith(base_url) else None)
    tab.goto(base_url + "/")
    try:
        yield tab
        # A refused request logs a console error; only the deliberate 401 may have happened.
        assert [t for t in trouble if "401" not in t] == []
    finally:
        context.close()


def expect(locator: Any) -> Any:
    return sync_api.expect(locator)


def enter_key(page: Any) -> None:
    page.fill("#api-key", API_KEY)
    page.press("#api-key", "Tab")
    page.wait_for_selector("#policy option[value=public]", state="attached")


def segments_of(text: str) -> list[dict[str, Any]]:
    report = analyze(text.encode("utf-8"), load_policy("public"), dt.date.fromisoformat(AS_OF))
    segments: list[dict[str, Any]] = report["document"]["segments"]
    return segments


def paragraph(segments: list[dict[str, Any]], label: str) -> dict[str, Any]:
    return next(s for s in segments if s["kind"] == "paragraph" and s["label"] == label)


def select_in(page: Any, segment_id: str, words: str) -> None:
    """Select ``words`` in a segment of the original as a mouse would: a DOM range."""
    page.evaluate(
        """([id, words]) => {
          const host = document.querySelector(`.seg-text[data-id="${id}"]`);
          const node = host.firstChild;
          const at = node.data.indexOf(words);
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + words.length);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }""",
        [segment_id, words],
    )


def pdf_words(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_review_a_cable_override_redact_and_download_the_pdf(page: Any) -> None:
    text = normalise(CABLE.read_bytes())
    segments = segments_of(text)
    second = paragraph(segments, "2")
    before = segments[segments.index(second) - 1]["id"]
    marked = {s["id"]: s["marking"]["level"] for s in segments if s["label"] and s["marking"]}
    body = text[second["body_start"] : second["end"]]
    evidence = " ".join(body[body.index(TARGET) + len(TARGET) :].split()[:4])
    box = page.locator(f'.seg[data-id="{second["id"]}"]')
    tag = page.locator(f"#tag-{second['id']}")

    expect(page.locator("#error")).to_contain_text("API key")  # the page asked without one
    enter_key(page)
    page.fill("#as-of", AS_OF)
    page.set_input_files("#upload", str(CABLE))
    expect(page.locator("#document .seg")).to_have_count(len(segments))

    # Coloured by level (with a text label), outlined by decision; problems on top.
    assert set(marked.values()) == {"C"}
    for segment_id, level in marked.items():
        expect(page.locator(f'.seg[data-id="{segment_id}"]')).to_have_class(
            f"seg lvl-{level} act-withhold"
        )
    assert box.evaluate("e => getComputedStyle(e).borderLeftColor") == "rgb(0, 51, 160)"
    expect(tag).to_contain_text("C · CONFIDENTIAL")
    expect(tag).to_contain_text("WITHHOLD")
    expect(page.locator("#problems li").first).to_contain_text("unmarked")
    expect(page.locator("#released")).not_to_contain_text(evidence)

    # Keyboard: Tab to the paragraph, its explanation shows; Enter opens the dialog.
    page.focus(f"#tag-{before}")
    page.keyboard.press("Tab")
    expect(tag).to_be_focused()
    expect(page.locator(f"#why-{second['id']}")).to_be_visible()
    expect(page.locator(f"#why-{second['id']}")).to_contain_text("(b)(1)")
    page.keyboard.press("Enter")
    expect(page.locator("#segment-dialog")).to_be_visible()
    page.keyboard.type("FOIA appeal 2026-114")
    page.fill("#flip-reviewer", "J. Roe")
    page.press("#flip-reason", "Enter")
    expect(tag).to_contain_text("RELEASE (changed)")
    expect(page.locator("#released")).to_contain_text(evidence)

    # Select a word of the released paragraph and redact it.
    select_in(page, second["id"], TARGET)
    expect(page.locator("#selection-note")).to_contain_text(f"“{TARGET}”")
    page.click("#redact-selection")
    expect(box.locator("mark.span")).to_have_text(TARGET)
    expect(page.locator("#released")).to_contain_text("[(b)(6)]")
    expect(page.locator("#released")).not_to_contain_text(TARGET)
    expect(page.locator("#change-list li")).to_have_count(2)

    with page.expect_download() as download:
        page.click("button[data-format=pdf]")
    words = pdf_words(Path(download.value.path()))
    assert evidence in words
    assert "(b)(6)" in words
    assert TARGET not in words

    # Undo both: the span, then the override.
    page.click("#undo")
    expect(box.locator("mark.span")).to_have_count(0)
    page.click("#undo")
    expect(tag).to_contain_text("WITHHOLD")
    expect(page.locator("#released")).not_to_contain_text(evidence)


def test_offsets_count_code_points_not_utf16_units(page: Any) -> None:
    enter_key(page)
    page.fill("#paste", ASTRAL)
    page.click("#review-button")
    first = paragraph(segments_of(ASTRAL), "1")
    expect(page.locator(f'.seg[data-id="{first["id"]}"]')).to_have_class("seg lvl-U act-release")
    # By mouse: a DOM selection, whose offsets are UTF-16 units.
    select_in(page, first["id"], "Aurelia Bouchez")
    page.click("#redact-selection")
    released = page.locator("#released")
    expect(released).to_contain_text("The envoy \U0001d49c met \U0001f600 [(b)(6)] at the")
    # By keyboard: the segment's dialog, selecting in its text box.
    page.focus(f"#tag-{first['id']}")
    page.keyboard.press("Enter")
    page.eval_on_selector(
        "#span-text",
        "(box) => { const at = box.value.indexOf('embassy'); box.setSelectionRange(at, at + 7); }",
    )
    page.fill("#span-exemption", "(b)(7)(C)")
    page.click("#span-apply")
    expect(released).to_contain_text("[(b)(6)] at the \U0001f3db [(b)(7)(C)].")

    with page.expect_download() as download:
        page.click("button[data-format=text]")
    output = Path(download.value.path()).read_text(encoding="utf-8")
    line = "1. (U) The envoy \U0001d49c met \U0001f600 [(b)(6)] at the \U0001f3db [(b)(7)(C)]."
    assert line in output.splitlines()
    assert "Aurelia" not in output and "embassy" not in output

    # The key went as a header only: never in the address, and kept for this tab.
    assert API_KEY not in page.url
    assert page.evaluate("sessionStorage.getItem('declass.apiKey')") == API_KEY


def test_a_pdf_whose_order_is_unsure_is_held_for_review(page: Any, tmp_path: Path) -> None:
    """The page sends the ranges /v1/extract found back with the text: the (U) portions
    of a two-column page are held, not released, until a reviewer decides."""
    from tests.read.test_pdf_layout import draw, two_columns

    memo = tmp_path / "memo.pdf"
    memo.write_bytes(draw(two_columns()))
    enter_key(page)
    page.fill("#as-of", "2026-01-01")
    page.set_input_files("#upload", str(memo))
    expect(page.locator("#problems")).to_contain_text("page 1: two text columns")
    expect(page.locator("#released")).to_contain_text("UNCLASSIFIED")
    expect(page.locator("#released")).not_to_contain_text("Alphawick")
    expect(page.locator("#released")).not_to_contain_text("Bravoquill")


def test_a_word_file_with_held_content_says_so_and_is_held(page: Any, tmp_path: Path) -> None:
    """A Word file with a footnote: the page says its text came from a Word file with
    held content, and sends the held range back, so no portion of it is released."""
    from tests import docx_documents as dd

    document = dd.memo()
    dd.add_notes(document, "footnotes", ["(U) A footnote TKN-U-0100."])
    memo = tmp_path / "memo.docx"
    memo.write_bytes(dd.to_bytes(document))
    enter_key(page)
    page.set_input_files("#upload", str(memo))
    note = page.locator("#reader-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Word file with held content")
    expect(note).to_contain_text("1 footnote")
    expect(page.locator("#released")).to_contain_text("pending review")
    expect(page.locator("#released")).not_to_contain_text("TKN-U-0002")
    page.fill("#paste", "UNCLASSIFIED\n\n1. (U) Typed by hand.\n")
    page.click("#review-button")
    expect(page.locator("#released")).to_contain_text("Typed by hand")
    expect(note).to_be_hidden()


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr is absent")
def test_a_scan_says_it_was_read_by_ocr(page: Any, tmp_path: Path) -> None:
    from tests.scans import CLASSIFIED_TOKENS, memo_pdf, page_images, png_bytes

    scan = tmp_path / "scan.png"
    scan.write_bytes(png_bytes(page_images(memo_pdf())[0]))
    enter_key(page)
    page.set_input_files("#upload", str(scan))
    expect(page.locator("#reader-note")).to_contain_text("read by OCR from a scan (1 page)")
    expect(page.locator("#released")).to_contain_text("UNCLASSIFIED")
    for token in CLASSIFIED_TOKENS:
        expect(page.locator("#released")).not_to_contain_text(token)
