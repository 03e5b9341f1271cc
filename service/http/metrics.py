"""Prometheus metrics: requests, latency, documents and decisions — never document text.

Labels come from closed sets only (route rules, methods, status codes,
formats, actions), so neither a client's path nor a document can reach the
exposition. Each application has its own :class:`CollectorRegistry`, so test
apps do not share counters. Under gunicorn the workers are separate
processes: ``declass serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` before the
workers start, the metrics are then kept in files there, and a scrape of any
worker aggregates them with a :class:`MultiProcessCollector`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from declass.rules.release import ReleaseSummary

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


@dataclass(frozen=True)
class Metrics:
    registry: CollectorRegistry | None
    requests: Counter
    latency: Histogram
    documents: Counter
    segments: Counter

    def exposition(self) -> bytes:
        if self.registry is not None:
            return generate_latest(self.registry)
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)


def is_multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


def build_metrics() -> Metrics:
    """In multiprocess mode the metrics are registered nowhere: the files are the registry."""
    registry = None if is_multiprocess() else CollectorRegistry()
    return Metrics(
        registry=registry,
        requests=Counter(
            "declass_http_requests",
            "HTTP requests by route, method and status.",
            ["route", "method", "status"],
            registry=registry,
        ),
        latency=Histogram(
            "declass_http_request_duration_seconds",
            "Time to answer a request, by route.",
            ["route"],
            buckets=BUCKETS,
            registry=registry,
        ),
        documents=Counter(
            "declass_documents",
            "Documents processed, by operation and output format.",
            ["operation", "format"],
            registry=registry,
        ),
        segments=Counter(
            "declass_segments",
            "Segments decided, by action (release, withhold, review).",
            ["action"],
            registry=registry,
        ),
    )


def _metrics() -> Metrics:
    metrics: Metrics = current_app.extensions["declass.metrics"]
    return metrics


def count_document(operation: str, fmt: str, summary: ReleaseSummary) -> None:
    """Count a processed document and its decisions, from the release's typed summary."""
    metrics = _metrics()
    metrics.documents.labels(operation, fmt).inc()
    counts = (("release", summary.released), ("withhold", summary.withheld))
    for action, count in (*counts, ("review", summary.review)):
        metrics.segments.labels(action).inc(count)


def _observe(response: Response) -> Response:
    route = request.url_rule.rule if request.url_rule else "unmatched"
    metrics = _metrics()
    method = request.method if request.method in METHODS else "other"
    metrics.requests.labels(route, method, str(response.status_code)).inc()
    metrics.latency.labels(route).observe(time.perf_counter() - g.started)
    return response


def exposition() -> Response:
    return Response(_metrics().exposition(), mimetype=None, content_type=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.extensions["declass.metrics"] = build_metrics()
    app.after_request(_observe)
