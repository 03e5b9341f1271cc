"""Who is calling, and what their key lets them do with a release.

:mod:`service.http.security` names the caller (:func:`set_caller`) once the
key is checked; the API reads it back here. Two rules of authority live in
this module:

- only a ``reviewer`` key may override a decision (403 ``reviewer-role-required``),
  and the reviewer an override records is the key's name: the body's
  ``reviewer`` is kept as the override's ``note``, never as the identity;
- an as-of date after today (UTC) would release today what is classified
  until then, so it is refused (422 ``as-of-in-future``) unless the request
  asks for a ``preview``, which is always a draft.
"""

from __future__ import annotations

import dataclasses

from flask import g

from declass.service.as_of import today
from declass.service.http.errors import ApiProblem
from declass.service.http.intake import RequestJob
from declass.service.keys import ApiKey

AS_OF_IN_FUTURE = (
    "as_of is after today (UTC); ask for a preview (preview=true) to see a draft as of that date"
)


def set_caller(key: ApiKey) -> None:
    g.declass_caller = key


def caller() -> ApiKey:
    """The caller of this request; a request that reaches the API always has one."""
    key: ApiKey = g.declass_caller
    return key


def authorise(job: RequestJob) -> RequestJob:
    """The job as this caller may run it: the date checked, overrides in the key's name."""
    if job.as_of > today() and not job.preview:
        raise ApiProblem(422, "as-of-in-future", AS_OF_IN_FUTURE, field="as_of")
    key = caller()
    if not job.overrides:
        return dataclasses.replace(job, reviewer=key.name)
    if not key.may_override:
        raise ApiProblem(
            403,
            "reviewer-role-required",
            "only a key with the reviewer role may override a decision",
            field="overrides",
        )
    overrides = tuple(
        o.model_copy(update={"reviewer": key.name, "note": o.note or o.reviewer})
        for o in job.overrides
    )
    return dataclasses.replace(job, overrides=overrides, reviewer=key.name)
