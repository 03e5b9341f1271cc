"""``declass serve`` under hostile clients: slow sockets, SIGTERM, framing errors.

Each test starts the real server (the front, gunicorn and its workers) on loopback.
Time bounds here only detect a hang (a probe must answer within seconds while
dozens of slow sockets are open); speed is measured in bench/.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import signal
import socket
import time
from pathlib import Path

import pytest

from tests.conftest import API_KEY
from tests.http.test_http_server import request, running

SLOW_SOCKETS = 80
#: Generous: a probe that takes this long is stuck behind the slow sockets.
PROBE_SECONDS = 5
MARKER = "Quillborrow"


def slow_socket(port: int, head: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=PROBE_SECONDS)
    sock.sendall(head)
    return sock


def raw_exchange(port: int, data: bytes) -> bytes:
    """Send raw bytes and read until the server closes (or the probe bound passes)."""
    with socket.create_connection(("127.0.0.1", port), timeout=PROBE_SECONDS) as sock:
        sock.sendall(data)
        received = b""
        with contextlib.suppress(TimeoutError, ConnectionResetError):
            while chunk := sock.recv(65536):
                received += chunk
        return received


def test_probes_stay_fast_while_slow_sockets_trickle(tmp_path: Path, paris: bytes) -> None:
    with running(tmp_path) as server:
        held: list[socket.socket] = []
        try:
            for number in range(SLOW_SOCKETS):
                if number % 2:  # headers that never end
                    head = b"POST /v1/redact HTTP/1.1\r\nHost: a\r\nX-Slow: "
                else:  # a body that never arrives
                    head = (
                        b"POST /v1/redact HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\n"
                        b"Content-Length: 100000\r\n\r\nPARIS"
                    )
                held.append(slow_socket(server.port, head))
            auth = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "text/plain"}
            for _ in range(6):
                assert request(server.port, "GET", "/healthz")[0] == 200
                assert request(server.port, "GET", "/readyz")[0] == 200
                status, _headers, body = request(
                    server.port, "POST", "/v1/redact?as_of=2010-01-01", paris, auth
                )
                assert status == 200
                assert b"Ferrand-Quillet" not in body
        finally:
            for sock in held:
                sock.close()


def test_a_body_that_never_arrives_is_dropped(tmp_path: Path) -> None:
    with running(tmp_path, DECLASS_BODY_TIMEOUT="2", DECLASS_HEADER_TIMEOUT="2") as server:
        for head in (
            b"POST /v1/redact HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\nsome",
            b"POST /v1/redact HTTP/1.1\r\nHost: a\r\nX-Slow: ",
        ):
            started = time.monotonic()
            answer = raw_exchange(server.port, head)
            # Dropped by the server (a 408 and a close), not by this client's own timeout.
            assert time.monotonic() - started < PROBE_SECONDS
            assert answer.startswith(b"HTTP/1.1 408 ")
            assert b"application/problem+json" in answer


def test_sigterm_refuses_new_connections_and_readyz_turns_503(tmp_path: Path) -> None:
    with running(tmp_path) as server:
        port = server.port
        kept = http.client.HTTPConnection("127.0.0.1", port, timeout=PROBE_SECONDS)
        kept.request("GET", "/healthz")
        assert kept.getresponse().read() and True
        # An upload in flight keeps the server draining while the checks below run.
        upload = slow_socket(
            port,
            b"POST /v1/redact HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\n"
            b"Authorization: Bearer " + API_KEY.encode() + b"\r\nContent-Length: 10\r\n\r\n12345",
        )
        server.process.send_signal(signal.SIGTERM)
        refused = False
        for _ in range(50):
            try:
                request(port, "GET", "/healthz")
            except ConnectionRefusedError:
                refused = True
                break
            except (ConnectionResetError, http.client.RemoteDisconnected):
                pass  # queued before the listener closed: dropped, not parked
            time.sleep(0.1)
        assert refused, "new connections are still accepted after SIGTERM"
        kept.request("GET", "/readyz")
        response = kept.getresponse()
        assert response.status == 503
        assert response.getheader("Content-Type") == "application/problem+json"
        response.read()
        kept.close()
        assert server.process.poll() is None, "the in-flight upload was not waited for"
        upload.sendall(b"67890")
        answer = upload.recv(65536)
        upload.close()
        assert answer.startswith(b"HTTP/1.1 200 ")
        assert server.process.wait(timeout=40) == 0


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (f"GET /healthz HTTP/1.1\r\nHost: a\r\nBad {MARKER}: x\r\n\r\n".encode(), 400),
        (f"GET /{MARKER} HTTP/1.1 extra\r\nHost: a\r\n\r\n".encode(), 400),
        (f"GET /{MARKER}{'x' * 9000} HTTP/1.1\r\nHost: a\r\n\r\n".encode(), 414),
        (f"GET / HTTP/1.1\r\nHost: a\r\nX-A: {MARKER}{'x' * 70000}\r\n\r\n".encode(), 431),
    ],
    ids=["bad-header", "bad-request-line", "long-uri", "huge-header"],
)
def test_framing_errors_are_problems_without_request_content(
    tmp_path: Path, data: bytes, status: int
) -> None:
    with running(tmp_path) as server:
        answer = raw_exchange(server.port, data)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(f"HTTP/1.1 {status} ".encode())
    assert b"content-type: application/problem+json" in head.lower()
    assert b"x-content-type-options: nosniff" in head.lower()
    problem = json.loads(body)
    assert problem["status"] == status
    assert MARKER.encode() not in answer
    assert MARKER not in server.log.read_text()


def test_a_client_cannot_name_its_own_address(tmp_path: Path, paris: bytes) -> None:
    """Without keys only loopback is served: the address gunicorn sees is the front's word."""
    with running(tmp_path, DECLASS_API_KEYS="") as server:
        spoofed = {"Content-Type": "text/plain", "X-Declass-Client": "10.9.9.9"}
        status, _headers, body = request(server.port, "POST", "/v1/redact", paris, spoofed)
    assert status == 200, body


def test_the_front_answers_without_waiting_for_delayed_acks() -> None:
    """Head and body go out in two writes: without TCP_NODELAY every request after the
    first on a kept-alive connection waited 40 ms for the client's delayed ACK."""
    from declass.service.http.front import _no_delay

    class Writer:
        def __init__(self, sock: socket.socket) -> None:
            self.sock = sock

        def get_extra_info(self, name: str) -> object:
            return self.sock if name == "socket" else None

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        _no_delay(Writer(sock))  # type: ignore[arg-type]
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
