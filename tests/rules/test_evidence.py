"""Key 2 on its own: what the evidence reader finds, and what it leaves alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from declass.rules.evidence import _DAMAGED, Evidence, _paren_lines, find_evidence
from declass.rules.evidence_meaning import mark_meaning
from declass.rules.fold import _HARMLESS, _needs_folding, fold


def _only(text: str) -> Evidence:
    found = find_evidence(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "level", "controls"),
    [
        ("1. (C) Summary.", "C", ()),
        ("(S//NF) body", "S", ("NOFORN",)),
        ("text then (S//NF) in the middle", "S", ("NOFORN",)),
        ("(s//nf) lower case", "S", ("NOFORN",)),
        ("( S // NF ) extra spaces", "S", ("NOFORN",)),
        ("(S//\nNF) wrapped over two lines", "S", ("NOFORN",)),
        ("(//GBR S) foreign government", "S", ()),
        ("(//NS) NATO secret", "S", ()),
        ("(//JOINT S USA GBR) joint", "S", ()),
        ("(TS//SI//NF) compartments", "TS", ("SI", "NOFORN")),
        ("(C/NF) single slash", "C", ("NOFORN",)),
        ("(S//REL TO USA, GBR) partner", "S", ("REL TO",)),
        ("(U//FOUO) controlled", "U", ("FOUO",)),
        ("(FOUO) short form", "U", ("FOUO",)),
        ("(LOU) short form", "U", ("LOU",)),
        ("(SBU) short form", "U", ("SBU",)),
        ("(U//DOD UCNI) nuclear", "U", ("UCNI",)),
        ("(Secret) spelled out", "S", ()),
        ("S) text: the opening parenthesis lost", "S", ()),
        ("(S//NF text: the closing parenthesis lost", "S", ("NOFORN",)),
        ("> (S//NF) a quoted reply", "S", ("NOFORN",)),
        ("| (S) a table cell |", "S", ()),
        ("2. (c) a lower-case mark opening a paragraph", "C", ()),
    ],
)
def test_portion_marks_in_any_position_and_form(
    text: str, level: str, controls: tuple[str, ...]
) -> None:
    token = _only(text)
    assert (token.kind, token.level, token.controls) == ("portion", level, controls)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("SECRET//NOFORN", "S"),
        ("Secret/Noforn", "S"),
        ("SECRET NOFORN", "S"),
        ("Top Secret//SCI", "TS"),
        ("CUI//SP-PRVCY", "U"),
        ("Classification: Secret", "S"),
        ("CLASSIFICATION: CONFIDENTIAL//NOFORN", "C"),
        ("C O N F I D E N T I A L SECTION 01 OF 02 PARIS 001234", "C"),
        ("S E C R E T", "S"),
        ("CONFIDENTIAL", "C"),
        ("  > SECRET//REL TO USA, GBR", "S"),
    ],
)
def test_banner_like_lines_in_any_spelling(text: str, level: str) -> None:
    token = _only(text)
    assert (token.kind, token.level) == ("banner", level)


@pytest.mark.parametrize(
    ("text", "control"),
    [
        ("this memo is FOUO and", "FOUO"),
        ("this cable is sensitive but\nunclassified and", "SBU"),
        ("marked for official use only by", "FOUO"),
        ("a Limited Official Use cable", "LOU"),
        ("an LES report", "LES"),
        ("mentions SSI here", "SSI"),
        ("and UCNI too", "UCNI"),
        ("the SBU caption", "SBU"),
    ],
)
def test_control_words_in_prose(text: str, control: str) -> None:
    token = _only(text)
    assert (token.kind, token.controls) == ("control", (control,))


@pytest.mark.parametrize(
    "text",
    [
        "(a) one, (b) two and (c) three in prose",
        "Classified By: Amb. X, reasons 1.4(b) and (d).",
        "REASONS 1.4 (B), (C) AND (D)",
        "REF: (A) MADRID 3785 (B) MADRID 3566 (C) SECSTATE 1234",
        "Microsoft Word(R) and (See below) and (S and T)",
        "the U.S. (U.S. only) position",
        "Secret talks began in Geneva today",
        "SECRET TALKS BEGAN IN GENEVA TODAY AS BOTH SIDES MET",
        "a secret (a novel) by",
        "the Special Envoy for Guantanamo (S/GC) said",
        "Les Miserables and Lou Reed",
        "(b)(1) 1.4(b), 1.4(d)",
    ],
)
def test_prose_is_not_evidence(text: str) -> None:
    assert find_evidence(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "(\uff33//\uff2e\uff26) full-width",  # （Ｓ//ＮＦ）
        "(\u0405//NF) Cyrillic DZE for S",
        "(\u0421) Cyrillic ES for C",
        "(S\u200b//NF) zero-width space",
        "(S\u00ad//NF) soft hyphen",
        "(\u202eS//NF) bidi override",
        "(S\u0301//NF) combining accent",
        "\ufe59S\ufe5a small parentheses",
    ],
)
def test_look_alikes_and_format_characters_fold(text: str) -> None:
    token = _only(text)
    assert token.level in {"S", "C"}
    assert token.kind == "portion"
    assert text[token.start] in "(\ufe59" or token.start <= text.index(")")


def test_offsets_point_into_the_original_text() -> None:
    prefix = "caf\u00e9 \u200b\u200b na\u00efve \uff08\uff33\uff09 "
    text = prefix + "1. (C) here"
    tokens = find_evidence(text)
    assert [t.level for t in tokens] == ["S", "C"]
    assert text[tokens[1].start : tokens[1].end] == "(C)"
    assert text[tokens[0].start : tokens[0].end] == "\uff08\uff33\uff09"


def test_line_end_hyphenation_is_joined() -> None:
    text = "a line that ends CONFI-\nDENTIAL\nand NO-\nFORN here"
    folded = fold(text)
    assert "CONFIDENTIAL" in folded.text and "NOFORN" in folded.text
    tokens = find_evidence(text, context=False)
    assert [t.level for t in tokens if t.kind == "banner"] == ["C"]
    assert [t.controls for t in tokens if t.kind == "control"] == [("NOFORN",)]
    assert text[tokens[-1].start : tokens[-1].end] == "NO-\nFORN"


def test_counting_mode_ignores_line_context() -> None:
    """Without context every mark counts, however lines are broken: a renderer that wraps
    differently cannot change the count."""
    one_line = "REF: (A) X 1 (B) Y 2 (C) Z 3 and a secret"
    wrapped = "REF: (A) X 1 (B) Y 2\n(C) Z 3 and a\nsecret"
    keys = [t.key for t in find_evidence(one_line, context=False)]
    assert keys == [t.key for t in find_evidence(wrapped, context=False)]
    assert (False, "C", ()) in keys and (False, "S", ()) in keys


def test_ascii_text_needs_no_map() -> None:
    folded = fold("plain (S) text")
    assert folded.layers == () and folded.original(7) == 7


def _one_pass(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _DAMAGED.finditer(text)]


def _line_by_line(text: str) -> list[tuple[int, int]]:
    return [
        match.span()
        for start, end in _paren_lines(text)
        for match in _DAMAGED.finditer(text, start, end)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "\nS) the first line, the opening parenthesis lost",
        "\nno mark here\n(S//NF the last line, no break after it",
        "\nno mark here\n(S//NF\nthe break right after the mark",
        "\nprose. (C continues after a sentence end\n\n1. C) numbered\n- (TS bullet\n",
        "\n(C) whole\n(C) marks\n(U) on every line. S) and a damaged one",
    ],
)
def test_damaged_marks_scan_only_lines_with_a_parenthesis(text: str) -> None:
    """The damaged-mark scan skips lines without ``(`` or ``)`` and misses nothing by it."""
    assert _one_pass(text)  # each case holds a damaged mark
    assert _line_by_line(text) == _one_pass(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="()\n\t .;:>-1ioSCUTNFsc/LBOab", max_size=120))
def test_damaged_marks_line_scan_matches_one_pass(body: str) -> None:
    text = "\n" + body
    assert _line_by_line(text) == _one_pass(text)


def _needs_folding_reference(text: str) -> bool:
    """The definition: more characters beyond ASCII than harmless punctuation accounts for."""
    beyond = sum(not ch.isascii() for ch in text)
    return beyond > sum(ch in _HARMLESS for ch in text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from([*_HARMLESS, "a", " ", "\n", "é", "С", "\u200b", "—"])))
def test_needs_folding_stops_counting_only_when_it_may(text: str) -> None:
    """The count stops early once the harmless characters account for all beyond ASCII."""
    assert _needs_folding(text) == _needs_folding_reference(text)


_MARKISH = st.sampled_from(
    [*"()SCURscabBP/", "TS", "//", "NF", "GC", "REL TO", "USA", "FOUO", " ", "\n", "1.4", ". "]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_MARKISH, max_size=30))
def test_context_only_takes_a_mark_meaning_away(pieces: list[str]) -> None:
    """The reader reads each group's context-free meaning once and drops groups that mean
    nothing without context: right only while context can turn a meaning into none and
    never into another."""
    text = "".join(pieces)
    for start in (i for i, ch in enumerate(text) if ch == "("):
        inner = text[start + 1 : text.find(")", start) if ")" in text[start:] else len(text)]
        bare = mark_meaning(inner, text, start, False)
        in_context = mark_meaning(inner, text, start, True)
        assert in_context is None or in_context == bare
