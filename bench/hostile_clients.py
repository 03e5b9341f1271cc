"""The clients of bench/hostile.py: steady load, probes, slow sockets, worker memory.

Plain sockets and http.client on loopback, in threads: no load tool to
install, so the figures are a floor set by this client on the same cores.
"""

from __future__ import annotations

import http.client
import math
import re
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REDACT = "/v1/redact?as_of=2010-01-01&format="


@dataclass(frozen=True)
class Answer:
    """One request: when it ended (monotonic), how long it took, and its status or error."""

    ended: float
    seconds: float
    status: int | None  # None: no HTTP answer
    error: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def ask(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    timeout: float = 10.0,
    connection: http.client.HTTPConnection | None = None,
) -> Answer:
    """One request on a fresh connection (or the one given); errors are answers too."""
    own = connection is None
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "text/plain; charset=utf-8"} if body is not None else {}
    start = time.monotonic()
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        end = time.monotonic()
        return Answer(end, end - start, response.status, headers=dict(response.getheaders()))
    except (OSError, http.client.HTTPException) as error:
        conn.close()
        end = time.monotonic()
        return Answer(end, end - start, None, type(error).__name__)
    finally:
        if own:
            conn.close()


class Load:
    """``clients`` threads posting ``body`` back to back on keep-alive connections."""

    def __init__(self, port: int, body: bytes, clients: int, fmt: str = "text") -> None:
        self.port, self.body, self.path = port, body, REDACT + fmt
        self.answers: list[Answer] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, daemon=True) for _ in range(clients)]

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _client(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while not self._stop.is_set():
            answer = ask(self.port, "POST", self.path, self.body, connection=conn)
            self.answers.append(answer)
            if answer.status is None:
                time.sleep(0.05)  # refused or reset: do not spin
        conn.close()


class Probes:
    """A request every ``interval`` seconds, each on a new connection, until stopped."""

    def __init__(
        self, port: int, method: str, path: str, body: bytes | None, interval: float = 0.5
    ) -> None:
        self.args = (port, method, path, body)
        self.interval = interval
        self.answers: list[Answer] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Probes:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            thread = threading.Thread(target=self._one, daemon=True)  # a hung probe does
            thread.start()  # not delay the next one
            self._threads.append(thread)

    def _one(self) -> None:
        self.answers.append(ask(*self.args, timeout=10.0))


class SlowSockets:
    """Connections that send a byte a second: half never finish their headers, half
    send headers and then trickle a body that is never complete."""

    def __init__(self, port: int, count: int) -> None:
        self.port, self.count = port, count
        self.sockets: list[socket.socket] = []
        self.refused = 0
        self.closed_by_server = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._trickle, daemon=True)

    def __enter__(self) -> SlowSockets:
        for n in range(self.count):
            try:
                sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
            except OSError:
                self.refused += 1
                continue
            head = f"POST {REDACT}text HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            if n % 2:
                head += "Content-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"
            else:
                head += "X-Slow: "
            try:
                sock.sendall(head.encode("ascii"))
            except OSError:
                self.closed_by_server += 1
                sock.close()
                continue
            self.sockets.append(sock)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        for sock in self.sockets:
            sock.close()

    def _trickle(self) -> None:
        while not self._stop.wait(1.0):
            for sock in list(self.sockets):
                try:
                    sock.sendall(b"a")
                except OSError:
                    self.closed_by_server += 1
                    self.sockets.remove(sock)
                    sock.close()


def held_body(port: int, bound: float) -> float | None:
    """Send headers that announce a body and never send it: seconds until the server
    lets go of the connection, or None if it still holds it after ``bound`` seconds."""
    head = (
        f"POST {REDACT}text HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: text/plain\r\nContent-Length: 1000\r\n\r\n"
    )
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=bound) as sock:
        sock.sendall(head.encode("ascii"))
        try:
            while sock.recv(4096):
                pass  # an error answer, then the close
        except TimeoutError:
            return None
        except OSError:
            pass  # reset: let go as well
    return time.monotonic() - start


class Memory:
    """The worker processes' resident memory, sampled every ``interval`` seconds."""

    def __init__(self, master: int, interval: float = 1.0) -> None:
        self.master, self.interval = master, interval
        self.samples: list[tuple[float, int, int, int]] = []  # when, workers, total, largest
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            sizes = worker_rss(self.master)
            self.samples.append((time.monotonic(), len(sizes), sum(sizes), max(sizes, default=0)))
            if self._stop.wait(self.interval):
                return


def worker_pids(master: int) -> list[int]:
    """The master's child processes, from /proc (Linux)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == master and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return sorted(pids)


def gunicorn_master(front: int, seconds: float = 10.0) -> int:
    """``declass serve`` is a front process whose one child is gunicorn's master."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        children = worker_pids(front)
        if children:
            return children[0]
        time.sleep(0.05)
    raise RuntimeError("declass serve started no gunicorn master")


def worker_rss(master: int) -> list[int]:
    """Each worker's resident memory in bytes."""
    sizes = []
    for pid in worker_pids(master):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        if match:
            sizes.append(int(match.group(1)) * 1024)
    return sizes


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]
