"""Options shared by the declass commands, declared once, and how their values are read."""

from __future__ import annotations

import datetime as dt

import click

from declass.rules.errors import RequestError
from declass.service.as_of import parse_as_of, today

POLICY = click.option(
    "--policy", default="public", show_default=True, help="A shipped policy id or a policy file."
)
AS_OF = click.option(
    "--as-of", "as_of", metavar="YYYY-MM-DD", help="Decide as of this date (default: today, UTC)."
)


def as_of_value(value: str | None) -> dt.date:
    """``--as-of``: today in UTC unless given, in the one strict form every edge accepts."""
    if value is None:
        return today()
    try:
        return parse_as_of(value)
    except RequestError as exc:
        raise RequestError(f"--as-of: {exc.message}") from None
