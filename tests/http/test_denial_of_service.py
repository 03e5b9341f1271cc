"""Denial of service: what a hostile request can make the service spend, and the refusals.

- A body over the limit is refused (413) before it is read whole: by its
  Content-Length before a byte is read, and a chunked body (no length) after
  at most the limit plus one read buffer, whatever the client keeps sending.
- Reviewers' regular expressions run on RE2, in linear time
  (tests/rules/test_reviewer_patterns.py).
- A PDF "bomb" (a small upload whose content decompresses to megabytes, or one
  form drawn over and over) and a PDF with thousands of pages are refused with
  a problem+json naming the reason, quickly and without reading their text.
"""

from __future__ import annotations

import io
import json
import time
import zlib
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas
from werkzeug.datastructures import FileStorage
from werkzeug.test import EnvironBuilder, encode_multipart, run_wsgi_app

from declass.service.http.app import create_app
from declass.service.read import pdf as pdf_input
from declass.service.read.pdf import PdfError
from tests.conftest import http_config
from tests.http.test_http_api import make_pdf

#: A bound that only a hang crosses. These are liveness checks, not speed tests: what
#: is accepted or refused here takes well under a second, a catastrophic case minutes.
HANG = 20.0

LIMIT = 64 * 1024

# -- bodies over the limit ----------------------------------------------------------


class Endless(io.RawIOBase):
    """A client that never stops sending: counts what the server reads."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = len(buffer)
        buffer[:] = b"a" * size
        self.served += size
        return size


def _post(stream: Endless, content_type: str, length: int | None) -> tuple[int, dict[str, object]]:
    """POST ``stream`` to /v1/redact through the WSGI interface, as gunicorn hands it over."""
    app = create_app(http_config(max_body_bytes=LIMIT))
    environ = EnvironBuilder(
        path="/v1/redact",
        method="POST",
        content_type=content_type,
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    ).get_environ()
    environ["wsgi.input"] = stream
    environ.pop("CONTENT_LENGTH", None)
    if length is None:
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
        environ["wsgi.input_terminated"] = True  # gunicorn's mark of a chunked body
    else:
        environ["CONTENT_LENGTH"] = str(length)
    body, status, headers = run_wsgi_app(app, environ, buffered=True)
    assert headers["Content-Type"] == "application/problem+json"
    return int(status.split()[0]), json.loads(b"".join(body))


CONTENT_TYPES = ["text/plain", "application/json", "multipart/form-data; boundary=xyz"]


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_chunked_body_over_the_limit_is_cut_off(content_type: str) -> None:
    stream = Endless()
    status, problem = _post(stream, content_type, length=None)
    assert (status, problem["code"]) == (413, "payload-too-large")
    assert stream.served <= LIMIT + 64 * 1024, stream.served


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_declared_length_over_the_limit_is_refused_unread(content_type: str) -> None:
    stream = Endless()
    status, problem = _post(stream, content_type, length=LIMIT + 1)
    assert (status, problem["code"]) == (413, "payload-too-large")
    assert stream.served == 0


# -- PDF uploads --------------------------------------------------------------------


def _bomb(content_bytes: int) -> bytes:
    """One page whose content stream, a text operator repeated, inflates to ``content_bytes``."""
    reader = PdfReader(io.BytesIO(make_pdf(["declass"])))
    writer = PdfWriter(clone_from=reader)
    resources: Any = writer.pages[0]["/Resources"]
    font = next(iter(resources["/Font"]))
    op = f"BT {font} 8 Tf 40 750 Td (SECRET CABLE TEXT) Tj T* ET\n".encode()
    stream = StreamObject()
    stream._data = zlib.compress(op * (content_bytes // len(op)), 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _form_bomb(draws: int, lines: int = 4000) -> bytes:
    """One page that draws one text-heavy form (``lines`` lines) ``draws`` times."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1)
    canvas.beginForm("cable")
    text = canvas.beginText(40, 750)
    text.setFont("Courier", 8)
    for line in range(lines):
        text.textLine(f"line {line} of the form that is drawn again and again")
    canvas.drawText(text)
    canvas.endForm()
    for _ in range(draws):
        canvas.doForm("cable")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _upload(client: FlaskClient, pdf: bytes) -> tuple[int, dict[str, object], float]:
    # Encoded here: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(pdf), "bomb.pdf")})
    started = time.perf_counter()
    response = client.post(
        "/v1/redact?format=json",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    elapsed = time.perf_counter() - started
    assert response.mimetype == "application/problem+json"
    assert isinstance(response.json, dict)
    return response.status_code, response.json, elapsed


def test_pdf_bomb_is_refused_before_its_text_is_read(client: FlaskClient) -> None:
    pdf = _bomb(pdf_input.MAX_CONTENT_BYTES + 1024 * 1024)
    assert len(pdf) < 100_000  # a small upload...
    status, problem, elapsed = _upload(client, pdf)  # ...that would take pypdf a minute
    assert (status, problem["code"], problem["field"]) == (422, "pdf-too-large", "file")
    assert elapsed < HANG, elapsed
    assert "SECRET" not in str(problem)


def test_form_drawn_again_and_again_is_refused(client: FlaskClient) -> None:
    pdf = _form_bomb(draws=200)
    assert len(pdf) < 200_000
    status, problem, elapsed = _upload(client, pdf)
    assert (status, problem["code"]) == (422, "pdf-too-large")
    assert elapsed < HANG, elapsed


def test_a_page_drawing_too_many_characters_is_refused(client: FlaskClient) -> None:
    """Within the content budget, a page may still draw 400,000 glyphs: the layout
    reader holds every glyph of a page at once, so such a page is refused."""
    status, problem, elapsed = _upload(client, _form_bomb(draws=2))
    assert (status, problem["code"]) == (422, "pdf-too-large")
    assert "characters" in str(problem["detail"])
    assert elapsed < HANG, elapsed


def test_a_form_drawn_a_few_times_is_read(client: FlaskClient) -> None:
    response = client.post(
        "/v1/analyze",
        data={"file": (io.BytesIO(_form_bomb(draws=2, lines=400)), "forms.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.json


def test_pdf_with_thousands_of_pages_is_refused(client: FlaskClient) -> None:
    pdf = make_pdf(["UNCLASSIFIED", "1. (U) A page."], pages=2500)
    status, problem, elapsed = _upload(client, pdf)
    assert (status, problem["code"]) == (422, "too-many-pages")
    assert "2500 pages" in str(problem["detail"])
    assert elapsed < HANG, elapsed


def test_text_past_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_input, "MAX_TEXT_BYTES", 2_000)
    pdf = make_pdf([f"UNCLASSIFIED line {n} of a long page" for n in range(60)], pages=3)
    with pytest.raises(PdfError) as caught:
        pdf_input.read_pdf(pdf, max_pages=10)
    assert caught.value.code == "pdf-too-large"
