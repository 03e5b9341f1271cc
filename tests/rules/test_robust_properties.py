"""Robustness on hostile text: the parser and the engine never crash, segments tile,
and the release never over-releases however the prose around the markings is mangled.

The generated cables of :mod:`tests.release_documents` carry a unique token on
every line, so what must be withheld is known from first principles
(:func:`tests.test_release_properties.must_withhold`). Here their prose is
salted with adversarial noise — markings, half instructions and banners in the
middle of lines, NUL and other control characters, right-to-left and combining
marks, nested parentheses, 100,000-character runs — and their line ends are
mixed (LF, CRLF, CR), and still no token that must be withheld may come out.
"""

from __future__ import annotations

import datetime as dt
import re
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from declass.rules.engine import decide
from declass.rules.errors import InputError
from declass.rules.leakgate import _grams
from declass.rules.overrides import find_spans
from declass.rules.parse import normalise, parse_document
from declass.rules.policy import load_policy
from declass.rules.release import PatternRedaction, PhraseRedaction, RangeRedaction, Redaction
from declass.service.pipeline import run
from tests.conftest import assert_tiling
from tests.release_documents import Cable, cables
from tests.test_release_properties import must_withhold

PUBLIC = load_policy("public")
PARTNER = load_policy("partner-gbr-secret")
AS_OF = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2045, 12, 31))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

#: Noise for the middle of a line of prose (never a line break: a line that *starts*
#: with a marking is a new portion, which is the parser doing its job; so is a pilcrow
#: paragraph ``¶3. (U)`` in mid-line, as flattened cables run paragraphs together, so
#: that one is in :data:`HOSTILE` only).
NOISE = [
    "(C)",
    "(S//NF)",
    "(U)",
    "(TS//SI)",
    "((S))",
    "(((",
    ")))",
    "(U.S.)",
    "1. (U)",
    "UNCLASSIFIED",
    "U N C L A S",
    "S E C R E T",
    "E.O. 12958: DECL: 01/01/1999",
    "DECL: 08/25/2001",
    "E.O. 12958: N/A",
    "Classified By: nobody",
    "SUBJECT: (U) nothing",
    "TAGS: PREL",
    "\x00",
    "\x01",
    "\x07",
    "\x1b[31m",
    "\t",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    "\u2029",
    "\u200f",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\u0301\u0301\u0301",
    "\u0651",
    "עברית",
    "العربية (س)",
    "e\u0301",
    "\U0001f600",
]
LONG = "lorem ipsum " * 8_400  # a 100,800-character run


@st.composite
def noisy(draw: st.DrawFn) -> Cable:
    """A generated cable whose token lines carry noise after the token, with mixed line ends."""
    cable = draw(cables())
    tokens = set(cable.tokens)
    lines = cable.text.split("\n")
    for i, line in enumerate(lines):
        match = re.search(r"TOK\d{4}X", line)
        if match is None or match.group() not in tokens or not draw(st.booleans()):
            continue
        pieces = draw(st.lists(st.sampled_from(NOISE), min_size=1, max_size=4))
        if draw(st.integers(0, 19)) == 0:
            pieces.append(LONG)
        lines[i] = f"{line[: match.end()]} {' '.join(pieces)} {line[match.end() :]}"
    ends = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(lines)))
    for i in range(len(lines) - 1):  # CR then an empty line's LF would read as one CRLF
        if ends[i] == "\r" and not lines[i + 1] and ends[i + 1] == "\n":
            ends[i] = "\r\n"
    cable.text = "".join(line + end for line, end in zip(lines, ends, strict=False))
    return cable


@SETTINGS
@given(cable=noisy(), as_of=AS_OF, partner=st.booleans())
def test_noise_in_the_prose_never_causes_an_over_release(
    cable: Cable, as_of: dt.date, partner: bool
) -> None:
    policy = PARTNER if partner else PUBLIC
    data = cable.text.encode("utf-8")
    text_out = run(data, policy, as_of, fmt="text").output.decode("utf-8")
    json_out = run(data, policy, as_of, fmt="json").output.decode("utf-8")
    for portion in cable.portions:
        if must_withhold(cable, portion, as_of, partner):
            for token in portion.tokens:
                assert token not in text_out, f"over-release of {token} ({portion.mark})"
                assert token not in json_out, f"over-release in JSON of {token}"


#: Raw text with markings, parentheses and controls anywhere, line ends of every kind.
HOSTILE = st.lists(
    st.one_of(
        st.sampled_from([*NOISE, "\n", "\r\n", "\r", "\n\n", "(", ")", "¶", "¶3. (U)", "A."]),
        st.text(max_size=8),
        st.integers(1, 12).map(lambda n: "(" * n + "C" + ")" * n),
        st.integers(1, 3).map(lambda n: "x" * (30_000 * n)),
    ),
    max_size=40,
).map("".join)


@SETTINGS
@given(raw=HOSTILE, as_of=AS_OF, partner=st.booleans())
def test_hostile_text_never_crashes_and_tiles(raw: str, as_of: dt.date, partner: bool) -> None:
    data = raw.encode("utf-8", "surrogatepass")
    try:
        text = normalise(data)
    except InputError:
        return  # empty or not UTF-8: refused with a clear error, which is the point
    document = parse_document(text)
    assert_tiling(document, text)
    policy = PARTNER if partner else PUBLIC
    release = decide(document, text, policy, as_of)
    assert [d.segment for d in release.decisions] == [s.id for s in document.segments]
    assert run(data, policy, as_of, fmt="text").output


def test_a_million_blank_lines() -> None:
    text = "C O N F I D E N T I A L\n\n¶1. (C) The secret plan.\n" + "\n" * 1_000_000
    text += "¶2. (U) The embassy will host a reception.\n"
    started = time.perf_counter()
    document = parse_document(text)
    assert_tiling(document, text)
    output = run(text.encode("utf-8"), PUBLIC, dt.date(2010, 1, 1)).output.decode("utf-8")
    assert "secret plan" not in output
    assert "host a reception" in output
    assert time.perf_counter() - started < 30


def test_a_hundred_thousand_character_line_in_a_withheld_portion() -> None:
    body = "VELMORIA " * 12_000
    text = f"S E C R E T\n\n¶1. (S) {body}\n¶2. (U) The embassy will host a reception.\n"
    output = run(text.encode("utf-8"), PUBLIC, dt.date(2010, 1, 1)).output.decode("utf-8")
    assert "VELMORIA" not in output
    assert "host a reception" in output


# -- span redactions: the clipping to released segments ---------------------------------


def naive_spans(
    text: str, hits: list[tuple[int, int]], segments: list[tuple[int, int, str]]
) -> list[tuple[str, int, int]]:
    """The clipping as first written: every hit against every released segment."""
    return [
        (seg, max(s, lo), min(e, hi))
        for s, e in hits
        for lo, hi, seg in segments
        if s < hi and e > lo and text[max(s, lo) : min(e, hi)].strip()
    ]


@SETTINGS
@given(cable=cables(), as_of=AS_OF, data=st.data())
def test_span_clipping_matches_the_all_pairs_definition(
    cable: Cable, as_of: dt.date, data: st.DataObject
) -> None:
    text = cable.text
    document = parse_document(text)
    decisions = decide(document, text, PUBLIC, as_of).decisions
    starts = data.draw(st.lists(st.integers(0, len(text) - 1), max_size=12))
    ranges = [(s, data.draw(st.integers(s + 1, min(len(text), s + 400)))) for s in starts]
    redactions: list[Redaction] = [
        RangeRedaction(start=s, end=e, exemption="(b)(6)") for s, e in ranges
    ]
    redactions += [
        PhraseRedaction(phrase=data.draw(st.sampled_from(cable.tokens)), exemption="(b)(6)"),
        PatternRedaction(pattern=r"TOK\d+X \w+", exemption="(b)(7)(C)"),
    ]
    spans, _ = find_spans(text, document, decisions, redactions)
    released = [
        (s.start, s.end, s.id)
        for s, d in zip(document.segments, decisions, strict=True)
        if d.action == "release" and s.kind != "banner"
    ]
    expected: set[tuple[str, int, int]] = set()
    for redaction in redactions:
        if isinstance(redaction, RangeRedaction):
            hits = [(redaction.start, redaction.end)]
        else:
            pattern = (
                re.escape(redaction.phrase)
                if isinstance(redaction, PhraseRedaction)
                else redaction.pattern
            )
            hits = [m.span() for m in re.finditer(pattern, text)]
        expected.update(naive_spans(text, hits, released))
    covered = {(s.segment, i) for s in spans for i in range(s.start, s.end)}
    assert covered == {(seg, i) for seg, lo, hi in expected for i in range(lo, hi)}


# -- the leak gate's runs of words ----------------------------------------------------


@SETTINGS
@given(words=st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=30), size=st.integers(1, 9))
def test_leak_gate_runs_are_every_window(words: list[str], size: int) -> None:
    expected = [tuple(words[i : i + size]) for i in range(len(words) - size + 1)]
    assert list(_grams(words, size)) == expected
