"""Option values shared by the declass commands."""

from __future__ import annotations

import datetime as dt

from rules.errors import RequestError


def parse_as_of(value: str | None) -> dt.date:
    """The as-of date: today unless given. The rules never read the clock themselves;
    the edge does, once, here."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RequestError(f"--as-of must be a date YYYY-MM-DD, not '{value}'") from None
