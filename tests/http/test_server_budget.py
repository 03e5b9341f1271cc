"""``declass serve`` itself: the deadline holds under gunicorn's threaded workers, and
workers are recycled after ``DECLASS_MAX_REQUESTS`` requests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import API_KEY, ROOT
from tests.http.test_http_server import SHUTDOWN_SECONDS, free_port, request, wait_healthy


def test_real_server_answers_503_past_the_deadline_and_recycles_workers(
    paris: bytes, tmp_path: Path
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DECLASS_", "PROMETHEUS_"))}
    env.update(
        DECLASS_API_KEYS=API_KEY,
        DECLASS_REQUEST_DEADLINE="0.000001",  # shorter than any work
        DECLASS_MAX_REQUESTS="3",
        DECLASS_MAX_REQUESTS_JITTER="0",
    )
    command = [sys.executable, "-m", "declass.service.cli.main", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "1"]
    stderr = (tmp_path / "stderr").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=stderr, stderr=stderr)
    try:
        wait_healthy(process, port)
        auth = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "text/plain"}
        status, headers, body = request(port, "POST", "/v1/redact?as_of=2010-01-01", paris, auth)
        assert status == 503
        assert headers["Retry-After"] == "1"
        assert json.loads(body)["code"] == "deadline-exceeded"
        assert b"Ferrand" not in body
        for _ in range(6):  # past max_requests: the worker is replaced, the service answers
            wait_healthy(process, port)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=SHUTDOWN_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        stderr.close()
    logged = (tmp_path / "stderr").read_text()
    assert "Autorestarting worker" in logged
