"""The project's most important tests: never over-release, and lose nothing.

Generated cables hold a unique token on every line. From first principles
(docs/markings.md 5.2's policy semantics, not the engine's code) each token is either
one that must be withheld or one that must be released; the rendered text and
the JSON report are checked for both, for both shipped policies and any date.
Then, with random reviewer overrides and span redactions, every token must
follow its segment's final decision.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from declass.rules.errors import LeakError
from declass.rules.parse import parse_document
from declass.rules.policy import LoadedPolicy, load_policy
from declass.rules.release import Override, PatternRedaction, PhraseRedaction, RangeRedaction
from declass.service.pipeline import run
from declass.service.render import outputs as renderers
from tests.release_documents import (
    CONTROLLED_MARKS,
    LEVEL_OF_MARK,
    RANK,
    Cable,
    Portion,
    cables,
)

PUBLIC = load_policy("public")
PARTNER = load_policy("partner-gbr-secret")
AS_OF = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2045, 12, 31))
REL_GBR = {"(S//REL TO USA, GBR)", "(S/REL UK)", "(C//REL TO USA, FVEY)"}
NOFORN_MARKS = {"(S/NF)", "(S//NF)", "(C/NF)", "(SBU/NF)"}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def must_withhold(cable: Cable, portion: Portion, as_of: dt.date, partner: bool) -> bool:
    """Whether docs/markings.md 5.2's policy must withhold this portion (first principles)."""
    mark = cable.governing_mark(portion)
    classified_doc = RANK[cable.level] > 0
    own = (mark is not None and portion.mark is not None) or (
        portion.kind in ("sub", "bullet", "continuation") and portion.parent_mark is not None
    )
    captions = set() if own else set(cable.captions) - {"SIPDIS"}
    above = own and mark is not None and RANK[LEVEL_OF_MARK[mark]] > RANK[cable.banner_level]
    if classified_doc and cable.decl_date is not None and cable.decl_date <= as_of:
        controlled = mark in CONTROLLED_MARKS or (mark is None and "SENSITIVE" in captions)
        return controlled or above
    if not classified_doc:
        return bool(captions) if mark is None else mark in CONTROLLED_MARKS
    if mark is None or above:
        return True
    if LEVEL_OF_MARK[mark] == "U":
        return mark in CONTROLLED_MARKS
    if not partner:
        return True
    return RANK[LEVEL_OF_MARK[mark]] > RANK["S"] or mark in NOFORN_MARKS or mark not in REL_GBR


def _check(cable: Cable, policy: LoadedPolicy, as_of: dt.date, partner: bool) -> None:
    text_out = run(cable.text.encode(), policy, as_of, fmt="text").output.decode()
    json_out = run(cable.text.encode(), policy, as_of, fmt="json").output.decode()
    for portion in cable.portions:
        withhold = must_withhold(cable, portion, as_of, partner)
        for token in portion.tokens:
            where = f"{token} ({portion.kind} {portion.mark}) in\n{cable.text}"
            if withhold:
                assert token not in text_out, f"over-release of {where}"
                assert token not in json_out, f"over-release in JSON of {where}"
            else:
                assert token in text_out, f"lost {where}"
                line = next(ln for ln in cable.text.split("\n") if token in ln)
                assert line in text_out.split("\n"), f"released line changed: {line!r}"


@SETTINGS
@given(cable=cables(), as_of=AS_OF)
def test_public_policy_never_over_releases_and_loses_nothing(cable: Cable, as_of: dt.date) -> None:
    _check(cable, PUBLIC, as_of, partner=False)


@SETTINGS
@given(cable=cables(), as_of=AS_OF)
def test_partner_policy_never_over_releases_and_loses_nothing(cable: Cable, as_of: dt.date) -> None:
    _check(cable, PARTNER, as_of, partner=True)


@st.composite
def reviewed(draw: st.DrawFn) -> tuple[Cable, dt.date, list[Override], list[object]]:
    cable = draw(cables())
    as_of = draw(AS_OF)
    document = parse_document(cable.text)
    ids = [s.id for s in document.segments if s.kind != "banner"]
    chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=4))
    overrides = [
        Override(segment=i, action=draw(st.sampled_from(["release", "withhold"])), reason="r")
        for i in chosen
    ]
    redactions: list[object] = []
    if draw(st.booleans()):
        redactions.append(
            PhraseRedaction(phrase=draw(st.sampled_from(cable.tokens)), exemption="(b)(6)")
        )
    if draw(st.booleans()):
        redactions.append(PatternRedaction(pattern=r"TOK00[0-2]\dX", exemption="(b)(7)(C)"))
    if draw(st.booleans()):
        start = draw(st.integers(0, len(cable.text) - 2))
        end = draw(st.integers(start + 1, len(cable.text)))
        redactions.append(RangeRedaction(start=start, end=end, exemption="(b)(6)"))
    return cable, as_of, overrides, redactions


@SETTINGS
@given(case=reviewed(), policy=st.sampled_from([PUBLIC, PARTNER]))
def test_tokens_follow_final_decisions_with_overrides_and_spans(
    case: tuple[Cable, dt.date, list[Override], list[object]], policy: LoadedPolicy
) -> None:
    cable, as_of, overrides, redactions = case
    outcome = run(
        cable.text.encode(),
        policy,
        as_of,
        fmt="text",
        overrides=overrides,
        redactions=redactions,  # type: ignore[arg-type]
    )
    output = outcome.output.decode()
    release = outcome.release
    decisions = {d.segment: d for d in release.decisions}
    for token in cable.tokens:
        offset = cable.text.index(token)
        segment = next(s for s in release.document.segments if s.start <= offset < s.end)
        spanned = any(s.start < offset + len(token) and s.end > offset for s in release.spans)
        body = offset >= segment.body_start
        if (decisions[segment.id].action != "release" and body) or spanned:
            assert token not in output, f"{token} withheld by {decisions[segment.id].rule}"
        elif decisions[segment.id].action == "release":
            assert token in output, f"{token} released by {decisions[segment.id].rule} but lost"
    if release.spans:
        assert "[(b)(" in output


def test_leak_gate_refuses_a_broken_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "C O N F I D E N T I A L PARIS 001234\n\nE.O. 12958: DECL: 08/25/2036\n\n"
        "¶1. (C) The minister confided a plan to close the northern border crossing next week.\n"
        "¶2. (U) The embassy will host a reception.\n"
    )
    monkeypatch.setattr(renderers, "render_text", lambda release, source: source)
    with pytest.raises(LeakError) as caught:
        run(text.encode(), PUBLIC, dt.date(2020, 1, 1))
    message = str(caught.value)
    assert re.search(r"segment s\d+", message)
    assert "minister" not in message and "border" not in message


def test_leak_gate_catches_withheld_text_in_json(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "S E C R E T PARIS 001234\n\nE.O. 12958: DECL: 08/25/2036\n\n"
        "¶1. (S) The defector named three officers who passed the codes to the service.\n"
    )

    def leaky_report(release: object, released_text: str | None) -> dict[str, object]:
        return {"sha256": {"input": "", "output": None}, "text": text}

    monkeypatch.setattr(renderers, "release_report", leaky_report)
    with pytest.raises(LeakError):
        run(text.encode(), PUBLIC, dt.date(2020, 1, 1), fmt="json")


def test_json_report_has_no_withheld_text_and_keeps_the_contract() -> None:
    text = (
        "C O N F I D E N T I A L PARIS 001234\n\nE.O. 12958: DECL: 08/25/2036\n\n"
        "¶1. (C) The minister confided a plan to close the northern border crossing.\n"
        "¶2. (U) The embassy will host a reception for the delegation.\n"
    )
    report = json.loads(run(text.encode(), PUBLIC, dt.date(2020, 1, 1), fmt="json").output)
    assert set(report) >= {"document", "decisions", "release", "policy", "as_of"}
    assert report["release"]["withheld"] >= 1
    assert "minister" not in json.dumps(report)
    assert "reception for the delegation" in report["text"]
