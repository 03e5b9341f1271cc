"""``declass serve`` itself: the deadline holds under gunicorn's threaded workers, and
workers are recycled after ``DECLASS_MAX_REQUESTS`` requests."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import API_KEY
from tests.http.test_http_server import request, running, wait_healthy


def test_real_server_answers_503_past_the_deadline_and_recycles_workers(
    paris: bytes, tmp_path: Path
) -> None:
    limits = {
        "DECLASS_REQUEST_DEADLINE": "0.000001",  # shorter than any work
        "DECLASS_MAX_REQUESTS": "3",
        "DECLASS_MAX_REQUESTS_JITTER": "0",
    }
    with running(tmp_path, workers=1, **limits) as server:
        auth = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "text/plain"}
        status, headers, body = request(
            server.port, "POST", "/v1/redact?as_of=2010-01-01", paris, auth
        )
        assert status == 503
        assert headers["Retry-After"] == "1"
        assert json.loads(body)["code"] == "deadline-exceeded"
        assert b"Ferrand" not in body
        for _ in range(6):  # past max_requests: the worker is replaced, the service answers
            wait_healthy(server.process, server.port)
    logged = server.log.read_text()
    assert "Autorestarting worker" in logged
