"""Key 2's control phrases: the ``str.find`` reading gives exactly the reference pattern's."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from declass.rules.evidence_words import (
    PHRASES,
    control_phrases,
    control_phrases_by_pattern,
)

_PHRASE_WORDS = sorted({word for _, phrases in PHRASES for words in phrases for word in words})
#: White space of every kind ``\s`` knows, and characters that are nearly white space.
_SPACES = [" ", "  ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\u00a0", "\u2028", "\u3000", "\x1c"]
_NEAR = ["", "_", "-", "/", "(", ")", ".", "x", "é", "2", "\u200b", "\u00ad", "Ⅼ", "²", "ſ"]
#: Whole words, words a letter short at either end, white space and near misses.
_PIECES = [*_PHRASE_WORDS, *(w[:-1] for w in _PHRASE_WORDS), *(w[1:] for w in _PHRASE_WORDS)]
_PHRASE_PIECES = st.sampled_from([*_PIECES, *_SPACES, *_NEAR])


@settings(max_examples=600, deadline=None)
@given(st.lists(_PHRASE_PIECES, max_size=40))
def test_control_phrases_match_the_patterns(pieces: list[str]) -> None:
    lower = "".join(pieces)
    assert control_phrases(lower) == control_phrases_by_pattern(lower)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_both_readings_agree_on_any_text(text: str) -> None:
    assert control_phrases(text.lower()) == control_phrases_by_pattern(text.lower())


@pytest.mark.parametrize(
    "lower",
    [
        "law enforcement sensitive but unclassified",  # two rows share "sensitive"
        "law enforcement sensitive security information",
        "for  official\tuse\nonly and limited official use",
        "limited official use only",
        "for official use onlyfor official use only",
        "sensitive\u3000but\u00a0unclassified",
        "not releasable to foreign nationals, not  releasable\nto foreign nationals",
        "controlled unclassified information controlled unclassified informations",
        "xfor official use only",  # no word boundary asked for: still a phrase
        "for official use",  # one word short
        "official use only",
    ],
)
def test_control_phrases_adversarial(lower: str) -> None:
    assert control_phrases(lower) == control_phrases_by_pattern(lower)


def test_both_readings_find_something() -> None:
    """The cases above are not all empty: the readings agree on real finds too."""
    assert [h[2] for h in control_phrases("law enforcement sensitive but unclassified")] == [
        "SBU",
        "LES",
    ]
