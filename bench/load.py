"""HTTP under load: ``declass serve`` and the echo floor on 127.0.0.1, driven by wrk.

Each server is started here on a free loopback port (no API keys: loopback
only), waited for, loaded by ``wrk --latency`` for a bounded time with a POST
body from a Lua script, and stopped by its process id. Reported per run:
requests/s, p50/p99 latency, errors (non-2xx responses and socket errors;
they must be zero), and the RSS of the worker processes before and after.
Without wrk on the PATH (Debian: ``apt-get install wrk``) every row says
SKIPPED. wrk runs on the same cores as the server: the figures are a floor
for the service, not a ceiling.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = """wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain; charset=utf-8"
local f = assert(io.open("{path}", "rb"))
wrk.body = f:read("*a")
f:close()
"""


@dataclass(frozen=True)
class LoadResult:
    name: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    rss_start: int  # bytes, all workers
    rss_end: int
    workers: int


def wrk_path() -> str | None:
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(command: list[str], port: int) -> subprocess.Popen[bytes]:
    """Start a server and wait until it answers (or fail after 30 s)."""
    env = {**os.environ, "DECLASS_API_KEYS": ""}  # loopback only; logs as `declass serve` does
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                time.sleep(1.0)  # let every worker finish booting
                return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"server {command} did not start on port {port}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the master (a graceful stop), then SIGKILL if it lingers."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def workers_rss(front: int) -> tuple[int, int]:
    """(number of worker processes, their summed RSS in bytes), from /proc.

    The server is the front; its child is gunicorn's master, whose children are the workers.
    """
    masters = _children(front)
    workers = [pid for master in masters for pid in _children(master)]
    total = 0
    for pid in workers:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        if match:
            total += int(match.group(1)) * 1024
    return len(workers), total


def _children(parent: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent:
            children.append(int(stat.parent.name))
    return children


def run_wrk(url: str, body: Path, seconds: int, connections: int) -> dict[str, float]:
    """wrk's figures: requests/s, p50/p99 (ms), requests, errors."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.format(path=str(body).replace("\\", "\\\\").replace('"', '\\"')))
    try:
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
        out = subprocess.run(
            [*command, "-s", script.name, url],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    return parse_wrk(out)


def parse_wrk(out: str) -> dict[str, float]:
    def latency(pct: str) -> float:
        match = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s)\b", out, re.M)
        if not match:
            return float("nan")
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
        return float(match.group(1)) * scale

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(non2xx.group(1)) if non2xx else 0
    errors += sum(int(g) for g in sockets.groups()) if sockets else 0
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": latency("50"),
        "p99": latency("99"),
        "requests": float(total.group(1)) if total else 0.0,
        "errors": float(errors),
    }


def load_one(
    name: str,
    command: list[str],
    port: int,
    path: str,
    body: Path,
    seconds: int,
    connections: int | None = None,
) -> LoadResult:
    """Start a server, warm it up, load it, measure its workers, stop it.

    ``connections`` defaults to workers x threads: every thread busy, the saturation point.
    """
    process = start(command, port)
    try:
        url = f"http://127.0.0.1:{port}{path}"
        _post(url, body)  # one request through every layer before the clock starts
        workers, rss_start = workers_rss(process.pid)
        if connections is None:
            connections = max(2, workers * int(os.environ.get("DECLASS_THREADS", "2")))
        figures = run_wrk(url, body, seconds, connections)
        _, rss_end = workers_rss(process.pid)
    finally:
        stop(process)
    return LoadResult(
        name,
        figures["rps"],
        figures["p50"],
        figures["p99"],
        int(figures["requests"]),
        int(figures["errors"]),
        rss_start,
        rss_end,
        workers,
    )


def _post(url: str, body: Path) -> None:
    request = urllib.request.Request(
        url, data=body.read_bytes(), headers={"Content-Type": "text/plain"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def load_all(body: Path, as_of: str, seconds: int) -> list[LoadResult]:
    """The echo floor, declass text and declass PDF: one fresh server each."""
    python = sys.executable
    declass = [python, "-m", "declass", "serve", "--host", "127.0.0.1", "--port"]
    echo = [python, "-m", "bench.echo_server", "--host", "127.0.0.1", "--port"]
    query = f"/v1/redact?as_of={as_of}&format="
    runs: list[tuple[str, list[str], str, int | None]] = [
        ("echo floor (POST /echo)", echo, "/echo", None),
        ("declass text", declass, query + "text", None),
        ("declass PDF", declass, query + "pdf", None),
        ("declass text, 2 connections", declass, query + "text", 2),
    ]
    results = []
    for name, command, path, connections in runs:
        port = free_port()
        argv = [*command, str(port)]
        results.append(load_one(name, argv, port, path, body, seconds, connections))
    return results
