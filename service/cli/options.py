"""Options shared by the declass commands, declared once, and how their values are read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from declass.rules.errors import RequestError
from declass.rules.policy import LoadedPolicy
from declass.rules.review_file import (
    ReviewFile,
    check_review,
    load_review,
    review_as_of,
    text_sha256,
)
from declass.service.as_of import parse_as_of, today

POLICY = click.option(
    "--policy", default="public", show_default=True, help="A shipped policy id or a policy file."
)
AS_OF = click.option(
    "--as-of", "as_of", metavar="YYYY-MM-DD", help="Decide as of this date (default: today, UTC)."
)

REVIEW = click.option(
    "--review",
    "review_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Apply a review file (the review page saves one): its overrides and span redactions.",
)
LOG = click.option("--log", is_flag=True, help="PDF: append the redaction log.")
PAGE_SIZE = click.option(
    "--page-size",
    type=click.Choice(["letter", "a4"]),
    default="letter",
    show_default=True,
    help="PDF page size (also the pages the vaughn log cites).",
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
    return refuse_future(when, preview)


def refuse_future(when: dt.date, preview: bool) -> dt.date:
    """A date after today releases now what is classified until then: only in a preview."""
    if when > today() and not preview:
        raise AsOfInFuture("--as-of: after today (UTC); add --preview for a draft as of that date")
    return when


class AsOfInFuture(RequestError):
    """An as-of date after today without a preview."""

    code = "as-of-in-future"


def read_review(path: Path) -> ReviewFile:
    """A review file named on the command line; its errors name the file, not its content."""
    return load_review(path.read_bytes(), f"review file {path.name}")


def reviewed_as_of(
    review: ReviewFile, as_of: str | None, text: str, policy: LoadedPolicy, preview: bool = False
) -> dt.date:
    """Check ``review`` fits the document and policy; the date to decide as of is its own,
    and a date after today needs a preview as on every edge."""
    check_review(review, text_sha256(text), policy.ref)
    given = None if as_of is None else as_of_value(as_of, preview)
    try:
        when = review_as_of(review, given)
    except RequestError as exc:
        raise RequestError(f"--as-of: {exc.message}") from None
    return refuse_future(when, preview)
