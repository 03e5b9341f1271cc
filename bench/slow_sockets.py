"""Probe latency of ``declass serve`` while slow sockets trickle heads and bodies.

    python bench/slow_sockets.py [--sockets 80] [--probes 40]

Starts the real server on loopback, opens the slow sockets (half of them
never finish their head, half never finish their body), then times probes
(``/healthz`` and a small ``/v1/redact``) one after another, each bounded at
10 s; prints p50/p99/max and how many probes timed out, and how long the
server takes to drop a body that never arrives.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEY = "bench-key"
PROBE_TIMEOUT = 10.0
TEXT = b"SECRET//NOFORN\n(S) A withheld portion.\n(U) A released portion.\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def probe(port: int, path: str, body: bytes | None = None) -> float | None:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=PROBE_TIMEOUT)
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "text/plain"}
    try:
        connection.request("POST" if body else "GET", path, body=body, headers=headers)
        connection.getresponse().read()
    except OSError:
        return None
    finally:
        connection.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=80)
    parser.add_argument("--probes", type=int, default=40)
    args = parser.parse_args()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DECLASS_")}
    env.update(DECLASS_API_KEYS=KEY, DECLASS_LOG_LEVEL="warning")
    command = [sys.executable, "-m", "declass.service.cli.main", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", "2"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
    )
    held: list[socket.socket] = []
    try:
        while probe(port, "/healthz") is None:
            time.sleep(0.2)
        for number in range(args.sockets):
            sock = socket.create_connection(("127.0.0.1", port))
            if number % 2:
                sock.sendall(b"POST /v1/redact HTTP/1.1\r\nHost: a\r\nX-Slow: ")
            else:
                sock.sendall(b"POST /v1/redact HTTP/1.1\r\nHost: a\r\nContent-Length: 9999\r\n\r\n")
            held.append(sock)
        timings: list[float] = []
        timeouts = 0
        for number in range(args.probes):
            took = probe(port, "/v1/redact", TEXT) if number % 2 else probe(port, "/healthz")
            if took is None:
                timeouts += 1
            else:
                timings.append(took)
        timings.sort()
        if timings:
            p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
            print(
                f"{args.sockets} slow sockets, {args.probes} probes: "
                f"p50 {statistics.median(timings) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
                f"max {timings[-1] * 1000:.1f} ms, timed out (>{PROBE_TIMEOUT:.0f} s) {timeouts}"
            )
        else:
            print(f"{args.sockets} slow sockets: every probe timed out")
        started = time.perf_counter()
        held[0].settimeout(200)
        try:
            while held[0].recv(65536):
                pass
        except OSError:
            pass
        print(f"a body that never arrives is dropped after {time.perf_counter() - started:.1f} s")
    finally:
        for sock in held:
            sock.close()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


if __name__ == "__main__":
    main()
