"""Decisions, rule by rule: each row is a small cable, a policy, a date and what must happen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from declass.rules.engine import decide
from declass.rules.parse import parse_document
from declass.rules.policy import LoadedPolicy, load_policy, policy_from_mapping
from declass.rules.release import Decision, Release

PUBLIC = load_policy("public")
PARTNER = load_policy("partner-gbr-secret")
D = dt.date.fromisoformat


def cable(
    body: str,
    banner: str = "C O N F I D E N T I A L PARIS 001234",
    decl: str | None = "E.O. 12958: DECL: 08/25/2016",
    captions: str = "SIPDIS",
) -> str:
    lines = ["O 251716Z AUG 06", "FM AMEMBASSY PARIS", "", banner, "", captions, ""]
    if decl:
        lines.append(decl)
    lines += [
        "TAGS: PREL FR",
        "SUBJECT: (U) INVENTED SUBJECT",
        "",
        "Classified By: Ambassador Jane Roe for reasons 1.4 (b) and (d)",
        "",
        body,
        "",
        "ROE",
    ]
    return "\n".join(lines) + "\n"


def released(text: str, policy: LoadedPolicy = PUBLIC, as_of: str = "2010-01-01") -> Release:
    return decide(parse_document(text), text, policy, D(as_of))


def decision_at(release: Release, text: str, needle: str) -> Decision:
    offset = text.index(needle)
    segment = next(s for s in release.document.segments if s.start <= offset < s.end)
    return release.decision_for(segment.id)


@dataclass(frozen=True)
class Case:
    """One row: a small cable, what to look for in it, and what must happen to that portion.

    ``banner``, ``decl`` and ``captions`` left at None keep :func:`cable`'s defaults."""

    id: str
    body: str
    needle: str
    action: str
    rule: str
    banner: str | None = None
    decl: str | None = None
    captions: str | None = None
    policy: LoadedPolicy = PUBLIC
    as_of: str = "2010-01-01"


CASES = [
    Case(
        id="classified before its date",
        body="¶1. (C) alpha text.",
        needle="alpha",
        action="withhold",
        rule="public/classified-not-declassified",
    ),
    Case(
        id="declassified on its date",
        body="¶1. (C) alpha text.",
        needle="alpha",
        action="release",
        rule="public/declassified-by-date",
        as_of="2016-08-25",
    ),
    Case(
        id="day before the date",
        body="¶1. (C) alpha text.",
        needle="alpha",
        action="withhold",
        rule="public/classified-not-declassified",
        as_of="2016-08-24",
    ),
    Case(
        id="unclassified portion",
        body="¶1. (U) alpha text.",
        needle="alpha",
        action="release",
        rule="public/unclassified-portion",
    ),
    Case(
        id="unmarked in classified",
        body="¶1. alpha text.",
        needle="alpha",
        action="withhold",
        rule="public/unmarked-in-classified",
    ),
    Case(
        id="unmarked released once declassified",
        body="¶1. alpha text.",
        needle="alpha",
        action="release",
        rule="public/declassified-by-date",
        as_of="2026-11-28",
    ),
    Case(
        id="SBU goes to review",
        body="¶1. (SBU) alpha text.",
        needle="alpha",
        action="review",
        rule="public/controlled-unclassified",
    ),
    Case(
        id="SBU stays in review after declassification",
        body="¶1. (SBU) alpha text.",
        needle="alpha",
        action="review",
        rule="public/controlled-unclassified",
        as_of="2026-11-28",
    ),
    Case(
        id="malformed marking withheld while classified",
        body="¶7. C) alpha text.",
        needle="alpha",
        action="withhold",
        rule="public/classified-not-declassified",
    ),
    Case(
        id="malformed (U) marking in review while classified",
        body="¶7. U) alpha text.",
        needle="alpha",
        action="review",
        rule="public/malformed-marking",
    ),
    Case(
        id="malformed marking released once declassified",
        body="¶7. C) alpha text.",
        needle="alpha",
        action="release",
        rule="public/declassified-by-date",
        as_of="2026-11-28",
    ),
    Case(
        id="above the banner in review",
        body="¶1. (S) alpha text.",
        needle="alpha",
        action="review",
        rule="public/above-banner",
        as_of="2026-11-28",
    ),
    Case(
        id="OADR stays classified for 25 years",
        body="¶1. (C) alpha text.",
        needle="alpha",
        action="withhold",
        rule="public/classified-not-declassified",
        decl="E.O. 12356: DECL: OADR",
        as_of="2020-01-01",
    ),
    Case(
        id="OADR after 25 years goes to review",
        body="¶1. (C) alpha text.",
        needle="alpha",
        action="review",
        rule="public/instruction-needs-review",
        decl="E.O. 12356: DECL: OADR",
        as_of="2032-01-01",
    ),
    Case(
        id="event instruction needs review",
        body="¶1. (C) alpha text.",
        needle="alpha",
        action="review",
        rule="public/instruction-needs-review",
        decl="E.O. 12958: DECL: TEN YEARS AFTER THE TREATY",
        as_of="2030-01-01",
    ),
    Case(
        id="invalid date needs review",
        body="¶1. (C) alpha text.",
        needle="alpha",
        action="review",
        rule="public/instruction-needs-review",
        decl="E.O. 12958: DECL: 13/45/2016",
        as_of="2030-01-01",
    ),
    Case(
        id="NOFORN caption does not touch a (U) portion",
        body="¶1. (U) alpha text.",
        needle="alpha",
        action="release",
        rule="public/unclassified-portion",
        captions="NOFORN",
    ),
    Case(
        id="SENSITIVE caption sends unmarked portions of an UNCLAS cable to review",
        body="¶1. alpha text.",
        needle="alpha",
        action="review",
        rule="public/controlled-unclassified",
        banner="UNCLAS PARIS 001234",
        decl="E.O. 12958: N/A",
        captions="SENSITIVE",
    ),
    Case(
        id="unmarked portion of an UNCLAS cable is unclassified",
        body="¶1. alpha text.",
        needle="alpha",
        action="release",
        rule="public/unmarked-in-unclassified",
        banner="UNCLAS PARIS 001234",
        decl="E.O. 12958: N/A",
        captions="SIPDIS",
    ),
    Case(
        id="a date on an UNCLAS cable releases no control",
        body="¶1. (SBU) alpha text.",
        needle="alpha",
        action="review",
        rule="public/controlled-unclassified",
        banner="UNCLAS PARIS 001234",
        as_of="2026-11-28",
    ),
    Case(
        id="partner: REL TO GBR released",
        body="¶1. (S//REL TO USA, GBR) alpha text.",
        needle="alpha",
        action="release",
        rule="partner-gbr-secret/releasable-to-partner",
        banner="S E C R E T PARIS 001234",
        policy=PARTNER,
    ),
    Case(
        id="partner: FVEY includes GBR",
        body="¶1. (C//REL TO USA, FVEY) alpha text.",
        needle="alpha",
        action="release",
        rule="partner-gbr-secret/releasable-to-partner",
        policy=PARTNER,
    ),
    Case(
        id="partner: REL TO without GBR withheld",
        body="¶1. (S//REL TO USA, AUS) alpha text.",
        needle="alpha",
        action="withhold",
        rule="partner-gbr-secret/rel-to-excludes-partner",
        banner="S E C R E T PARIS 001234",
        policy=PARTNER,
    ),
    Case(
        id="partner: NOFORN withheld",
        body="¶1. (S/NF) alpha text.",
        needle="alpha",
        action="withhold",
        rule="partner-gbr-secret/control-noforn",
        banner="S E C R E T PARIS 001234",
        policy=PARTNER,
    ),
    Case(
        id="partner: no foreign release marking is NOFORN",
        body="¶1. (C) alpha text.",
        needle="alpha",
        action="withhold",
        rule="partner-gbr-secret/no-foreign-release-marking",
        policy=PARTNER,
    ),
    Case(
        id="partner: ORCON to review",
        body="¶1. (S//OC/REL TO USA, GBR) alpha text.",
        needle="alpha",
        action="review",
        rule="partner-gbr-secret/control-orcon",
        banner="S E C R E T PARIS 001234",
        policy=PARTNER,
    ),
    Case(
        id="partner: above its level withheld",
        body="¶1. (TS//REL TO USA, GBR) alpha text.",
        needle="alpha",
        action="withhold",
        rule="partner-gbr-secret/above-release-level",
        banner="T O P S E C R E T PARIS 001234",
        policy=PARTNER,
    ),
    Case(
        id="partner: NOFORN caption reaches unmarked sub-text only through its parent",
        body="¶1. (S//REL TO USA, GBR) alpha text.",
        needle="alpha",
        action="release",
        rule="partner-gbr-secret/releasable-to-partner",
        banner="S E C R E T PARIS 001234",
        captions="NOFORN",
        policy=PARTNER,
    ),
    Case(
        id="header lines released while classified",
        body="¶1. (C) alpha text.",
        needle="TAGS",
        action="release",
        rule="public/header-release",
    ),
    Case(
        id="banner rewritten",
        body="¶1. (C) alpha text.",
        needle="PARIS 001234",
        action="release",
        rule="public/banner-remarked",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_decision(case: Case) -> None:
    given = {"banner": case.banner, "decl": case.decl, "captions": case.captions}
    text = cable(case.body, **{name: value for name, value in given.items() if value is not None})
    decision = decision_at(released(text, case.policy, case.as_of), text, case.needle)
    assert (decision.action, decision.rule) == (case.action, case.rule), decision


def test_missing_instruction_stays_classified_then_needs_review() -> None:
    text = cable("¶1. (C) alpha text.", decl=None)
    assert decision_at(released(text, as_of="2030-01-01"), text, "alpha").action == "withhold"
    late = decision_at(released(text, as_of="2032-01-01"), text, "alpha")
    assert (late.action, late.rule) == ("review", "public/instruction-needs-review")


def test_classified_withholding_carries_reasons_and_exemption() -> None:
    text = cable("¶1. (C) alpha text.")
    decision = decision_at(released(text), text, "alpha")
    assert decision.exemptions == ["(b)(1)"]
    assert decision.reasons == ["1.4(b)", "1.4(d)"]
    assert decision.lines == 1


def test_review_reasons_option_keeps_foreign_government_information_in_review() -> None:
    table = PUBLIC.policy.model_dump() | {"id": "fgi-careful", "review_reasons": ["1.4(b)"]}
    careful = policy_from_mapping(table, "test")
    text = cable("¶1. (C) alpha text.")
    decision = decision_at(released(text, careful, "2026-11-28"), text, "alpha")
    assert (decision.action, decision.rule) == ("review", "fgi-careful/review-reason")


def test_released_marking_of_a_declassified_confidential_cable_is_unclassified() -> None:
    text = cable("¶1. (C) alpha text.\n\n¶2. (U) beta text.")
    release = released(text, as_of="2026-11-28")
    assert release.summary.marking == "UNCLASSIFIED"
    assert release.summary.disposition == "RELEASED IN FULL"
    assert release.original_marking == "CONFIDENTIAL"


def test_partner_release_is_marked_for_the_partner() -> None:
    text = cable("¶1. (S//REL TO USA, GBR) alpha text.", banner="S E C R E T PARIS 001234")
    release = released(text, PARTNER)
    assert release.summary.marking == "SECRET//REL TO USA, GBR"


def test_contradictory_instructions_never_declassify() -> None:
    text = cable("¶1. (C) alpha text.\n\nE.O. 12958: DECL: 08/25/2036\n\n¶2. (C) beta text.")
    release = released(text, as_of="2026-11-28")
    assert release.evaluation.status == "needs_review"
    assert decision_at(release, text, "alpha").action != "release"


def test_every_segment_gets_exactly_one_decision() -> None:
    text = cable("¶1. (C) alpha text.\n\n¶2. (U) beta text.")
    release = released(text)
    assert [d.segment for d in release.decisions] == [s.id for s in release.document.segments]


def test_a_document_without_any_marking_goes_to_review() -> None:
    text = "The minister outlined a plan for the northern border.\n\nHe asked for help.\n"
    release = released(text)
    assert release.document.level is None
    assert {d.action for d in release.decisions} == {"review"}
    assert {d.rule for d in release.decisions} == {"public/no-classification-evidence"}


def test_an_unclassified_banner_is_evidence_enough() -> None:
    text = "UNCLASSIFIED\n\nThe embassy hosted a reception.\n\nUNCLASSIFIED\n"
    decision = decision_at(released(text), text, "reception")
    assert (decision.action, decision.rule) == ("release", "public/unmarked-in-unclassified")
