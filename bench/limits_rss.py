"""Memory and time of one worker at the request limits, and time to the deadline.

Each case runs in a fresh Python process (so its peak RSS is its own) that
builds the application from the factory with the default settings and posts
one document through Flask's test client, as a gunicorn worker would handle
it. Cases:

- ``segments-at-cap``: tiny paragraphs (``(U) a``), as many as
  ``DECLASS_MAX_SEGMENTS`` allows, in each output format: the most a document
  can cost in segments, decisions and report.
- ``prose-at-body-limit``: paragraphs of about 700 characters filling
  ``DECLASS_MAX_BODY_BYTES`` (about 15,000 segments, under the cap).
- ``tiny-at-body-limit``: a body-limit document of tiny paragraphs (the
  hostile one, 1.4 million segments): refused by the segment cap.
- ``deadline``: the same hostile document with the caps opened, so that only
  the deadline (2 s here) stops it: the time from the request to its 503.

Run: ``.venv/bin/python bench/limits_rss.py`` (about a minute on two cores).
Reported per case: the HTTP status, seconds, the peak RSS of the process
(the application loaded, about 100 MB, included) and the response's bytes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import json, resource, sys, time
from declass.service.http.app import create_app
from declass.service.config import Settings

case, fmt, overrides = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
settings = Settings(api_keys=(), workers=1, **overrides)
client = create_app(settings).test_client()
client.get("/readyz")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if case == "prose":
    sentence = "The delegation met the minister to discuss the harbour works and the budget. "
    unit = "(U) " + sentence * 9 + "\n\n"  # a paragraph of about 700 characters
    data = ("UNCLASSIFIED\n\n" + unit * (settings.max_body_bytes // len(unit) - 1)).encode()
elif case == "tiny-cap":
    data = ("UNCLASSIFIED\n\n" + "(U) a\n\n" * (settings.max_segments - 2)).encode()
else:
    data = ("UNCLASSIFIED\n\n" + "(U) a\n\n" * ((settings.max_body_bytes - 20) // 7)).encode()
started = time.perf_counter()
path = "/v1/analyze" if fmt == "analyze" else f"/v1/redact?as_of=2010-01-01&format={fmt}"
response = client.post(path, data=data, content_type="text/plain")
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"status": response.status_code, "seconds": round(seconds, 2),
                  "rss_mb": round(peak / 1024), "app_mb": round(base / 1024),
                  "body_bytes": len(data), "response_bytes": len(response.data),
                  "code": (response.get_json(silent=True) or {}).get("code")}))
"""

UNCAPPED: dict[str, object] = {
    "max_segments": 10**9,
    "max_report_bytes": 2**40,
    "request_deadline": 2.0,
}
CASES: list[tuple[str, str, str, dict[str, object]]] = [
    ("segments-at-cap", "tiny-cap", "text", {}),
    ("segments-at-cap", "tiny-cap", "json", {}),
    ("segments-at-cap", "tiny-cap", "analyze", {}),
    ("segments-at-cap", "tiny-cap", "pdf", {}),
    ("prose-at-body-limit", "prose", "text", {}),
    ("prose-at-body-limit", "prose", "json", {}),
    ("prose-at-body-limit", "prose", "pdf", {}),
    ("tiny-at-body-limit", "tiny", "json", {}),
    ("deadline (2 s)", "tiny", "json", UNCAPPED),
]


def run_case(case: str, fmt: str, overrides: dict[str, object]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, case, fmt, json.dumps(overrides)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    print("| case | format | status | seconds | peak RSS MB (app alone) | body | response |")
    print("|---|---|---|---|---|---|---|")
    for name, case, fmt, overrides in CASES:
        r = run_case(case, fmt, overrides)
        status = f"{r['status']} {r['code'] or ''}".strip()
        print(
            f"| {name} | {fmt} | {status} | {r['seconds']} | {r['rss_mb']} ({r['app_mb']}) "
            f"| {r['body_bytes']:,} | {r['response_bytes']:,} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
