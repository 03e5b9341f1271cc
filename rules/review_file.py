"""A review file: a reviewer's work on one document, kept apart from the document.

The review page saves it as work goes on, and the command line and batch
apply it, so a review made in a browser can be finished, re-run and audited
later. It names the document by the sha256 of its normalised text and the
policy by id and version: overrides name segment ids, which mean something
only for that text, and were decided against that policy's proposals, so a
file for another document or policy is refused rather than applied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from declass.rules.errors import RequestError
from declass.rules.model import Frozen
from declass.rules.policy import PolicyRef
from declass.rules.release import Override, PatternRedaction, PhraseRedaction, RangeRedaction

#: What a review file says it is, so a stray JSON file is not taken for one.
KIND: Literal["declass-review"] = "declass-review"
MAX_ITEMS = 10_000


class ReviewedPolicy(Frozen):
    """The policy the review was made under."""

    id: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=100)


class ReviewFile(Frozen):
    """The document's sha256, the policy, the as-of date, the overrides and the spans."""

    kind: Literal["declass-review"] = KIND
    version: Literal[1] = 1
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    policy: ReviewedPolicy
    as_of: dt.date
    overrides: list[Override] = Field(default_factory=list, max_length=MAX_ITEMS)
    redactions: list[PhraseRedaction | PatternRedaction | RangeRedaction] = Field(
        default_factory=list, max_length=MAX_ITEMS
    )

    @field_validator("as_of", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        """Only ``YYYY-MM-DD``: pydantic would read a number as a Unix timestamp."""
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and len(value) == 10:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError("as_of must be a date written YYYY-MM-DD")


def load_review(data: bytes, source: str = "review file") -> ReviewFile:
    """Parse a review file; an error names the field, never a value from the file."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise RequestError(f"{source}: not JSON in UTF-8") from None
    try:
        return ReviewFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise RequestError(f"{source}: {where}: {first['msg']}", field=where) from None


def text_sha256(text: str) -> str:
    """How a document is named: the sha256 of its normalised text (as the report's)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_review(review: ReviewFile, sha256: str, policy: PolicyRef) -> None:
    """Refuse a review made for another document or under another policy."""
    if review.sha256 != sha256:
        raise RequestError(
            f"the review file is for document {review.sha256[:12]}, not this document "
            f"({sha256[:12]}); its segment ids would not mean the same",
            field="sha256",
        )
    if (review.policy.id, review.policy.version) != (policy.id, policy.version):
        raise RequestError(
            f"the review file was made under policy {review.policy.id} "
            f"{review.policy.version}, not {policy.id} {policy.version}",
            field="policy",
        )


def review_as_of(review: ReviewFile, requested: dt.date | None) -> dt.date:
    """The review's own date; another date is refused, since the review judged the
    decisions proposed as of that date."""
    if requested is not None and requested != review.as_of:
        raise RequestError(
            f"as-of date {requested.isoformat()} differs from the review file's "
            f"{review.as_of.isoformat()}; give the review's date or none",
            field="as_of",
        )
    return review.as_of
