"""How many lines a withheld body counts: one column width for every format.

A withheld portion is shown as a number of lines (DESIGN.md: no length
leaks, but the extent of what was withheld). The text release and the PDF
release used to count differently (original non-blank lines against rows of
the PDF column), so one paragraph said ``[1 line withheld]`` in text and
filled an 8-row box on paper. Both now read :data:`WITHHELD_COLUMNS` and
:func:`count_rows` through the decision's ``lines``: the body as it would
be wrapped at that width, greedy at spaces, continuation rows keeping the
indent of the line they continue, blank lines inside the body included.
"""

from __future__ import annotations

import re

#: The stated width at which withheld bodies are counted, in characters (a typewritten page).
WITHHELD_COLUMNS = 80
TAB = 8
#: Continuation rows keep the indent of their line, up to this share of the width,
#: so that a deeply indented line still gets a usable column.
MAX_INDENT_SHARE = 0.5
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def count_rows(body: str, width: int = WITHHELD_COLUMNS) -> int:
    """How many rows ``body`` would fill at ``width`` columns (at least one)."""
    rows = 0
    for line in body.split("\n"):
        # A line that fits is one row: without a tab, drawing it keeps its length.
        if len(line) <= width and "\t" not in line:
            rows += 1
        else:
            rows += len(wrap(display(line), width, ()))
    return max(1, rows)


def withheld_lines(body: str) -> int:
    """The lines a withheld body counts: without its surrounding white space (which is
    released layout), wrapped at :data:`WITHHELD_COLUMNS`."""
    stripped = body.strip()
    return count_rows(stripped) if stripped else 0


def display(line: str, column: int = 0) -> str:
    """A line as drawn: tabs expanded from ``column``, control characters as spaces."""
    if "\t" in line:
        line = (" " * column + line).expandtabs(TAB)[column:]
    return _CONTROL.sub(" ", line)


def wrap(line: str, width: int, protected: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """Greedy word wrap: (start, end) slices of ``line``, none breaking a protected range.

    Rows after the first are drawn with the line's indent in front, so they
    have ``width - indent`` columns. A word longer than a row is cut at the
    row's end (never inside a protected range such as a span mark).
    """
    indent = indent_of(line, width)
    rows: list[tuple[int, int]] = []
    pos, avail = 0, width
    while len(line) - pos > avail:
        limit = pos + avail
        low = pos + 1 if rows else indent + 1
        cut = _last_break(line, low, limit, protected)
        if cut is None:
            cut = _hard_cut(pos, limit, protected)
        rows.append((pos, cut))
        pos = cut
        while pos < len(line) and line[pos] == " ":
            pos += 1
        avail = width - indent
    if pos < len(line) or not rows:
        rows.append((pos, len(line)))
    return rows


def indent_of(line: str, width: int) -> int:
    """The indent continuation rows keep: the line's leading spaces, capped."""
    return min(len(line) - len(line.lstrip(" ")), int(width * MAX_INDENT_SHARE))


def _last_break(
    line: str, low: int, limit: int, protected: tuple[tuple[int, int], ...]
) -> int | None:
    """The last space in ``line[low:limit + 1]`` outside any protected range."""
    cut = line.rfind(" ", low, limit + 1)
    if not protected:
        return cut if cut >= low else None
    while cut >= low:
        if not any(start <= cut < end for start, end in protected):
            return cut
        cut = line.rfind(" ", low, cut)
    return None


def _hard_cut(pos: int, limit: int, protected: tuple[tuple[int, int], ...]) -> int:
    """Where to cut a row with no space: at ``limit``, or around a mark it would split."""
    for start, end in protected:
        if start < limit < end:
            return start if start > pos else end
    return limit
