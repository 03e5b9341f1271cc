"""The document model: what the parser reads out of a marked document.

These pydantic models are the boundary between the parser, the engine and the
outside world; their JSON form is the report contract in docs/architecture.md 6.2, so field
names here are part of that contract.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["TS", "S", "C", "R", "U"]

#: Ordering for comparisons. RESTRICTED is foreign-only and is protected as if
#: CONFIDENTIAL (docs/markings.md 1.1), hence the same rank as C.
LEVEL_RANK: dict[str, int] = {"U": 0, "R": 1, "C": 1, "S": 2, "TS": 3}

LEVEL_NAMES: dict[str, str] = {
    "TS": "TOP SECRET",
    "S": "SECRET",
    "C": "CONFIDENTIAL",
    "R": "RESTRICTED",
    "U": "UNCLASSIFIED",
}

SegmentKind = Literal[
    "routing",
    "banner",
    "control",
    "declassification",
    "tags",
    "subject",
    "reference",
    "classified_by",
    "heading",
    "paragraph",
    "signature",
    "trailer",
]

MarkingSource = Literal["own", "entire_text", "continued", "parent"]


class Frozen(BaseModel):
    """Base for immutable boundary models: unknown fields are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Marking(Frozen):
    """One banner line or portion marking, normalised.

    ``valid`` is strict CAPCO validity; ``damaged`` means the marking is
    recognisable but cannot be trusted as written (missing parenthesis,
    unknown token, contradictory controls), which the engine treats as a
    reason for review while the document is still classified.
    """

    raw: str
    level: Level
    controls: list[str] = Field(default_factory=list)
    rel_to: list[str] = Field(default_factory=list)
    valid: bool = True
    problems: list[str] = Field(default_factory=list)
    damaged: bool = False
    normalized: str = ""
    sci: list[str] = Field(default_factory=list)
    sap: list[str] = Field(default_factory=list)
    aea: list[str] = Field(default_factory=list)
    fgi: list[str] = Field(default_factory=list)
    fgi_concealed: bool = False
    owner: str | None = None
    joint_owners: list[str] = Field(default_factory=list)
    display_only: list[str] = Field(default_factory=list)
    entire_text: bool = False
    declass_value: str | None = None

    @property
    def rank(self) -> int:
        return LEVEL_RANK[self.level]


class Declassification(Frozen):
    """The declassification instruction (the E.O. / DECL line)."""

    raw: str
    authority: str | None = None
    kind: str
    date: dt.date | None = None
    exemptions: list[str] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)
    event: str | None = None
    downgrade_to: Level | None = None
    review_date: dt.date | None = None
    source_date: dt.date | None = None
    #: The segment the line was read from: a report blanks ``raw`` when it is withheld.
    segment: str | None = None


class ClassifiedBy(Frozen):
    """The classification authority block and its reasons (1.4(b), ...)."""

    raw: str
    authority: str | None = None
    title: str | None = None
    reasons: list[str] = Field(default_factory=list)
    derivative: bool = False
    problems: list[str] = Field(default_factory=list)
    #: The segment the block was read from: a report blanks ``raw`` when it is withheld.
    segment: str | None = None


class Problem(Frozen):
    """Something a reviewer must know about the document."""

    code: str
    segment: str | None = None
    detail: str


class Segment(Frozen):
    """A contiguous span of the text; the segments of a document tile it.

    ``marking`` is the marking that governs the segment: its own
    (``marking_source == "own"``) or one it takes from an ``ENTIRE TEXT``
    statement, the paragraph it continues after a page break, or its parent.
    ``body_start`` is where the segment's text begins after its paragraph
    label and marking, which stay visible when the body is withheld.
    """

    id: str
    kind: SegmentKind
    label: str | None = None
    start: int
    end: int
    body_start: int
    marking: Marking | None = None
    marking_source: MarkingSource | None = None
    continues: str | None = None


class Document(Frozen):
    """A parsed document: everything the engine needs to decide a release."""

    sha256: str
    origin_date: dt.date | None = None
    banner: Marking | None = None
    level: Level | None = None
    captions: list[str] = Field(default_factory=list)
    declassification: Declassification | None = None
    classified_by: ClassifiedBy | None = None
    segments: list[Segment]
    problems: list[Problem] = Field(default_factory=list)
    cable_id: str | None = None
