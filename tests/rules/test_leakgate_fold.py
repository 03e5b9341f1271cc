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

from declass.rules.leakgate import fold

_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n\s*(\w)")


def reference(text: str) -> list[str]:
    return re.findall(r"\w+", _HYPHEN_BREAK.sub(r"\1\2", text).casefold())


ALPHABET = st.sampled_from(
    list("aZ09_ -\t\n.,()/'") + list("¶§–—‘’“”•·…\u00a0") + ["é", "ß", "İ", "Ω", "٣", "\u200b"]
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
