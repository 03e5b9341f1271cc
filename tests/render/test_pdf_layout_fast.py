"""The PDF layout's shortcuts give exactly the rows of its general path.

A line without span marks that fits the column is taken as its one row, and printable
ASCII is taken as drawn, without wrap() and display(); a builder that always takes the
general path must lay out any text into the same rows.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from declass.rules.wrap import display
from declass.service.render.pdf_layout import Row, _Builder


class _General(_Builder):
    """The layout without its shortcuts."""

    def _extend(self, part: str) -> None:
        if part:
            self.after_block = False
            self.line += display(part, len(self.line))

    def _flush(self, keep_with_next: bool = False) -> None:
        line, marks = self.line, self.marks
        self.line, self.marks = "", []
        self._wrap(line, marks, keep_with_next)


def _rows(builder: _Builder, pieces: list[str | tuple[str]]) -> list[Row]:
    for piece in pieces:
        if isinstance(piece, tuple):
            builder.add_mark(piece[0])
        else:
            builder.add_text(piece)
    return builder.finish()


TEXT = st.text(alphabet=st.sampled_from("ab Z9-\t\n\x0b\x7f¶é "), max_size=200)
PIECES = st.lists(st.one_of(TEXT, st.sampled_from([("[(b)(6)]",), ("[x]",)])), max_size=8)


@settings(max_examples=300, deadline=None)
@given(PIECES, st.integers(5, 90))
def test_the_shortcuts_give_the_general_layout(pieces: list[str | tuple[str]], width: int) -> None:
    assert _rows(_Builder(width), pieces) == _rows(_General(width), pieces)


@settings(max_examples=300, deadline=None)
@given(st.integers(5, 90), st.integers(-3, 3), st.data())
def test_lines_at_the_column_lay_out_as_in_general(
    width: int, over: int, data: st.DataObject
) -> None:
    """Lines a few characters either side of the column, where the shortcut stops."""
    line = data.draw(st.text(alphabet="ab -", min_size=width + over, max_size=width + over))
    pieces: list[str | tuple[str]] = [line + "\n" + line]
    assert _rows(_Builder(width), pieces) == _rows(_General(width), pieces)
