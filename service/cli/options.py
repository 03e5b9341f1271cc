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

PREVIEW = click.option(
    "--preview",
    is_flag=True,
    help="A draft: allows an --as-of after today; marked DRAFT, never final.",
)


def as_of_value(value: str | None, preview: bool = False) -> dt.date:
    """``--as-of``: today in UTC unless given, in the one strict form every edge accepts.

    A date after today would release now what is classified until then: it is
    refused unless the caller asks for a preview, which is always a draft.
    """
    if value is None:
        return today()
    try:
        when = parse_as_of(value)
    except RequestError as exc:
        raise RequestError(f"--as-of: {exc.message}") from None
    if when > today() and not preview:
        raise AsOfInFuture("--as-of: after today (UTC); add --preview for a draft as of that date")
    return when


class AsOfInFuture(RequestError):
    """An as-of date after today without a preview."""

    code = "as-of-in-future"
