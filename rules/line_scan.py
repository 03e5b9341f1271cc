"""The line walk's pass in C: which lines can change nothing inside an open paragraph.

Most lines of a cable continue the paragraph above them. Once a line has left a
paragraph of the body open (no blank line, header zone or page break pending:
:meth:`declass.rules.body.BodyReader.in_open_paragraph`), a *quiet* line read next
changes nothing but which line came before, and leaves the paragraph open for the
line after it. So there the walk (rules/parse.py) matches one pattern on the text
that follows, which finds the whole run of quiet lines in C, and steps over the
run in one move instead of handing each line to the readers.

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
#: One quiet line and its line break. The pattern runs over the whole text in
#: MULTILINE mode, where ``^`` and ``$`` inside the joined patterns stand at every line,
#: and ``\s`` may reach into the next line: in the negative tests that only turns more
#: lines away, and the positive ones stand on a line known to hold a non-space
#: character, where the leading ``\s*`` of ``PROSE`` stops before that character.
_QUIET_LINE = (
    rf"(?=[^\n]*\S)(?!{_inline(TRAILER)})(?![^\n]*//)"
    rf"(?:(?={_inline(PROSE)})|{_NOT_STARTING})"
    r"[^(\n]*\n"
)
#: A run of quiet lines, from a line start.
QUIET_RUN = re.compile(f"(?:{_QUIET_LINE})+", re.MULTILINE)


def quiet_run_end(text: str, start: int) -> int | None:
    """Where the run of quiet lines from ``start`` (a line start) ends: the start of
    the first line that is not quiet; None when the line at ``start`` is not quiet.
    The last line of the text, which has no line break, is never quiet."""
    run = QUIET_RUN.match(text, start)
    return run.end() if run is not None else None
