"""Span redactions find a name however the document spells it.

A phrase redaction must match across NFC and NFD forms, zero-width
characters, soft hyphens, line-end hyphenation and line breaks, and withhold
the whole of the original spelling, in the text, the JSON report and the PDF.
Each output is folded the same way before it is searched, so a name that
survives in any of those spellings fails the test.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from declass.rules.policy import load_policy
from declass.rules.release import PatternRedaction, PhraseRedaction
from declass.rules.textfold import INVISIBLE, fold_text
from declass.service.pipeline import Format, run
from declass.service.render.pdf import pdf_text

PUBLIC = load_policy("public")
AS_OF = dt.date(2010, 1, 1)
HEAD = (
    "C O N F I D E N T I A L PARIS 001234\n\n"
    "E.O. 12958: DECL: 08/25/2016\n"
    "TAGS: PREL FR\n\n"
    "¶1. (C) The minister met the delegation in private.\n\n"
    "¶2. (U) The embassy hosted {name} at a reception;\n"
    "she spoke briefly.\n"
)
NFC_NAME = unicodedata.normalize("NFC", "Aurélia Bouchez")
NFD_NAME = unicodedata.normalize("NFD", "Aurélia Bouchez")

SPELLINGS = {
    "nfc": NFC_NAME,
    "nfd": NFD_NAME,
    "zero-width-space": "Aurélia Bou\u200bchez",
    "zero-width-non-joiner": "Aurélia Bou\u200cchez",
    "zero-width-joiner": "Aurélia Bou\u200dchez",
    "word-joiner": "Aurélia Bou\u2060chez",
    "byte-order-mark": "Aurélia Bouc\ufeffhez",
    "soft-hyphen": "Aurélia Bou\u00adchez",
    "soft-hyphen-at-line-end": "Aurélia Bou\u00ad\nchez",
    "line-end-hyphenation": "Aurélia Bou-\nchez",
    "hyphenation-indented": "Aurélia Bou-\n    chez",
    "hyphenation-in-accented-word": "Auré-\nlia Bouchez",
    "line-break-between-words": "Aurélia\nBouchez",
    "nfd-and-hyphenation": unicodedata.normalize("NFD", "Auré-\nlia Bou\u200b-\nchez"),
    "fullwidth": "Aurélia Ｂｏｕｃｈｅｚ",
}


def visible(output: str) -> str:
    """``output`` as a reader sees it: compatibility forms, accents, invisible
    characters and line-end hyphenation folded away, case ignored."""
    text = unicodedata.normalize("NFKD", output)
    text = "".join(c for c in text if not unicodedata.combining(c) and c not in INVISIBLE)
    return re.sub(r"(\w)-[ \t]*\n\s*(\w)", r"\1\2", text).casefold()


def emitted(outcome_output: bytes, fmt: Format) -> str:
    if fmt == "pdf":
        return pdf_text(outcome_output)
    if fmt == "json":
        return json.loads(outcome_output)["text"]  # type: ignore[no-any-return]
    return outcome_output.decode("utf-8")


@pytest.mark.parametrize("fmt", ["text", "json", "pdf"])
@pytest.mark.parametrize("phrase", [NFC_NAME, NFD_NAME], ids=["phrase-nfc", "phrase-nfd"])
@pytest.mark.parametrize("spelling", list(SPELLINGS.values()), ids=list(SPELLINGS))
def test_phrase_is_withheld_however_it_is_spelled(spelling: str, phrase: str, fmt: Format) -> None:
    text = HEAD.format(name=spelling)
    redaction = PhraseRedaction(phrase=phrase, exemption="(b)(6)")
    outcome = run(text.encode(), PUBLIC, AS_OF, fmt=fmt, redactions=[redaction])
    seen = visible(emitted(outcome.output, fmt))
    assert "bouchez" not in seen
    assert "aurelia" not in seen
    assert "embassy hosted" in seen and "reception" in seen  # the rest is released
    assert outcome.release.redactions[0].matches == 1
    span = outcome.release.spans[0]
    assert text[span.start : span.end] == spelling  # the whole original spelling, no more


@pytest.mark.parametrize("fmt", ["text", "json", "pdf"])
def test_pattern_matches_the_folded_text_too(fmt: Format) -> None:
    text = HEAD.format(name=SPELLINGS["zero-width-space"])
    redaction = PatternRedaction(pattern=r"\bBouchez\b", exemption="(b)(6)")
    outcome = run(text.encode(), PUBLIC, AS_OF, fmt=fmt, redactions=[redaction])
    assert "bouchez" not in visible(emitted(outcome.output, fmt))


def test_ignore_case_applies_to_the_folded_text() -> None:
    text = HEAD.format(name="AURÉLIA BOU-\nCHEZ")
    redaction = PhraseRedaction(phrase=NFD_NAME.lower(), exemption="(b)(6)", ignore_case=True)
    output = run(text.encode(), PUBLIC, AS_OF, redactions=[redaction]).output.decode()
    assert "bouchez" not in visible(output)


def test_a_hyphenated_name_broken_at_its_hyphen_is_found() -> None:
    text = HEAD.format(name="Solange Ferrand-\nQuillet")
    redaction = PhraseRedaction(phrase="Ferrand-Quillet", exemption="(b)(6)")
    output = run(text.encode(), PUBLIC, AS_OF, redactions=[redaction]).output.decode()
    assert "quillet" not in visible(output)
    assert "Solange" in output


def test_folding_does_not_reach_other_words() -> None:
    text = HEAD.format(name="Aurélia Bouchard")
    redaction = PhraseRedaction(phrase=NFC_NAME, exemption="(b)(6)")
    outcome = run(text.encode(), PUBLIC, AS_OF, redactions=[redaction])
    assert outcome.release.spans == []
    assert "Aurélia Bouchard" in outcome.output.decode()


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("plain ascii", "plain ascii"),
        ("caf\u00e9", "cafe\u0301"),
        ("cafe\u0301", "cafe\u0301"),
        ("a\u200bb\u00adc\ufeffd", "abcd"),
        ("hyphen-\n  ated", "hyphenated"),
        ("not - \n hyphenated", "not - \n hyphenated"),
        ("end-\n", "end-\n"),
        ("\uff21\uff22", "AB"),
        ("Bou\u200b\u00ad\nchez", "Bouchez"),
        ("x-y \u00b6 caf\u00e9", "x-y \u00b6 cafe\u0301"),
    ],
    ids=[
        "ascii",
        "nfc",
        "nfd",
        "invisibles",
        "hyphen-break",
        "spaced-dash",
        "no-next",
        "wide",
        "invisible-then-soft-hyphen-break",
        "kept-hyphen-and-pilcrow",
    ],
)
def test_fold_text(text: str, folded: str) -> None:
    assert fold_text(text).text == folded


INVISIBLES = st.text(alphabet=INVISIBLE, max_size=3)
LINE_ENDS = st.sampled_from(["", "-\n", "\u00ad\n", "-\n   ", "\u2010\n"])


@settings(max_examples=60, deadline=None)
@given(
    before=st.text(alphabet="ab \n-é\u200b", max_size=20),
    inside=INVISIBLES,
    line_end=LINE_ENDS,
    after=INVISIBLES,
    form=st.sampled_from(["NFC", "NFD"]),
)
def test_every_folded_match_maps_back_to_the_whole_spelling(
    before: str, inside: str, line_end: str, after: str, form: Literal["NFC", "NFD"]
) -> None:
    """The map from the folded text back to the original is exact: the original
    range of a match folds to the match itself."""
    name = unicodedata.normalize(form, "Bou" + inside + line_end + after + "chéz")
    text = f"{before} {name} ."
    folded = fold_text(text)
    target = unicodedata.normalize("NFD", "Bouchéz")
    at = folded.text.index(target)
    lo, hi = folded.original(at, at + len(target))
    assert fold_text(text[lo:hi]).text == target
    assert text[lo:hi].startswith("B") and text[lo:hi].endswith("z")
