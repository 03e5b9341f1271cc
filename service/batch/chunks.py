"""How a batch cuts its documents into chunks: below both runners, which share it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


def chunked(tasks: Sequence[T], size: int) -> Iterator[list[T]]:
    """``tasks`` in order, ``size`` at a time (the last chunk may be shorter)."""
    for start in range(0, len(tasks), size):
        yield list(tasks[start : start + size])


def chunk_size(count: int, workers: int, largest: int = 16) -> int:
    """About four chunks per worker, so that work balances and progress moves."""
    return max(1, min(largest, count // max(1, workers * 4)))
