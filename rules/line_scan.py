"""The line walk's pass in C: which lines can change nothing inside an open paragraph.

Most lines of a cable continue the paragraph above them. Once a line has left a
paragraph of the body open (no blank line, header zone or page break pending:
:meth:`declass.rules.body.BodyReader.in_open_paragraph`), a *quiet* line read next
changes nothing but which line came before, and leaves the paragraph open for the
line after it. So the walk (rules/parse.py) asks one pattern per line, all lines
at once through ``map`` (the loop runs in C), and steps over a run of quiet lines
in one move instead of handing each to the readers.

A quiet line holds no ``(`` (no marking, inline or glued) and no ``//``, is not
blank and is no trailer, and either

- reads as running prose (:data:`declass.rules.body.PROSE`): the body reader
  takes it as the paragraph's next line, and only a ``(`` could start a
  portion in it; or
- starts with nothing any reader looks for there: no lead (the same patterns
  :func:`declass.rules.lines.read_lead` tries first), no dash rule, no page
  line and nothing a banner starts with. In an open paragraph the header
  reader then looks only for a banner or a page line, and the body reader
  appends the line to the paragraph.

tests/rules/test_line_scan.py checks the pattern against the readers' own
tests line by line, and the walk with the steps against the walk without them.
"""

from __future__ import annotations

import re

from declass.rules.banner import MAYBE_BANNER, PAGE_NUMBER
from declass.rules.body import PROSE
from declass.rules.lines import DASH_HEADING, DASH_RULE, LEAD_START, TRAILER


def _inline(pattern: re.Pattern[str]) -> str:
    """``pattern`` as a group that keeps its flags inside a larger pattern."""
    if pattern.flags & ~(re.IGNORECASE | re.UNICODE):
        raise ValueError(f"cannot inline {pattern.pattern!r}: flags {pattern.flags}")
    flags = "i" if pattern.flags & re.IGNORECASE else ""
    return f"(?{flags}:{pattern.pattern})" if flags else f"(?:{pattern.pattern})"


_NOT_STARTING = "".join(
    f"(?!{_inline(p)})" for p in (LEAD_START, DASH_RULE, DASH_HEADING, PAGE_NUMBER, MAYBE_BANNER)
)
#: A quiet line (a line of the text, so it holds no line break).
QUIET = re.compile(
    rf"(?!{_inline(TRAILER)})(?![^\n]*//)"
    rf"(?:(?={_inline(PROSE)})|(?=[^\n]*\S){_NOT_STARTING})"
    r"[^(\n]*\Z"
)


def quiet_lines(lines: list[str]) -> list[bool]:
    """Whether each line is quiet, by one match per line run from C."""
    return list(map(bool, map(QUIET.match, lines)))


def after_quiet(quiet: list[bool], index: int) -> int:
    """The first line at or after ``index`` that is not quiet (the end when none is)."""
    try:
        return quiet.index(False, index)
    except ValueError:
        return len(quiet)
