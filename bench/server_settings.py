"""Gunicorn settings for a CPU-bound pipeline: worker and thread counts under wrk.

Run from the repository root (wrk on the PATH; Debian: ``apt-get install wrk``)::

    .venv/bin/python bench/server_settings.py --seconds 10 --rounds 2

For each setting (``DECLASS_WORKERS`` x ``DECLASS_THREADS``) it starts the echo
floor (bench/echo_server.py) and ``declass serve``, both behind the same front
and with the same gunicorn settings, and loads each with wrk at 2 and at 10
connections: requests/s, p50 and p99. The pipeline holds the GIL, so a second
thread in a worker only queues behind the first; with the front keeping idle
sockets cheap, one request at a time per worker and one worker per core is the
candidate. Settings run in turn within each round, so that a change in the
machine's load falls on both. wrk runs on the same cores as the server.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load
from bench.run import DEFAULT_CORPUS

AS_OF = "2010-01-01"
BODY = "09MEXICO3573.txt"
CONNECTIONS = (2, 10)


def settings_to_try() -> list[tuple[str, dict[str, str]]]:
    """Today's default, one worker per core, and one more worker than cores (all one thread)."""
    cores = len(os.sched_getaffinity(0))
    shapes = [(2 * cores + 1, 2), (cores, 1), (cores + 1, 1)]
    return [
        (
            f"{workers} workers x {threads} thread{'s' if threads > 1 else ''}",
            {"DECLASS_WORKERS": str(workers), "DECLASS_THREADS": str(threads)},
        )
        for workers, threads in shapes
    ]


def measure(
    body: Path, seconds: int, environ: dict[str, str]
) -> list[tuple[str, int, dict[str, float]]]:
    """(server, connections, wrk figures) for the echo floor and the text release."""
    python = sys.executable
    servers = [
        (
            "echo floor",
            [python, "-m", "bench.echo_server", "--host", "127.0.0.1", "--port"],
            "/echo",
        ),
        (
            "declass text",
            [python, "-m", "declass", "serve", "--host", "127.0.0.1", "--port"],
            f"/v1/redact?as_of={AS_OF}&format=text",
        ),
    ]
    rows = []
    saved = {name: os.environ.get(name) for name in environ}
    os.environ.update(environ)  # load.start passes this process's environment on
    try:
        for name, command, path in servers:
            port = load.free_port()
            process = load.start([*command, str(port)], port)
            try:
                url = f"http://127.0.0.1:{port}{path}"
                load._post(url, body)  # one request through every layer first
                for connections in CONNECTIONS:
                    rows.append((name, connections, load.run_wrk(url, body, seconds, connections)))
            finally:
                load.stop(process)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    if load.wrk_path() is None:
        print("SKIPPED: wrk not on PATH (apt-get install wrk)")
        return 0
    body = args.corpus / BODY
    if not body.is_file():
        body = Path(__file__).resolve().parent.parent / "tests" / "data" / "paris_2006.txt"
    print(
        f"wrk -t2 --latency, {args.seconds} s per row, POST {body.name} "
        f"({body.stat().st_size:,} bytes) as text, as of {AS_OF}; "
        "echo floor and declass behind the same front and gunicorn settings"
    )
    print()
    print("| round | setting | server | connections | requests/s | p50 ms | p99 ms | errors |")
    print("|---:|---|---|---:|---:|---:|---:|---:|")
    for round_ in range(1, args.rounds + 1):
        for label, environ in settings_to_try():
            for server, connections, fig in measure(body, args.seconds, environ):
                print(
                    f"| {round_} | {label} | {server} | {connections} | {fig['rps']:,.0f} "
                    f"| {fig['p50']:.1f} | {fig['p99']:.1f} | {fig['errors']:.0f} |",
                    flush=True,
                )
    print()
    print(f"- load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
