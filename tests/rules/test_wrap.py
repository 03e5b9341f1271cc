"""The withheld-line count's fast path (a line that fits is one row) agrees with the wrap."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from declass.rules.wrap import WITHHELD_COLUMNS, count_rows, display, withheld_lines, wrap

_LINE = st.text(
    alphabet=st.sampled_from([*"ab (S) .-", " ", "\t", "\x01", "\x7f", "é"]), max_size=200
)


def _rows_by_wrap(body: str, width: int) -> int:
    """The definition: every line displayed and wrapped, at least one row."""
    return max(1, sum(len(wrap(display(line), width, ())) for line in body.split("\n")))


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE, max_size=6), st.integers(min_value=8, max_value=120))
def test_count_rows_is_the_wrap(lines: list[str], width: int) -> None:
    body = "\n".join(lines)
    assert count_rows(body, width) == _rows_by_wrap(body, width)


def test_a_line_at_the_width_is_one_row_and_one_over_is_two() -> None:
    assert count_rows("x" * WITHHELD_COLUMNS) == 1
    assert count_rows("x" * (WITHHELD_COLUMNS + 1)) == 2
    # A tab widens the line as drawn: 79 characters with one tab fill two rows.
    assert count_rows("\t" + "x" * (WITHHELD_COLUMNS - 2)) == 2


def test_withheld_lines_ignores_surrounding_white_space() -> None:
    assert withheld_lines("  \n\n") == 0
    assert withheld_lines("\n(S) one\n\n(S) two\n") == 3
