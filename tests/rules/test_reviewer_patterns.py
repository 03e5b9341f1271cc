"""Reviewers' patterns run on RE2: linear by construction, refusals are 422s, never 500s.

The patterns that made Python's ``re`` quadratic or worse run to completion
on a 200 kB text (asserted by their result, not by a clock: a backtracking
engine would not finish this suite). What RE2 cannot express is refused as
unsupported, a repetition or program too large for it as too large. The
reviewer's meaning is kept: case-insensitive matching, Unicode ``\\w``,
code-point offsets, and matches through the folded text.
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient

from declass.rules.errors import RequestError
from declass.rules.pattern import PatternError, compile_pattern, translate
from declass.rules.policy import load_policy
from declass.rules.release import PatternRedaction
from declass.service import pipeline

SIZE = 200_000
RUN = "a" * SIZE


def spans(pattern: str, text: str, ignore_case: bool = False) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in compile_pattern(pattern, ignore_case).finditer(text)]


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        pytest.param(r"(a{1000})*b", RUN, [], id="repeated-group-no-b"),
        pytest.param(r"(a{1000})*b", RUN + "b", [(0, SIZE + 1)], id="repeated-group-then-b"),
        pytest.param(r"a{1000}b", RUN, [], id="counted-run-no-b"),
        pytest.param(r"a{1000}b", RUN + "b", [(SIZE - 1000, SIZE + 1)], id="counted-run-b"),
        pytest.param(r"[ab]*[ac]*d", RUN, [], id="class-pair"),
        pytest.param(r"[ab]*[ac]*d", RUN + "d", [(0, SIZE + 1)], id="class-pair-then-d"),
        pytest.param(r"(a+)+$", RUN + "!", [], id="nested-plus"),
        pytest.param(r"\w+\s", RUN, [], id="word-then-space"),
        pytest.param(r"\S+@\S+", RUN, [], id="address-without-at"),
        pytest.param(r".*.*.*=", RUN, [], id="stars"),
    ],
)
def test_once_quadratic_patterns_complete_on_200_kb(
    pattern: str, text: str, expected: list[tuple[int, int]]
) -> None:
    assert spans(pattern, text) == expected


def test_address_pattern_now_works() -> None:
    text = "write to aurelia@velmoria.example or call"
    assert spans(r"\S+@\S+", text) == [(9, 33)]


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?<!\d)\d+-\d+",
        r"(?<=Mr\. )\w+",
        r"Velmoria(?= pipeline)",
        r"Velmoria(?! pipeline)",
        r"(\w)\1",
        r"(?P<n>a)(?P=n)",
        r"a++b",
        r"a*+b",
        r"(?>a+)b",
        r"(a)?(?(1)b|c)",
    ],
)
def test_what_re2_cannot_express_is_unsupported(pattern: str) -> None:
    with pytest.raises(PatternError) as caught:
        compile_pattern(pattern, ignore_case=False, request=3)
    assert caught.value.code == "pattern-unsupported"
    assert caught.value.field == "redactions.3.pattern"
    assert "lookbehind" in caught.value.message
    assert pattern not in caught.value.message


@pytest.mark.parametrize(
    "pattern",
    ["a{4294967295}", "a{4294967296}", "a{1,4294967295}", "a{1001}", "(a{1000}){1000}"],
)
def test_too_large_repetition_is_refused(pattern: str) -> None:
    with pytest.raises(PatternError) as caught:
        compile_pattern(pattern, ignore_case=False)
    assert caught.value.code == "pattern-too-large"


def test_too_large_program_is_refused() -> None:
    with pytest.raises(PatternError) as caught:
        compile_pattern(r"(\w{1000}){1000}" * 2, ignore_case=False)
    assert caught.value.code == "pattern-too-large"


@pytest.mark.parametrize("pattern", ["(unclosed", "[z-a]", "*a"])
def test_invalid_pattern_is_a_request_error(pattern: str) -> None:
    with pytest.raises(RequestError) as caught:
        compile_pattern(pattern, ignore_case=False)
    assert caught.value.field == "redactions.0.pattern"


def test_offsets_are_code_points() -> None:
    text = "Zoë Ångström met Ørsted: Ørsted agreed."
    assert spans(r"Ørsted", text) == [(17, 23), (25, 31)]
    assert spans(r"ångström", text, ignore_case=True) == [(4, 12)]


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        pytest.param(r"\w+", "Ångström", [(0, 8)], id="word-is-unicode"),
        pytest.param(r"\d+", "٣٤٥ x", [(0, 3)], id="digit-is-unicode"),
        pytest.param(r"a\sb", "a\u00a0b", [(0, 3)], id="space-is-unicode"),
        pytest.param(r"[\w-]+", "Ferrand-Quillet é", [(0, 15), (16, 17)], id="in-a-class"),
        pytest.param(r"\W", "é!", [(1, 2)], id="not-word"),
        pytest.param(r"x\Z", "x\nx", [(2, 3)], id="end-of-text"),
        pytest.param(r"[]a]+", "]a]", [(0, 3)], id="bracket-first-in-class"),
        pytest.param(r"[[:digit:]]+", "a12", [(1, 3)], id="posix-class"),
        pytest.param(r"\p{Greek}+", "abc αβγ", [(4, 7)], id="unicode-property"),
    ],
)
def test_python_class_meanings_are_kept(
    pattern: str, text: str, expected: list[tuple[int, int]]
) -> None:
    assert spans(pattern, text) == expected


def test_translation_leaves_escaped_backslashes_alone() -> None:
    assert translate(r"\\w") == r"\\w"
    assert translate(r"\Q\w\E") == r"\Q\w\E"


PUBLIC = load_policy("public")
CABLE = (
    "UNCLASSIFIED\n\n"
    "1. (U) The envoy Aurelie Bou\u00adchez (AB) met Ms. BOUCHEZ's staff; "
    "write to aurelie@velmoria.example.\n"
)


def test_patterns_match_through_the_folded_text() -> None:
    """A soft hyphen inside the name: the raw text does not match, the folded text does."""
    redaction = PatternRedaction(pattern=r"aurelie\s+bouchez", exemption="(b)(6)", ignore_case=True)
    outcome = pipeline.run(CABLE.encode(), PUBLIC, dt.date(2020, 1, 1), redactions=[redaction])
    text = outcome.output.decode()
    assert "Aur" not in text and "chez (AB)" not in text
    assert "[(b)(6)] (AB)" in text
    assert "BOUCHEZ's" in text  # not the whole pattern: released


def test_http_pattern_refusals_are_422s(client: FlaskClient) -> None:
    text = "UNCLASSIFIED\n\n1. (U) aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n"
    for pattern, code in [
        (r"(?<=a)b", "pattern-unsupported"),
        ("a{4294967295}", "pattern-too-large"),
        (r"(\w)\1", "pattern-unsupported"),
    ]:
        body = {"text": text, "redactions": [{"pattern": pattern, "exemption": "(b)(6)"}]}
        response = client.post("/v1/redact", json=body)
        assert response.status_code == 422, response.get_data(as_text=True)
        assert response.json is not None
        assert response.json["code"] == code
        assert response.json["field"] == "redactions.0.pattern"


def test_http_pattern_runs_on_a_long_run(client: FlaskClient) -> None:
    text = f"UNCLASSIFIED\n\n1. (U) {'a' * 50_000} mail aurelie@velmoria.example\n"
    body = {
        "text": text,
        "format": "json",
        "redactions": [
            {"pattern": r"a{1000}b", "exemption": "(b)(6)"},
            {"pattern": r"\S+@\S+", "exemption": "(b)(6)"},
        ],
    }
    response = client.post("/v1/redact", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    report = response.json
    assert report is not None
    assert [r["matches"] for r in report["redactions"]] == [0, 1]
    assert "velmoria" not in report["text"]
