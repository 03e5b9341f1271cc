"""Reviewer input: overrides and span redactions, and the clear errors for bad ones."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from declass.rules.errors import RequestError
from declass.rules.policy import load_policy
from declass.rules.release import Override, PatternRedaction, PhraseRedaction, RangeRedaction
from declass.service.pipeline import run

PUBLIC = load_policy("public")
AS_OF = dt.date(2010, 1, 1)
TEXT = (
    "C O N F I D E N T I A L PARIS 001234\n\n"
    "E.O. 12958: DECL: 08/25/2016\n"
    "TAGS: PREL FR\n\n"
    "¶1. (C) The minister met Aurelia Bouchez in secret.\n\n"
    "¶2. (U) The embassy hosted Aurelia Bouchez and aurelia bouchez at a\n"
    "reception; Aurelia\nBouchez spoke briefly.\n"
)


def released(**kwargs: object) -> str:
    return run(TEXT.encode(), PUBLIC, AS_OF, **kwargs).output.decode()  # type: ignore[arg-type]


def segment_id(needle: str) -> str:
    outcome = run(TEXT.encode(), PUBLIC, AS_OF)
    offset = TEXT.index(needle)
    return next(s.id for s in outcome.release.document.segments if s.start <= offset < s.end)


def test_override_releases_a_withheld_paragraph_and_is_recorded() -> None:
    override = Override(
        segment=segment_id("minister"), action="release", reason="FOIA appeal", reviewer="J. Roe"
    )
    outcome = run(TEXT.encode(), PUBLIC, AS_OF, overrides=[override])
    assert "The minister met" in outcome.output.decode()
    decision = outcome.release.decision_for(override.segment)
    assert decision.rule == "public/override-release"
    assert decision.override == override
    assert outcome.report["overrides"][0]["reviewer"] == "J. Roe"


def test_override_withholds_a_released_paragraph() -> None:
    override = Override(segment=segment_id("embassy hosted"), action="withhold", reason="b6")
    output = released(overrides=[override])
    assert "embassy hosted" not in output
    assert "¶2. (U) [3 lines withheld" in output


def test_phrase_redaction_hides_every_occurrence_with_a_fixed_mark() -> None:
    output = released(redactions=[PhraseRedaction(phrase="Aurelia Bouchez", exemption="(b)(6)")])
    assert "Aurelia" not in output and "Aurelia\nBouchez" not in output
    assert "aurelia bouchez" in output  # case matters unless asked otherwise
    assert output.count("[(b)(6)]") == 2


def test_phrase_redaction_can_ignore_case() -> None:
    phrase = PhraseRedaction(phrase="aurelia bouchez", exemption="(b)(6)", ignore_case=True)
    output = released(redactions=[phrase])
    assert "ouchez" not in output
    assert output.count("[(b)(6)]") == 3


def test_pattern_and_range_redactions() -> None:
    start = TEXT.index("reception")
    output = released(
        redactions=[
            PatternRedaction(pattern=r"emb\w+", exemption="(b)(5)"),
            RangeRedaction(start=start, end=start + len("reception"), exemption="(b)(6)"),
        ]
    )
    assert "embassy" not in output and "reception" not in output
    assert "[(b)(5)]" in output and "[(b)(6)]" in output


def test_span_marks_have_a_fixed_width_whatever_they_hide() -> None:
    short = released(redactions=[PhraseRedaction(phrase="at", exemption="(b)(6)")])
    long = released(redactions=[PhraseRedaction(phrase="reception", exemption="(b)(6)")])
    assert "[(b)(6)]" in short and "[(b)(6)]" in long
    assert len(short.replace("at", "")) != len(long)  # the marks themselves are identical


def test_report_never_carries_the_requested_phrase() -> None:
    outcome = run(
        TEXT.encode(),
        PUBLIC,
        AS_OF,
        fmt="json",
        redactions=[PhraseRedaction(phrase="Aurelia Bouchez", exemption="(b)(6)")],
    )
    body = outcome.output.decode()
    assert "Aurelia" not in body
    assert outcome.report["redactions"][0] == {
        "request": 0,
        "type": "phrase",
        "exemption": "(b)(6)",
        "matches": 3,
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param(
            {"overrides": [Override(segment="s999", action="release")]},
            "unknown segment 's999'",
            id="unknown-segment",
        ),
        pytest.param(
            {
                "overrides": [
                    Override(segment="s002", action="release"),
                    Override(segment="s002", action="withhold"),
                ]
            },
            "disagree",
            id="contradictory-overrides",
        ),
        pytest.param(
            {"overrides": [Override(segment="s001", action="withhold")]},
            "banner line",
            id="override-of-a-banner",
        ),
        pytest.param(
            {"redactions": [RangeRedaction(start=5, end=10_000, exemption="(b)(6)")]},
            "outside the text",
            id="range-outside",
        ),
        pytest.param(
            {"redactions": [PatternRedaction(pattern="(unclosed", exemption="(b)(6)")]},
            "invalid pattern",
            id="bad-pattern",
        ),
        pytest.param(
            {"redactions": [PatternRedaction(pattern="(?<=a)b", exemption="(b)(6)")]},
            "unsupported",
            id="lookbehind",
        ),
        pytest.param(
            {"redactions": [PatternRedaction(pattern=r"(\w)\1", exemption="(b)(6)")]},
            "unsupported",
            id="backreference",
        ),
        pytest.param(
            {"redactions": [PatternRedaction(pattern="a{4294967295}", exemption="(b)(6)")]},
            "too large",
            id="repetition-too-large",
        ),
    ],
)
def test_bad_reviewer_input_is_a_clear_error(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(RequestError) as caught:
        run(TEXT.encode(), PUBLIC, AS_OF, **kwargs)  # type: ignore[arg-type]
    assert message in caught.value.message
    assert "minister" not in caught.value.message


def test_request_shapes_are_validated() -> None:
    with pytest.raises(ValidationError):
        RangeRedaction(start=10, end=5, exemption="(b)(6)")
    with pytest.raises(ValidationError):
        Override(segment="s001", action="review")
    with pytest.raises(ValidationError):
        PhraseRedaction(phrase="", exemption="(b)(6)")
