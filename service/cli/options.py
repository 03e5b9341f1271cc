"""Option values shared by the declass commands."""

from __future__ import annotations

import datetime as dt

from declass.rules.errors import RequestError
from declass.service.as_of import parse_as_of, today


def as_of_option(value: str | None) -> dt.date:
    """``--as-of``: today in UTC unless given, in the one strict form every edge accepts."""
    if value is None:
        return today()
    try:
        return parse_as_of(value)
    except RequestError as exc:
        raise RequestError(f"--as-of: {exc.message}") from None
