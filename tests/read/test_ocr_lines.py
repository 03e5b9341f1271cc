"""OCR word tables -> lines and uncertain ranges: tables written here, no Tesseract needed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from declass.service.read.ocr_lines import (
    MARKING_WORDS,
    WORD_CONFIDENCE,
    Uncertain,
    Word,
    is_banner_like,
    join_words,
    page_text,
)

#: The columns of pytesseract's image_to_data table, in its order.
COLUMNS = (
    *("level", "block_num", "par_num", "line_num", "word_num"),
    *("left", "top", "width", "height", "conf", "text"),
)
#: One typewriter character cell at 300 dpi (Courier 12 pt).
CELL = 30
LINE = 50


def table(rows: Sequence[tuple[int, int, int, str, float]]) -> dict[str, list[Any]]:
    """An image_to_data table from (block, paragraph, line, text, confidence) rows.

    Words of a line are laid out one cell apart, lines :data:`LINE` pixels apart
    unless a row's line number skips, and the layout rows Tesseract adds (level
    4, empty text) are included so that they are seen to be ignored.
    """
    out: dict[str, list[Any]] = {key: [] for key in COLUMNS}
    x: dict[tuple[int, int, int], int] = {}
    for block, par, line, text, conf in rows:
        key = (block, par, line)
        if key not in x:
            x[key] = 300
            _add(out, 4, key, 0, 300, 0, "", -1)
        top = 100 + (block * 10 + line) * LINE
        _add(out, 5, key, x[key], top, len(text) * CELL, text, conf)
        x[key] += (len(text) + 1) * CELL
    return out


def _add(
    out: dict[str, list[Any]],
    level: int,
    key: tuple[int, int, int],
    left: int,
    top: int,
    width: int,
    text: str,
    conf: float,
) -> None:
    values = [level, *key, 0, left, top, width, 35, conf, text]
    for name, value in zip(out, values, strict=True):
        out[name].append(value)


def doubts(rows: Sequence[tuple[int, int, int, str, float]]) -> list[tuple[str, str]]:
    """(reason, text) of every uncertain range of the page the rows make."""
    read = page_text(table(rows), page=1)
    return [(u.reason, read.text[u.start : u.end]) for u in read.uncertain]


BANNER_SURE = [(1, 1, 1, "SECRET//NOFORN", 95.0)]
BANNER_BOTTOM = [(9, 1, 1, "SECRET//NOFORN", 95.0)]


def body(*lines: list[tuple[str, float]]) -> list[tuple[int, int, int, str, float]]:
    """Body lines in block 2, one paragraph, below the banner."""
    return [(2, 1, n, text, conf) for n, words in enumerate(lines, 1) for text, conf in words]


SURE = 95.0
UNSURE = 40.0


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            BANNER_SURE
            + body([("1.", SURE), ("(U)", SURE), ("Talks", SURE), ("resumed.", SURE)])
            + BANNER_BOTTOM,
            [],
            id="everything sure: nothing to review",
        ),
        pytest.param(
            BANNER_SURE
            + body([("1.", SURE), ("(U)", UNSURE), ("Talks", SURE), ("resumed.", SURE)])
            + BANNER_BOTTOM,
            [("low-confidence-marking", "1. (U) Talks resumed.")],
            id="unsure portion mark: the whole line",
        ),
        pytest.param(
            BANNER_SURE
            + body(
                [("1.", SURE), ("(U)", SURE), ("Talks", SURE), ("resumed", SURE), ("on", SURE)],
                [("the", SURE), ("second", SURE), ("day", SURE), ("of", SURE), ("tlaks", UNSURE)],
            )
            + BANNER_BOTTOM,
            [],
            id="unsure prose word far from any mark: not a marking doubt",
        ),
        pytest.param(
            BANNER_SURE
            + body(
                [("1.", SURE), ("(U)", SURE), ("Talks", SURE), ("resumed", SURE), ("on", SURE)],
                [("the", SURE), ("last", SURE), ("day", SURE), ("(C)", UNSURE), ("and", SURE)],
            )
            + BANNER_BOTTOM,
            [("low-confidence-marking", "the last day (C) and")],
            id="unsure word in parentheses mid-line",
        ),
        pytest.param(
            BANNER_SURE
            + body(
                [("1.", SURE), ("(U)", SURE), ("Talks", SURE), ("resumed", SURE), ("on", SURE)],
                [("the", SURE), ("last", SURE), ("day", SURE), ("S//NF", UNSURE)],
            )
            + BANNER_BOTTOM,
            [("low-confidence-marking", "the last day S//NF")],
            id="unsure word holding a slash",
        ),
        pytest.param(
            [(1, 1, 1, "SECRET", SURE), (1, 1, 1, "NOFORN", UNSURE)]  # noqa: RUF005
            + body([("1.", SURE), ("(U)", SURE), ("Talks.", SURE)])
            + BANNER_BOTTOM,
            [("low-confidence-banner", "SECRET NOFORN")],
            id="unsure banner at the top",
        ),
        pytest.param(
            BANNER_SURE
            + body([("1.", SURE), ("(U)", SURE), ("Talks.", SURE)])
            + [(9, 1, 1, "TOP", SURE), (9, 1, 1, "SECRET", SURE), (9, 1, 1, "UMBRA", UNSURE)],
            [("low-confidence-banner", "TOP SECRET UMBRA")],
            id="unsure banner at the bottom",
        ),
        pytest.param(
            BANNER_SURE
            + body(
                [("1.", SURE), ("(U)", SURE), ("Talks.", SURE)],
                [("2.", SURE), ("(U)", SURE), ("More.", SURE)],
                [("3.", SURE), ("(U)", SURE), ("More.", SURE)],
                [(c, UNSURE if c == "D" else SURE) for c in "CONFIDENTIAL"],
                [("4.", SURE), ("(U)", SURE), ("More.", SURE)],
                [("5.", SURE), ("(U)", SURE), ("More.", SURE)],
            )
            + BANNER_BOTTOM,
            [("low-confidence-banner", "C O N F I D E N T I A L")],
            id="unsure letter-spaced banner mid-page",
        ),
    ],
)
def test_uncertain_lines(rows: list[tuple[int, int, int, str, float]], expected: list[Any]) -> None:
    assert doubts(rows) == expected


def test_low_mean_confidence_sends_the_whole_page_to_review() -> None:
    rows = body([("1.", 50.0), ("(U)", 50.0), ("Talks", 30.0)], [("resumed.", 70.0)])
    read = page_text(table(rows), page=3)
    assert read.uncertain == (Uncertain(0, len(read.text), 3, "low-confidence-page"),)


def test_a_page_without_words_is_marked_not_silently_empty() -> None:
    read = page_text(table([]), page=2)
    assert read.text == ""
    assert read.uncertain == (Uncertain(0, 0, 2, "no-text-read"),)


def test_lines_in_reading_order_with_a_blank_line_between_paragraphs() -> None:
    rows = [
        (1, 1, 1, "SECRET", SURE),
        (2, 1, 1, "1.", SURE),
        (2, 1, 1, "(U)", SURE),
        (2, 1, 1, "First", SURE),
        (2, 1, 2, "continued.", SURE),
        (2, 2, 1, "2.", SURE),
        (2, 2, 1, "(C)", SURE),
        (2, 2, 1, "Second.", SURE),
    ]
    assert page_text(table(rows), page=1).text == (
        "SECRET\n\n1. (U) First\ncontinued.\n\n2. (C) Second.\n"
    )


def test_uncertain_offsets_point_into_the_text() -> None:
    rows = BANNER_SURE + body([("1.", SURE), ("(S)", UNSURE), ("Plans.", SURE)]) + BANNER_BOTTOM
    read = page_text(table(rows), page=1)
    (doubt,) = read.uncertain
    assert read.text[doubt.start : doubt.end] == "1. (S) Plans."
    assert read.text[doubt.end] == "\n"


def word(text: str, left: int, width: int) -> Word:
    return Word(text=text, conf=SURE, left=left, top=0, width=width, height=35)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        pytest.param(
            [word("SECRET", 304, 416), word("/", 481, 23), word("/NOFORN", 520, 200)],
            "SECRET//NOFORN",
            id="typewriter banner split at slashes, overlapping boxes",
        ),
        pytest.param(
            [word("SECRET/", 304, 200), word("/NOFORN", 516, 204)],
            "SECRET//NOFORN",
            id="split after the first slash",
        ),
        pytest.param(
            [word("SECRET", 300, 180), word("//", 360 + 180, 60), word("NOFORN", 660, 180)],
            "SECRET // NOFORN",
            id="typed spaces around slashes are kept",
        ),
        pytest.param(
            [word("plans", 300, 150), word("were", 310 + 150, 120)],
            "plans were",
            id="close words without a slash never run together",
        ),
    ],
)
def test_join_words(words: list[Word], expected: str) -> None:
    assert join_words(words) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SECRET//NOFORN", True),
        ("C O N F I D E N T I A L", True),
        ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", True),
        ("1. (U) The talks resumed on Tuesday.", False),
        ("Page 2 of 3", False),
        ("12345", False),
    ],
)
def test_is_banner_like(text: str, expected: bool) -> None:
    assert is_banner_like(text) is expected


WORDS = st.sampled_from(["1.", "(U)", "(S//NF)", "SECRET", "talks", "resumed", "C", "/", "of"])
ROWS = st.lists(
    st.tuples(
        st.integers(1, 3),
        st.integers(1, 2),
        st.integers(1, 4),
        WORDS,
        st.sampled_from([10.0, 50.0, 79.0, 80.0, 96.0]),
    ),
    max_size=40,
).map(sorted)


@settings(max_examples=200, deadline=None)
@given(ROWS)
def test_every_line_opening_with_an_unsure_word_is_under_review(
    rows: list[tuple[int, int, int, str, float]],
) -> None:
    """Fail closed, whatever Tesseract reports: uncertain ranges lie in the text and cover
    every line whose first words hold a word Tesseract was unsure of."""
    read = page_text(table(rows), page=1)
    for doubt in read.uncertain:
        assert 0 <= doubt.start <= doubt.end <= len(read.text)
    lines: dict[tuple[int, int, int], list[float]] = {}
    for block, par, line, _text, conf in rows:
        lines.setdefault((block, par, line), []).append(conf)
    starts, offset = [], 0
    for text_line in read.text.splitlines(keepends=True):
        if text_line.strip():
            starts.append(offset)
        offset += len(text_line)
    assert len(starts) == len(lines)  # one text line per Tesseract line, in order
    for start, confidences in zip(starts, lines.values(), strict=True):
        if any(conf < WORD_CONFIDENCE for conf in confidences[:MARKING_WORDS]):
            assert any(u.start <= start < u.end for u in read.uncertain)
