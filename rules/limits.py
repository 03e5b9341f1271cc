"""Caps on the work one request may ask for, where it grows faster than the input.

The body-size limit bounds the bytes a client sends, not what they cost: a
document of tiny paragraphs makes a segment, a decision and a report entry
of several hundred bytes each out of a few bytes of text, and every span
redaction searches the whole text. So the edge sets three caps here
(:func:`within`) and the pipeline checks them where the work is about to
grow: the segments while the parser opens them, the span search before it
starts, the report's bytes while it is written. Past a cap the work stops
with :class:`LimitExceeded`, which names the limit; nothing is sent.

Like the deadline (:mod:`declass.rules.deadline`), the caps live in a context
variable; outside :func:`within` (the command line, batch) nothing is capped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass

from declass.rules.errors import DeclassError


class LimitExceeded(DeclassError):
    """A request asks for more work than a cap allows; ``limit`` names the cap, ``code``
    what was too large, and ``status`` the HTTP answer: 413 when the document itself is
    too large, 422 when what the request asks of it is."""

    code = "limit-exceeded"

    def __init__(
        self, code: str, limit: str, status: int, message: str, *, field: str | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.code = code
        self.limit = limit
        self.status = status


@dataclass(frozen=True)
class Limits:
    """The caps; ``None`` leaves one open."""

    max_segments: int | None = None
    #: Span redactions times the length of the text (characters searched).
    max_span_work: int | None = None
    max_report_bytes: int | None = None


UNLIMITED = Limits()
_CURRENT: ContextVar[Limits] = ContextVar("declass_limits", default=UNLIMITED)


def current() -> Limits:
    return _CURRENT.get()


@contextmanager
def within(limits: Limits) -> Iterator[Limits]:
    """Run the block under ``limits``."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def start(limits: Limits) -> Token[Limits]:
    """Set ``limits`` for the rest of this context (request hooks); :func:`stop` undoes it."""
    return _CURRENT.set(limits)


def stop(token: Token[Limits]) -> None:
    _CURRENT.reset(token)


def check_segments(count: int) -> None:
    """Called as each segment opens: refuse the document once it has too many."""
    cap = _CURRENT.get().max_segments
    if cap is not None and count > cap:
        raise LimitExceeded(
            "too-many-segments",
            "max_segments",
            413,
            f"the document has more than {cap} segments (limit max_segments)",
        )


def check_span_work(redactions: int, characters: int) -> None:
    """Before the span search: every span redaction reads the whole text once."""
    cap = _CURRENT.get().max_span_work
    if cap is not None and redactions * characters > cap:
        raise LimitExceeded(
            "span-work-too-large",
            "max_span_work",
            422,
            f"{redactions} span redactions over {characters} characters exceed "
            f"{cap} characters searched (limit max_span_work); send fewer redactions "
            "or a shorter document",
            field="redactions",
        )


def check_report_bytes(size: int) -> None:
    """While the report is written: refuse it once it is larger than the cap."""
    cap = _CURRENT.get().max_report_bytes
    if cap is not None and size > cap:
        raise LimitExceeded(
            "report-too-large",
            "max_report_bytes",
            413,
            f"the report would be larger than {cap} bytes (limit max_report_bytes)",
        )
