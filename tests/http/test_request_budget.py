"""What one request may spend: a deadline checked in the pipeline's loops, and caps.

- Past its deadline a request stops wherever it is (parsing, deciding,
  rendering, writing the report) and the answer is a 503 problem with
  ``Retry-After``; nothing of the release is sent.
- Work that grows faster than the body is capped: segments (413), span
  redactions times the text (422) and the report's bytes (413); the problem
  names the limit.
- Outside a request (command line, batch) neither applies.
- Workers are recycled: gunicorn gets ``max_requests`` and its jitter.

No test here times anything: an expired deadline comes from a clock that
says so, or from a deadline shorter than any work.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from declass.rules import deadline, limits
from declass.rules.deadline import DeadlineExceeded
from declass.rules.engine import decide
from declass.rules.limits import LimitExceeded
from declass.rules.parse import normalise, parse_document, read_blocks
from declass.rules.policy import LoadedPolicy, shipped_policies
from declass.service import pipeline
from declass.service.config import load_settings
from declass.service.http.app import create_app
from declass.service.http.server import gunicorn_options
from declass.service.read.pdf import read_pdf
from tests.conftest import http_config
from tests.http.test_http_api import make_pdf
from tests.http.test_http_errors import assert_problem

AS_OF = "2010-01-01"
SECRET_WORD = "Ferrand-Quillet"


def tiny_paragraphs(count: int) -> bytes:
    """The expensive shape: a few bytes of text per segment."""
    return ("UNCLASSIFIED\n\n" + "(U) a\n\n" * count).encode("utf-8")


def ticking(step: float = 1.0) -> Callable[[], float]:
    """A clock that moves ``step`` seconds each time it is read."""
    counter = itertools.count()
    return lambda: next(counter) * step


def expired() -> float:
    """A clock already far past any deadline opened before it was swapped in."""
    return 1e12


@pytest.fixture(scope="module")
def public() -> LoadedPolicy:
    return {loaded.policy.id: loaded for loaded in shipped_policies()}["public"]


# -- the deadline, in the pipeline's own loops ------------------------------------------


def test_check_does_nothing_outside_a_deadline() -> None:
    deadline.check()
    with deadline.within(None):
        deadline.check()


def test_the_line_walk_stops_at_the_deadline() -> None:
    text = normalise(tiny_paragraphs(500))
    with deadline.within(5.0, clock=ticking()), pytest.raises(DeadlineExceeded) as raised:
        parse_document(text)
    assert raised.value.retry_after == 5
    parse_document(text)  # the deadline ended with its block


@pytest.mark.parametrize("width", [80, 5_000])
def test_the_line_walk_checks_before_a_long_line(width: int) -> None:
    """The walk checks every 32nd line, and before any line long enough to cost more."""
    text = "UNCLASSIFIED\n\n(U) a\n" + "x" * width + "\n" + "(U) b\n" * 8
    # the clock reads 0 when the deadline opens, then 1, 2...: the second check is past it
    with deadline.within(1.5, clock=ticking()):
        if width > 1_000:
            with pytest.raises(DeadlineExceeded):
                read_blocks(text)
        else:
            read_blocks(text)  # 13 short lines: one check, at the first


def test_the_decisions_stop_at_the_deadline(public: LoadedPolicy) -> None:
    text = normalise(tiny_paragraphs(500))
    document = parse_document(text)
    with deadline.within(1.0, clock=ticking()), pytest.raises(DeadlineExceeded):
        decide(document, text, public, dt.date(2010, 1, 1))


@pytest.mark.parametrize("fmt", ["text", "json", "pdf"])
def test_every_renderer_stops_at_the_deadline(public: LoadedPolicy, paris: bytes, fmt: Any) -> None:
    text = normalise(paris)
    decided = pipeline.release(text, public, dt.date(2010, 1, 1))
    with deadline.within(1.0, clock=ticking()), pytest.raises(DeadlineExceeded):
        pipeline.render(decided, text, fmt)


def test_the_report_stops_at_the_deadline(public: LoadedPolicy, paris: bytes) -> None:
    text = normalise(paris)
    decided = pipeline.release(text, public, dt.date(2010, 1, 1))
    with deadline.within(1.0, clock=ticking()), pytest.raises(DeadlineExceeded):
        pipeline.analysis(decided, text)


def test_a_pdf_read_stops_at_the_deadline_and_is_not_called_unreadable() -> None:
    pdf = make_pdf(["UNCLASSIFIED", "", "(U) A page of text."], pages=3)
    read_pdf(pdf, max_pages=10)
    with deadline.within(1.0, clock=ticking()), pytest.raises(DeadlineExceeded):
        read_pdf(pdf, max_pages=10)


@pytest.mark.parametrize(
    "path",
    [
        f"/v1/redact?format=text&as_of={AS_OF}",
        f"/v1/redact?format=pdf&as_of={AS_OF}",
        f"/v1/redact?format=json&as_of={AS_OF}",
        f"/v1/analyze?as_of={AS_OF}",
    ],
    ids=["text", "pdf", "json", "analyze"],
)
def test_past_the_deadline_the_answer_is_503_and_nothing_else(paris: bytes, path: str) -> None:
    # A deadline shorter than any work: the first check inside the pipeline is past it.
    client = create_app(http_config(request_deadline=1e-9)).test_client()
    response = client.post(path, data=paris, content_type="text/plain")
    problem = assert_problem(response, 503, "deadline-exceeded")
    assert response.headers["Retry-After"] == "1"
    assert "deadline" in problem["detail"]
    assert SECRET_WORD not in response.get_data(as_text=True)
    assert not any(name.startswith("X-Declass") for name, _ in response.headers)


def test_a_deadline_ends_with_its_request(paris: bytes) -> None:
    client = create_app(http_config(request_deadline=1e-9)).test_client()
    assert client.post("/v1/analyze", data=paris, content_type="text/plain").status_code == 503
    deadline.check()  # this thread is out of the request: nothing is left open
    assert limits.current() == limits.UNLIMITED


def test_the_default_deadline_leaves_ordinary_requests_alone(
    client: FlaskClient, paris: bytes
) -> None:
    assert load_settings({}).request_deadline == 30
    response = client.post(f"/v1/redact?as_of={AS_OF}", data=paris, content_type="text/plain")
    assert response.status_code == 200


# -- caps on work that grows faster than the body ----------------------------------------


def test_too_many_segments_is_413_naming_the_limit() -> None:
    client = create_app(http_config(max_segments=50)).test_client()
    response = client.post("/v1/analyze", data=tiny_paragraphs(100), content_type="text/plain")
    problem = assert_problem(response, 413, "too-many-segments")
    assert problem["limit"] == "max_segments"
    assert "50 segments" in problem["detail"]
    under = client.post("/v1/analyze", data=tiny_paragraphs(40), content_type="text/plain")
    assert under.status_code == 200


def test_span_work_over_the_cap_is_422_naming_the_limit(paris: bytes) -> None:
    text = paris.decode("utf-8")
    client = create_app(http_config(max_span_work=2 * len(text))).test_client()
    redaction = {"phrase": "Paris", "exemption": "(b)(6)"}
    body: dict[str, Any] = {"text": text, "as_of": AS_OF, "redactions": [redaction] * 3}
    response = client.post("/v1/redact", json=body)
    problem = assert_problem(response, 422, "span-work-too-large")
    assert problem["limit"] == "max_span_work"
    assert problem["field"] == "redactions"
    assert (
        client.post("/v1/redact", json={**body, "redactions": [redaction] * 2}).status_code == 200
    )


@pytest.mark.parametrize("path", ["/v1/analyze", "/v1/redact?format=json"])
def test_a_report_over_the_cap_is_413_naming_the_limit(paris: bytes, path: str) -> None:
    client = create_app(http_config(max_report_bytes=2048)).test_client()
    response = client.post(path, data=paris, content_type="text/plain")
    problem = assert_problem(response, 413, "report-too-large")
    assert problem["limit"] == "max_report_bytes"
    assert SECRET_WORD not in response.get_data(as_text=True)


def test_the_command_line_and_batch_are_not_capped(public: LoadedPolicy) -> None:
    assert limits.current() == limits.UNLIMITED
    outcome = pipeline.run(tiny_paragraphs(60), public, dt.date(2010, 1, 1), fmt="json")
    assert len(outcome.release.decisions) > 60
    with limits.within(limits.Limits(max_segments=50)), pytest.raises(LimitExceeded):
        pipeline.run(tiny_paragraphs(60), public, dt.date(2010, 1, 1), fmt="json")


def test_caps_are_settings() -> None:
    settings = load_settings(
        {
            "DECLASS_REQUEST_DEADLINE": "12.5",
            "DECLASS_MAX_SEGMENTS": "100",
            "DECLASS_MAX_SPAN_WORK": "1000",
            "DECLASS_MAX_REPORT_BYTES": "4096",
        }
    )
    assert settings.request_deadline == 12.5
    assert settings.limits == limits.Limits(
        max_segments=100, max_span_work=1000, max_report_bytes=4096
    )


# -- recycled workers -----------------------------------------------------------------


def test_workers_are_recycled_with_jitter() -> None:
    options = gunicorn_options(load_settings({}))
    assert options["max_requests"] > 0
    assert options["max_requests_jitter"] > 0
    tuned = load_settings({"DECLASS_MAX_REQUESTS": "50", "DECLASS_MAX_REQUESTS_JITTER": "5"})
    assert gunicorn_options(tuned)["max_requests"] == 50
    assert gunicorn_options(tuned)["max_requests_jitter"] == 5


def test_a_deadline_reportlab_reraises_keeps_its_fixed_message() -> None:
    """reportlab re-raises what a page callback raises as ``type(exc)(annotated text)``,
    text that may describe a flowable: the error keeps its own words and seconds."""
    with deadline.within(3.0):
        again = DeadlineExceeded("Velmorian plan flowable annotation")
    assert again.seconds == 3.0
    assert "Velmorian" not in again.message


def test_a_deadline_on_a_pdf_page_is_a_deadline_not_a_500(
    public: LoadedPolicy, paris: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF checks the deadline once a page, inside reportlab's build."""
    from types import SimpleNamespace

    from declass.service.render import pdf as pdf_module

    def past_it() -> None:
        raise DeadlineExceeded(5.0)

    stub = SimpleNamespace(check=past_it, each=deadline.each)
    monkeypatch.setattr(pdf_module, "deadline", stub)
    text = normalise(paris)
    decided = pipeline.release(text, public, dt.date(2010, 1, 1))
    with deadline.within(5.0), pytest.raises(DeadlineExceeded) as raised:
        pipeline.render(decided, text, "pdf")
    assert raised.value.seconds == 5.0
