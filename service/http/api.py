"""The /v1 blueprint: validate -> pipeline -> respond; nothing else.

Validation is :mod:`declass.service.http.intake`, the work is :mod:`declass.service.pipeline`
(the same function the command line calls), and errors are raised for the
application-level handlers in :mod:`declass.service.http.errors` to turn into problems.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from declass.rules.errors import PolicyNotFound
from declass.rules.policy import LoadedPolicy
from declass.rules.release import Release, ReleaseSummary
from declass.service import pipeline
from declass.service.http.identity import authorise
from declass.service.http.intake import ANALYZE, REDACT, RequestJob, Shapes, read_job, read_upload
from declass.service.http.logs import note_document
from declass.service.http.metrics import count_document
from declass.service.http.state import State
from declass.service.render.report import dump_json

bp = Blueprint("api", __name__, url_prefix="/v1")
JSON = "application/json"


def _state() -> State:
    state: State = current_app.extensions["declass"]
    return state


def _job(shapes: Shapes) -> RequestJob:
    state = _state()
    return authorise(read_job(request, shapes, state.policies, state.settings))


@bp.post("/redact")
def redact() -> Response:
    job = _job(REDACT)
    outcome = pipeline.run(
        job.data,
        job.policy,
        job.as_of,
        fmt=job.fmt,
        overrides=job.overrides,
        redactions=job.redactions,
        log=job.log,
        page_size=job.page_size,
        untrusted=job.untrusted,
        notes=job.notes,
        preview=job.preview,
        reviewer=job.reviewer,
    )
    # Counts come from the typed release: the JSON report is built only when it is the output.
    tally = Tally.of_release(outcome.release)
    _record("redact", job, tally)
    count_document("redact", job.fmt, tally.summary)
    response = Response(outcome.output, content_type=outcome.media_type)
    summary = outcome.release.summary
    policy = outcome.release.policy
    response.headers.update(
        {
            "X-Declass-Marking": _header_safe(summary.marking),
            "X-Declass-Withheld": str(summary.withheld),
            "X-Declass-Review": str(summary.review),
            "X-Declass-Policy": _header_safe(f"{policy.id}@{policy.version}"),
            "X-Declass-Final": "true" if outcome.release.is_final else "false",
        }
    )
    if job.fmt == "pdf":
        name = f"declass-{outcome.release.document.sha256[:12]}.pdf"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.post("/analyze")
def analyze() -> Response:
    job = _job(ANALYZE)
    report = pipeline.analyze(
        job.data,
        job.policy,
        job.as_of,
        untrusted=job.untrusted,
        notes=job.notes,
        preview=job.preview,
    )
    tally = Tally.of_report(report)
    _record("analyze", job, tally)
    count_document("analyze", "json", tally.summary)
    return Response(dump_json(report), content_type="application/json")


@bp.post("/extract")
def extract() -> Response:
    """The text of a file as the service reads it: what report offsets count in.

    The review page shows an uploaded PDF, Word file or scan through this. It is
    not a release: it returns the caller's own document to the caller, and the log
    keeps its digest and the reader's facts only. Asked for JSON, it also returns
    the ranges that must go to review (unsure reading order, unsure OCR, held Word
    content), for the client to send back with the text (``untrusted``), the reader
    that read it, and the reader's notes (codes and fixed details, never text).
    """
    read, facts = read_upload(request, _state().settings)
    text = read.text
    note_document(
        operation="extract",
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        characters=len(text),
        **facts,
    )
    accept = request.accept_mimetypes
    if accept.best_match(["text/plain", "application/json"]) != "application/json":
        return Response(text, content_type="text/plain; charset=utf-8")
    found = {
        "text": text,
        "untrusted": [r.model_dump(mode="json") for r in read.untrusted],
        "reader": read.reader,
        "pages": read.pages,
        "problems": [{"code": note.code, "detail": note.detail} for note in read.problems],
    }
    return Response(dump_json(found), content_type=JSON)


@bp.get("/policies")
def policies() -> Response:
    state = _state()
    return jsonify(
        policies=[_summary(loaded) for _, loaded in sorted(state.policies.items())],
        default=state.settings.default_policy,
    )


@bp.get("/policies/<policy_id>")
def policy(policy_id: str) -> Response:
    loaded = _state().policies.get(policy_id)
    if loaded is None:
        raise PolicyNotFound("unknown policy; GET /v1/policies lists them", field="policy_id")
    return jsonify(
        ref=loaded.ref.model_dump(mode="json"), policy=loaded.policy.model_dump(mode="json")
    )


def _summary(loaded: LoadedPolicy) -> dict[str, Any]:
    p = loaded.policy
    return {
        "id": p.id,
        "version": p.version,
        "title": p.title,
        "description": p.description,
        "audience": p.audience,
        "release_level": p.release_level,
        "partner": p.partner,
        "sha256": loaded.ref.sha256,
    }


@dataclass(frozen=True)
class Tally:
    """What the log line and the metrics say about one document: ids, digests, counts."""

    sha256: str
    policy: str
    as_of: dt.date
    segments: int
    summary: ReleaseSummary
    final: bool

    @classmethod
    def of_release(cls, release: Release) -> Tally:
        return cls(
            sha256=release.document.sha256,
            policy=f"{release.policy.id}@{release.policy.version}",
            as_of=release.as_of,
            segments=len(release.decisions),
            summary=release.summary,
            final=release.is_final,
        )

    @classmethod
    def of_report(cls, report: dict[str, Any]) -> Tally:
        """From a report that is the output anyway (``analyze``)."""
        return cls(
            sha256=report["document"]["sha256"],
            policy=f"{report['policy']['id']}@{report['policy']['version']}",
            as_of=dt.date.fromisoformat(report["as_of"]),
            segments=len(report["decisions"]),
            summary=ReleaseSummary.model_validate(report["release"]),
            final=bool(report["final"]),
        )


def _record(operation: str, job: RequestJob, tally: Tally) -> None:
    """Ids, digests and counts for the log line; never text."""
    note_document(
        operation=operation,
        sha256=tally.sha256,
        policy=tally.policy,
        as_of=tally.as_of.isoformat(),
        format=job.fmt if operation == "redact" else "json",
        segments=tally.segments,
        released=tally.summary.released,
        withheld=tally.summary.withheld,
        review=tally.summary.review,
        overrides=len(job.overrides),
        redactions=len(job.redactions),
        # Who asked (a key's name, a closed charset): the audit trail of an override.
        caller=job.reviewer,
        final=tally.final,
        **job.facts,
    )


def _header_safe(value: str) -> str:
    """Header values are Latin-1 without controls; markings and ids are ASCII anyway."""
    return "".join(c if " " <= c <= "~" else "?" for c in value)
