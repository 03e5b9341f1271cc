"""The gate's word folding: a fast path for ASCII text, the same words as the reference.

``fold`` splits nearly every cable by one byte translation instead of the
``\\w+`` regular expression; the words must be exactly those of the reference
(line-end hyphenation undone, then ``\\w+`` over the case-folded text), or the
gate would miss a run.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from declass.rules.leakgate import _HYPHEN_BREAK as GATE_HYPHEN_BREAK
from declass.rules.leakgate import fold, join_hyphens

_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n\s*(\w)")


def reference(text: str) -> list[str]:
    text = text.replace("\ufffe", "-\n")  # PDFium's line-end hyphen
    return re.findall(r"\w+", _HYPHEN_BREAK.sub(r"\1\2", text).casefold())


ALPHABET = st.sampled_from(
    list("aZ09_ -\t\n.,()/'")
    + list("¶§–—‘’“”•·…\u00a0")
    + ["é", "ß", "İ", "Ω", "٣", "\u200b", "\ufffe"]
)


@given(st.text(alphabet=ALPHABET, max_size=80))
@settings(max_examples=400)
def test_fold_gives_the_reference_words(text: str) -> None:
    assert fold(text) == reference(text)


def test_a_cable_line_folds_on_the_fast_path_as_the_reference_does() -> None:
    line = "¶2. (C) Ferrand-Quillet said the GOF’s “quiet pressure” would con-\n tinue."
    assert fold(line) == reference(line)
    assert "continue" in fold(line)


def test_text_outside_ascii_words_folds_by_the_reference() -> None:
    line = "STRASSE Straße İstanbul ÉCOLE"
    assert fold(line) == reference(line)
    assert fold(line)[:2] == ["strasse", "strasse"]


HYPHENS = st.sampled_from(
    ["-", "-", " ", "\t", "\n", "\n", "a", "Z", "_", "é", "٣", "\u3000", ".", "\r"]
)


@given(st.text(alphabet=HYPHENS, max_size=60))
@settings(max_examples=600)
def test_join_hyphens_is_the_pattern_substitution(text: str) -> None:
    """Chains (``a-\\nb-\\nc``), hyphens at either end, white space of every kind."""
    assert join_hyphens(text) == GATE_HYPHEN_BREAK.sub(r"\1\2", text)
    assert GATE_HYPHEN_BREAK.pattern == _HYPHEN_BREAK.pattern


def test_join_hyphens_chains_as_the_substitution_does() -> None:
    for text in ["a-\nb-\nc", "con-\n  tinue", "-\nx", "x-\n", "x-\n\n\t y", "a- \t\n_b", "a--\nb"]:
        assert join_hyphens(text) == _HYPHEN_BREAK.sub(r"\1\2", text)
    assert join_hyphens("a-\nb-\nc") == "ab-\nc"


def test_pdfium_line_end_hyphen_folds_as_the_hyphen_it_stands_for() -> None:
    """PDFium reads ``juris-\\ndiction`` as ``juris\\ufffediction``: the gate must see the
    joined word the withheld text folds to, or a run across that line end goes unseen."""
    withheld = "the embassy asserted jurisdiction over the"
    assert fold("the embassy asserted juris\ufffediction over the") == fold(withheld)
    assert fold("asserted juris-\ndiction over") == fold("asserted juris\ufffediction over")
