"""A per-request deadline that the pipeline's loops check cooperatively.

A thread cannot be stopped from outside, so a request that has run too long
is stopped from inside: the edge opens a deadline around the work
(:func:`within`), and every loop that grows with the document (the line walk,
the decisions, the span search, the renderers, the report) calls
:func:`check`, which raises :class:`DeadlineExceeded` once the time is up.
Nothing is sent then: the output is built whole before it leaves, so the
caller answers with a refusal, never a partial release.

The deadline lives in a context variable, so the loops need no extra
argument and each thread (each request) sees only its own. Outside
:func:`within` (the command line, batch) :func:`check` does nothing. The
deadline never changes a decision: it only ends the work. The clock is
monotonic and is read here, not in the rules, which stay a function of the
text, the policy and the as-of date.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import TypeVar

from declass.rules.errors import DeclassError

Clock = Callable[[], float]
T = TypeVar("T")


class DeadlineExceeded(DeclassError):
    """The request ran past its deadline; nothing of it was sent."""

    code = "deadline-exceeded"

    def __init__(self, seconds: float | str) -> None:
        # reportlab re-raises what a page callback raises as ``type(exc)(annotated text)``;
        # that text may describe a flowable, so it is dropped and the fixed message kept.
        if isinstance(seconds, str):
            current = _CURRENT.get()
            seconds = current.seconds if current is not None else 0.0
        super().__init__(f"the request ran past its deadline of {seconds:g} s and was stopped")
        self.seconds = seconds

    @property
    def retry_after(self) -> int:
        """Whole seconds a client should wait before it tries again."""
        return max(1, math.ceil(self.seconds))


@dataclass(frozen=True)
class Deadline:
    """The moment, on ``clock``, after which the work stops."""

    seconds: float
    expires: float
    clock: Clock = field(default=time.monotonic, repr=False)

    @classmethod
    def after(cls, seconds: float, clock: Clock = time.monotonic) -> Deadline:
        return cls(seconds=seconds, expires=clock() + seconds, clock=clock)

    def check(self) -> None:
        if self.clock() >= self.expires:
            raise DeadlineExceeded(self.seconds)


_CURRENT: ContextVar[Deadline | None] = ContextVar("declass_deadline", default=None)


def check() -> None:
    """Raise :class:`DeadlineExceeded` when the current deadline has passed; else nothing."""
    deadline = _CURRENT.get()
    if deadline is not None:
        deadline.check()


def each(items: Iterable[T], every: int = 64) -> Iterator[T]:
    """``items``, with the deadline checked before every ``every``-th one: for loops whose
    single step is cheap, so that the check costs nothing next to them."""
    for count, item in enumerate(items):
        if count % every == 0:
            check()
        yield item


@contextmanager
def within(seconds: float | None, clock: Clock = time.monotonic) -> Iterator[Deadline | None]:
    """Run the block under a deadline ``seconds`` from now (``None``: no deadline)."""
    deadline = None if seconds is None else Deadline.after(seconds, clock)
    token = _CURRENT.set(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.reset(token)


def start(seconds: float | None, clock: Clock = time.monotonic) -> Token[Deadline | None]:
    """Open a deadline for the rest of this context; returns the token :func:`stop` takes.

    For request hooks that open and close in two calls (Flask's before and teardown).
    """
    return _CURRENT.set(None if seconds is None else Deadline.after(seconds, clock))


def stop(token: Token[Deadline | None]) -> None:
    """Close the deadline :func:`start` opened."""
    _CURRENT.reset(token)
