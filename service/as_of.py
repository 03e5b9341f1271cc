"""The as-of date: one strict parser and one clock, for every edge.

The rules never read the clock; the edges do, here, once per request or
command. "Today" is the date in UTC, so a service, a batch on another
machine and the review page agree on it whatever their time zones. A date
is written ``YYYY-MM-DD`` and nothing else: ``20100101`` or a Unix
timestamp is refused rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import datetime  # the clock, one name to stop in tests

from declass.rules.errors import RequestError

#: The refusal, the same on the command line and over HTTP (which prefix the option's name).
AS_OF_FORM = "expected a date as YYYY-MM-DD, e.g. 2010-01-01"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_as_of(text: str) -> dt.date:
    """``YYYY-MM-DD`` as a date; anything else is a :class:`RequestError` naming the form."""
    if not _ISO_DATE.fullmatch(text):
        raise RequestError(AS_OF_FORM, field="as_of")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:  # 2010-02-30
        raise RequestError(AS_OF_FORM, field="as_of") from None


def today() -> dt.date:
    """Today's date in UTC: the as-of date when none is given."""
    return datetime.now(dt.UTC).date()
