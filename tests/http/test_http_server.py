"""``declass serve``: the real gunicorn server, graceful SIGTERM, and the no-keys rule."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from declass.service.cli.main import main
from declass.service.config import Settings, is_loopback, load_settings
from declass.service.http.server import gunicorn_options
from tests.conftest import API_KEY, ROOT

STARTUP_SECONDS = 30
SHUTDOWN_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wait_healthy(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited during start-up"
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail("the server did not become healthy in time")


class Server:
    """A running ``declass serve``: its process, port and log; ``code`` once stopped."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process = process
        self.port = port
        self.log = log
        self.code: int | None = None

    def lines(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]


@contextlib.contextmanager
def running(tmp_path: Path, *, workers: int = 2, **env_extra: str) -> Iterator[Server]:
    """``declass serve`` with a key on a free loopback port, its output in ``server.log``;
    stopped with SIGTERM at the end, its exit status then in ``Server.code``."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DECLASS_", "PROMETHEUS_"))}
    env["DECLASS_API_KEYS"] = API_KEY
    env.update(env_extra)
    command = [sys.executable, "-m", "declass", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers)]
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        server = Server(process, port, log)
        try:
            wait_healthy(process, port)
            yield server
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            try:
                server.code = process.wait(timeout=SHUTDOWN_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                server.code = process.wait()


def test_real_server_serves_and_stops_on_sigterm(paris: bytes, tmp_path: Path) -> None:
    with running(tmp_path) as server:
        port = server.port
        auth = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "text/plain"}
        status, headers, body = request(port, "POST", "/v1/redact?as_of=2010-01-01", paris, auth)
        assert status == 200
        assert headers["X-Declass-Withheld"] != "0"
        assert b"Ferrand-Quillet" not in body
        assert request(port, "POST", "/v1/redact", paris, {"Content-Type": "text/plain"})[0] == 401
        assert request(port, "GET", "/metrics")[0] == 401  # the counts take the key
        metrics = request(port, "GET", "/metrics", headers=auth)[2].decode()
        assert 'route="/v1/redact",status="200"} 1.0' in metrics
    assert server.code == 0
    lines = server.lines()
    assert any(line["event"] == "request" and line["status"] == 200 for line in lines)
    assert not any("Ferrand" in json.dumps(line) for line in lines)


def test_serve_refuses_a_public_host_without_keys(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DECLASS_API_KEYS", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("declass: error: refusing to serve on 0.0.0.0 without API keys")


def test_serve_reports_a_bad_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DECLASS_WORKERS", "many")
    assert main(["serve"]) == 2
    assert capsys.readouterr().err.startswith("declass: error: DECLASS_WORKERS:")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.5", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_settings_defaults() -> None:
    settings = load_settings({})
    assert settings.host == "127.0.0.1"
    assert settings.port == 8080
    assert settings.default_policy == "public"
    assert settings.max_body_bytes == 10 * 1024 * 1024
    assert settings.workers == 2 * len(os.sched_getaffinity(0)) + 1
    assert settings.log_level == "info"
    assert not settings.has_keys


def test_settings_from_environment_and_overrides() -> None:
    environ = {"DECLASS_PORT": "9000", "DECLASS_LOG_LEVEL": "WARNING", "DECLASS_WORKERS": "3"}
    settings = load_settings(environ, workers=7, host=None)
    assert (settings.port, settings.log_level, settings.workers) == (9000, "warning", 7)


def test_gunicorn_options() -> None:
    settings = Settings(host="::1", port=8081, workers=3, graceful_timeout=9)
    options = gunicorn_options(settings)
    assert options["bind"] == ["[::1]:8081"]
    assert options["workers"] == 3
    assert options["graceful_timeout"] == 9
    assert options["accesslog"] is None
