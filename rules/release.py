"""What a release is: one decision per segment, span redactions, the released marking.

Request shapes for reviewer overrides and span redactions are a contract
(docs/architecture.md 6.3): review tools are written against them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from declass.rules.declassify import Evaluation
from declass.rules.model import Document, Frozen, Level
from declass.rules.policy import Action, PolicyRef

Exemption = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[^\n\r]+$")]


class Override(Frozen):
    """A reviewer's decision on one segment, by its id in the report."""

    segment: str = Field(min_length=1, max_length=40)
    action: Literal["release", "withhold"]
    reason: str = Field(default="", max_length=500)
    reviewer: str = Field(default="", max_length=200)
    exemption: Exemption | None = None


class PhraseRedaction(Frozen):
    """Every occurrence of a phrase, e.g. a name: ``{"phrase": ..., "exemption": "(b)(6)"}``."""

    phrase: str = Field(min_length=1, max_length=1000)
    exemption: Exemption
    ignore_case: bool = False


class PatternRedaction(Frozen):
    """Every match of a regular expression."""

    pattern: str = Field(min_length=1, max_length=500)
    exemption: Exemption
    ignore_case: bool = False


class RangeRedaction(Frozen):
    """A character range of the normalised text (code-point offsets)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    exemption: Exemption

    @model_validator(mode="after")
    def _ordered(self) -> RangeRedaction:
        if self.end <= self.start:
            raise ValueError("end must be greater than start")
        return self


Redaction = PhraseRedaction | PatternRedaction | RangeRedaction


class Decision(Frozen):
    """What happens to one segment, and why (rule id, reasons, exemption labels)."""

    segment: str
    action: Action
    rule: str
    reasons: list[str] = Field(default_factory=list)
    exemptions: list[str] = Field(default_factory=list)
    detail: str = ""
    lines: int = 0
    override: Override | None = None


class SpanRedaction(Frozen):
    """A span withheld inside a released segment; rendered as a fixed-width mark."""

    segment: str
    start: int
    end: int
    exemption: str
    request: int


class AppliedRedaction(Frozen):
    """How one requested span redaction was applied (never its text)."""

    request: int
    type: Literal["phrase", "pattern", "range"]
    exemption: str
    matches: int


class ReleaseSummary(Frozen):
    """The ``release`` object of the report."""

    marking: str
    level: Level
    controls: list[str] = Field(default_factory=list)
    disposition: Literal["RELEASE IN FULL", "RELEASE IN PART", "DENY IN FULL"]
    released: int
    withheld: int
    review: int
    spans: int = 0


class Release(Frozen):
    """A document, the decisions on it, and everything needed to render it."""

    document: Document
    decisions: list[Decision]
    spans: list[SpanRedaction] = Field(default_factory=list)
    summary: ReleaseSummary
    policy: PolicyRef
    as_of: dt.date
    evaluation: Evaluation
    original_marking: str | None = None
    overrides: list[Override] = Field(default_factory=list)
    redactions: list[AppliedRedaction] = Field(default_factory=list)

    def decision_for(self, segment_id: str) -> Decision:
        for decision in self.decisions:
            if decision.segment == segment_id:
                return decision
        raise KeyError(segment_id)
