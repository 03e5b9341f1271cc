"""Operational endpoints: liveness, readiness, the OpenAPI document and the metrics.

They sit outside /v1. Health, readiness and the OpenAPI document need no API
key, so that orchestrators need no secret, and say nothing about a document;
the metrics count documents and decisions, so they take the key unless the
operator opens them (declass.service.http.security).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from declass.service.http import metrics
from declass.service.http.errors import ApiProblem
from declass.service.http.openapi import build_openapi
from declass.service.http.state import State

bp = Blueprint("ops", __name__)


def _state() -> State:
    state: State = current_app.extensions["declass"]
    return state


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Response:
    state = _state()
    if state.settings.default_policy not in state.policies:
        raise ApiProblem(503, "not-ready", "the default policy is not loaded")
    return jsonify(status="ready", policies=sorted(state.policies))


@bp.get("/openapi.json")
def openapi() -> Response:
    state = _state()
    if state.openapi is None:
        state.openapi = build_openapi()
    return jsonify(state.openapi)


@bp.get("/metrics")
def metrics_endpoint() -> Response:
    return metrics.exposition()
