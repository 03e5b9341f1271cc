"""``declass serve`` under hostile clients, on loopback, bounded in time: figures, never asserts.

Run from the repository root::

    .venv/bin/python bench/hostile.py                       # print the figures
    .venv/bin/python bench/hostile.py --label before --write  # ... and add them to RESULTS.md

One server is started (as ``declass serve`` starts it, no keys, loopback) and
taken through, in order:

1. sustained load: ``--clients`` keep-alive clients post a cable for ``--seconds``;
2. a worker killed (SIGKILL) during load: errors, and when the master has replaced it;
3. slow sockets: ``--slow`` connections that trickle headers or a body a byte a
   second, while probes (``/healthz`` and a small redact) measure what everyone
   else sees, and one request whose announced body never comes;
4. the expensive documents: 10 MB of tiny paragraphs as JSON, and 8 MiB of long ones as PDF
   that outlasts the request deadline, with probes alongside: status and time
   of each, and the time to a 503 at the deadline (``DECLASS_REQUEST_DEADLINE``
   from the environment, else 2 s; "n/a" when the service does not answer 503);
5. SIGTERM with a request in flight: when ``/readyz`` turns 503, whether a new
   connection is refused, answered or hung, and when the master exits.

Worker memory (RSS) is sampled every second throughout. The default run takes
about three minutes; the machine's other work skews the figures (the load
average is printed).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.hostile_clients import (
    REDACT,
    Answer,
    Load,
    Memory,
    Probes,
    SlowSockets,
    ask,
    gunicorn_master,
    held_body,
    percentile,
    worker_pids,
)
from bench.load import free_port, start, stop
from bench.run import RESULTS, write_results

ROOT = Path(__file__).resolve().parent.parent
CABLE = ROOT / "tests" / "data" / "paris_2006.txt"
DEADLINE_ENV = "DECLASS_REQUEST_DEADLINE"
DEFAULT_DEADLINE = 2.0
MIB = 1024 * 1024
#: One tiny portion-marked paragraph: the shape that made 10 MB cost 70 s and 4.1 GB.
TINY = b"(C) The talks went on late.\n\n"


#: A long paragraph: documents of these stay under the segment cap and cost time instead.
LONG = b"(C) " + b"The talks on the border went on late into the night again. " * 12 + b"\n\n"


def long_paragraphs(size: int) -> bytes:
    """A SECRET document of ``size`` bytes or a little less, in paragraphs of ~700 bytes."""
    head = b"SECRET//NOFORN\n\n"
    return head + LONG * ((size - len(head)) // len(LONG))


def tiny_paragraphs(size: int) -> bytes:
    """A SECRET document of ``size`` bytes or a little less, all tiny paragraphs."""
    head = b"SECRET//NOFORN\n\n"
    return head + TINY * ((size - len(head)) // len(TINY))


def say(what: str) -> None:
    print(f"[hostile] {what}", file=sys.stderr, flush=True)


def ms(seconds: float) -> str:
    return "n/a" if seconds != seconds else f"{seconds * 1000:,.1f}"


def answers_row(name: str, answers: Sequence[Answer], seconds: float) -> str:
    """| phase | requests | req/s | p50 ms | p99 ms | errors |"""
    good = [a.seconds for a in answers if a.ok]
    errors = sum(1 for a in answers if not a.ok)
    rate = len(good) / seconds if seconds > 0 else 0.0
    p50, p99 = percentile(good, 50), percentile(good, 99)
    return f"| {name} | {len(answers):,} | {rate:,.1f} | {ms(p50)} | {ms(p99)} | {errors:,} |"


def probe_row(name: str, answers: Sequence[Answer]) -> str:
    """| probes | answered | p50 ms | p99 ms | max ms | failed |"""
    good = [a.seconds for a in answers if a.ok]
    failed = len(answers) - len(good)
    worst = max(good, default=float("nan"))
    return (
        f"| {name} | {len(good)}/{len(answers)} | {ms(percentile(good, 50))} |"
        f" {ms(percentile(good, 99))} | {ms(worst)} | {failed} |"
    )


class Run:
    """One server, taken through every phase; the lines of the report."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.cable = CABLE.read_bytes()
        self.port = free_port()
        self.lines: list[str] = []
        self.load_rows: list[str] = []
        self.probe_rows: list[str] = []
        self.process: subprocess.Popen[bytes] | None = None
        self.gunicorn = 0
        self.memory: Memory | None = None
        self.marks: list[tuple[float, str]] = []

    def start(self) -> None:
        command = [sys.executable, "-m", "declass", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port)]
        if self.args.workers:
            command += ["--workers", str(self.args.workers)]
        os.environ[DEADLINE_ENV] = f"{self.args.deadline:g}"
        self.process = start(command, self.port)
        self.gunicorn = gunicorn_master(self.process.pid)
        self.memory = Memory(self.gunicorn)
        self.memory.start()
        self.mark("started")
        ask(self.port, "POST", REDACT + "text", self.cable, timeout=30)  # warm every layer

    def mark(self, phase: str) -> None:
        self.marks.append((time.monotonic(), phase))

    @property
    def master(self) -> int:
        """Gunicorn's master: the child of ``declass serve``'s front, parent of the workers."""
        return self.gunicorn

    def sustained(self) -> None:
        say(f"sustained load, {self.args.seconds} s")
        self.mark("sustained load")
        with Load(self.port, self.cable, self.args.clients) as load:
            time.sleep(self.args.seconds)
        self.load_rows.append(answers_row("sustained load", load.answers, self.args.seconds))

    def worker_killed(self, seconds: float = 10.0) -> None:
        say("a worker killed under load")
        self.mark("worker killed")
        replaced = "not within the phase"
        with Load(self.port, self.cable, self.args.clients) as load:
            time.sleep(2.0)
            # Workers are also recycled under load (max_requests): kill one still alive.
            before = worker_pids(self.master)
            victim = before[0]
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
            killed = time.monotonic()
            end = killed + seconds - 2.0
            while time.monotonic() < end:
                now = worker_pids(self.master)
                if victim not in now and len(now) >= len(before):
                    replaced = f"{time.monotonic() - killed:.1f} s"
                    break
                time.sleep(0.05)
            time.sleep(max(0.0, end - time.monotonic()))
        self.load_rows.append(answers_row("a worker SIGKILLed", load.answers, seconds))
        self.lines.append(f"- worker SIGKILLed under load: replaced by the master after {replaced}")

    def slow_sockets(self, seconds: float = 20.0) -> None:
        say(f"{self.args.slow} slow sockets, {seconds:g} s")
        self.mark("slow sockets")
        held: list[float | None] = []
        body_thread = threading.Thread(
            target=lambda: held.append(held_body(self.port, seconds)), daemon=True
        )
        with (
            SlowSockets(self.port, self.args.slow) as slow,
            Probes(self.port, "GET", "/healthz", None) as health,
            Probes(self.port, "POST", REDACT + "text", self.cable, interval=1.0) as redact,
        ):
            body_thread.start()
            time.sleep(seconds)
            open_at_end = len(slow.sockets)
        body_thread.join(timeout=5)
        self.probe_rows.append(
            probe_row(f"GET /healthz, {self.args.slow} slow sockets", health.answers)
        )
        self.probe_rows.append(
            probe_row(f"POST redact, {self.args.slow} slow sockets", redact.answers)
        )
        self.lines.append(
            f"- {self.args.slow} slow sockets for {seconds:g} s: {slow.refused} refused,"
            f" {slow.closed_by_server} closed by the server, {open_at_end} still open at the end"
        )
        waited = held[0] if held else None
        let_go = f"after {waited:.1f} s" if waited is not None else f"not within {seconds:g} s"
        self.lines.append(f"- a body announced and never sent: the server let go {let_go}")
        self.recover()

    def recover(self, bound: float = 30.0) -> None:
        """Wait until /healthz answers again before the next phase."""
        start = time.monotonic()
        while time.monotonic() - start < bound:
            if ask(self.port, "GET", "/healthz", timeout=5).ok:
                return
            time.sleep(0.2)

    def expensive(self) -> None:
        deadline = self.args.deadline
        bound = deadline + 20.0
        big = tiny_paragraphs(self.args.expensive_mb * MIB - 64 * 1024)
        slow = long_paragraphs(8 * MIB)  # under every cap; more work than the deadline allows
        say(f"expensive documents, up to {bound:g} s")
        self.mark("expensive documents")
        results: dict[str, Answer] = {}

        def post(name: str, body: bytes, fmt: str) -> None:
            results[name] = ask(self.port, "POST", REDACT + fmt, body, timeout=bound)

        jobs = [
            threading.Thread(target=post, args=("big", big, "json"), daemon=True),
            threading.Thread(target=post, args=("slow", slow, "pdf"), daemon=True),
        ]
        with Probes(self.port, "POST", REDACT + "text", self.cable, interval=1.0) as probes:
            for job in jobs:
                job.start()
            for job in jobs:
                job.join(timeout=bound + 5)
        size = f"{len(big) / MIB:.1f} MiB"
        self.probe_rows.append(
            probe_row("POST redact, beside the expensive documents", probes.answers)
        )
        for name, label in (
            ("big", f"{size} of tiny paragraphs, JSON"),
            ("slow", "8 MiB of long paragraphs (under the caps), PDF"),
        ):
            answer = results.get(name)
            self.lines.append(f"- {label}: {describe(answer, bound)}")
        times = [a.seconds for a in results.values() if a.status == 503]
        at = f"{min(times):.1f} s" if times else "n/a (no 503)"
        self.lines.append(f"- time to a 503 at the deadline ({DEADLINE_ENV}={deadline:g}): {at}")

    def sigterm(self) -> None:
        say("SIGTERM with a request in flight")
        self.mark("SIGTERM")
        assert self.process is not None
        inflight: list[Answer] = []
        body = long_paragraphs(4 * MIB)  # over a second of work: still in flight at the SIGTERM
        worker = threading.Thread(
            target=lambda: inflight.append(
                ask(self.port, "POST", REDACT + "text", body, timeout=60)
            ),
            daemon=True,
        )
        worker.start()
        time.sleep(1.0)
        self.process.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        time.sleep(0.3)
        first: dict[str, Answer] = {}

        def contact(path: str) -> None:
            first[path] = ask(self.port, "GET", path, timeout=5)

        contacts = [
            threading.Thread(target=contact, args=(path,), daemon=True)
            for path in ("/readyz", "/healthz")
        ]
        for thread in contacts:
            thread.start()
        for thread in contacts:
            thread.join(timeout=10)
        ready = describe(first.get("/readyz"), 5)
        newcomer = describe(first.get("/healthz"), 5)
        try:
            code = self.process.wait(timeout=45)
            exited = f"after {time.monotonic() - sent:.1f} s, status {code}"
        except subprocess.TimeoutExpired:
            exited = "not within 45 s (killed)"
        worker.join(timeout=60)
        self.lines.append(f"- SIGTERM, then 0.3 s later on new connections: /readyz {ready}")
        self.lines.append(f"- SIGTERM, then 0.3 s later on new connections: /healthz {newcomer}")
        self.lines.append(f"- SIGTERM: the master exited {exited}")
        self.lines.append(
            f"- SIGTERM: the request in flight: {describe(inflight[0] if inflight else None, 60)}"
        )

    def finish(self) -> None:
        if self.memory is not None:
            self.memory.stop()
        if self.process is not None:
            stop(self.process)

    def memory_lines(self) -> list[str]:
        """RSS of all workers over time, every 5 s, with the phase that was running."""
        if self.memory is None or not self.memory.samples:
            return []
        first = self.memory.samples[0][0]
        rows = [
            "| s | phase | workers | all workers MiB | largest worker MiB |",
            "|---:|---|---:|---:|---:|",
        ]
        last = -5.0
        for when, count, total, largest in self.memory.samples:
            if when - first - last < 5.0 or count == 0:
                continue
            last = when - first
            phase = [name for at, name in self.marks if at <= when][-1:] or ["start"]
            rows.append(
                f"| {last:.0f} | {phase[0]} | {count} | {total / MIB:,.0f} | {largest / MIB:,.0f} |"
            )
        peak = max(s[3] for s in self.memory.samples)
        return [*rows, "", f"- largest single worker at any sample: {peak / MIB:,.0f} MiB"]


def describe(answer: Answer | None, bound: float) -> str:
    if answer is None:
        return f"no answer within {bound:g} s"
    if answer.status is None:
        if answer.error in ("TimeoutError", "timeout"):
            return f"hung (no answer within {bound:g} s)"
        return f"{answer.error} after {answer.seconds:.2f} s"
    retry = answer.headers.get("Retry-After")
    extra = f", Retry-After {retry}" if retry else ""
    return f"{answer.status} after {answer.seconds:.2f} s{extra}"


def report(run: Run, command: str, started: float) -> str:
    head = [
        f"- command: `{command}`",
        f"- `declass serve` on 127.0.0.1, no keys; {run.args.clients} load clients,"
        f" POST {CABLE.name} ({len(run.cable):,} bytes) as text, as of 2010-01-01",
        f"- {os.cpu_count()} cores shared with the client; {load_average()};"
        f" run took {time.monotonic() - started:.0f} s",
        "",
        "| phase | requests | req/s | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
        *run.load_rows,
        "",
        "| probes (a new connection each) | answered | p50 ms | p99 ms | max ms | failed |",
        "|---|---:|---:|---:|---:|---:|",
        *run.probe_rows,
        "",
        *run.lines,
        "",
        *run.memory_lines(),
    ]
    return "\n".join(head)


def load_average() -> str:
    if not hasattr(os, "getloadavg"):
        return "load average n/a"
    return f"load average {os.getloadavg()[0]:.2f} at the end"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--seconds", type=int, default=20, help="sustained load (default 20)")
    parser.add_argument("--clients", type=int, default=4, help="load clients (default 4)")
    parser.add_argument("--slow", type=int, default=80, help="slow sockets (default 80)")
    parser.add_argument(
        "--workers", type=int, default=None, help="serve --workers (default: serve's)"
    )
    parser.add_argument(
        "--expensive-mb", type=int, default=10, help="the big document, MiB (default 10)"
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=float(os.environ.get(DEADLINE_ENV) or DEFAULT_DEADLINE),
        help=f"{DEADLINE_ENV} for the server (default: the environment's, else 2)",
    )
    parser.add_argument("--label", default="", help="a word for the section title, e.g. before")
    parser.add_argument("--write", action="store_true", help=f"add the section to {RESULTS}")
    args = parser.parse_args(argv)
    started = time.monotonic()
    command = " ".join(
        [".venv/bin/python bench/hostile.py", *(argv if argv is not None else sys.argv[1:])]
    )
    run = Run(args)
    try:
        run.start()
        run.sustained()
        run.worker_killed()
        run.slow_sockets()
        run.expensive()
        run.sigterm()
    finally:
        run.finish()
    title = " · ".join(
        part
        for part in (
            "## Hostile clients",
            args.label,
            dt.date.today().isoformat(),
            f"Python {platform.python_version()}",
            f"{platform.system()} {platform.machine()}",
            f"{os.cpu_count()} cores",
        )
        if part
    )
    text = report(run, command, started)
    print(f"\n{title}\n\n{text}")
    if args.write:
        done = write_results(RESULTS, title, text)
        print(f"\n[hostile] {done} section in {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
