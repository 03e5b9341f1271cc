"""Batch progress on standard error: a tqdm bar on a terminal, plain lines elsewhere.

Only counts, rates and times are shown; never a document's text (nor its
path, which a bar redrawn many times a second would only blur).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections import Counter
from typing import Any, TextIO

from tqdm import tqdm

PREFIX = "declass: batch:"


class Progress:
    """Counts finished documents by status and reports them as they come."""

    def __init__(
        self,
        total: int,
        *,
        stream: TextIO | None = None,
        interval: float = 5.0,
        tty: bool | None = None,
    ) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.counts: Counter[str] = Counter()
        self._started = self._last = time.monotonic()
        self._shown = -1
        use_bar = self.stream.isatty() if tty is None else tty
        self._bar: tqdm[Any] | None = None
        if use_bar:
            self._bar = tqdm(total=total, file=self.stream, unit="doc", desc="declass batch")

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    def update(self, status: str) -> None:
        self.counts[status] += 1
        if self._bar is not None:
            self._bar.set_postfix(failed=self.counts["error"], refresh=False)
            self._bar.update(1)
            return
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._line(now)

    def close(self) -> None:
        """Stop the bar, or print a last line when plain lines are in use."""
        if self._bar is not None:
            self._bar.close()
        elif self._shown != self.done or not self.total:
            self._line(time.monotonic())

    def _line(self, now: float) -> None:
        self._shown = self.done
        elapsed = max(now - self._started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0.0
        print(
            f"{PREFIX} {self.done}/{self.total} documents"
            f" ({self.counts['ok']} ok, {self.counts['skipped']} skipped,"
            f" {self.counts['error']} failed), {rate:.1f} documents/s,"
            f" {_clock(elapsed)} elapsed, {_clock(left)} left",
            file=self.stream,
            flush=True,
        )


def _clock(seconds: float) -> str:
    return str(dt.timedelta(seconds=round(seconds)))
